package io.asof.athena.emulator;

import static org.apache.parquet.schema.LogicalTypeAnnotation.dateType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.decimalType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.intType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.listType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.mapType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FLOAT;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT96;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.JulianFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes an UNLOAD's rows (Trino JDBC values) to one Parquet file laid out as Athena's UNLOAD
 * writes it (Athena engine v3 writes through Trino's Hive writer): every column OPTIONAL; bigint
 * INT64; integer, smallint, tinyint INT32 (the last two annotated INT(16), INT(8)); double, real,
 * boolean as such; varchar and char BINARY STRING; varbinary BINARY; date INT32 DATE; decimal on
 * INT64 up to 18 digits, on FIXED_LEN_BYTE_ARRAY beyond; <b>timestamp as INT96</b> (Hive's legacy
 * encoding: nanoseconds of the day and the Julian day); array as a three-level LIST; map as a MAP
 * of {@code key_value} groups. Pages are GZIP-compressed (Athena's default) through the JDK's zlib,
 * or left uncompressed.
 */
final class UnloadWriter implements AutoCloseable {
  private static final long JULIAN_EPOCH_DAY = LocalDate.EPOCH.getLong(JulianFields.JULIAN_DAY);

  private final ParquetWriter<List<Object>> writer;
  private long rows;

  /**
   * @throws IllegalArgumentException naming a column whose type Athena cannot unload
   */
  UnloadWriter(Path file, List<QueryResults.Column> columns, boolean gzip) throws IOException {
    RowSupport support = new RowSupport(columns);
    this.writer =
        new Builder(new LocalOutputFile(file), support)
            .withConf(new PlainParquetConfiguration())
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCodecFactory(new JdkGzipCompression())
            .withCompressionCodec(
                gzip ? CompressionCodecName.GZIP : CompressionCodecName.UNCOMPRESSED)
            .build();
  }

  void write(List<Object> values) throws IOException {
    writer.write(values);
    rows++;
  }

  long rows() {
    return rows;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  /** The Parquet schema of the columns; fails on a type Athena's UNLOAD refuses. */
  static MessageType schema(List<QueryResults.Column> columns) {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (QueryResults.Column column : columns) {
      message.addField(type(column.name(), column.type()));
    }
    return message.named("hive_schema");
  }

  private static Type type(String name, TrinoType type) {
    return switch (type.name()) {
      case "bigint" -> Types.optional(INT64).named(name);
      case "integer" -> Types.optional(INT32).named(name);
      case "smallint" -> Types.optional(INT32).as(intType(16, true)).named(name);
      case "tinyint" -> Types.optional(INT32).as(intType(8, true)).named(name);
      case "double" -> Types.optional(DOUBLE).named(name);
      case "real" -> Types.optional(FLOAT).named(name);
      case "boolean" -> Types.optional(BOOLEAN).named(name);
      case "varchar", "char" -> Types.optional(BINARY).as(stringType()).named(name);
      case "varbinary" -> Types.optional(BINARY).named(name);
      case "date" -> Types.optional(INT32).as(dateType()).named(name);
      case "timestamp" -> Types.optional(INT96).named(name);
      case "decimal" -> {
        int precision = Math.toIntExact(type.numbers().get(0));
        int scale = Math.toIntExact(type.numbers().get(1));
        yield precision <= 18
            ? Types.optional(INT64).as(decimalType(scale, precision)).named(name)
            : Types.optional(FIXED_LEN_BYTE_ARRAY)
                .length(16)
                .as(decimalType(scale, precision))
                .named(name);
      }
      case "array" ->
          Types.optionalGroup()
              .as(listType())
              .addField(
                  Types.repeatedGroup()
                      .addField(type("element", type.fields().getFirst().type()))
                      .named("list"))
              .named(name);
      case "map" ->
          Types.optionalGroup()
              .as(mapType())
              .addField(
                  Types.repeatedGroup()
                      .addField(required(type("key", type.fields().get(0).type())))
                      .addField(type("value", type.fields().get(1).type()))
                      .named("key_value"))
              .named(name);
      default ->
          throw new IllegalArgumentException(
              "NOT_SUPPORTED: Unsupported Hive type: %s (column %s)".formatted(type.name(), name));
    };
  }

  /** A map's key: Hive's maps have no null keys. */
  private static Type required(Type type) {
    if (!type.isPrimitive()) {
      return type;
    }
    PrimitiveType primitive = type.asPrimitiveType();
    return Types.required(primitive.getPrimitiveTypeName())
        .length(primitive.getTypeLength())
        .as(primitive.getLogicalTypeAnnotation())
        .named(primitive.getName());
  }

  /** Hive's INT96 timestamp of a wall-clock time: nanoseconds of the day, then the Julian day. */
  static Binary int96(LocalDateTime time) {
    ByteBuffer buffer = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putLong(time.toLocalTime().toNanoOfDay());
    buffer.putInt(Math.toIntExact(time.toLocalDate().toEpochDay() + JULIAN_EPOCH_DAY));
    return Binary.fromConstantByteArray(buffer.array());
  }

  /** Maps rows onto the schema. */
  private static final class RowSupport extends WriteSupport<List<Object>> {
    private final List<QueryResults.Column> columns;
    private final MessageType schema;
    private RecordConsumer consumer;

    RowSupport(List<QueryResults.Column> columns) {
      this.columns = List.copyOf(columns);
      this.schema = schema(columns);
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(schema, new HashMap<>());
    }

    /** Hadoop's variant, which the writer never calls here; it has to exist, being abstract. */
    @Deprecated
    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(List<Object> values) {
      consumer.startMessage();
      for (int i = 0; i < columns.size(); i++) {
        field(columns.get(i).name(), i, columns.get(i).type(), values.get(i));
      }
      consumer.endMessage();
    }

    private void field(String name, int index, TrinoType type, Object value) {
      if (value == null) {
        return;
      }
      consumer.startField(name, index);
      value(type, value);
      consumer.endField(name, index);
    }

    private void value(TrinoType type, Object value) {
      switch (type.name()) {
        case "bigint" -> consumer.addLong(((Number) value).longValue());
        case "integer", "smallint", "tinyint" -> consumer.addInteger(((Number) value).intValue());
        case "double" -> consumer.addDouble(((Number) value).doubleValue());
        case "real" -> consumer.addFloat(((Number) value).floatValue());
        case "boolean" -> consumer.addBoolean((Boolean) value);
        case "varchar", "char" -> consumer.addBinary(Binary.fromString(value.toString()));
        case "varbinary" -> consumer.addBinary(Binary.fromConstantByteArray((byte[]) value));
        case "date" ->
            consumer.addInteger(
                Math.toIntExact(((java.sql.Date) value).toLocalDate().toEpochDay()));
        case "timestamp" -> consumer.addBinary(int96(((Timestamp) value).toLocalDateTime()));
        case "decimal" -> decimal(type, (BigDecimal) value);
        case "array" -> list(type.fields().getFirst().type(), elements(value));
        case "map" -> map(type, (Map<?, ?>) value);
        default -> throw new IllegalArgumentException("cannot unload a " + type.name());
      }
    }

    private void decimal(TrinoType type, BigDecimal value) {
      int precision = Math.toIntExact(type.numbers().get(0));
      BigInteger unscaled = value.setScale(Math.toIntExact(type.numbers().get(1))).unscaledValue();
      if (precision <= 18) {
        consumer.addLong(unscaled.longValueExact());
        return;
      }
      byte[] bytes = unscaled.toByteArray();
      byte[] fixed = new byte[16];
      byte fill = unscaled.signum() < 0 ? (byte) 0xff : 0;
      java.util.Arrays.fill(fixed, 0, 16 - bytes.length, fill);
      System.arraycopy(bytes, 0, fixed, 16 - bytes.length, bytes.length);
      consumer.addBinary(Binary.fromConstantByteArray(fixed));
    }

    private void list(TrinoType element, List<?> values) {
      consumer.startGroup();
      if (!values.isEmpty()) {
        consumer.startField("list", 0);
        for (Object value : values) {
          consumer.startGroup();
          if (value != null) {
            consumer.startField("element", 0);
            value(element, value);
            consumer.endField("element", 0);
          }
          consumer.endGroup();
        }
        consumer.endField("list", 0);
      }
      consumer.endGroup();
    }

    private void map(TrinoType type, Map<?, ?> entries) {
      consumer.startGroup();
      if (!entries.isEmpty()) {
        consumer.startField("key_value", 0);
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
          consumer.startGroup();
          consumer.startField("key", 0);
          value(type.fields().get(0).type(), entry.getKey());
          consumer.endField("key", 0);
          if (entry.getValue() != null) {
            consumer.startField("value", 1);
            value(type.fields().get(1).type(), entry.getValue());
            consumer.endField("value", 1);
          }
          consumer.endGroup();
        }
        consumer.endField("key_value", 0);
      }
      consumer.endGroup();
    }

    private static List<?> elements(Object value) {
      if (value instanceof List<?> list) {
        return list;
      }
      try {
        Object[] array = (Object[]) ((java.sql.Array) value).getArray();
        List<Object> list = new ArrayList<>(array.length);
        java.util.Collections.addAll(list, array);
        return list;
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot read an array value: " + e.getMessage(), e);
      }
    }
  }

  /** parquet-java's builder around our write support; it wants a subclass for that. */
  private static final class Builder extends ParquetWriter.Builder<List<Object>, Builder> {
    private final RowSupport support;

    Builder(OutputFile file, RowSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<List<Object>> getWriteSupport(ParquetConfiguration conf) {
      return support;
    }

    @Deprecated
    @Override
    protected WriteSupport<List<Object>> getWriteSupport(Configuration conf) {
      return support;
    }
  }

  /**
   * GZIP pages through the JDK's zlib: parquet-java's own GZIP codec goes through Hadoop's codec
   * classes, which need Hadoop's runtime libraries.
   */
  private static final class JdkGzipCompression implements CompressionCodecFactory {
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      return new BytesInputCompressor() {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
          if (codec == CompressionCodecName.UNCOMPRESSED) {
            return bytes;
          }
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            bytes.writeAllTo(gzip);
          }
          return BytesInput.from(out.toByteArray());
        }

        @Override
        public CompressionCodecName getCodecName() {
          return codec;
        }

        @Override
        public void release() {}
      };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      throw new UnsupportedOperationException("the emulator only writes Parquet");
    }

    @Override
    public void release() {}
  }
}
