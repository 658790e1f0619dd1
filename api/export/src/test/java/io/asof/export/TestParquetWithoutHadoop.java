package io.asof.export;

import static io.asof.export.ExportFixtures.COLUMNS;
import static io.asof.export.ExportFixtures.ROWS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes Parquet with no Hadoop class on the class path: the module's pom runs this tag in its own
 * surefire execution without the compile-only Hadoop API. parquet-java's reader does need Hadoop,
 * so the footer is decoded with the Thrift classes of parquet-format instead.
 */
@Tag("without-hadoop")
class TestParquetWithoutHadoop {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;

  @Test
  void writesEveryTypeWithoutHadoop() throws IOException {
    assertThatThrownBy(() -> Class.forName("org.apache.hadoop.conf.Configuration"))
        .isInstanceOf(ClassNotFoundException.class);
    Path file = dir.resolve("features.parquet");
    RowWriter writer = ExportFormat.PARQUET.open(file, COLUMNS);
    ROWS.forEach(writer::write);
    writer.close();

    FileMetaData footer = footer(file);
    assertThat(footer.getNum_rows()).isEqualTo(3);
    assertThat(footer.getSchema().stream().map(SchemaElement::getName))
        .containsExactly(
            "export",
            "id",
            "qty",
            "small",
            "tiny",
            "score",
            "ratio",
            "active",
            "name",
            "note",
            "code",
            "amount",
            "big",
            "event_time",
            "created_at",
            "seen_at",
            "day",
            "payload",
            "tags",
            "list",
            "element",
            "counts",
            "list",
            "element");
    SchemaElement createdAt =
        footer.getSchema().stream()
            .filter(element -> element.getName().equals("created_at"))
            .findFirst()
            .orElseThrow();
    assertThat(createdAt.getLogicalType().getTIMESTAMP().isIsAdjustedToUTC()).isTrue();
  }

  @Test
  void abortsWithoutHadoop() throws IOException {
    RowWriter writer = ExportFormat.PARQUET.open(dir.resolve("aborted.parquet"), COLUMNS);
    writer.write(ExportFixtures.FULL_ROW);
    writer.abort();

    assertThat(dir).isEmptyDirectory();
  }

  private static FileMetaData footer(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(Arrays.copyOfRange(bytes, 0, 4)).isEqualTo(MAGIC);
    assertThat(Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length)).isEqualTo(MAGIC);
    int length =
        ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    return Util.readFileMetaData(
        new ByteArrayInputStream(bytes, bytes.length - 8 - length, length));
  }
}
