package io.asof.engine.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.QueryStats;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
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
  void aConnectionAsAnotherUserRunsWithItsSessionLimits(StackEndpoints stack) {
    TrinoConnectionConfig adHoc =
        new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser())
            .as(
                "asof_query",
                java.util.Map.of(
                    "query_max_execution_time", "1s", "query_max_scan_physical_bytes", "10GB"));
    try (QueryEngine limited = new TrinoQueryEngine(adHoc)) {
      assertThat(limited.query("SELECT current_user").onlyValue()).isEqualTo("asof_query");
      assertThatThrownBy(
              () ->
                  limited.query(
                      "SELECT count(*) FROM UNNEST(sequence(1, 10000)) a(x) CROSS JOIN UNNEST(sequence(1, 10000)) b(y) CROSS JOIN UNNEST(sequence(1, 1000)) c(z) WHERE x + y + z < 0"))
          .isInstanceOf(QueryEngineException.class)
          .hasMessageContaining("maximum execution time limit of 1.00s");
    }
    // the service's own connection has no such limit
    assertThat(engine.query("SELECT count(*) FROM tpch.tiny.lineitem").onlyValue())
        .isEqualTo(60175L);
    assertThatThrownBy(
            () ->
                new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser())
                    .as("u", java.util.Map.of("query_max_run_time", "1s;x:y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Trino session property");
  }

  @Test
  void anInterruptedStatementIsCancelledOnTrino() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread worker =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    engine.query(
                        "SELECT count(*) AS interrupted_one FROM UNNEST(sequence(1, 10000)) a(x) CROSS JOIN UNNEST(sequence(1, 10000)) b(y) CROSS JOIN UNNEST(sequence(1, 1000)) c(z) WHERE x + y + z < 0");
                  } catch (RuntimeException e) {
                    failure.set(e);
                  }
                });
    String running =
        "SELECT count(*) FROM system.runtime.queries WHERE state = 'RUNNING' AND query LIKE '%AS interrupted_one%' AND query NOT LIKE '%system.runtime%'";
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
    while ((Long) engine.query(running).onlyValue() == 0) {
      assertThat(System.nanoTime()).as("the query to start").isLessThan(deadline);
      Thread.sleep(100);
    }
    long interrupted = System.nanoTime();
    worker.interrupt();
    worker.join(java.time.Duration.ofSeconds(30));
    assertThat(worker.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOf(QueryEngineException.class);
    assertThat(
            engine
                .query(
                    "SELECT error_code FROM system.runtime.queries WHERE query LIKE '%AS interrupted_one%' AND query NOT LIKE '%system.runtime%'")
                .onlyValue())
        .isEqualTo("USER_CANCELED");
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - interrupted))
        .isLessThan(java.time.Duration.ofSeconds(30));
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
