package io.asof.compiler.catalog;

import java.util.Optional;

/** Metadata of the warehouse that feature SQL reads; names are as the engine stores them. */
public interface WarehouseCatalog {
  boolean catalogExists(String catalog);

  boolean schemaExists(String catalog, String schema);

  Optional<TableSchema> table(String catalog, String schema, String table);

  /** Forgets what was cached, so the next lookups see tables created or changed since. */
  void refresh();
}
