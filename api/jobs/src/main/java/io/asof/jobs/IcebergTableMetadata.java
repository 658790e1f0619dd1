package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.catalog.MetadataSql;
import io.asof.engine.QueryEngine;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the engine says about an Iceberg table: its type, columns and comment, and its snapshots and
 * files, read from the catalog's information schema and the table's metadata tables. Training-set
 * builds and the views' sources read it; nothing here writes.
 */
final class IcebergTableMetadata {
  private final QueryEngine engine;

  IcebergTableMetadata(QueryEngine engine) {
    this.engine = requireNonNull(engine, "engine is null");
  }

  /** What {@code catalog.schema} holds under {@code name}: a table, a view, nothing. */
  Optional<String> tableType(String catalog, String schema, String name) {
    List<List<Object>> rows = engine.query(MetadataSql.tableType(catalog, schema, name)).rows();
    return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.getFirst().getFirst());
  }

  /** The table's comment, if it has one. */
  Optional<String> comment(String catalog, String schema, String name) {
    List<List<Object>> rows = engine.query(MetadataSql.tableComment(catalog, schema, name)).rows();
    return rows.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable((String) rows.getFirst().getFirst());
  }

  /** The table's columns, each as its name, type and comment. */
  List<List<Object>> columns(String table) {
    return engine.query(MetadataSql.showColumns(table)).rows().stream()
        .map(row -> Arrays.asList(row.get(0), row.get(1), row.get(3)))
        .toList();
  }

  /** The names of the table's columns, in order. */
  List<String> columnNames(String catalog, String schema, String name) {
    return engine.query(MetadataSql.columnNames(catalog, schema, name)).rows().stream()
        .map(row -> (String) row.getFirst())
        .toList();
  }

  /** The snapshot of the table's main branch: the current one, also after a rollback. */
  Optional<Long> mainSnapshot(String table) {
    List<List<Object>> rows = engine.query(MetadataSql.mainBranchSnapshot(table)).rows();
    return rows.isEmpty() ? Optional.empty() : Optional.of((Long) rows.getFirst().getFirst());
  }

  /** The table's most recently committed snapshot. */
  long latestSnapshot(String table) {
    return (Long) engine.query(MetadataSql.latestSnapshot(table)).onlyValue();
  }

  /** The bytes of the table's current data files. */
  long bytes(String table) {
    return ((Number) engine.query(MetadataSql.dataBytes(table)).onlyValue()).longValue();
  }

  /**
   * Refuses a snapshot the table does not have, naming its latest five.
   *
   * @throws IllegalArgumentException when the table has no such snapshot
   */
  void checkSnapshot(String table, long snapshot) {
    if (engine.query(MetadataSql.snapshotExists(table, snapshot)).rows().isEmpty()) {
      List<String> recent =
          engine.query(MetadataSql.recentSnapshots(table, 5)).rows().stream()
              .map(row -> String.valueOf(row.getFirst()))
              .toList();
      throw new IllegalArgumentException(
          "%s has no snapshot %d (expired by ./asof maintain, or of another table); its latest: %s"
              .formatted(table, snapshot, String.join(", ", recent)));
    }
  }
}
