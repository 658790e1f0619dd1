package io.asof.engine.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.engine.Column;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.QueryStats;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only the Trino engine does, on real Trino 476 (the rest is {@code TestTrinoEngineContract}).
 */
@ExtendWith(AsofStackExtension.class)
class TestTrinoQueryEngine {
  private final QueryEngine engine;

  TestTrinoQueryEngine(StackEndpoints stack) {
    this.engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
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
  void refusesAUrlThatIsNotTrinos() {
    assertThatThrownBy(() -> new TrinoConnectionConfig("jdbc:postgresql://x/y", "asof"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Trino JDBC URL starts with jdbc:trino://, got: jdbc:postgresql://x/y");
  }
}
