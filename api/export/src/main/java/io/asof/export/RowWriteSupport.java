package io.asof.export;

import static java.util.Objects.requireNonNull;
import static org.apache.parquet.schema.LogicalTypeAnnotation.dateType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.decimalType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.intType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.timestampType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FLOAT;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import io.asof.model.Column;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Maps rows of JDBC values onto a Parquet schema derived from the query's columns, without Avro or
 * any other object model. Every column is OPTIONAL. bigint is INT64; integer, smallint and tinyint
 * are INT32 (the last two annotated INT(16) and INT(8)); double, real and boolean are DOUBLE, FLOAT
 * and BOOLEAN; varchar and char are BINARY STRING, varbinary plain BINARY; decimal(p,s) is DECIMAL
 * on INT64 up to 18 digits and on a 16-byte FIXED_LEN_BYTE_ARRAY beyond; timestamp(p) is INT64
 * TIMESTAMP(MICROS) not adjusted to UTC, with time zone adjusted to UTC (sub-microsecond digits are
 * dropped); date is INT32 DATE; array(x) is the standard three-level LIST with OPTIONAL elements.
 */
final class RowWriteSupport extends WriteSupport<List<Object>> {
  private static final int MAX_LONG_DECIMAL_PRECISION = 18;
  private static final int DECIMAL_BYTES = 16;
  private static final String LIST = "list";
  private static final String ELEMENT = "element";

  private final List<Column> columns;
  private final List<ExportType> types;
  private final MessageType schema;
  private RecordConsumer consumer;

  /**
   * @throws IllegalArgumentException if two columns share a name or a column's type cannot be
   *     exported
   */
  RowWriteSupport(List<Column> columns) {
    this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
    this.types = this.columns.stream().map(ExportType::of).toList();
    Set<String> names = new HashSet<>();
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (int i = 0; i < this.columns.size(); i++) {
      String name = this.columns.get(i).name();
      if (!names.add(name)) {
        throw new IllegalArgumentException(
            "Column '%s' appears twice; Parquet needs distinct names, alias one".formatted(name));
      }
      message.addField(parquetType(name, types.get(i)));
    }
    this.schema = message.named("export");
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return new WriteContext(schema, Map.of());
  }

  /** Hadoop's variant, which the writer never calls here; it has to exist, being abstract. */
  @Deprecated
  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema, Map.of());
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = requireNonNull(recordConsumer, "recordConsumer is null");
  }

  @Override
  public void write(List<Object> values) {
    consumer.startMessage();
    for (int i = 0; i < values.size(); i++) {
      Object value = values.get(i);
      if (value != null) {
        String name = columns.get(i).name();
        consumer.startField(name, i);
        try {
          writeValue(types.get(i), value);
        } catch (ClassCastException | ArithmeticException e) {
          throw Values.badValue(columns.get(i), value, e);
        }
        consumer.endField(name, i);
      }
    }
    consumer.endMessage();
  }

  private void writeValue(ExportType type, Object value) {
    switch (type) {
      case ExportType.Simple simple -> {
        switch (simple) {
          case BIGINT -> consumer.addLong(Values.integral(value));
          case INTEGER, SMALLINT, TINYINT ->
              consumer.addInteger(Math.toIntExact(Values.integral(value)));
          case DOUBLE -> consumer.addDouble((Double) value);
          case REAL -> consumer.addFloat((Float) value);
          case BOOLEAN -> consumer.addBoolean((Boolean) value);
          case VARCHAR -> consumer.addBinary(Binary.fromString((String) value));
          case DATE -> consumer.addInteger(Math.toIntExact(Values.date(value).toEpochDay()));
          case VARBINARY -> consumer.addBinary(Binary.fromReusedByteArray((byte[]) value));
        }
      }
      case ExportType.Decimal decimal -> {
        BigDecimal exact = Values.decimal(value, decimal);
        if (decimal.precision() <= MAX_LONG_DECIMAL_PRECISION) {
          consumer.addLong(exact.unscaledValue().longValueExact());
        } else {
          consumer.addBinary(Binary.fromConstantByteArray(fixedBytes(exact)));
        }
      }
      case ExportType.Timestamp timestamp ->
          consumer.addLong(
              timestamp.withTimeZone()
                  ? micros(Values.instant(value))
                  : micros(Values.localTimestamp(value).toInstant(ZoneOffset.UTC)));
      case ExportType.Array array -> writeList(array.element(), (List<?>) value);
    }
  }

  private void writeList(ExportType elementType, List<?> elements) {
    consumer.startGroup();
    if (!elements.isEmpty()) {
      consumer.startField(LIST, 0);
      for (Object element : elements) {
        consumer.startGroup();
        if (element != null) {
          consumer.startField(ELEMENT, 0);
          writeValue(elementType, element);
          consumer.endField(ELEMENT, 0);
        }
        consumer.endGroup();
      }
      consumer.endField(LIST, 0);
    }
    consumer.endGroup();
  }

  private static Type parquetType(String name, ExportType type) {
    return switch (type) {
      case ExportType.Simple simple ->
          switch (simple) {
            case BIGINT -> Types.optional(INT64).named(name);
            case INTEGER -> Types.optional(INT32).named(name);
            case SMALLINT -> Types.optional(INT32).as(intType(16, true)).named(name);
            case TINYINT -> Types.optional(INT32).as(intType(8, true)).named(name);
            case DOUBLE -> Types.optional(DOUBLE).named(name);
            case REAL -> Types.optional(FLOAT).named(name);
            case BOOLEAN -> Types.optional(BOOLEAN).named(name);
            case VARCHAR -> Types.optional(BINARY).as(stringType()).named(name);
            case DATE -> Types.optional(INT32).as(dateType()).named(name);
            case VARBINARY -> Types.optional(BINARY).named(name);
          };
      case ExportType.Decimal decimal when decimal.precision() <= MAX_LONG_DECIMAL_PRECISION ->
          Types.optional(INT64).as(decimalType(decimal.scale(), decimal.precision())).named(name);
      case ExportType.Decimal decimal ->
          Types.optional(FIXED_LEN_BYTE_ARRAY)
              .length(DECIMAL_BYTES)
              .as(decimalType(decimal.scale(), decimal.precision()))
              .named(name);
      case ExportType.Timestamp timestamp ->
          Types.optional(INT64)
              .as(timestampType(timestamp.withTimeZone(), TimeUnit.MICROS))
              .named(name);
      case ExportType.Array array ->
          Types.optionalList().element(parquetType(ELEMENT, array.element())).named(name);
    };
  }

  private static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  /** The unscaled value as big-endian two's complement, sign-extended to {@link #DECIMAL_BYTES}. */
  private static byte[] fixedBytes(BigDecimal value) {
    byte[] unscaled = value.unscaledValue().toByteArray();
    byte[] fixed = new byte[DECIMAL_BYTES];
    Arrays.fill(fixed, 0, DECIMAL_BYTES - unscaled.length, unscaled[0] < 0 ? (byte) -1 : 0);
    System.arraycopy(unscaled, 0, fixed, DECIMAL_BYTES - unscaled.length, unscaled.length);
    return fixed;
  }
}
