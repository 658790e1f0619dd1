package io.asof.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.asof.engine.Column;
import io.asof.model.Suggestions;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a push body (a JSON array of row objects, or NDJSON: one object per line) into rows of a
 * push view, each value typed as its column's Trino type asks ({@code bigint} Long, {@code integer}
 * Integer, {@code smallint} Short, {@code tinyint} Byte, {@code double} Double, {@code real} Float,
 * {@code decimal} BigDecimal, {@code boolean} Boolean, {@code varchar}/{@code char} String, {@code
 * date} LocalDate, {@code timestamp(p)} LocalDateTime in UTC), or refuses the whole batch naming
 * each row and field that does not fit. Streaming: no tree of the body is built.
 */
public final class PushRowParser {
  /** The most problems a refusal lists; it counts the rest. */
  static final int MAX_PROBLEMS = 20;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
          .build();
  private static final Pattern SIZED = Pattern.compile("(varchar|char)\\((\\d+)\\)");
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+), *(\\d+)\\)");
  private static final Pattern TIMESTAMP = Pattern.compile("timestamp\\((\\d+)\\)");

  /** How a body is laid out. */
  public enum Format {
    /** {@code [{...}, {...}]} */
    JSON_ARRAY,
    /** one object per line */
    NDJSON;

    /**
     * The format a request says it has ({@code application/x-ndjson}, {@code application/jsonl} or
     * {@code application/json}), else the one its first character shows.
     */
    public static Format of(String contentType, byte[] body) {
      String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
      if (type.contains("ndjson") || type.contains("jsonl") || type.contains("json-seq")) {
        return NDJSON;
      }
      for (byte b : body) {
        if (!Character.isWhitespace(b)) {
          return b == '[' ? JSON_ARRAY : NDJSON;
        }
      }
      return JSON_ARRAY;
    }
  }

  /**
   * Reads one value of a column from the parser's current token; throws {@link Bad} if it cannot.
   */
  @FunctionalInterface
  private interface Reader {
    Object read(JsonParser parser) throws IOException, Bad;
  }

  /** A value that does not fit its column: the sentence says what was expected. */
  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String message) {
      super(message, null, false, false);
    }
  }

  private final PushView view;
  private final List<String> names;
  private final List<Reader> readers;
  private final boolean[] required;

  public PushRowParser(PushView view) {
    this.view = view;
    this.names = view.columns().stream().map(Column::name).toList();
    this.readers = view.columns().stream().map(PushRowParser::reader).toList();
    this.required = new boolean[names.size()];
    for (int i = 0; i < names.size(); i++) {
      required[i] =
          view.keys().contains(names.get(i))
              || names.get(i).equals(view.eventTime())
              || view.notNull().contains(names.get(i));
    }
  }

  /**
   * The rows of {@code body}, values in the view's column order.
   *
   * @throws PushRejectedException when any row does not fit (400), there are more than {@code
   *     maxRows} (413), or the body is not JSON of rows (400, with line and column)
   */
  public List<Object[]> parse(byte[] body, Format format, int maxRows) {
    List<Object[]> rows = new ArrayList<>();
    Problems problems = new Problems();
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken token = parser.nextToken();
      if (format == Format.JSON_ARRAY) {
        if (token != JsonToken.START_ARRAY) {
          throw new PushRejectedException(
              400,
              "the body is not a JSON array of rows (%s): send [{\"column\": value, ...}, ...], or one object per line as application/x-ndjson"
                  .formatted(where(parser)));
        }
        token = parser.nextToken();
      }
      while (token != null && token != JsonToken.END_ARRAY) {
        if (rows.size() + problems.badRows >= maxRows) {
          throw new PushRejectedException(
              413,
              "more than %,d rows in one push: send them in several pushes".formatted(maxRows));
        }
        int index = rows.size() + problems.badRows;
        int line = parser.currentTokenLocation().getLineNr();
        Object[] row = row(parser, token, index, line, problems);
        if (row != null) {
          rows.add(row);
        }
        token = parser.nextToken();
      }
      if (format == Format.JSON_ARRAY) {
        if (token == null) {
          throw new PushRejectedException(
              400, "the JSON array of rows is not closed: the body ends before its ]");
        }
        if (parser.nextToken() != null) {
          throw new PushRejectedException(
              400,
              "more after the array of rows (%s): send one array, or NDJSON"
                  .formatted(where(parser)));
        }
      }
    } catch (JsonParseException e) {
      throw new PushRejectedException(
          400,
          "the body is not valid JSON at line %d, column %d: %s"
              .formatted(
                  e.getLocation().getLineNr(),
                  e.getLocation().getColumnNr(),
                  e.getOriginalMessage().replaceFirst("\\s*\\(start marker at .*$", "")));
    } catch (IOException e) {
      throw new PushRejectedException(400, "the body could not be read: " + e.getMessage());
    }
    if (problems.total > 0) {
      throw new PushRejectedException(problems.first, problems.total, 400);
    }
    if (rows.isEmpty()) {
      throw new PushRejectedException(400, "the push holds no rows");
    }
    return rows;
  }

  /** What is wrong with the batch so far. */
  private static final class Problems {
    final List<PushRejectedException.Problem> first = new ArrayList<>();
    int total;
    int badRows;

    void add(int row, String field, int line, String message) {
      total++;
      if (first.size() < MAX_PROBLEMS) {
        first.add(new PushRejectedException.Problem(row, field, line, message));
      }
    }
  }

  /** One row object, or null when it does not fit (its problems added). */
  private Object[] row(JsonParser parser, JsonToken token, int index, int line, Problems problems)
      throws IOException {
    if (token != JsonToken.START_OBJECT) {
      parser.skipChildren();
      problems.badRows++;
      problems.add(index, "", line, "is not a JSON object of column values");
      return null;
    }
    Object[] values = new Object[names.size()];
    boolean[] seen = new boolean[names.size()];
    boolean[] failed = new boolean[names.size()];
    boolean bad = false;
    for (JsonToken field = parser.nextToken();
        field == JsonToken.FIELD_NAME;
        field = parser.nextToken()) {
      String name = parser.currentName();
      parser.nextToken();
      int column = names.indexOf(name);
      if (column < 0) {
        parser.skipChildren();
        bad = true;
        problems.add(
            index,
            name,
            line,
            "unknown column %s: view %s has %s%s"
                .formatted(
                    name,
                    view.name(),
                    String.join(", ", names),
                    Suggestions.didYouMean(name, names)));
        continue;
      }
      if (seen[column]) {
        parser.skipChildren();
        bad = true;
        problems.add(index, name, line, "is given twice");
        continue;
      }
      seen[column] = true;
      if (parser.currentToken() == JsonToken.VALUE_NULL) {
        continue;
      }
      try {
        values[column] = readers.get(column).read(parser);
      } catch (Bad e) {
        parser.skipChildren();
        bad = true;
        failed[column] = true;
        problems.add(index, name, line, e.getMessage());
      }
    }
    for (int column = 0; column < names.size(); column++) {
      if (required[column] && values[column] == null && !failed[column]) {
        bad = true;
        String name = names.get(column);
        String what =
            name.equals(view.eventTime())
                ? "it is the event time of view %s and every row needs it"
                : view.keys().contains(name)
                    ? "it is a key of view %s and every row needs it"
                    : "view %s declares it NOT NULL";
        problems.add(
            index,
            name,
            line,
            (seen[column] ? "is null" : "is missing") + ": " + what.formatted(view.name()));
      }
    }
    if (bad) {
      problems.badRows++;
      return null;
    }
    return values;
  }

  private static String where(JsonParser parser) {
    return "line %d, column %d"
        .formatted(
            parser.currentTokenLocation().getLineNr(), parser.currentTokenLocation().getColumnNr());
  }

  private static Reader reader(Column column) {
    String type = column.type();
    Matcher sized = SIZED.matcher(type);
    Matcher decimal = DECIMAL.matcher(type);
    Matcher timestamp = TIMESTAMP.matcher(type);
    if (sized.matches()) {
      return text(type, Integer.parseInt(sized.group(2)));
    }
    if (decimal.matches()) {
      return decimal(type, Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
    }
    if (timestamp.matches()) {
      return timestamp(type, Integer.parseInt(timestamp.group(1)));
    }
    return switch (type) {
      case "bigint" -> integer(type, Long.MIN_VALUE, Long.MAX_VALUE, v -> v);
      case "integer" -> integer(type, Integer.MIN_VALUE, Integer.MAX_VALUE, v -> (int) v);
      case "smallint" -> integer(type, Short.MIN_VALUE, Short.MAX_VALUE, v -> (short) v);
      case "tinyint" -> integer(type, Byte.MIN_VALUE, Byte.MAX_VALUE, v -> (byte) v);
      case "double" -> floating(type, false);
      case "real" -> floating(type, true);
      case "boolean" ->
          parser -> {
            return switch (parser.currentToken()) {
              case VALUE_TRUE -> true;
              case VALUE_FALSE -> false;
              default -> throw expected(parser, "boolean (true or false)");
            };
          };
      case "varchar" -> text(type, Integer.MAX_VALUE);
      case "date" ->
          parser -> {
            String text = string(parser, "date (a string like \"2026-12-04\")");
            try {
              return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
              throw new Bad(
                  "expected date (a string like \"2026-12-04\"), got \"%s\"".formatted(text));
            }
          };
      default ->
          throw new IllegalArgumentException(
              "column %s has type %s, which push views do not take".formatted(column.name(), type));
    };
  }

  @FunctionalInterface
  private interface Narrow {
    Object apply(long value);
  }

  private static Reader integer(String type, long min, long max, Narrow narrow) {
    return parser -> {
      if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
        throw expected(parser, type + " (a JSON integer)");
      }
      if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw new Bad("%s is out of range for %s".formatted(parser.getText(), type));
      }
      long value = parser.getLongValue();
      if (value < min || value > max) {
        throw new Bad("%d is out of range for %s (%d to %d)".formatted(value, type, min, max));
      }
      return narrow.apply(value);
    };
  }

  private static Reader floating(String type, boolean real) {
    return parser -> {
      double value;
      switch (parser.currentToken()) {
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = parser.getDoubleValue();
        case VALUE_STRING -> {
          value =
              switch (parser.getText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default ->
                    throw new Bad(
                        "expected %s (a JSON number, or \"NaN\", \"Infinity\", \"-Infinity\"), got \"%s\""
                            .formatted(type, parser.getText()));
              };
        }
        default -> throw expected(parser, type + " (a JSON number)");
      }
      if (real) {
        float narrowed = (float) value;
        if (Float.isInfinite(narrowed) && !Double.isInfinite(value)) {
          throw new Bad("%s is out of range for real".formatted(parser.getText()));
        }
        return narrowed;
      }
      return value;
    };
  }

  private static Reader decimal(String type, int precision, int scale) {
    return parser -> {
      BigDecimal value;
      switch (parser.currentToken()) {
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = parser.getDecimalValue();
        case VALUE_STRING -> {
          try {
            value = new BigDecimal(parser.getText());
          } catch (NumberFormatException e) {
            throw new Bad(
                "expected %s (a JSON number, or a decimal in a string), got \"%s\""
                    .formatted(type, parser.getText()));
          }
        }
        default -> throw expected(parser, type + " (a JSON number)");
      }
      try {
        value = value.setScale(scale, RoundingMode.UNNECESSARY);
      } catch (ArithmeticException e) {
        throw new Bad(
            "%s has more than %d digits after the point, which %s holds"
                .formatted(value.toPlainString(), scale, type));
      }
      if (value.precision() > precision) {
        throw new Bad(
            "%s has more than %d digits, which %s holds"
                .formatted(value.toPlainString(), precision, type));
      }
      return value;
    };
  }

  private static Reader text(String type, int length) {
    return parser -> {
      String value = string(parser, type + " (a JSON string)");
      if (length != Integer.MAX_VALUE && value.codePointCount(0, value.length()) > length) {
        throw new Bad(
            "is %d characters long; %s holds %d"
                .formatted(value.codePointCount(0, value.length()), type, length));
      }
      return value;
    };
  }

  private static Reader timestamp(String type, int precision) {
    String expected =
        "%s (a string like \"2026-12-04T10:15:30.123456\", in UTC, or with Z or an offset)"
            .formatted(type);
    return parser -> {
      String text = string(parser, expected);
      LocalDateTime value;
      try {
        value = parseTimestamp(text);
      } catch (DateTimeParseException e) {
        throw new Bad("expected %s, got \"%s\"".formatted(expected, text));
      }
      int nanos = value.get(java.time.temporal.ChronoField.NANO_OF_SECOND);
      int keep = (int) Math.pow(10, 9 - Math.min(precision, 9));
      if (nanos % keep != 0) {
        throw new Bad(
            "\"%s\" has more fractional digits than %s holds (%d)"
                .formatted(text, type, precision));
      }
      return value;
    };
  }

  /**
   * A timestamp in ISO form, with {@code T} or a space; with Z or an offset it is turned to UTC.
   */
  static LocalDateTime parseTimestamp(String text) {
    String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.replaceFirst(" ", "T") : text;
    char last = iso.charAt(iso.length() - 1);
    boolean offset =
        last == 'Z' || last == 'z' || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10;
    if (offset) {
      return OffsetDateTime.parse(iso.toUpperCase(Locale.ROOT))
          .withOffsetSameInstant(ZoneOffset.UTC)
          .toLocalDateTime();
    }
    return LocalDateTime.parse(iso);
  }

  private static String string(JsonParser parser, String expected) throws IOException, Bad {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw expected(parser, expected);
    }
    return parser.getText();
  }

  private static Bad expected(JsonParser parser, String expected) throws IOException {
    JsonToken token = parser.currentToken();
    String got =
        switch (token) {
          case START_OBJECT -> "an object";
          case START_ARRAY -> "an array";
          case VALUE_STRING -> "the string \"" + parser.getText() + "\"";
          case VALUE_TRUE, VALUE_FALSE -> token == JsonToken.VALUE_TRUE ? "true" : "false";
          default -> parser.getText();
        };
    return new Bad("expected %s, got %s".formatted(expected, got));
  }
}
