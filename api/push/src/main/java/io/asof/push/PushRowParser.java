package io.asof.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.ContentReference;
import io.asof.model.Column;
import io.asof.model.Suggestions;
import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.DataType;
import io.trino.sql.tree.DataTypeParameter;
import io.trino.sql.tree.DateTimeDataType;
import io.trino.sql.tree.GenericDataType;
import io.trino.sql.tree.NumericParameter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
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
      try {
        read(parser, format, maxRows, rows, problems);
      } catch (JsonProcessingException e) {
        throw new PushRejectedException(
            400, syntaxError(e, parser, format, rows.size() + problems.badRows));
      }
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

  private void read(
      JsonParser parser, Format format, int maxRows, List<Object[]> rows, Problems problems)
      throws IOException {
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
            413, "more than %,d rows in one push: send them in several pushes".formatted(maxRows));
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
  }

  private static final Pattern UNEXPECTED_CHARACTER =
      Pattern.compile("Unexpected character \\('(.+?)' \\(code (\\d+)\\)\\)");
  private static final Pattern TOKEN = Pattern.compile("token '(.*?)'");
  private static final Pattern CLOSE_MARKER =
      Pattern.compile("Unexpected close marker '(.)': expected '(.)'");
  private static final Pattern CONTROL = Pattern.compile("CTRL-CHAR, code (\\d+)");
  private static final Pattern ESCAPE = Pattern.compile("escape '(.+?)'");

  /**
   * What is wrong with a body that is not JSON, and where, in this project's words (the JSON
   * parser's own messages name its classes and settings): line and column, the row it is in, what
   * was expected there and what came.
   */
  private static String syntaxError(
      JsonProcessingException e, JsonParser parser, Format format, int row) {
    JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
    String message = String.valueOf(e.getOriginalMessage());
    JsonStreamContext context = parser.getParsingContext();
    String within =
        context == null || context.inRoot()
            ? ""
            : " (%s %s opened at line %d, column %d)"
                .formatted(
                    context.inObject() ? "the object" : "the array",
                    context.inObject() ? "{" : "[",
                    context.startLocation(ContentReference.unknown()).getLineNr(),
                    context.startLocation(ContentReference.unknown()).getColumnNr());
    Matcher character = UNEXPECTED_CHARACTER.matcher(message);
    String got =
        character.find() ? describe(character.group(1), Integer.parseInt(character.group(2))) : "";
    Matcher close = CLOSE_MARKER.matcher(message);
    Matcher token = TOKEN.matcher(message);
    String what;
    // an unclosed or wrongly closed object or array: say where it was opened
    boolean placeOpening = false;
    if (e instanceof StreamConstraintsException) {
      what =
          message.startsWith("Number value length")
              ? "a number of more than %,d characters: send a shorter one"
                  .formatted(JSON.streamReadConstraints().getMaxNumberLength())
              : message.startsWith("Document nesting depth")
                  ? "objects and arrays nested more than %d deep: a row is one object of column values"
                      .formatted(JSON.streamReadConstraints().getMaxNestingDepth())
                  : message.startsWith("String value length")
                      ? "a string longer than %,d characters"
                          .formatted(JSON.streamReadConstraints().getMaxStringLength())
                      : message.startsWith("Name length")
                          ? "a column name longer than %,d characters"
                              .formatted(JSON.streamReadConstraints().getMaxNameLength())
                          : "a value larger than this server reads";
    } else if (message.contains("double-quote to start field name")) {
      what = "expected a column name in double quotes, got " + got;
    } else if (message.contains("colon to separate field name and value")) {
      what = "expected : after the column name, got " + got;
    } else if (message.contains("comma to separate Object entries")) {
      what = "expected , or } after a column's value, got " + got;
    } else if (message.contains("comma to separate Array entries")) {
      what = "expected , or ] after a value in an array, got " + got;
    } else if (message.startsWith("Unrecognized token")
        || message.startsWith("Non-standard token")) {
      what =
          "expected a value (a string in double quotes, a number, true, false or null), got %s%s"
              .formatted(
                  token.find() ? PushRejectedException.echo(token.group(1)) : "something else",
                  message.startsWith("Non-standard")
                      ? " (for a double or real column write \"NaN\", \"Infinity\" or \"-Infinity\")"
                      : "");
    } else if (message.contains("expected a value") || message.contains("expected a valid value")) {
      what =
          "expected a value (a string in double quotes, a number, true, false or null), got " + got;
    } else if (close.find()) {
      what = "got %s where %s was expected".formatted(close.group(1), close.group(2));
      placeOpening = true;
    } else if (message.startsWith("Unexpected close marker")) {
      what = "a %s that closes nothing".formatted(message.charAt(25));
    } else if (message.contains("in VALUE_STRING") || message.contains("closing quote")) {
      what = "the body ends inside a string: its closing \" is missing";
    } else if (message.startsWith("Unexpected end-of-input")) {
      placeOpening = true;
      what =
          context != null && context.inArray()
              ? "the body ends before the ] that closes the array"
              : "the body ends before the } that closes the object";
    } else if (message.startsWith("Illegal unquoted character")) {
      Matcher control = CONTROL.matcher(message);
      what =
          "a control character%s inside a string: write it escaped (\\n, \\t, \\u0000)"
              .formatted(control.find() ? " (code " + control.group(1) + ")" : "");
    } else if (message.contains("Leading zeroes")) {
      what = "a number with a leading zero: write 7, not 07";
    } else if (message.contains("numeric value")) {
      what =
          "not a JSON number: write numbers like 12, -3.5 or 1.2e3"
              + (got.isEmpty() ? "" : ", got " + got);
    } else if (message.startsWith("Invalid UTF-8") || message.contains("UTF-8")) {
      what = "bytes that are not UTF-8: send the body in UTF-8";
    } else if (message.startsWith("Unrecognized character escape")) {
      Matcher escape = ESCAPE.matcher(message);
      what =
          "an unknown escape %sin a string: JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"
              .formatted(escape.find() ? "\\" + escape.group(1) + " " : "");
    } else {
      what = got.isEmpty() ? "this is not JSON" : "unexpected " + got;
    }
    int depth = 0;
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      depth++;
    }
    boolean inRow = depth > (format == Format.JSON_ARRAY ? 1 : 0);
    return "the body is not valid JSON at line %d, column %d%s: %s%s"
        .formatted(
            at.getLineNr(),
            at.getColumnNr(),
            inRow ? ", in row " + row : "",
            what,
            placeOpening ? within : "");
  }

  /** A character as a message shows it: in quotes, or by its code when it does not print. */
  private static String describe(String character, int code) {
    return code < 0x20 || code == 0x7f
        ? "the control character of code %d".formatted(code)
        : "'%s'".formatted(character);
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
        String echoed = PushRejectedException.echo(name);
        problems.add(
            index,
            echoed,
            line,
            "unknown column %s: view %s has %s%s"
                .formatted(
                    echoed,
                    view.name(),
                    String.join(", ", names),
                    // a name no column is near in length is no typo, and comparing costs
                    name.length() > PushRejectedException.ECHO_CHARACTERS
                        ? ""
                        : Suggestions.didYouMean(name, names)));
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
      String problem;
      try {
        values[column] = readers.get(column).read(parser);
        continue;
      } catch (Bad e) {
        problem = e.getMessage();
      } catch (RuntimeException e) {
        // a reader's bug must not become a 500: the value is still this row's and field's problem
        problem = "expected %s, got %s".formatted(view.columns().get(column).type(), got(parser));
      }
      parser.skipChildren();
      bad = true;
      failed[column] = true;
      problems.add(index, name, line, problem);
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

  /** Reads the column's type, in Trino's spelling, with Trino's own parser. */
  private static Reader reader(Column column) {
    String type = column.type();
    DataType parsed;
    try {
      parsed = new SqlParser().createType(type);
    } catch (ParsingException e) {
      throw notTaken(column, e);
    }
    if (parsed instanceof DateTimeDataType time
        && time.getType() == DateTimeDataType.Type.TIMESTAMP
        && !time.isWithTimeZone()) {
      // as in Trino, a timestamp without precision has milliseconds
      return timestamp(type, time.getPrecision().map(p -> number(column, p)).orElse(3));
    }
    if (!(parsed instanceof GenericDataType generic)) {
      throw notTaken(column, null);
    }
    String base = generic.getName().getValue().toLowerCase(Locale.ROOT);
    List<Integer> parameters = generic.getArguments().stream().map(p -> number(column, p)).toList();
    if (!parameters.isEmpty()) {
      return switch (base) {
        case "varchar", "char" -> text(type, parameters.getFirst());
        case "decimal" ->
            decimal(type, parameters.getFirst(), parameters.size() > 1 ? parameters.get(1) : 0);
        default -> throw notTaken(column, null);
      };
    }
    return switch (base) {
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
            LocalDate value;
            try {
              value = LocalDate.parse(text);
            } catch (DateTimeException e) {
              throw new Bad(
                  "expected date (a string like \"2026-12-04\"), got %s".formatted(quoted(text)));
            }
            checkYear(value.getYear(), text, type);
            return value;
          };
      default -> throw notTaken(column, null);
    };
  }

  private static int number(Column column, DataTypeParameter parameter) {
    if (parameter instanceof NumericParameter number) {
      return Integer.parseInt(number.getValue());
    }
    throw notTaken(column, null);
  }

  private static IllegalArgumentException notTaken(Column column, ParsingException cause) {
    return new IllegalArgumentException(
        "column %s has type %s, which push views do not take"
            .formatted(column.name(), column.type()),
        cause);
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
        throw new Bad(
            "%s is out of range for %s (%d to %d)"
                .formatted(PushRejectedException.echo(parser.getText()), type, min, max));
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
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          value = parser.getDoubleValue();
          // 1e400 is no infinity: the number is too large, not a value of its own
          if (Double.isInfinite(value)) {
            throw new Bad(
                "%s is out of range for %s"
                    .formatted(PushRejectedException.echo(parser.getText()), type));
          }
        }
        case VALUE_STRING -> {
          value =
              switch (parser.getText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default ->
                    throw new Bad(
                        "expected %s (a JSON number, or \"NaN\", \"Infinity\", \"-Infinity\"), got %s"
                            .formatted(type, quoted(parser.getText())));
              };
        }
        default -> throw expected(parser, type + " (a JSON number)");
      }
      if (real) {
        float narrowed = (float) value;
        if (Float.isInfinite(narrowed) && !Double.isInfinite(value)) {
          throw new Bad(
              "%s is out of range for real"
                  .formatted(PushRejectedException.echo(parser.getText())));
        }
        return narrowed;
      }
      return value;
    };
  }

  /** The longest decimal text read: as long as the longest JSON number the body may hold. */
  private static final int MAX_DECIMAL_CHARACTERS =
      JSON.streamReadConstraints().getMaxNumberLength();

  private static Reader decimal(String type, int precision, int scale) {
    return parser -> {
      String text = parser.getText();
      BigDecimal value;
      switch (parser.currentToken()) {
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> value = parser.getDecimalValue();
        case VALUE_STRING -> {
          if (text.length() > MAX_DECIMAL_CHARACTERS) {
            throw new Bad(
                "%s is %,d characters long, too long for %s"
                    .formatted(quoted(text), text.length(), type));
          }
          try {
            value = new BigDecimal(text);
          } catch (NumberFormatException e) {
            throw new Bad(
                "expected %s (a JSON number, or a decimal in a string), got %s"
                    .formatted(type, quoted(text)));
          }
        }
        default -> throw expected(parser, type + " (a JSON number)");
      }
      return fit(value, text, type, precision, scale);
    };
  }

  /**
   * The value with the column's scale, when it has no more than {@code scale} digits after the
   * point and {@code precision - scale} before it. Checked on the digits and the exponent first:
   * rescaling a value like 1e200000000, or writing it out, would build a number of that many
   * digits.
   */
  static BigDecimal fit(BigDecimal value, String text, String type, int precision, int scale)
      throws Bad {
    if (value.signum() == 0) {
      return BigDecimal.ZERO.setScale(scale);
    }
    // value = unscaled * 10^-valueScale, the unscaled part has `digits` digits, the last nonzero
    long digits = value.precision();
    long valueScale = value.scale();
    if (digits - valueScale > precision - scale) {
      throw new Bad(
          "%s has more than %d digits before the point, which %s holds"
              .formatted(PushRejectedException.echo(text), precision - scale, type));
    }
    // a nonzero unscaled part ends in at most digits - 1 zeros: digits after the scale's beyond
    // that are not zeros, and below it the rescaling costs no more than the text's length
    if (valueScale - scale > digits - 1) {
      throw new Bad(
          "%s has more than %d digits after the point, which %s holds"
              .formatted(PushRejectedException.echo(text), scale, type));
    }
    try {
      return value.setScale(scale, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new Bad(
          "%s has more than %d digits after the point, which %s holds"
              .formatted(PushRejectedException.echo(text), scale, type));
    }
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
      } catch (DateTimeException e) {
        throw new Bad("expected %s, got %s".formatted(expected, quoted(text)));
      }
      checkYear(value.getYear(), text, type);
      int nanos = value.get(java.time.temporal.ChronoField.NANO_OF_SECOND);
      int keep = (int) Math.pow(10, 9 - Math.min(precision, 9));
      if (nanos % keep != 0) {
        throw new Bad(
            "%s has more fractional digits than %s holds (%d)"
                .formatted(quoted(text), type, precision));
      }
      return value;
    };
  }

  /**
   * Years 1 to 9999 only: the table stores days and microseconds since 1970, and a year of nine
   * digits would be taken here and then fail every commit of the view.
   */
  private static void checkYear(int year, String text, String type) throws Bad {
    if (year < 1 || year > 9999) {
      throw new Bad(
          "%s is out of range for %s: the year must be from 0001 to 9999"
              .formatted(quoted(text), type));
    }
  }

  /**
   * A timestamp in ISO form, with {@code T} or a space; with Z or an offset it is turned to UTC.
   */
  static LocalDateTime parseTimestamp(String text) {
    if (text.isEmpty()) {
      throw new DateTimeParseException("an empty string is no timestamp", text, 0);
    }
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
    return new Bad("expected %s, got %s".formatted(expected, got(parser)));
  }

  /** What the parser's current token is, as a message names it (long texts cut short). */
  private static String got(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "the string " + quoted(parser.getText());
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      default -> PushRejectedException.echo(parser.getText());
    };
  }

  /** A pushed text in double quotes as a message echoes it, cut short when long. */
  private static String quoted(String text) {
    return "\"" + PushRejectedException.echo(text) + "\"";
  }
}
