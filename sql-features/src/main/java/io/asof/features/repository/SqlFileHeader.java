package io.asof.features.repository;

import io.asof.model.SourcePosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metadata header of a repository {@code .sql} file: the leading {@code -- key: value} comment
 * lines, which leave the file runnable as plain SQL. A line {@code -- more text} (two or more
 * spaces) continues the previous value; other comment lines are free text.
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
  }

  private final Map<String, Entry> entries;
  private final String sql;
  private final SourcePosition sqlPosition;

  private SqlFileHeader(Map<String, Entry> entries, String sql, SourcePosition sqlPosition) {
    this.entries = entries;
    this.sql = sql;
    this.sqlPosition = sqlPosition;
  }

  /** Splits a file into header entries and the SQL after them; repeated keys are reported. */
  static SqlFileHeader parse(Path file, String text, Diagnostics diagnostics) {
    String[] lines = text.split("\n", -1);
    Map<String, Entry> entries = new LinkedHashMap<>();
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
        last = new Entry(last.key(), last.keyPosition(), List.copyOf(segments));
        entries.put(last.key(), last);
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
        if (entries.containsKey(name)) {
          diagnostics.error(
              keyPosition,
              "header key '%s' is given twice (first at line %d): keep one"
                  .formatted(name, entries.get(name).keyPosition().line()));
        } else {
          entries.put(name, entry);
        }
        last = entry;
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

  Map<String, Entry> entries() {
    return entries;
  }

  Optional<Entry> entry(String key) {
    return Optional.ofNullable(entries.get(key));
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
