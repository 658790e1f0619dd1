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
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

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
      default -> text;
    };
  }

  /**
   * An array as Athena prints it ({@code [a, b]}), as a list of its elements' text: Athena's
   * results do not say the element type.
   */
  private static List<Object> array(String text) {
    String inner = text.strip();
    if (inner.startsWith("[") && inner.endsWith("]")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    List<Object> elements = new ArrayList<>();
    if (!inner.isBlank()) {
      for (String element : inner.split(", ", -1)) {
        elements.add(element.equals("null") ? null : element);
      }
    }
    return Collections.unmodifiableList(elements);
  }
}
