package io.asof.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.model.Column;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The metered engine adds up its statements' stats and, where the engine prices them, dollars. */
class TestMeteredQueryEngine {
  /** A hand-written engine whose every statement scans 1,000 bytes in 2 ms. */
  private static final class FixedEngine implements QueryEngine {
    private final boolean priced;

    FixedEngine(boolean priced) {
      this.priced = priced;
    }

    private static QueryStats stats() {
      return new QueryStats(
          "q", 1, OptionalLong.of(1000), Duration.ofMillis(2), OptionalLong.empty());
    }

    @Override
    public QueryStats execute(String sql) {
      return stats();
    }

    @Override
    public QueryResult query(String sql) {
      return new QueryResult(List.of(new Column("x", "bigint")), List.of(List.of(1L)), stats());
    }

    @Override
    public QueryStats stream(String sql, RowConsumer consumer) {
      return stats();
    }

    @Override
    public List<Column> describe(String sql) {
      return List.of();
    }

    @Override
    public String explain(String sql) {
      return "";
    }

    @Override
    public OptionalDouble costUsd(QueryStats stats) {
      return priced
          ? OptionalDouble.of(stats.bytesScanned().orElse(0) * 0.001)
          : OptionalDouble.empty();
    }

    @Override
    public void close() {}
  }

  @Test
  void addsUpStatementsBytesTimeAndDollars() {
    MeteredQueryEngine metered = new MeteredQueryEngine(new FixedEngine(true));
    metered.execute("INSERT");
    metered.query("SELECT");
    metered.stream("SELECT", (columns, values) -> {});
    MeteredQueryEngine.Usage usage = metered.usage();
    assertThat(usage.statements()).isEqualTo(3);
    assertThat(usage.bytesScanned()).isEqualTo(3000);
    assertThat(usage.elapsed()).isEqualTo(Duration.ofMillis(6));
    assertThat(usage.costUsd().getAsDouble()).isEqualTo(3.0);
  }

  @Test
  void anEngineWithoutPricesHasNoCost() {
    MeteredQueryEngine metered = new MeteredQueryEngine(new FixedEngine(false));
    metered.execute("INSERT");
    assertThat(metered.usage().costUsd()).isEmpty();
    assertThat(metered.usage().bytesScanned()).isEqualTo(1000);
  }
}
