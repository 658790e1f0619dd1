package io.asof.compiler;

import io.asof.compiler.catalog.TableSchema;
import io.asof.compiler.catalog.WarehouseCatalog;
import io.asof.model.Column;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Calcite schemas that look catalogs, schemas and tables up in the warehouse only when a query
 * names them, and remember which tables were read.
 */
final class WarehouseSchemas {
  private final WarehouseCatalog catalog;
  private final Map<String, TableSchema> read = new ConcurrentHashMap<>();

  /** Tables known without asking the warehouse (push views' tables), by qualified name. */
  private final Map<String, TableSchema> known;

  WarehouseSchemas(WarehouseCatalog catalog) {
    this(catalog, Map.of());
  }

  /**
   * @param known tables whose columns are known without the warehouse, by qualified name: they are
   *     found there even before they exist (a push view applied in the same run)
   */
  WarehouseSchemas(WarehouseCatalog catalog, Map<String, TableSchema> known) {
    this.catalog = catalog;
    this.known = Map.copyOf(known);
  }

  /** The root: one sub-schema per engine catalog. */
  Schema root() {
    return new LazySchema(
        name -> knows(name + ".") || catalog.catalogExists(name) ? catalogSchema(name) : null,
        Lookup.empty());
  }

  private boolean knows(String prefix) {
    return known.keySet().stream().anyMatch(name -> name.startsWith(prefix));
  }

  /** The tables a validation has read, by qualified name. */
  Map<String, TableSchema> tablesRead() {
    return Map.copyOf(read);
  }

  private Schema catalogSchema(String catalogName) {
    return new LazySchema(
        schema ->
            knows(catalogName + "." + schema + ".") || catalog.schemaExists(catalogName, schema)
                ? schemaSchema(catalogName, schema)
                : null,
        Lookup.empty());
  }

  private Schema schemaSchema(String catalogName, String schemaName) {
    return new LazySchema(
        name -> null,
        new NameLookup<>(
            table ->
                Optional.ofNullable(known.get(catalogName + "." + schemaName + "." + table))
                    .or(() -> catalog.table(catalogName, schemaName, table))
                    .map(
                        found -> {
                          read.put(found.qualifiedName(), found);
                          return (Table) new WarehouseTable(found);
                        })
                    .orElse(null)));
  }

  /** A schema whose children are found by name, never listed. */
  private static final class LazySchema extends AbstractSchema {
    private final Lookup<Schema> subSchemas;
    private final Lookup<Table> tables;

    LazySchema(Function<String, @Nullable Schema> subSchemas, Lookup<Table> tables) {
      this.subSchemas = new NameLookup<>(subSchemas);
      this.tables = tables;
    }

    @Override
    public Lookup<Schema> subSchemas() {
      return subSchemas;
    }

    @Override
    public Lookup<Table> tables() {
      return tables;
    }

    @Override
    public boolean isMutable() {
      return false;
    }
  }

  /** Engine names are lower case; a lookup in any case finds them, once, and keeps them. */
  private static final class NameLookup<T> implements Lookup<T> {
    private final Function<String, @Nullable T> load;
    private final Map<String, java.util.Optional<T>> cache = new ConcurrentHashMap<>();

    NameLookup(Function<String, @Nullable T> load) {
      this.load = load;
    }

    @Override
    public @Nullable T get(String name) {
      return cache
          .computeIfAbsent(name, n -> java.util.Optional.ofNullable(load.apply(n)))
          .orElse(null);
    }

    @Override
    public @Nullable Named<T> getIgnoreCase(String name) {
      String lower = name.toLowerCase(Locale.ROOT);
      T value = get(lower);
      return value == null ? null : new Named<>(lower, value);
    }

    @Override
    public Set<String> getNames(LikePattern pattern) {
      return Set.of();
    }
  }

  /** A warehouse table as Calcite sees it: its columns and their types. */
  private static final class WarehouseTable extends AbstractTable {
    private final TableSchema schema;

    WarehouseTable(TableSchema schema) {
      this.schema = schema;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory factory) {
      RelDataTypeFactory.Builder row = factory.builder();
      for (Column column : schema.columns()) {
        row.add(column.name(), TrinoTypes.toCalcite(column.type(), factory));
      }
      return row.build();
    }
  }
}
