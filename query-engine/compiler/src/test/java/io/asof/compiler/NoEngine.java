package io.asof.compiler;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryResult;
import io.asof.engine.QueryStats;
import io.asof.engine.RowConsumer;
import io.asof.model.Column;
import java.util.List;

/** An engine that fails the test when asked anything: for what must not touch the warehouse. */
public final class NoEngine implements QueryEngine {
  @Override
  public QueryStats execute(String sql) {
    throw new AssertionError("no statement should run, got: " + sql);
  }

  @Override
  public QueryResult query(String sql) {
    throw new AssertionError("no query should run, got: " + sql);
  }

  @Override
  public QueryStats stream(String sql, RowConsumer consumer) {
    throw new AssertionError("no query should run, got: " + sql);
  }

  @Override
  public List<Column> describe(String sql) {
    throw new AssertionError("nothing should be described, got: " + sql);
  }

  @Override
  public String explain(String sql) {
    throw new AssertionError("nothing should be explained, got: " + sql);
  }

  @Override
  public void close() {}
}
