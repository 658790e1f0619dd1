package io.asof.compiler.catalog;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.QueryResult;
import io.asof.engine.SqlQuoting;
import io.asof.model.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Warehouse metadata read from the engine's {@code information_schema}, looked up lazily (only the
 * tables a query names) and cached until {@link #refresh()}.
 */
public final class EngineWarehouseCatalog implements WarehouseCatalog {
  private final QueryEngine engine;
  private final EngineDialect dialect;
  private final Map<String, Boolean> catalogs = new ConcurrentHashMap<>();
  private final Map<List<String>, Boolean> schemas = new ConcurrentHashMap<>();
  private final Map<List<String>, Optional<TableSchema>> tables = new ConcurrentHashMap<>();

  /** The metadata of an engine that {@code dialect} spells for (it says which catalogs exist). */
  public EngineWarehouseCatalog(QueryEngine engine, EngineDialect dialect) {
    this.engine = requireNonNull(engine, "engine is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
  }

  @Override
  public boolean catalogExists(String catalog) {
    return catalogs.computeIfAbsent(
        catalog, name -> !engine.query(dialect.catalogExistsQuery(name)).rows().isEmpty());
  }

  @Override
  public boolean schemaExists(String catalog, String schema) {
    if (!catalogExists(catalog)) {
      return false;
    }
    return schemas.computeIfAbsent(
        List.of(catalog, schema),
        key ->
            !engine
                .query(
                    "SELECT schema_name FROM %s.information_schema.schemata WHERE schema_name = %s"
                        .formatted(SqlQuoting.identifier(catalog), SqlQuoting.literal(schema)))
                .rows()
                .isEmpty());
  }

  @Override
  public Optional<TableSchema> table(String catalog, String schema, String table) {
    if (!schemaExists(catalog, schema)) {
      return Optional.empty();
    }
    return tables.computeIfAbsent(
        List.of(catalog, schema, table),
        key -> {
          QueryResult result;
          try {
            result =
                engine.query(
                    ("SELECT column_name, data_type FROM %s.information_schema.columns"
                            + " WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position")
                        .formatted(
                            SqlQuoting.identifier(catalog),
                            SqlQuoting.literal(schema),
                            SqlQuoting.literal(table)));
          } catch (QueryEngineException e) {
            return Optional.empty();
          }
          if (result.rows().isEmpty()) {
            return Optional.empty();
          }
          List<Column> columns = new ArrayList<>();
          for (List<Object> row : result.rows()) {
            columns.add(new Column((String) row.get(0), (String) row.get(1)));
          }
          return Optional.of(new TableSchema(catalog, schema, table, columns));
        });
  }

  @Override
  public void refresh() {
    catalogs.clear();
    schemas.clear();
    tables.clear();
  }
}
