package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.SpineRows;
import io.asof.compiler.SpineTooLargeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spine CSV file read as the compiler's spine of rows, each field typed from its text. */
class TestSpineCsv {
  @Test
  void csvFieldsAreTypedFromTheirTextAsBefore(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("spine.csv");
    Files.writeString(
        csv,
        "user_id,shown_at,label,name\n1,2025-12-01 00:00:00,true,\"O'Hara, J\"\n,2026-03-31,FALSE,\n");
    assertThat(SpineCsv.toSql(csv))
        .isEqualTo(
            """
            SELECT user_id, shown_at, label, name
            FROM (VALUES
              (CAST(1 AS bigint), CAST('2025-12-01 00:00:00' AS timestamp(6)), true, 'O''Hara, J'),
              (CAST(NULL AS bigint), CAST('2026-03-31' AS timestamp(6)), false, CAST(NULL AS varchar))
            ) AS spine(user_id, shown_at, label, name)""");
    // an ISO 'T' is not a CSV timestamp: the column stays text, as it always was
    Files.writeString(csv, "t\n2026-03-01T00:00:00\n");
    assertThat(SpineCsv.toSql(csv)).contains("('2026-03-01T00:00:00')");
    Files.writeString(csv, "a,b\n1\n");
    assertThatThrownBy(() -> SpineCsv.toSql(csv))
        .hasMessage(csv + ":2: 1 fields, but the header has 2");
    // CRLF lines, blank lines skipped, a quoted field across lines
    Files.writeString(csv, "a,b\r\n\r\n1,\"two\r\nlines\"\r\n\r\n");
    assertThat(SpineCsv.toSql(csv)).contains("(CAST(1 AS bigint), 'two\r\nlines')");
    Files.writeString(csv, "a,b\n1,\"open\n");
    assertThatThrownBy(() -> SpineCsv.toSql(csv))
        .hasMessage(csv + ":2: a quoted field is not closed");
    Files.writeString(csv, "a\n" + "1\n".repeat(SpineRows.MAX_ROWS + 1));
    assertThatThrownBy(() -> SpineCsv.toSql(csv))
        .isInstanceOf(SpineTooLargeException.class)
        .hasMessage(
            csv
                + " has 50,001 rows; an uploaded spine takes at most 50,000: load it into a table and give --spine 'SELECT ...' instead");
  }
}
