package io.asof.model;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** A place in a repository file, 1-based, as people and editors count: {@code views/a.sql:3:14}. */
public record SourcePosition(Path file, int line, int column)
    implements Comparable<SourcePosition> {
  public SourcePosition {
    requireNonNull(file, "file is null");
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column start at 1: " + line + ":" + column);
    }
  }

  /** The start of a file. */
  public static SourcePosition start(Path file) {
    return new SourcePosition(file, 1, 1);
  }

  /** The same file, {@code lines} further down and at {@code column}. */
  public SourcePosition offset(int lines, int column) {
    return new SourcePosition(file, line + lines, column);
  }

  @Override
  public int compareTo(SourcePosition other) {
    int byFile = file.compareTo(other.file);
    if (byFile != 0) {
      return byFile;
    }
    return line != other.line
        ? Integer.compare(line, other.line)
        : Integer.compare(column, other.column);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
