package io.asof.export;

import io.asof.model.Column;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Reads the JDBC-typed values both writers take. A value of the wrong class throws {@link
 * ClassCastException} and one that does not fit throws {@link ArithmeticException}; the writers
 * turn either into an {@link IllegalArgumentException} naming the column via {@link #badValue}.
 */
final class Values {
  private Values() {}

  /** A value of an integer column: Trino's JDBC driver gives Long, Integer, Short or Byte. */
  static long integral(Object value) {
    return switch (value) {
      case Long l -> l;
      case Integer i -> i;
      case Short s -> s;
      case Byte b -> b;
      default ->
          throw new ClassCastException(
              value.getClass().getName() + " is not a Long, Integer, Short or Byte");
    };
  }

  /** A decimal at the column's scale, refusing values that would need rounding or overflow. */
  static BigDecimal decimal(Object value, ExportType.Decimal type) {
    BigDecimal decimal = ((BigDecimal) value).setScale(type.scale(), RoundingMode.UNNECESSARY);
    if (decimal.precision() > type.precision()) {
      throw new ArithmeticException(
          "%s has more than %d digits".formatted(decimal.toPlainString(), type.precision()));
    }
    return decimal;
  }

  /**
   * A {@code timestamp(p)}: the wall-clock time the driver's {@link Timestamp} stands for, or a
   * {@link LocalDateTime} as it is.
   */
  static LocalDateTime localTimestamp(Object value) {
    return value instanceof LocalDateTime local ? local : ((Timestamp) value).toLocalDateTime();
  }

  /** A {@code timestamp(p) with time zone}: the instant the driver's {@link Timestamp} holds. */
  static Instant instant(Object value) {
    return ((Timestamp) value).toInstant();
  }

  /** A {@code date}: the day the driver's {@link Date} stands for, or a {@link LocalDate}. */
  static LocalDate date(Object value) {
    return value instanceof LocalDate day ? day : ((Date) value).toLocalDate();
  }

  /** The error for a value its column cannot hold. */
  static IllegalArgumentException badValue(Column column, Object value, RuntimeException cause) {
    return new IllegalArgumentException(
        "Column '%s' (%s) cannot hold %s %s: %s"
            .formatted(
                column.name(),
                column.type(),
                value.getClass().getSimpleName(),
                value,
                cause.getMessage()),
        cause);
  }
}
