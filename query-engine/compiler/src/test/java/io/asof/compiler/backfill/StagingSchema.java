package io.asof.compiler.backfill;

import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;

/** A schema on the test stack's Iceberg catalog where a test class stages its chunks. */
final class StagingSchema implements AutoCloseable {
  private final QueryEngine engine;
  private final String schema;

  StagingSchema(StackEndpoints stack, String name) {
    engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
    schema = stack.catalog() + "." + name;
    engine.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
  }

  QueryEngine engine() {
    return engine;
  }

  /**
   * Creates table {@code name} afresh as {@code CREATE TABLE <name> <definition>} (columns or
   * {@code AS SELECT ...}); returns its qualified name.
   */
  String create(String name, String definition) {
    String table = schema + "." + name;
    engine.execute("DROP TABLE IF EXISTS " + table);
    engine.execute("CREATE TABLE " + table + " " + definition);
    return table;
  }

  @Override
  public void close() {
    engine.close();
  }
}
