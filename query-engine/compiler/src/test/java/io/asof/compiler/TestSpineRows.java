package io.asof.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
  void theSpinesMatchTheirGoldenFileAndParse() {
    List<String> statements =
        List.of(
            SpineRows.fromObjects(
                List.of(
                    row("user_id", 1, "shown_at", "2026-03-01 10:00:00", "label", true),
                    row("user_id", 2, "shown_at", "2026-03-02T11:30:00", "name", "O'Hara")),
                "spine_rows"),
            SpineRows.toSql(List.of("user_id", "shown_at"), List.of()));
    statements.forEach(TrinoSql::assertParses);
    GoldenFiles.assertMatches("spine/rows.sql", String.join(";\n\n", statements) + ";");
  }

  private static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      row.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return row;
  }
}
