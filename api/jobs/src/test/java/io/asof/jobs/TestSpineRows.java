package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploaded spine rows, typed and written as one VALUES query. */
class TestSpineRows {
  @Test
  void jsonValuesKeepTheirTypesAndStringsAreTimestampsOrText() {
    List<Map<String, Object>> rows =
        List.of(
            row("user_id", 1, "shown_at", "2026-03-01T12:00:00", "score", 0.5, "ok", true),
            row("user_id", 2L, "shown_at", "2026-03-02 00:00:00.25", "score", 2, "ok", null));
    assertThat(SpineRows.fromObjects(rows, "spine_rows"))
        .isEqualTo(
            """
            SELECT user_id, shown_at, score, ok
            FROM (VALUES
              (CAST(1 AS bigint), CAST('2026-03-01 12:00:00' AS timestamp(6)), CAST(0.5 AS double), true),
              (CAST(2 AS bigint), CAST('2026-03-02 00:00:00.25' AS timestamp(6)), CAST(2.0 AS double), CAST(NULL AS boolean))
            ) AS spine(user_id, shown_at, score, ok)""");
  }

  @Test
  void aJsonStringOfDigitsStaysText() {
    // unlike a CSV field, a JSON string says it is text
    assertThat(SpineRows.fromObjects(List.of(row("zip", "01234")), "spine_rows"))
        .contains("('01234')");
    assertThat(SpineRows.fromObjects(List.of(row("n", 1), row("n", "it's")), "spine_rows"))
        .contains("('1'),\n  ('it''s')");
  }

  @Test
  void fieldsMissingFromARowAreNullAndColumnsComeInFirstSeenOrder() {
    List<Map<String, Object>> rows = List.of(row("a", 1), row("b", "x", "a", 2));
    assertThat(SpineRows.fromObjects(rows, "spine_rows"))
        .startsWith("SELECT a, b\n")
        .contains("(CAST(1 AS bigint), CAST(NULL AS varchar))")
        .contains("(CAST(2 AS bigint), 'x')");
  }

  @Test
  void aBigIntegerBeyondBigintIsADouble() {
    assertThat(
            SpineRows.fromObjects(
                List.of(row("n", new BigInteger("123456789012345678901234"))), "spine_rows"))
        .contains("CAST(1.2345678901234569E23 AS double)");
  }

  @Test
  void refusesWhatIsNotASpine() {
    assertThatThrownBy(() -> SpineRows.fromObjects(List.of(), "spine_rows"))
        .hasMessage("spine_rows is empty: give at least one row, or a spine query in spine_sql");
    assertThatThrownBy(() -> SpineRows.fromObjects(List.of(row("User", 1)), "spine_rows"))
        .hasMessage(
            "spine_rows[0]: column name 'User' is not a plain SQL name (lower-case letters, digits, _)");
    assertThatThrownBy(
            () -> SpineRows.fromObjects(List.of(row("a", 1), row("a", List.of(1))), "spine_rows"))
        .hasMessage(
            "spine_rows[1].a is an array: a spine value is a number, a string, a boolean or null");
    assertThatThrownBy(() -> SpineRows.fromObjects(List.of(row("a", Map.of("b", 1))), "spine_rows"))
        .hasMessage(
            "spine_rows[0].a is an object: a spine value is a number, a string, a boolean or null");
    List<Map<String, Object>> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> SpineRows.fromObjects(withNull, "spine_rows"))
        .hasMessage("spine_rows[0] is null: each row is an object of column: value");
  }

  @Test
  void moreRowsThanTheLimitAreRefusedWithTheLimit() {
    List<Map<String, Object>> rows = Collections.nCopies(SpineRows.MAX_ROWS + 1, row("a", 1));
    assertThatThrownBy(() -> SpineRows.fromObjects(rows, "spine_rows"))
        .isInstanceOfSatisfying(
            SpineTooLargeException.class, e -> assertThat(e.limit()).isEqualTo(50_000))
        .hasMessage(
            "spine_rows has 50,001 rows; an uploaded spine takes at most 50,000: load it into a table and give spine_sql instead");
    assertThat(SpineRows.fromObjects(Collections.nCopies(SpineRows.MAX_ROWS, row("a", 1)), "r"))
        .startsWith("SELECT a\n");
  }

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

  private static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      row.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return row;
  }
}
