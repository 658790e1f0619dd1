package io.asof.engine.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.engine.Column;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.QueryResult;
import io.asof.engine.QueryStats;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Trino engine against real Trino 476. */
@ExtendWith(AsofStackExtension.class)
class TestTrinoQueryEngine {
  private final StackEndpoints stack;
  private final QueryEngine engine;

  TestTrinoQueryEngine(StackEndpoints stack) {
    this.stack = stack;
    this.engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
  }

  @Test
  void queryReturnsColumnsWithTrinoTypesAndRows() {
    QueryResult result =
        engine.query(
            "SELECT n, TIMESTAMP '2026-01-01 10:00:00.123456' AS ts, CAST(NULL AS varchar) AS missing"
                + " FROM UNNEST(sequence(1, 3)) AS t(n) ORDER BY n");
    assertThat(result.columns())
        .containsExactly(
            new Column("n", "bigint"),
            new Column("ts", "timestamp(6)"),
            new Column("missing", "varchar"));
    assertThat(result.rows()).hasSize(3);
    assertThat(result.rows().get(2).getFirst()).isEqualTo(3L);
    assertThat(result.rows().getFirst().get(2)).isNull();
    assertThat(result.stats().rows()).isEqualTo(3);
    assertThat(result.stats().queryId()).isNotEmpty();
  }

  @Test
  void emptyResultStillHasColumns() {
    QueryResult result = engine.query("SELECT regionkey, name FROM tpch.tiny.region WHERE false");
    assertThat(result.rows()).isEmpty();
    assertThat(result.columns()).extracting(Column::name).containsExactly("regionkey", "name");
  }

  @Test
  void executeWritesAndCountsRowsOnIceberg() {
    String table = stack.warehouseTable("engine_execute");
    engine.execute("DROP TABLE IF EXISTS " + table);
    QueryStats created =
        engine.execute("CREATE TABLE " + table + " AS SELECT * FROM tpch.tiny.nation");
    assertThat(created.rows()).isEqualTo(25);
    QueryStats inserted =
        engine.execute(
            "INSERT INTO " + table + " SELECT * FROM tpch.tiny.nation WHERE regionkey = 1");
    assertThat(inserted.rows()).isEqualTo(5);
    QueryStats scan = engine.execute("SELECT * FROM " + table);
    assertThat(scan.rows()).isEqualTo(30);
    assertThat(scan.bytesScanned()).isPresent();
    assertThat(scan.bytesScanned().getAsLong()).isPositive();
    engine.execute("DROP TABLE " + table);
  }

  @Test
  void describeGivesExactTypesWithoutRunning() {
    assertThat(
            engine.describe(
                "SELECT orderkey, totalprice, CAST(orderdate AS timestamp(6)) AS ts, sum(totalprice) OVER () AS total"
                    + " FROM tpch.sf1.orders"))
        .containsExactly(
            new Column("orderkey", "bigint"),
            new Column("totalprice", "double"),
            new Column("ts", "timestamp(6)"),
            new Column("total", "double"));
    assertThatThrownBy(() -> engine.describe("SELECT nope FROM tpch.tiny.nation"))
        .isInstanceOf(QueryEngineException.class)
        .hasMessageContaining("line 1:8: Column 'nope' cannot be resolved");
    // positions are the query's own, also past its first line
    assertThatThrownBy(() -> engine.describe("SELECT name\nFROM tpch.tiny.nation\nWHERE nope > 0"))
        .isInstanceOf(QueryEngineException.class)
        .hasMessageContaining("line 3:7: Column 'nope' cannot be resolved");
  }

  @Test
  void streamHandsOverEveryRow() {
    List<Object> keys = new ArrayList<>();
    QueryStats stats =
        engine.stream(
            "SELECT custkey FROM tpch.tiny.customer ORDER BY custkey",
            (columns, values) -> keys.add(values.getFirst()));
    assertThat(keys).hasSize(1500).startsWith(1L, 2L, 3L);
    assertThat(stats.rows()).isEqualTo(1500);
  }

  @Test
  void arraysComeBackAsLists() {
    assertThat(
            engine
                .query(
                    "SELECT ARRAY['a', NULL], ARRAY[ARRAY[1, 2]], CAST(ARRAY[] AS array(bigint))")
                .rows()
                .getFirst())
        .containsExactly(java.util.Arrays.asList("a", null), List.of(List.of(1, 2)), List.of());
  }

  @Test
  void statsReportBytesReadAndPeakMemory() {
    QueryStats stats =
        engine.stream(
            "SELECT orderstatus, count(*) FROM tpch.tiny.orders GROUP BY orderstatus",
            (columns, values) -> {});
    assertThat(stats.rows()).isEqualTo(3);
    assertThat(stats.peakMemoryBytes()).isPresent();
    assertThat(stats.peakMemoryBytes().getAsLong()).isPositive();
    assertThat(stats.queryId()).isNotEmpty();
  }

  @Test
  void explainShowsThePlan() {
    assertThat(engine.explain("SELECT count(*) FROM tpch.tiny.nation")).contains("Aggregate");
  }

  @Test
  void failureCarriesTrinosMessageAndTheStatement() {
    assertThatThrownBy(() -> engine.query("SELECT no_such_column FROM tpch.tiny.nation"))
        .isInstanceOf(QueryEngineException.class)
        .hasMessageContaining("Column 'no_such_column' cannot be resolved")
        .satisfies(
            e ->
                assertThat(((QueryEngineException) e).sql())
                    .isEqualTo("SELECT no_such_column FROM tpch.tiny.nation"));
  }

  @Test
  void refusesAUrlThatIsNotTrinos() {
    assertThatThrownBy(() -> new TrinoConnectionConfig("jdbc:postgresql://x/y", "asof"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Trino JDBC URL starts with jdbc:trino://, got: jdbc:postgresql://x/y");
  }
}
