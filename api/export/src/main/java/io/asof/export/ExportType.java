package io.asof.export;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column's Trino type name, parsed into what the writers need. Only the types an export supports
 * parse, so both formats accept the same columns and refuse the rest up front, before any file is
 * created.
 */
sealed interface ExportType {
  /** Trino's precision for a bare {@code timestamp}. */
  int DEFAULT_TIMESTAMP_PRECISION = 3;

  Pattern DECIMAL = Pattern.compile("decimal(?:\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\))?");
  Pattern TIMESTAMP = Pattern.compile("timestamp(?:\\(\\s*(\\d+)\\s*\\))?( with time zone)?");
  Pattern CHARACTER = Pattern.compile("(?:var)?char(?:\\(\\s*\\d+\\s*\\))?");

  /** A type without parameters that matter to an export. */
  enum Simple implements ExportType {
    BIGINT,
    INTEGER,
    SMALLINT,
    TINYINT,
    DOUBLE,
    REAL,
    BOOLEAN,
    /** {@code varchar}, {@code varchar(n)} and {@code char(n)}. */
    VARCHAR,
    DATE,
    VARBINARY
  }

  /** {@code decimal(precision, scale)}. */
  record Decimal(int precision, int scale) implements ExportType {}

  /** {@code timestamp(precision)}, with or without time zone. */
  record Timestamp(int precision, boolean withTimeZone) implements ExportType {}

  /** {@code array(element)}. */
  record Array(ExportType element) implements ExportType {}

  /**
   * The column's type.
   *
   * @throws IllegalArgumentException naming the column and its type if an export does not support
   *     it
   */
  static ExportType of(Column column) {
    requireNonNull(column, "column is null");
    return parse(column.type().strip().toLowerCase(Locale.ROOT))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Column '%s' has type %s, which cannot be exported; cast it to bigint, integer,"
                            .formatted(column.name(), column.type())
                        + " smallint, tinyint, double, real, boolean, varchar, char, decimal,"
                        + " timestamp, date, varbinary or an array of these"));
  }

  private static Optional<ExportType> parse(String name) {
    if (name.startsWith("array(") && name.endsWith(")")) {
      return parse(name.substring("array(".length(), name.length() - 1).strip()).map(Array::new);
    }
    Matcher decimal = DECIMAL.matcher(name);
    if (decimal.matches()) {
      return Optional.of(
          decimal.group(1) == null
              ? new Decimal(38, 0)
              : new Decimal(
                  Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2))));
    }
    Matcher timestamp = TIMESTAMP.matcher(name);
    if (timestamp.matches()) {
      int precision =
          timestamp.group(1) == null
              ? DEFAULT_TIMESTAMP_PRECISION
              : Integer.parseInt(timestamp.group(1));
      return Optional.of(new Timestamp(precision, timestamp.group(2) != null));
    }
    if (CHARACTER.matcher(name).matches()) {
      return Optional.of(Simple.VARCHAR);
    }
    return switch (name) {
      case "bigint" -> Optional.of(Simple.BIGINT);
      case "integer" -> Optional.of(Simple.INTEGER);
      case "smallint" -> Optional.of(Simple.SMALLINT);
      case "tinyint" -> Optional.of(Simple.TINYINT);
      case "double" -> Optional.of(Simple.DOUBLE);
      case "real" -> Optional.of(Simple.REAL);
      case "boolean" -> Optional.of(Simple.BOOLEAN);
      case "date" -> Optional.of(Simple.DATE);
      case "varbinary" -> Optional.of(Simple.VARBINARY);
      default -> Optional.empty();
    };
  }
}
