package io.asof.model;

import static java.util.Objects.requireNonNull;

/** A problem in a repository file, said where it is and in a sentence a data scientist acts on. */
public record Diagnostic(SourcePosition position, String message)
    implements Comparable<Diagnostic> {
  public Diagnostic {
    requireNonNull(position, "position is null");
    requireNonNull(message, "message is null");
  }

  @Override
  public int compareTo(Diagnostic other) {
    return position.compareTo(other.position);
  }

  /**
   * {@code file:line:column: message} with the file relative to {@code base} when it is inside it.
   */
  public String relativeTo(java.nio.file.Path base) {
    java.nio.file.Path file = position.file();
    String shown = file.startsWith(base) ? base.relativize(file).toString() : file.toString();
    return shown + ":" + position.line() + ":" + position.column() + ": " + message;
  }

  /** {@code file:line:column: message}, as compilers print it. */
  @Override
  public String toString() {
    return position + ": " + message;
  }
}
