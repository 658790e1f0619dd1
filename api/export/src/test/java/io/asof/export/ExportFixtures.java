package io.asof.export;

import io.asof.model.Column;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One column of every exportable type and three rows over them, as Trino's JDBC driver types them.
 */
final class ExportFixtures {
  static final List<Column> COLUMNS =
      List.of(
          new Column("id", "bigint"),
          new Column("qty", "integer"),
          new Column("small", "smallint"),
          new Column("tiny", "tinyint"),
          new Column("score", "double"),
          new Column("ratio", "real"),
          new Column("active", "boolean"),
          new Column("name", "varchar"),
          new Column("note", "varchar(40)"),
          new Column("code", "char(3)"),
          new Column("amount", "decimal(12,2)"),
          new Column("big", "decimal(30,4)"),
          new Column("event_time", "timestamp(6)"),
          new Column("created_at", "timestamp(6) with time zone"),
          new Column("seen_at", "timestamp(3)"),
          new Column("day", "date"),
          new Column("payload", "varbinary"),
          new Column("tags", "array(varchar)"),
          new Column("counts", "array(bigint)"));

  /** Every value set, awkward text included. */
  static final List<Object> FULL_ROW =
      Arrays.asList(
          1L,
          42,
          (short) 7,
          (byte) -3,
          0.25,
          1.5f,
          true,
          "alice",
          "say \"hi\", then\nleave",
          "abc",
          new BigDecimal("1234.50"),
          new BigDecimal("-12345678901234567890.1234"),
          Timestamp.valueOf(LocalDateTime.of(2026, 3, 1, 4, 0, 0, 123_456_000)),
          Timestamp.from(OffsetDateTime.parse("2026-03-01T06:00:00.000001+02:00").toInstant()),
          Timestamp.valueOf(LocalDateTime.of(2026, 3, 1, 4, 0, 0, 7_000_000)),
          Date.valueOf(LocalDate.of(2026, 3, 1)),
          new byte[] {0x0a, (byte) 0xff},
          List.of("a", "b"),
          Arrays.asList(1L, null, 3L));

  /** SQL NULL in every column. */
  static final List<Object> NULL_ROW = Collections.nCopies(COLUMNS.size(), null);

  /** Zeros, empties and a timestamp before the epoch. */
  static final List<Object> EDGE_ROW =
      Arrays.asList(
          Long.MIN_VALUE,
          Integer.MAX_VALUE,
          Short.MIN_VALUE,
          Byte.MAX_VALUE,
          -0.0,
          Float.NaN,
          false,
          "",
          "tab\there",
          "x  ",
          new BigDecimal("0.00"),
          new BigDecimal("99999999999999999999999999.9999"),
          Timestamp.valueOf(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 500_000_000)),
          Timestamp.from(OffsetDateTime.parse("1970-01-01T00:00:00Z").toInstant()),
          Timestamp.valueOf(LocalDateTime.of(2000, 1, 1, 0, 0)),
          Date.valueOf(LocalDate.of(1969, 12, 31)),
          new byte[0],
          List.of(),
          List.of());

  static final List<List<Object>> ROWS = List.of(FULL_ROW, NULL_ROW, EDGE_ROW);

  private ExportFixtures() {}
}
