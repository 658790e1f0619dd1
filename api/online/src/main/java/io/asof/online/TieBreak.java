package io.asof.online;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The order offline point-in-time joins break ties on (key, event time) by (DESIGN §4, {@code
 * PointInTimeSql}): the greatest created time wins (NULL lowest), then the greatest feature values
 * in the view's column order (NULL lowest), as Trino orders them. Written as bytes whose unsigned
 * lexicographic order is that order, so that DynamoDB can compare them in a write's condition and
 * every writer (loads, pushes, the cache) picks the row offline picks.
 *
 * <p>Each value is a marker byte (0 for NULL, 1 otherwise) then, for a value, bytes that sort as
 * the value: integers and times as sign-flipped big-endian longs; doubles and reals by their IEEE
 * bits made sortable (-0.0 equal to 0.0, NaN above every number, as Trino orders them); decimals by
 * sign, exponent and digits; text as UTF-8 (Trino compares bytes) with 0 escaped and a 0 0 end; a
 * boolean as 0 or 1.
 */
final class TieBreak {
  private TieBreak() {}

  /** The tie-break bytes of a record with this created time and these feature values. */
  static byte[] of(Optional<Instant> createdTime, List<Object> values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 12 * values.size());
    if (createdTime.isEmpty()) {
      out.write(0);
    } else {
      out.write(1);
      writeInstant(out, createdTime.get());
    }
    for (Object value : values) {
      write(out, value);
    }
    return out.toByteArray();
  }

  /**
   * Which of two records of one key offline takes: the later event time, then the greater
   * tie-break; of equal ones {@code candidate}, as a write of an equal row goes through.
   */
  static OnlineRecord newer(OnlineRecord kept, OnlineRecord candidate) {
    int byTime = candidate.eventTime().compareTo(kept.eventTime());
    if (byTime != 0) {
      return byTime > 0 ? candidate : kept;
    }
    return Arrays.compareUnsigned(candidate.tieBreak(), kept.tieBreak()) >= 0 ? candidate : kept;
  }

  /** Which record a write in {@code mode} leaves: {@code candidate} is the one written. */
  static OnlineRecord kept(WriteMode mode, OnlineRecord kept, OnlineRecord candidate) {
    return switch (mode) {
      case CONDITIONAL -> newer(kept, candidate);
      case RECOMPUTED, INITIAL_LOAD ->
          candidate.eventTime().isBefore(kept.eventTime()) ? kept : candidate;
    };
  }

  private static void write(ByteArrayOutputStream out, Object value) {
    if (value == null) {
      out.write(0);
      return;
    }
    out.write(1);
    switch (value) {
      case Boolean b -> out.write(b ? 1 : 0);
      case Long l -> writeLong(out, l);
      case Integer i -> writeLong(out, i);
      case Short s -> writeLong(out, s);
      case Byte b -> writeLong(out, b);
      case Double d -> writeDouble(out, d);
      case Float f -> writeDouble(out, f.doubleValue());
      case BigDecimal d -> writeDecimal(out, d);
      case String s -> writeText(out, s);
      case LocalDate d -> writeLong(out, d.toEpochDay());
      case LocalDateTime t -> writeInstant(out, t.toInstant(ZoneOffset.UTC));
      default ->
          throw new IllegalArgumentException(
              "a feature value of type %s cannot break a tie online"
                  .formatted(value.getClass().getSimpleName()));
    }
  }

  private static void writeInstant(ByteArrayOutputStream out, Instant instant) {
    writeLong(out, instant.getEpochSecond());
    writeInt(out, instant.getNano());
  }

  private static void writeLong(ByteArrayOutputStream out, long value) {
    long flipped = value ^ Long.MIN_VALUE;
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (flipped >>> shift) & 0xff);
    }
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    int flipped = value ^ Integer.MIN_VALUE;
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write((flipped >>> shift) & 0xff);
    }
  }

  private static void writeDouble(ByteArrayOutputStream out, double value) {
    // Trino: -0.0 equals 0.0, and NaN sorts above every number (doubleToLongBits makes it one NaN)
    long bits = Double.doubleToLongBits(value == 0.0 ? 0.0 : value);
    long sortable = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (sortable >>> shift) & 0xff);
    }
  }

  /**
   * Sign (0 negative, 1 zero, 2 positive), then for a non-zero value its decimal exponent and its
   * digits without trailing zeros, ended by a 0; for a negative one those bytes inverted, so that a
   * greater magnitude sorts lower.
   */
  private static void writeDecimal(ByteArrayOutputStream out, BigDecimal value) {
    int sign = value.signum();
    out.write(sign + 1);
    if (sign == 0) {
      return;
    }
    BigDecimal magnitude = value.abs().stripTrailingZeros();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeInt(body, magnitude.precision() - magnitude.scale());
    for (char digit : magnitude.unscaledValue().toString().toCharArray()) {
      body.write(digit);
    }
    body.write(0);
    for (byte b : body.toByteArray()) {
      out.write(sign < 0 ? ~b & 0xff : b & 0xff);
    }
  }

  private static void writeText(ByteArrayOutputStream out, String text) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      out.write(b & 0xff);
      if (b == 0) {
        out.write(0xff);
      }
    }
    out.write(0);
    out.write(0);
  }
}
