package io.asof.export;

import static io.asof.export.ExportFixtures.COLUMNS;
import static io.asof.export.ExportFixtures.ROWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.model.Column;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes and reads back Parquet with Hadoop absent from the class path (see the module's pom). */
class TestParquetRowWriter {
  private static final String SCHEMA =
      """
      message export {
        optional int64 id;
        optional int32 qty;
        optional int32 small (INTEGER(16,true));
        optional int32 tiny (INTEGER(8,true));
        optional double score;
        optional float ratio;
        optional boolean active;
        optional binary name (STRING);
        optional binary note (STRING);
        optional binary code (STRING);
        optional int64 amount (DECIMAL(12,2));
        optional fixed_len_byte_array(16) big (DECIMAL(30,4));
        optional int64 event_time (TIMESTAMP(MICROS,false));
        optional int64 created_at (TIMESTAMP(MICROS,true));
        optional int64 seen_at (TIMESTAMP(MICROS,false));
        optional int32 day (DATE);
        optional binary payload;
        optional group tags (LIST) {
          repeated group list {
            optional binary element (STRING);
          }
        }
        optional group counts (LIST) {
          repeated group list {
            optional int64 element;
          }
        }
      }
      """;

  @TempDir Path dir;

  @Test
  void writesEveryTypeWithLogicalTypesAndReadsItBack() throws IOException {
    Path file = dir.resolve("features.parquet");
    RowWriter writer = ExportFormat.PARQUET.open(file, COLUMNS);
    ROWS.forEach(writer::write);
    writer.close();

    assertThat(writer.rows()).isEqualTo(3);
    assertThat(dir.resolve("features.parquet.tmp")).doesNotExist();
    ParquetFile parquet = read(file);
    assertThat(parquet.schema().toString()).isEqualToIgnoringWhitespace(SCHEMA);
    assertThat(parquet.codecs()).containsOnly(CompressionCodecName.UNCOMPRESSED);
    assertThat(parquet.rows()).hasSize(3);

    Group full = parquet.rows().get(0);
    assertThat(full.getLong("id", 0)).isEqualTo(1L);
    assertThat(full.getInteger("qty", 0)).isEqualTo(42);
    assertThat(full.getInteger("small", 0)).isEqualTo(7);
    assertThat(full.getInteger("tiny", 0)).isEqualTo(-3);
    assertThat(full.getDouble("score", 0)).isEqualTo(0.25);
    assertThat(full.getFloat("ratio", 0)).isEqualTo(1.5f);
    assertThat(full.getBoolean("active", 0)).isTrue();
    assertThat(full.getString("name", 0)).isEqualTo("alice");
    assertThat(full.getString("note", 0)).isEqualTo("say \"hi\", then\nleave");
    assertThat(full.getString("code", 0)).isEqualTo("abc");
    assertThat(full.getLong("amount", 0)).isEqualTo(123450L);
    assertThat(decimal(full, "big", 4)).isEqualTo(new BigDecimal("-12345678901234567890.1234"));
    assertThat(full.getLong("event_time", 0)).isEqualTo(1_772_337_600_123_456L);
    assertThat(full.getLong("created_at", 0)).isEqualTo(1_772_337_600_000_001L);
    assertThat(full.getLong("seen_at", 0)).isEqualTo(1_772_337_600_007_000L);
    assertThat(full.getInteger("day", 0)).isEqualTo(20513);
    assertThat(full.getBinary("payload", 0).getBytes()).containsExactly(0x0a, 0xff);
    assertThat(list(full, "tags")).containsExactly("a", "b");
    assertThat(list(full, "counts")).containsExactly(1L, null, 3L);

    Group nulls = parquet.rows().get(1);
    for (int field = 0; field < COLUMNS.size(); field++) {
      assertThat(nulls.getFieldRepetitionCount(field)).as(COLUMNS.get(field).name()).isZero();
    }

    Group edge = parquet.rows().get(2);
    assertThat(edge.getLong("id", 0)).isEqualTo(Long.MIN_VALUE);
    assertThat(edge.getInteger("small", 0)).isEqualTo(Short.MIN_VALUE);
    assertThat(edge.getFloat("ratio", 0)).isNaN();
    assertThat(edge.getString("name", 0)).isEmpty();
    assertThat(edge.getLong("amount", 0)).isZero();
    assertThat(decimal(edge, "big", 4))
        .isEqualTo(new BigDecimal("99999999999999999999999999.9999"));
    assertThat(edge.getLong("event_time", 0)).isEqualTo(-500_000L);
    assertThat(edge.getLong("created_at", 0)).isZero();
    assertThat(edge.getInteger("day", 0)).isEqualTo(-1);
    assertThat(edge.getBinary("payload", 0).length()).isZero();
    assertThat(edge.getFieldRepetitionCount("tags")).isOne();
    assertThat(list(edge, "tags")).isEmpty();
  }

  @Test
  void nothingIsVisibleUnderTheTargetNameUntilClose() throws IOException {
    Path file = dir.resolve("pending.parquet");
    RowWriter writer = ExportFormat.PARQUET.open(file, COLUMNS);
    writer.write(ExportFixtures.FULL_ROW);

    assertThat(file).doesNotExist();
    assertThat(dir.resolve("pending.parquet.tmp")).exists();
    writer.close();
    assertThat(read(file).rows()).hasSize(1);
  }

  @Test
  void refusesDuplicateColumnNamesBeforeCreatingAFile() {
    List<Column> columns = List.of(new Column("id", "bigint"), new Column("id", "varchar"));

    assertThatThrownBy(() -> ExportFormat.PARQUET.open(dir.resolve("dup.parquet"), columns))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Column 'id' appears twice; Parquet needs distinct names, alias one");
    assertThat(dir).isEmptyDirectory();
  }

  private record ParquetFile(
      MessageType schema, List<CompressionCodecName> codecs, List<Group> rows) {}

  private static ParquetFile read(Path file) throws IOException {
    ParquetReadOptions options =
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<CompressionCodecName> codecs =
          reader.getFooter().getBlocks().stream()
              .flatMap(block -> block.getColumns().stream())
              .map(ColumnChunkMetaData::getCodec)
              .toList();
      List<Group> rows = new ArrayList<>();
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(schema)
                .getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          rows.add(records.read());
        }
      }
      return new ParquetFile(schema, codecs, rows);
    }
  }

  private static BigDecimal decimal(Group group, String field, int scale) {
    return new BigDecimal(new BigInteger(group.getBinary(field, 0).getBytes()), scale);
  }

  /** A LIST column's elements, null where an element is NULL. */
  private static List<Object> list(Group group, String field) {
    Group list = group.getGroup(field, 0);
    List<Object> elements = new ArrayList<>();
    for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
      Group entry = list.getGroup("list", i);
      if (entry.getFieldRepetitionCount("element") == 0) {
        elements.add(null);
      } else if (entry.getType().getType("element").asPrimitiveType().getPrimitiveTypeName()
          == PrimitiveTypeName.INT64) {
        elements.add(entry.getLong("element", 0));
      } else {
        elements.add(entry.getString("element", 0));
      }
    }
    return elements;
  }
}
