package io.asof.features.repository;

import io.asof.model.SourcePosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metadata header of a repository {@code .sql} file: the leading {@code -- key: value} comment
 * lines, which leave the file runnable as plain SQL. A line {@code -- more text} (two or more
 * spaces) continues the previous value; other comment lines are free text. A key is given once,
 * unless the caller lets it repeat ({@code -- expect:} lines); each entry keeps its own position.
 */
final class SqlFileHeader {
  private static final Pattern KEY_LINE =
      Pattern.compile("^--\\s?([A-Za-z][A-Za-z0-9_-]*)\\s*:(.*)$");
  private static final Pattern CONTINUATION = Pattern.compile("^--\\s{2,}(\\S.*)$");

  /** A piece of a value on one line, with where it starts. */
  record Segment(String text, SourcePosition position) {}

  /** One header entry, with where its key starts and the pieces of its value, line by line. */
  record Entry(String key, SourcePosition keyPosition, List<Segment> segments) {
    /** The value, its lines joined by a space. */
    String value() {
      return String.join(" ", segments.stream().map(Segment::text).toList()).strip();
    }

    SourcePosition valuePosition() {
      return segments.getFirst().position();
    }

    /** Where the character at {@code offset} in {@link #value()} is in the file. */
    SourcePosition positionAt(int offset) {
      String joined = String.join(" ", segments.stream().map(Segment::text).toList());
      int remaining = offset + (joined.length() - joined.stripLeading().length());
      for (Segment segment : segments) {
        if (remaining <= segment.text().length()) {
          return segment.position().offset(0, segment.position().column() + remaining);
        }
        remaining -= segment.text().length() + 1;
      }
      return segments.getLast().position();
    }
  }

  private final List<Entry> entries;
  private final String sql;
  private final SourcePosition sqlPosition;

  private SqlFileHeader(List<Entry> entries, String sql, SourcePosition sqlPosition) {
    this.entries = entries;
    this.sql = sql;
    this.sqlPosition = sqlPosition;
  }

  /**
   * Splits a file into header entries and the SQL after them; keys given twice are reported unless
   * they are {@code repeatable}.
   */
  static SqlFileHeader parse(
      Path file, String text, Set<String> repeatable, Diagnostics diagnostics) {
    String[] lines = text.split("\n", -1);
    List<Entry> entries = new ArrayList<>();
    Map<String, Entry> first = new HashMap<>();
    Entry last = null;
    int line = 0;
    for (; line < lines.length; line++) {
      String raw = stripCarriageReturn(lines[line]);
      String trimmed = raw.strip();
      if (trimmed.isEmpty()) {
        last = null;
        continue;
      }
      if (!trimmed.startsWith("--")) {
        break;
      }
      int indent = raw.indexOf("--");
      Matcher key = KEY_LINE.matcher(trimmed);
      Matcher continuation = CONTINUATION.matcher(trimmed);
      if (last != null && continuation.matches() && !key.matches()) {
        String piece = continuation.group(1).strip();
        List<Segment> segments = new ArrayList<>(last.segments());
        segments.add(
            new Segment(
                piece, new SourcePosition(file, line + 1, indent + trimmed.indexOf(piece) + 1)));
        Entry continued = new Entry(last.key(), last.keyPosition(), List.copyOf(segments));
        entries.set(entries.indexOf(last), continued);
        first.replace(last.key(), last, continued);
        last = continued;
      } else if (key.matches()) {
        String name = key.group(1);
        String rawValue = key.group(2);
        int valueOffset =
            trimmed.length()
                - rawValue.length()
                + (rawValue.length() - rawValue.stripLeading().length());
        SourcePosition keyPosition =
            new SourcePosition(file, line + 1, indent + trimmed.indexOf(name) + 1);
        SourcePosition valuePosition = new SourcePosition(file, line + 1, indent + valueOffset + 1);
        Entry entry =
            new Entry(name, keyPosition, List.of(new Segment(rawValue.strip(), valuePosition)));
        if (first.containsKey(name) && !repeatable.contains(name)) {
          diagnostics.error(
              keyPosition,
              "header key '%s' is given twice (first at line %d): keep one"
                  .formatted(name, first.get(name).keyPosition().line()));
          last = null;
        } else {
          entries.add(entry);
          first.putIfAbsent(name, entry);
          last = entry;
        }
      } else {
        last = null;
      }
    }
    StringBuilder sql = new StringBuilder();
    for (int i = line; i < lines.length; i++) {
      sql.append(stripCarriageReturn(lines[i])).append('\n');
    }
    return new SqlFileHeader(
        entries,
        sql.toString().stripTrailing(),
        new SourcePosition(file, Math.min(line, lines.length - 1) + 1, 1));
  }

  /** Every entry, in file order. */
  List<Entry> entries() {
    return entries;
  }

  /** The first entry of {@code key}. */
  Optional<Entry> entry(String key) {
    return entries.stream().filter(e -> e.key().equals(key)).findFirst();
  }

  /** Every entry of a repeatable {@code key}, in file order. */
  List<Entry> entries(String key) {
    return entries.stream().filter(e -> e.key().equals(key)).toList();
  }

  /** The SQL after the header, with line numbers starting at {@link #sqlPosition()}. */
  String sql() {
    return sql;
  }

  SourcePosition sqlPosition() {
    return sqlPosition;
  }

  private static String stripCarriageReturn(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
