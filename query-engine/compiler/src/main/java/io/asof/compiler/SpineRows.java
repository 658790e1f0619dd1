package io.asof.compiler;

import static java.util.Objects.requireNonNull;

import io.asof.engine.SqlQuoting;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small spine uploaded as rows (CSV lines, JSON objects), turned into a {@code SELECT ... FROM
 * (VALUES ...)} that Trino runs like any spine query. Each column's type is the narrowest that all
 * its values fit: {@code bigint}, {@code double}, {@code boolean}, {@code timestamp(6)} ({@code
 * 2026-03-01 12:00:00[.ffffff]} or a date), else {@code varchar}; NULLs fit every type.
 *
 * <p>A value is {@code null}, a {@link Boolean}, a {@link Number}, a {@link String} (typed text, as
 * JSON has it: a timestamp, also written {@code 2026-03-01T12:00:00}, or else varchar), or {@link
 * Text} (untyped text, as CSV has it, which may also be a number or a boolean).
 */
public final class SpineRows {
  /** Beyond this, load the spine into a table and give its SELECT instead. */
  public static final int MAX_ROWS = 50_000;

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
  private static final DateTimeFormatter TIMESTAMP = timestamp(' ');
  private static final DateTimeFormatter ISO_TIMESTAMP = timestamp('T');

  /** Untyped text whose type is inferred from what all of its column's values look like (CSV). */
  public record Text(String value) {
    public Text {
      requireNonNull(value, "value is null");
    }
  }

  private enum Kind {
    BIGINT("bigint"),
    DOUBLE("double"),
    BOOLEAN("boolean"),
    TIMESTAMP("timestamp(6)"),
    VARCHAR("varchar");

    final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  private SpineRows() {}

  /** Whether {@code name} is a plain SQL name a spine column can have. */
  public static boolean isPlainName(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * Refuses more rows than {@link #MAX_ROWS}.
   *
   * @param source what holds the rows, for the message: a file, {@code spine_rows}
   * @param alternative how to give a spine query instead, for the message
   */
  public static void checkSize(int rows, String source, String alternative) {
    if (rows > MAX_ROWS) {
      throw new SpineTooLargeException(
          "%s has %,d rows; an uploaded spine takes at most %,d: load it into a table and give %s instead"
              .formatted(source, rows, MAX_ROWS, alternative),
          MAX_ROWS);
    }
  }

  /**
   * The spine query for JSON-like rows: one map per row, field name to value; the columns are the
   * fields in the order they first appear, and a row without a field has NULL there.
   *
   * @param source the name of the rows in messages, e.g. {@code spine_rows}
   */
  public static String fromObjects(List<? extends Map<String, ?>> rows, String source) {
    requireNonNull(rows, "rows is null");
    checkSize(rows.size(), source, "spine_sql");
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          source + " is empty: give at least one row, or a spine query in spine_sql");
    }
    Set<String> columns = new LinkedHashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      Map<String, ?> row = rows.get(i);
      if (row == null) {
        throw new IllegalArgumentException(
            "%s[%d] is null: each row is an object of column: value".formatted(source, i));
      }
      for (Map.Entry<String, ?> field : row.entrySet()) {
        if (!isPlainName(field.getKey())) {
          throw new IllegalArgumentException(
              "%s[%d]: column name '%s' is not a plain SQL name (lower-case letters, digits, _)"
                  .formatted(source, i, field.getKey()));
        }
        Object value = field.getValue();
        if (value != null
            && !(value instanceof Boolean)
            && !(value instanceof Number)
            && !(value instanceof String)) {
          throw new IllegalArgumentException(
              "%s[%d].%s is %s: a spine value is a number, a string, a boolean or null"
                  .formatted(
                      source, i, field.getKey(), value instanceof List ? "an array" : "an object"));
        }
        columns.add(field.getKey());
      }
    }
    List<List<Object>> values = new ArrayList<>(rows.size());
    for (Map<String, ?> row : rows) {
      List<Object> tuple = new ArrayList<>(columns.size());
      for (String column : columns) {
        tuple.add(row.get(column));
      }
      values.add(tuple);
    }
    return toSql(List.copyOf(columns), values);
  }

  /**
   * The spine query for {@code rows}, each with one value per column (see the class comment for
   * what a value may be). Column names must be plain SQL names; the caller checks the row count.
   */
  public static String toSql(List<String> columns, List<List<Object>> rows) {
    List<Kind> kinds = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      kinds.add(kindOf(rows, c));
    }
    String names = String.join(", ", columns);
    if (rows.isEmpty()) {
      List<String> nulls = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        nulls.add("CAST(NULL AS %s) AS %s".formatted(kinds.get(c).type, columns.get(c)));
      }
      return "SELECT " + String.join(", ", nulls) + " WHERE false";
    }
    List<String> tuples = new ArrayList<>();
    for (List<Object> row : rows) {
      List<String> values = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        values.add(literal(row.get(c), kinds.get(c)));
      }
      tuples.add("(" + String.join(", ", values) + ")");
    }
    return "SELECT %s\nFROM (VALUES\n  %s\n) AS spine(%s)"
        .formatted(names, String.join(",\n  ", tuples), names);
  }

  private static Kind kindOf(List<List<Object>> rows, int column) {
    EnumSet<Kind> fits = EnumSet.allOf(Kind.class);
    for (List<Object> row : rows) {
      Object value = row.get(column);
      if (value != null) {
        fits.retainAll(fitting(value));
      }
    }
    // VARCHAR fits every value, so something is left
    return fits.iterator().next();
  }

  private static Set<Kind> fitting(Object value) {
    EnumSet<Kind> fits = EnumSet.of(Kind.VARCHAR);
    switch (value) {
      case Text text -> {
        String s = text.value();
        if (INTEGER.matcher(s).matches()) {
          fits.add(Kind.BIGINT);
        }
        if (DECIMAL.matcher(s).matches()) {
          fits.add(Kind.DOUBLE);
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
          fits.add(Kind.BOOLEAN);
        }
        if (parses(TIMESTAMP, s)) {
          fits.add(Kind.TIMESTAMP);
        }
      }
      case String s -> {
        if (parses(TIMESTAMP, s) || parses(ISO_TIMESTAMP, s)) {
          fits.add(Kind.TIMESTAMP);
        }
      }
      case Boolean b -> fits.add(Kind.BOOLEAN);
      case BigInteger big -> {
        fits.add(Kind.DOUBLE);
        if (big.bitLength() < Long.SIZE) {
          fits.add(Kind.BIGINT);
        }
      }
      case Long l -> fits.addAll(List.of(Kind.BIGINT, Kind.DOUBLE));
      case Integer i -> fits.addAll(List.of(Kind.BIGINT, Kind.DOUBLE));
      case Short s -> fits.addAll(List.of(Kind.BIGINT, Kind.DOUBLE));
      case Byte b -> fits.addAll(List.of(Kind.BIGINT, Kind.DOUBLE));
      case BigDecimal d -> fits.add(Kind.DOUBLE);
      case Number n -> {
        if (Double.isFinite(n.doubleValue())) {
          fits.add(Kind.DOUBLE);
        }
      }
      default ->
          throw new IllegalArgumentException(
              "a spine value is a number, a string, a boolean or null, not " + value.getClass());
    }
    return fits;
  }

  private static String literal(Object value, Kind kind) {
    if (value == null) {
      return "CAST(NULL AS %s)".formatted(kind.type);
    }
    String text = value instanceof Text t ? t.value() : value.toString();
    return switch (kind) {
      case BIGINT -> "CAST(%s AS bigint)".formatted(text);
      case DOUBLE ->
          "CAST(%s AS double)"
              .formatted(value instanceof Number n ? Double.toString(n.doubleValue()) : text);
      case BOOLEAN -> text.toLowerCase(Locale.ROOT);
      case TIMESTAMP -> "CAST('%s' AS timestamp(6))".formatted(text.replace('T', ' '));
      case VARCHAR -> SqlQuoting.literal(text);
    };
  }

  private static boolean parses(DateTimeFormatter format, String value) {
    try {
      return format.parseBest(value, LocalDateTime::from, LocalDate::from) != null;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static DateTimeFormatter timestamp(char separator) {
    return new DateTimeFormatterBuilder()
        .appendPattern("yyyy-MM-dd")
        .optionalStart()
        .appendLiteral(separator)
        .appendPattern("HH:mm:ss")
        .optionalStart()
        .appendFraction(ChronoField.NANO_OF_SECOND, 1, 6, true)
        .optionalEnd()
        .optionalEnd()
        .toFormatter(Locale.ROOT);
  }
}
