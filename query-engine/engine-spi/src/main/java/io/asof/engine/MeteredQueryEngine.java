package io.asof.engine;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.intellij.lang.annotations.Language;

/**
 * An engine that adds up what the statements it runs cost (statements, bytes scanned, time and,
 * where the engine bills by use, dollars), so that a job can record its total. Thread-safe.
 */
public final class MeteredQueryEngine extends ForwardingQueryEngine {
  private final QueryEngine delegate;
  private final LongAdder statements = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder nanos = new LongAdder();
  private final DoubleAdder dollars = new DoubleAdder();
  private final LongAdder priced = new LongAdder();

  public MeteredQueryEngine(QueryEngine delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  @Override
  protected QueryEngine delegate() {
    return delegate;
  }

  /** What the statements run so far cost, together. */
  public Usage usage() {
    return new Usage(
        statements.sum(),
        bytes.sum(),
        Duration.ofNanos(nanos.sum()),
        priced.sum() == 0 ? OptionalDouble.empty() : OptionalDouble.of(dollars.sum()));
  }

  /**
   * The sum of what statements cost.
   *
   * @param costUsd empty when the engine prices nothing
   */
  public record Usage(
      long statements, long bytesScanned, Duration elapsed, OptionalDouble costUsd) {
    public Usage {
      requireNonNull(elapsed, "elapsed is null");
      requireNonNull(costUsd, "costUsd is null");
    }
  }

  private <T> T metered(QueryStats stats, T result) {
    statements.increment();
    bytes.add(stats.bytesScanned().orElse(0));
    nanos.add(stats.elapsed().toNanos());
    OptionalDouble cost = delegate.costUsd(stats);
    if (cost.isPresent()) {
      dollars.add(cost.getAsDouble());
      priced.increment();
    }
    return result;
  }

  @Override
  public QueryStats execute(@Language("SQL") String sql) {
    QueryStats stats = delegate.execute(sql);
    return metered(stats, stats);
  }

  @Override
  public QueryStats execute(@Language("SQL") String sql, Consumer<QueryProgress> progress) {
    QueryStats stats = delegate.execute(sql, progress);
    return metered(stats, stats);
  }

  @Override
  public QueryResult query(@Language("SQL") String sql) {
    QueryResult result = delegate.query(sql);
    return metered(result.stats(), result);
  }

  @Override
  public QueryStats stream(@Language("SQL") String sql, RowConsumer consumer) {
    QueryStats stats = delegate.stream(sql, consumer);
    return metered(stats, stats);
  }

  @Override
  public QueryStats streamUnordered(@Language("SQL") String sql, RowConsumer consumer) {
    QueryStats stats = delegate.streamUnordered(sql, consumer);
    return metered(stats, stats);
  }

  @Override
  public List<Column> describe(@Language("SQL") String sql) {
    statements.increment();
    return delegate.describe(sql);
  }

  @Override
  public String explain(@Language("SQL") String sql) {
    statements.increment();
    return delegate.explain(sql);
  }
}
