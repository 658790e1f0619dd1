package io.asof.engine.athena;

import io.asof.engine.RowConsumer;
import io.asof.model.Column;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.JulianFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet file that Athena's UNLOAD wrote, handing each row to a consumer as the Java
 * values Trino's JDBC driver gives. Columns are matched by position. Values are typed from the
 * file's Parquet types and annotations (Athena's result metadata names no array element types):
 * Hive's INT96 timestamps as Athena writes them, INT64 timestamps, decimals on INT32, INT64 and
 * byte arrays, dates, strings, three- and two-level lists and maps. Pages may be uncompressed or
 * GZIP (Athena's default), which the JDK's zlib inflates; other codecs are refused with a message
 * that says to unload with GZIP.
 */
final class ParquetRowReader {
  /** The column types an UNLOAD pull can carry; a query with any other type is paged instead. */
  static final Set<String> SUPPORTED =
      Set.of(
          "boolean",
          "tinyint",
          "smallint",
          "integer",
          "bigint",
          "real",
          "double",
          "decimal",
          "varchar",
          "char",
          "varbinary",
          "date",
          "timestamp",
          "array",
          "map");

  private static final long JULIAN_EPOCH_DAY = LocalDate.EPOCH.getLong(JulianFields.JULIAN_DAY);

  private ParquetRowReader() {}

  /** Whether every column's type can be unloaded and read back exactly. */
  static boolean supports(List<Column> columns) {
    return columns.stream().allMatch(column -> supports(column.type()));
  }

  private static boolean supports(String type) {
    String base = base(type);
    if (!SUPPORTED.contains(base) || type.contains("with time zone")) {
      return false;
    }
    // Athena's result metadata names no element types; Trino's does
    return switch (base) {
      case "array", "map" -> parameters(type).stream().allMatch(ParquetRowReader::supports);
      default -> true;
    };
  }

  /** Reads every row of {@code file}; returns how many. */
  static long read(Path file, List<Column> columns, RowConsumer consumer) throws IOException {
    ParquetReadOptions options =
        ParquetReadOptions.builder(new PlainParquetConfiguration())
            .withCodecFactory(new JdkCodecs())
            .build();
    long rows = 0;
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      if (schema.getFieldCount() != columns.size()) {
        throw new IOException(
            "%s has %d columns where the query has %d"
                .formatted(file.getFileName(), schema.getFieldCount(), columns.size()));
      }
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          Group record = records.read();
          List<Object> values = new ArrayList<>(columns.size());
          for (int c = 0; c < columns.size(); c++) {
            values.add(field(record, c, columns.get(c).type()));
          }
          consumer.accept(columns, values);
          rows++;
        }
      }
    }
    return rows;
  }

  /**
   * A column's value: typed from the file's Parquet schema (Athena's result metadata does not say
   * an array's element type), then held as the query's type says where Parquet's annotation may be
   * missing (tinyint and smallint stored as plain INT32).
   */
  private static Object field(Group group, int index, String type) {
    Object value = field(group, index);
    return switch (base(type)) {
      case "tinyint" -> value == null ? null : ((Number) value).byteValue();
      case "smallint" -> value == null ? null : ((Number) value).shortValue();
      case "integer" -> value == null ? null : ((Number) value).intValue();
      default -> value;
    };
  }

  private static Object field(Group group, int index) {
    if (group.getFieldRepetitionCount(index) == 0) {
      return null;
    }
    Type parquet = group.getType().getType(index);
    if (parquet.isPrimitive()) {
      return primitive(group, index, 0, parquet.asPrimitiveType());
    }
    Group nested = group.getGroup(index, 0);
    LogicalTypeAnnotation logical = parquet.getLogicalTypeAnnotation();
    if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
      return map(nested);
    }
    if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
      return list(nested, parquet.asGroupType());
    }
    throw new IllegalStateException(
        "column %s is a Parquet group that is neither a LIST nor a MAP".formatted(parquet));
  }

  /** The {@code at}-th value of a primitive field, typed by its Parquet type and annotation. */
  private static Object primitive(Group group, int index, int at, PrimitiveType parquet) {
    LogicalTypeAnnotation logical = parquet.getLogicalTypeAnnotation();
    int scale =
        logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal
            ? decimal.getScale()
            : -1;
    return switch (parquet.getPrimitiveTypeName()) {
      case BOOLEAN -> group.getBoolean(index, at);
      case INT32 -> {
        int value = group.getInteger(index, at);
        if (scale >= 0) {
          yield BigDecimal.valueOf(value, scale);
        }
        if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          yield Date.valueOf(LocalDate.ofEpochDay(value));
        }
        if (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation bits) {
          yield switch (bits.getBitWidth()) {
            case 8 -> (Object) (byte) value;
            case 16 -> (Object) (short) value;
            default -> (Object) value;
          };
        }
        yield value;
      }
      case INT64 -> {
        long value = group.getLong(index, at);
        if (scale >= 0) {
          yield BigDecimal.valueOf(value, scale);
        }
        if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation timestamp) {
          yield Timestamp.valueOf(timestamp(value, timestamp));
        }
        yield value;
      }
      case INT96 -> Timestamp.valueOf(int96(group.getInt96(index, at).getBytes()));
      case FLOAT -> group.getFloat(index, at);
      case DOUBLE -> group.getDouble(index, at);
      case BINARY, FIXED_LEN_BYTE_ARRAY -> {
        byte[] bytes = group.getBinary(index, at).getBytes();
        if (scale >= 0) {
          yield new BigDecimal(new BigInteger(bytes), scale);
        }
        yield logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
            : bytes;
      }
    };
  }

  /** Hive's INT96 timestamp: nanoseconds of the day, then the Julian day, little-endian. */
  private static LocalDateTime int96(byte[] value) {
    ByteBuffer bytes = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
    long nanos = bytes.getLong();
    long day = bytes.getInt() - JULIAN_EPOCH_DAY;
    return LocalDate.ofEpochDay(day).atStartOfDay().plusNanos(nanos);
  }

  private static LocalDateTime timestamp(
      long value, LogicalTypeAnnotation.TimestampLogicalTypeAnnotation timestamp) {
    Instant instant =
        switch (timestamp.getUnit()) {
          case MILLIS -> Instant.ofEpochMilli(value);
          case MICROS ->
              Instant.ofEpochSecond(
                  Math.floorDiv(value, 1_000_000), Math.floorMod(value, 1_000_000) * 1000L);
          case NANOS ->
              Instant.ofEpochSecond(
                  Math.floorDiv(value, 1_000_000_000), Math.floorMod(value, 1_000_000_000));
        };
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** A LIST: {@code repeated group list { element }} (three levels) or a repeated element. */
  private static List<Object> list(Group group, GroupType parquet) {
    int count = group.getFieldRepetitionCount(0);
    List<Object> values = new ArrayList<>(count);
    Type repeated = parquet.getType(0);
    boolean threeLevel = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1;
    for (int i = 0; i < count; i++) {
      if (threeLevel) {
        values.add(field(group.getGroup(0, i), 0));
      } else if (repeated.isPrimitive()) {
        values.add(primitive(group, 0, i, repeated.asPrimitiveType()));
      } else {
        throw new IllegalStateException("a LIST of groups: " + parquet);
      }
    }
    return Collections.unmodifiableList(values);
  }

  /** A MAP: {@code repeated group key_value { key, value }}. */
  private static Map<Object, Object> map(Group group) {
    int count = group.getFieldRepetitionCount(0);
    Map<Object, Object> entries = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      Group entry = group.getGroup(0, i);
      entries.put(field(entry, 0), field(entry, 1));
    }
    return Collections.unmodifiableMap(entries);
  }

  /** A type's name without its parameters, in lower case: {@code decimal(10,2)} is decimal. */
  private static String base(String type) {
    int open = type.indexOf('(');
    return (open < 0 ? type : type.substring(0, open)).strip().toLowerCase(Locale.ROOT);
  }

  /** The top-level parameters of a type: {@code map(varchar, array(double))} gives two. */
  static List<String> parameters(String type) {
    int open = type.indexOf('(');
    int close = type.lastIndexOf(')');
    List<String> parameters = new ArrayList<>();
    if (open < 0 || close < open) {
      return parameters;
    }
    int depth = 0;
    int start = open + 1;
    for (int i = start; i < close; i++) {
      char c = type.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parameters.add(type.substring(start, i).strip());
        start = i + 1;
      }
    }
    parameters.add(type.substring(start, close).strip());
    return parameters;
  }

  /**
   * Inflates GZIP pages with the JDK and passes uncompressed ones through; parquet-java's own
   * codecs go through Hadoop's codec classes, which need Hadoop's runtime libraries.
   */
  private static final class JdkCodecs implements CompressionCodecFactory {
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
      throw new UnsupportedOperationException("Asof only reads unloaded files");
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
      if (codec != CompressionCodecName.GZIP && codec != CompressionCodecName.UNCOMPRESSED) {
        throw new IllegalStateException(
            "an unloaded file is compressed with %s: Asof reads GZIP (Athena's default) and"
                    .formatted(codec)
                + " uncompressed Parquet; unload with compression = 'GZIP'");
      }
      return new BytesInputDecompressor() {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
          if (codec == CompressionCodecName.UNCOMPRESSED) {
            return bytes;
          }
          try (GZIPInputStream gzip = new GZIPInputStream(bytes.toInputStream())) {
            return BytesInput.from(gzip.readNBytes(uncompressedSize));
          }
        }

        @Override
        public void decompress(
            ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
            throws IOException {
          byte[] compressed = new byte[compressedSize];
          input.get(compressed);
          if (codec == CompressionCodecName.UNCOMPRESSED) {
            output.put(compressed);
            return;
          }
          try (GZIPInputStream gzip =
              new GZIPInputStream(new java.io.ByteArrayInputStream(compressed))) {
            output.put(gzip.readNBytes(uncompressedSize));
          }
        }

        @Override
        public void release() {}
      };
    }

    @Override
    public void release() {}
  }
}
