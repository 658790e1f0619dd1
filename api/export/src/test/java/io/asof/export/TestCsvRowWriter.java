package io.asof.export;

import static io.asof.export.ExportFixtures.COLUMNS;
import static io.asof.export.ExportFixtures.ROWS;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.asof.model.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCsvRowWriter {
  @TempDir Path dir;

  @Test
  void writesEveryTypeAsRfc4180Text() throws IOException {
    Path file = dir.resolve("features.csv");
    RowWriter writer = ExportFormat.CSV.open(file, COLUMNS);
    ROWS.forEach(writer::write);
    writer.close();

    assertThat(writer.rows()).isEqualTo(3);
    assertThat(Files.readString(file, UTF_8))
        .isEqualTo(
            "id,qty,small,tiny,score,ratio,active,name,note,code,amount,big,event_time,created_at,"
                + "seen_at,day,payload,tags,counts\n"
                + "1,42,7,-3,0.25,1.5,true,alice,\"say \"\"hi\"\", then\nleave\",abc,1234.50,"
                + "-12345678901234567890.1234,2026-03-01 04:00:00.123456,"
                + "2026-03-01 04:00:00.000001 UTC,2026-03-01 04:00:00.007,2026-03-01,0aff,"
                + "\"[a,b]\",\"[1,null,3]\"\n"
                + ",,,,,,,,,,,,,,,,,,\n"
                + "-9223372036854775808,2147483647,-32768,127,-0.0,NaN,false,\"\",tab\there,x  ,"
                + "0.00,99999999999999999999999999.9999,1969-12-31 23:59:59.500000,"
                + "1970-01-01 00:00:00.000000 UTC,2000-01-01 00:00:00.000,1969-12-31,\"\",[],[]\n");
    assertThat(dir.resolve("features.csv.tmp")).doesNotExist();
  }

  @Test
  void quotesHeaderNamesAndCarriageReturns() throws IOException {
    Path file = dir.resolve("odd.csv");
    RowWriter writer =
        ExportFormat.CSV.open(
            file, List.of(new Column("a,b", "varchar"), new Column("c", "array(timestamp(0))")));
    writer.write(Arrays.asList("line\r\n", List.of(Timestamp.valueOf("2026-01-02 03:04:05"))));
    writer.close();

    assertThat(Files.readString(file, UTF_8))
        .isEqualTo("\"a,b\",c\n\"line\r\n\",[2026-01-02 03:04:05]\n");
  }

  @Test
  void nothingIsVisibleUnderTheTargetNameUntilClose() throws IOException {
    Path file = dir.resolve("pending.csv");
    RowWriter writer = ExportFormat.CSV.open(file, COLUMNS);
    writer.write(ExportFixtures.FULL_ROW);

    assertThat(file).doesNotExist();
    assertThat(dir.resolve("pending.csv.tmp")).exists();
    writer.close();
    assertThat(file).exists();
    assertThat(dir.resolve("pending.csv.tmp")).doesNotExist();
  }
}
