package io.asof.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.QueryResult;
import io.asof.engine.QueryStats;
import io.asof.model.Column;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link QueryEngine} must do, run against each implementation (Trino over JDBC, Athena
 * over the AWS SDK): the same statements give the same columns, types, values and counts. The SQL
 * here is what both engines accept; the one statement that differs, creating an Iceberg table from
 * a query, is the implementation's {@link #createTableAs}.
 */
public abstract class QueryEngineContract {
  /** The engine under test, shared by the class's tests. */
  protected abstract QueryEngine engine();

  /** The qualified name of a scratch table {@code name} the test may create and drop. */
  protected abstract String table(String name);

  /** The engine's statement that creates the Iceberg table {@code table} from {@code query}. */
  protected abstract String createTableAs(String table, String query);

  /** The engine's statement that drops {@code table} if it is there. */
  protected String dropTable(String table) {
    return "DROP TABLE IF EXISTS " + table;
  }

  @Test
  void queryReturnsColumnsWithTheEnginesTypesAndJdbcValues() {
    QueryResult result =
        engine()
            .query(
                """
                SELECT n, CAST(n AS double) * 1.5 AS d,
                  TIMESTAMP '2026-01-01 10:00:00.123456' AS ts, CAST(NULL AS varchar) AS missing,
                  DATE '2026-02-03' AS day, CAST('12.50' AS decimal(10,2)) AS price,
                  n % 2 = 0 AS even, CAST(n AS integer) AS small, 'x' || CAST(n AS varchar) AS label
                FROM UNNEST(sequence(1, 3)) AS t(n) ORDER BY n""");
    assertThat(result.columns())
        .containsExactly(
            new Column("n", "bigint"),
            new Column("d", "double"),
            new Column("ts", "timestamp(6)"),
            new Column("missing", "varchar"),
            new Column("day", "date"),
            new Column("price", "decimal(10,2)"),
            new Column("even", "boolean"),
            new Column("small", "integer"),
            new Column("label", "varchar"));
    assertThat(result.rows()).hasSize(3);
    assertThat(result.rows().get(1))
        .containsExactly(
            2L,
            3.0,
            Timestamp.valueOf(LocalDateTime.parse("2026-01-01T10:00:00.123456")),
            null,
            Date.valueOf("2026-02-03"),
            new BigDecimal("12.50"),
            true,
            2,
            "x2");
    assertThat(result.stats().rows()).isEqualTo(3);
    assertThat(result.stats().queryId()).isNotEmpty();
  }

  @Test
  void emptyResultStillHasColumns() {
    QueryResult result =
        engine().query("SELECT n, 'a' AS name FROM UNNEST(sequence(1, 3)) AS t(n) WHERE n > 5");
    assertThat(result.rows()).isEmpty();
    assertThat(result.columns()).extracting(Column::name).containsExactly("n", "name");
  }

  @Test
  void streamHandsOverEveryRowInOrder() {
    List<Object> keys = new ArrayList<>();
    QueryStats stats =
        engine().stream(
            "SELECT n FROM UNNEST(sequence(1, 2500)) AS t(n) ORDER BY n",
            (columns, values) -> keys.add(values.getFirst()));
    assertThat(keys).hasSize(2500).startsWith(1L, 2L, 3L).endsWith(2500L);
    assertThat(stats.rows()).isEqualTo(2500);
  }

  @Test
  void streamUnorderedHandsOverEveryRowWithJdbcValues() {
    List<List<Object>> rows = new ArrayList<>();
    QueryStats stats =
        engine()
            .streamUnordered(
                """
                SELECT n, CAST(n AS double) / 4 AS d, CAST(n AS integer) AS i, CAST(n AS real) AS r,
                  n % 2 = 0 AS even, IF(n % 3 = 0, NULL, 'x' || CAST(n AS varchar)) AS label,
                  DATE '2026-02-03' AS day, TIMESTAMP '2026-01-01 10:00:00.123456' AS ts,
                  CAST('12.50' AS decimal(10,2)) AS price,
                  CAST('-123456789012345678901.5' AS decimal(25,1)) AS big,
                  ARRAY[CAST(n AS double), 0.5] AS scores, ARRAY['a', NULL] AS tags,
                  IF(n = 1, ARRAY[], ARRAY[n]) AS ids, MAP(ARRAY['k'], ARRAY[n]) AS counts
                FROM UNNEST(sequence(1, 2500)) AS t(n)""",
                (columns, values) -> rows.add(values));
    assertThat(stats.rows()).isEqualTo(2500);
    rows.sort(java.util.Comparator.comparing(row -> (Long) row.getFirst()));
    assertThat(rows).hasSize(2500);
    assertThat(rows.get(0).get(12)).isEqualTo(List.of());
    assertThat(rows.get(2).get(5)).isNull();
    assertThat(rows.get(1))
        .containsExactly(
            2L,
            0.5,
            2,
            2.0f,
            true,
            "x2",
            Date.valueOf("2026-02-03"),
            Timestamp.valueOf(LocalDateTime.parse("2026-01-01T10:00:00.123456")),
            new BigDecimal("12.50"),
            new BigDecimal("-123456789012345678901.5"),
            List.of(2.0, 0.5),
            java.util.Arrays.asList("a", null),
            List.of(2L),
            java.util.Map.of("k", 2L));
    assertThat(rows.get(2499).getFirst()).isEqualTo(2500L);
  }

  @Test
  void describeGivesTypesAndTheQuerysOwnErrorPositions() {
    assertThat(
            engine()
                .describe(
                    "SELECT n, TIMESTAMP '2026-01-01 00:00:00.000000' + n * INTERVAL '1' DAY AS ts, sum(n) OVER () AS total"
                        + " FROM UNNEST(sequence(1, 3)) AS t(n)"))
        .containsExactly(
            new Column("n", "bigint"),
            new Column("ts", "timestamp(6)"),
            new Column("total", "bigint"));
    assertThatThrownBy(
            () ->
                engine().describe("SELECT n\nFROM UNNEST(sequence(1, 3)) AS t(n)\nWHERE nope > 0"))
        .isInstanceOf(QueryEngineException.class)
        .hasMessageContaining("line 3:7: Column 'nope' cannot be resolved");
  }

  @Test
  void explainShowsThePlan() {
    assertThat(engine().explain("SELECT count(*) FROM UNNEST(sequence(1, 10)) AS t(n)"))
        .contains("Aggregate");
  }

  @Test
  void failureCarriesTheEnginesMessageAndTheStatement() {
    String sql = "SELECT no_such_column FROM UNNEST(sequence(1, 3)) AS t(n)";
    assertThatThrownBy(() -> engine().query(sql))
        .isInstanceOf(QueryEngineException.class)
        .hasMessageContaining("Column 'no_such_column' cannot be resolved")
        .satisfies(e -> assertThat(((QueryEngineException) e).sql()).isEqualTo(sql));
  }

  @Test
  void executeWritesCountsRowsAndReadsAnEarlierSnapshot() {
    String table = table("engine_contract");
    engine().execute(dropTable(table));
    QueryStats created =
        engine()
            .execute(
                createTableAs(
                    table,
                    "SELECT n, 'row ' || CAST(n AS varchar) AS label FROM UNNEST(sequence(1, 25)) AS t(n)"));
    assertThat(created.rows()).isEqualTo(25);
    long first =
        (Long)
            engine()
                .query(
                    "SELECT snapshot_id FROM %s ORDER BY committed_at DESC LIMIT 1"
                        .formatted(metadataTable(table, "snapshots")))
                .onlyValue();
    QueryStats inserted =
        engine()
            .execute(
                "INSERT INTO " + table + " SELECT n, 'more' FROM UNNEST(sequence(1, 5)) AS t(n)");
    assertThat(inserted.rows()).isEqualTo(5);
    QueryStats scan = engine().execute("SELECT * FROM " + table);
    assertThat(scan.rows()).isEqualTo(30);
    assertThat(scan.bytesScanned()).isPresent();
    assertThat(scan.bytesScanned().getAsLong()).isPositive();
    assertThat(
            engine()
                .query("SELECT count(*) FROM %s FOR VERSION AS OF %d".formatted(table, first))
                .onlyValue())
        .isEqualTo(25L);
    engine().execute(dropTable(table));
  }

  /** {@code "t$name"} of a qualified table name: Iceberg's metadata tables, the same on both. */
  protected static String metadataTable(String table, String name) {
    int dot = table.lastIndexOf('.');
    return "%s.\"%s$%s\"".formatted(table.substring(0, dot), table.substring(dot + 1), name);
  }
}
