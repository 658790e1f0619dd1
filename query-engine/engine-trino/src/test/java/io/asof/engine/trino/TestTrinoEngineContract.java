package io.asof.engine.trino;

import io.asof.engine.QueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.QueryEngineContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine contract on real Trino 476. */
@ExtendWith(AsofStackExtension.class)
class TestTrinoEngineContract extends QueryEngineContract {
  private final StackEndpoints stack;
  private final QueryEngine engine;

  TestTrinoEngineContract(StackEndpoints stack) {
    this.stack = stack;
    this.engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
  }

  @Override
  protected QueryEngine engine() {
    return engine;
  }

  @Override
  protected String table(String name) {
    return stack.warehouseTable(name);
  }

  @Override
  protected String createTableAs(String table, String query) {
    return "CREATE TABLE " + table + " AS " + query;
  }
}
