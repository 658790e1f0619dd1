package io.asof.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A small spine uploaded as CSV rows, turned into a {@code SELECT ... FROM (VALUES ...)} that Trino
 * runs like any spine query. The header names the columns; each column's type is the narrowest that
 * all its values fit: {@code bigint}, {@code double}, {@code boolean}, {@code timestamp(6)} ({@code
 * 2026-03-01 12:00:00[.ffffff]} or a date), else {@code varchar}. An empty field is NULL.
 */
final class SpineCsv {
  /** Beyond this, load the spine into a table and give its SELECT instead. */
  static final int MAX_ROWS = 50_000;

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd")
          .optionalStart()
          .appendLiteral(' ')
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 6, true)
          .optionalEnd()
          .optionalEnd()
          .toFormatter(Locale.ROOT);

  private SpineCsv() {}

  /** The spine query for the rows in {@code file}. */
  static String toSql(Path file) throws IOException {
    List<List<String>> rows = parse(Files.readString(file, StandardCharsets.UTF_8), file);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty: write a header line of column names");
    }
    List<String> header = rows.getFirst().stream().map(String::strip).toList();
    for (String name : header) {
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "%s:1: column name '%s' is not a plain SQL name (lower-case letters, digits, _)"
                .formatted(file, name));
      }
    }
    List<List<String>> data = rows.subList(1, rows.size());
    if (data.size() > MAX_ROWS) {
      throw new IllegalArgumentException(
          "%s has %,d rows; an uploaded spine takes at most %,d: load it into a table and give --spine 'SELECT ...' instead"
              .formatted(file, data.size(), MAX_ROWS));
    }
    for (int i = 0; i < data.size(); i++) {
      if (data.get(i).size() != header.size()) {
        throw new IllegalArgumentException(
            "%s:%d: %d fields, but the header has %d"
                .formatted(file, i + 2, data.get(i).size(), header.size()));
      }
    }
    List<String> types = new ArrayList<>();
    for (int c = 0; c < header.size(); c++) {
      types.add(typeOf(data, c));
    }
    String names = String.join(", ", header);
    if (data.isEmpty()) {
      List<String> nulls = new ArrayList<>();
      for (int c = 0; c < header.size(); c++) {
        nulls.add("CAST(NULL AS %s) AS %s".formatted(types.get(c), header.get(c)));
      }
      return "SELECT " + String.join(", ", nulls) + " WHERE false";
    }
    List<String> tuples = new ArrayList<>();
    for (List<String> row : data) {
      List<String> values = new ArrayList<>();
      for (int c = 0; c < header.size(); c++) {
        values.add(literal(row.get(c), types.get(c)));
      }
      tuples.add("(" + String.join(", ", values) + ")");
    }
    return "SELECT %s\nFROM (VALUES\n  %s\n) AS spine(%s)"
        .formatted(names, String.join(",\n  ", tuples), names);
  }

  private static String typeOf(List<List<String>> data, int column) {
    boolean integer = true;
    boolean decimal = true;
    boolean bool = true;
    boolean timestamp = true;
    for (List<String> row : data) {
      String value = row.get(column);
      if (value.isEmpty()) {
        continue;
      }
      integer &= INTEGER.matcher(value).matches();
      decimal &= DECIMAL.matcher(value).matches();
      bool &= value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
      timestamp &= isTimestamp(value);
    }
    if (integer) {
      return "bigint";
    }
    if (decimal) {
      return "double";
    }
    if (bool) {
      return "boolean";
    }
    return timestamp ? "timestamp(6)" : "varchar";
  }

  private static boolean isTimestamp(String value) {
    try {
      return TIMESTAMP.parseBest(value, LocalDateTime::from, LocalDate::from) != null;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static String literal(String value, String type) {
    if (value.isEmpty()) {
      return "CAST(NULL AS %s)".formatted(type);
    }
    return switch (type) {
      case "bigint", "double" -> "CAST(%s AS %s)".formatted(value, type);
      case "boolean" -> value.toLowerCase(Locale.ROOT);
      case "timestamp(6)" -> "CAST('%s' AS timestamp(6))".formatted(value);
      default -> "'" + value.replace("'", "''") + "'";
    };
  }

  /** RFC 4180 fields: commas, double-quoted fields with doubled quotes, CRLF or LF lines. */
  static List<List<String>> parse(String text, Path file) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          quoted = true;
          any = true;
        }
        case ',' -> {
          row.add(field.toString());
          field.setLength(0);
          any = true;
        }
        case '\r' -> {}
        case '\n' -> {
          if (any || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
          }
          row = new ArrayList<>();
          field.setLength(0);
          any = false;
          line++;
        }
        default -> {
          field.append(c);
          any = true;
        }
      }
    }
    if (quoted) {
      throw new IllegalArgumentException(
          "%s:%d: a quoted field is not closed".formatted(file, line));
    }
    if (any || field.length() > 0) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}
