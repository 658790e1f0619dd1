package io.asof.push;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryResult;
import io.asof.engine.QueryStats;
import io.asof.engine.RowConsumer;
import io.asof.model.Column;
import java.util.List;

/**
 * An engine for tests that need none: any statement fails the test. A test expecting some
 * statements overrides the methods that answer them.
 */
class NoEngine implements QueryEngine {
  static AssertionError unexpected(String sql) {
    return new AssertionError("no statement was expected, got: " + sql);
  }

  @Override
  public QueryStats execute(String sql) {
    throw unexpected(sql);
  }

  @Override
  public QueryResult query(String sql) {
    throw unexpected(sql);
  }

  @Override
  public QueryStats stream(String sql, RowConsumer consumer) {
    throw unexpected(sql);
  }

  @Override
  public List<Column> describe(String sql) {
    throw unexpected(sql);
  }

  @Override
  public String explain(String sql) {
    throw unexpected(sql);
  }

  @Override
  public void close() {}
}
