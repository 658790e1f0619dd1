package io.asof.engine;

import io.asof.model.Column;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import org.intellij.lang.annotations.Language;

/**
 * An engine that hands every call to another one: decorators (metering, and tests' fault injection
 * and recording) override only what they change.
 */
public abstract class ForwardingQueryEngine implements QueryEngine {
  /** The engine calls are handed to. */
  protected abstract QueryEngine delegate();

  @Override
  public QueryStats execute(@Language("SQL") String sql) {
    return delegate().execute(sql);
  }

  @Override
  public QueryStats execute(@Language("SQL") String sql, Consumer<QueryProgress> progress) {
    return delegate().execute(sql, progress);
  }

  @Override
  public QueryResult query(@Language("SQL") String sql) {
    return delegate().query(sql);
  }

  @Override
  public QueryStats stream(@Language("SQL") String sql, RowConsumer consumer) {
    return delegate().stream(sql, consumer);
  }

  @Override
  public QueryStats streamUnordered(@Language("SQL") String sql, RowConsumer consumer) {
    return delegate().streamUnordered(sql, consumer);
  }

  @Override
  public List<Column> describe(@Language("SQL") String sql) {
    return delegate().describe(sql);
  }

  @Override
  public String explain(@Language("SQL") String sql) {
    return delegate().explain(sql);
  }

  @Override
  public OptionalDouble costUsd(QueryStats stats) {
    return delegate().costUsd(stats);
  }

  @Override
  public void close() {
    delegate().close();
  }

  @Override
  public String toString() {
    return delegate().toString();
  }
}
