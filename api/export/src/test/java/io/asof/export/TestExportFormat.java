package io.asof.export;

import static io.asof.export.ExportFixtures.COLUMNS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.model.Column;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestExportFormat {
  @TempDir Path dir;

  @Test
  void parsesNamesIgnoringCase() {
    assertThat(ExportFormat.parse("csv")).isEqualTo(ExportFormat.CSV);
    assertThat(ExportFormat.parse("Parquet")).isEqualTo(ExportFormat.PARQUET);
    assertThatThrownBy(() -> ExportFormat.parse("json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown export format 'json'; use one of: csv, parquet");
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void abortLeavesNoFile(ExportFormat format) throws IOException {
    Path file = dir.resolve("aborted." + format);
    RowWriter writer = format.open(file, COLUMNS);
    writer.write(ExportFixtures.FULL_ROW);
    writer.abort();
    writer.close();

    assertThat(dir).isEmptyDirectory();
    assertThatThrownBy(() -> writer.write(ExportFixtures.FULL_ROW))
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void aValueOfTheWrongTypeAbortsTheWriter(ExportFormat format) throws IOException {
    Path file = dir.resolve("bad." + format);
    RowWriter writer =
        format.open(
            file, List.of(new Column("id", "bigint"), new Column("amount", "decimal(4,2)")));
    writer.write(Arrays.asList(1L, null));

    assertThatThrownBy(() -> writer.write(Arrays.asList(2L, new BigDecimal("1.234"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Column 'amount' (decimal(4,2)) cannot hold BigDecimal 1.234");
    assertThatThrownBy(() -> writer.write(Arrays.asList(3L, null)))
        .isInstanceOf(IllegalStateException.class);
    writer.close();
    assertThat(dir).isEmptyDirectory();
    assertThat(writer.rows()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void refusesRowsOfTheWrongWidthAndStringsInNumberColumns(ExportFormat format) throws IOException {
    RowWriter narrow = format.open(dir.resolve("narrow." + format), COLUMNS);
    assertThatThrownBy(() -> narrow.write(List.of(1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Row has 1 values for 19 columns");

    RowWriter typed =
        format.open(dir.resolve("typed." + format), List.of(new Column("n", "bigint")));
    assertThatThrownBy(() -> typed.write(List.of("1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Column 'n' (bigint) cannot hold String 1");
    assertThat(dir).isEmptyDirectory();
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void refusesUnsupportedTypesBeforeCreatingAFile(ExportFormat format) {
    assertThatThrownBy(
            () ->
                format.open(
                    dir.resolve("x"),
                    List.of(new Column("id", "bigint"), new Column("at", "array(time(3))"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Column 'at' has type array(time(3)), which cannot be exported");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void closeReplacesAnEarlierExport() throws IOException {
    Path file = dir.resolve("again.csv");
    Files.writeString(file, "old\n");
    RowWriter writer = ExportFormat.CSV.open(file, List.of(new Column("n", "integer")));
    writer.write(List.of(5));
    writer.close();

    assertThat(file).hasContent("n\n5");
    assertThat(dir.toFile().list()).containsExactly("again.csv");
  }
}
