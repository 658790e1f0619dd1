package io.asof.compiler.catalog;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import java.util.List;

/** A warehouse table's columns with their engine types, e.g. {@code shown_at timestamp(6)}. */
public record TableSchema(String catalog, String schema, String table, List<Column> columns) {
  public TableSchema {
    requireNonNull(catalog, "catalog is null");
    requireNonNull(schema, "schema is null");
    requireNonNull(table, "table is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
  }

  public String qualifiedName() {
    return catalog + "." + schema + "." + table;
  }
}
