package io.asof.engine.athena;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Athena's result values (every one a string) as the Java values Trino's JDBC driver gives for the
 * same type, so that code reading results does not care which engine ran the query.
 */
final class AthenaValues {
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .toFormatter(Locale.ROOT);
  private static final DateTimeFormatter TIMESTAMP_ZONE =
      new DateTimeFormatterBuilder()
          .append(TIMESTAMP)
          .appendLiteral(' ')
          .appendZoneId()
          .toFormatter(Locale.ROOT);

  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DECIMAL =
      Pattern.compile("-?(\\d+\\.\\d*([eE][-+]?\\d+)?|\\d+[eE][-+]?\\d+|NaN|Infinity)");

  private AthenaValues() {}

  /** Trino's spelling of a result column's type from Athena's name, precision and scale. */
  static String typeName(String athenaType, Integer precision, Integer scale) {
    String type = athenaType.toLowerCase(Locale.ROOT);
    return switch (type) {
      case "decimal" ->
          "decimal(%d,%d)".formatted(precision == null ? 38 : precision, scale == null ? 0 : scale);
      case "timestamp", "timestamp with time zone" -> {
        int p = precision == null || precision < 0 || precision > 12 ? 3 : precision;
        yield type.equals("timestamp")
            ? "timestamp(" + p + ")"
            : "timestamp(" + p + ") with time zone";
      }
      case "char" -> precision == null ? "char" : "char(" + precision + ")";
      case "int" -> "integer";
      case "float" -> "real";
      case "string" -> "varchar";
      default -> type;
    };
  }

  /** The value of one cell, {@code null} when Athena sent none. */
  static Object value(String text, String type) {
    if (text == null) {
      return null;
    }
    String base = type.replaceFirst("\\(.*", "");
    if (type.startsWith("timestamp(") && type.endsWith("with time zone")) {
      base = "timestamp with time zone";
    }
    return switch (base) {
      case "boolean" -> Boolean.parseBoolean(text);
      case "tinyint" -> Byte.parseByte(text);
      case "smallint" -> Short.parseShort(text);
      case "integer" -> Integer.parseInt(text);
      case "bigint" -> Long.parseLong(text);
      case "real" -> Float.parseFloat(text);
      case "double" -> Double.parseDouble(text);
      case "decimal" -> new BigDecimal(text);
      case "date" -> Date.valueOf(LocalDate.parse(text));
      case "timestamp" -> Timestamp.valueOf(LocalDateTime.parse(text, TIMESTAMP));
      case "timestamp with time zone" ->
          Timestamp.from(ZonedDateTime.parse(text, TIMESTAMP_ZONE).toInstant());
      case "varbinary" -> HexFormat.of().parseHex(text.replace(" ", ""));
      case "array" -> array(text);
      case "map" -> map(text);
      default -> text;
    };
  }

  /**
   * An array as Athena prints it ({@code [a, b]}). Athena's results do not say the element type, so
   * elements are read from their text: when every element reads as a number they are numbers
   * ({@code Long} or {@code Double}), else strings.
   */
  private static List<Object> array(String text) {
    String inner = text.strip();
    if (inner.startsWith("[") && inner.endsWith("]")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    List<String> elements = new ArrayList<>();
    if (!inner.isBlank()) {
      elements.addAll(Arrays.asList(inner.split(", ", -1)));
    }
    return Collections.unmodifiableList(typed(elements));
  }

  /**
   * A map as Athena prints it ({@code {a=1, b=2}}); keys are strings, values read like array
   * elements. A key or value holding {@code ", "} or {@code "="} cannot be told apart in this text.
   */
  private static Map<String, Object> map(String text) {
    String inner = text.strip();
    if (inner.startsWith("{") && inner.endsWith("}")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    List<String> keys = new ArrayList<>();
    List<String> values = new ArrayList<>();
    if (!inner.isBlank()) {
      for (String entry : inner.split(", ", -1)) {
        int equals = entry.indexOf('=');
        keys.add(equals < 0 ? entry : entry.substring(0, equals));
        values.add(equals < 0 ? null : entry.substring(equals + 1));
      }
    }
    List<Object> typedValues = typed(values);
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      map.put(keys.get(i), typedValues.get(i));
    }
    return Collections.unmodifiableMap(map);
  }

  private static List<Object> typed(List<String> texts) {
    boolean numbers =
        !texts.isEmpty()
            && texts.stream()
                .allMatch(
                    t ->
                        t == null
                            || t.equals("null")
                            || INTEGER.matcher(t).matches()
                            || DECIMAL.matcher(t).matches());
    boolean integral =
        texts.stream().allMatch(t -> t == null || t.equals("null") || INTEGER.matcher(t).matches());
    List<Object> values = new ArrayList<>(texts.size());
    for (String t : texts) {
      if (t == null || t.equals("null")) {
        values.add(null);
      } else if (!numbers) {
        values.add(t);
      } else {
        values.add(integral ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t));
      }
    }
    return values;
  }
}
