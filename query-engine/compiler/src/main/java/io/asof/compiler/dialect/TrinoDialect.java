package io.asof.compiler.dialect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Trino 476 with its Iceberg connector: the SQL Asof has always written. */
public final class TrinoDialect implements EngineDialect {
  @Override
  public String name() {
    return "Trino";
  }

  @Override
  public String createSchema(String catalog, String schema) {
    return "CREATE SCHEMA IF NOT EXISTS %s.%s".formatted(catalog, schema);
  }

  @Override
  public String createTable(
      String table,
      List<ColumnDefinition> columns,
      Optional<String> dayPartitionColumn,
      Optional<String> comment) {
    List<String> definitions = new ArrayList<>();
    for (ColumnDefinition column : columns) {
      definitions.add(
          Names.doubleQuoted(column.name())
              + " "
              + column.type()
              + (column.notNull() ? " NOT NULL" : "")
              + column.comment().map(c -> " COMMENT " + Names.literal(c)).orElse(""));
    }
    return "CREATE TABLE IF NOT EXISTS %s (\n  %s\n)%s%s"
        .formatted(
            table,
            String.join(",\n  ", definitions),
            comment.map(c -> "\nCOMMENT " + Names.literal(c)).orElse(""),
            dayPartitionColumn
                .map(c -> "\nWITH (partitioning = ARRAY['day(%s)'])".formatted(c))
                .orElse(""));
  }

  @Override
  public String createTableAs(String table, String query) {
    return "CREATE TABLE %s AS\n%s".formatted(table, query);
  }

  /** One {@code CREATE OR REPLACE TABLE}: one new snapshot, readers see the old rows or the new. */
  @Override
  public List<String> replaceTableAs(
      String table, Optional<String> comment, String query, boolean tableExists) {
    return List.of(
        "CREATE OR REPLACE TABLE %s\n%sAS\n%s"
            .formatted(
                table, comment.map(c -> "COMMENT " + Names.literal(c) + "\n").orElse(""), query));
  }

  @Override
  public String dropTable(String table) {
    return "DROP TABLE IF EXISTS " + table;
  }

  @Override
  public Optional<String> commentOnColumn(String table, String column, Optional<String> comment) {
    return Optional.of(
        "COMMENT ON COLUMN %s.%s IS %s"
            .formatted(
                quotedTable(table),
                Names.doubleQuoted(column),
                comment.map(Names::literal).orElse("NULL")));
  }

  @Override
  public Optional<String> commentOnTable(String table, Optional<String> comment) {
    return Optional.of(
        "COMMENT ON TABLE %s IS %s"
            .formatted(quotedTable(table), comment.map(Names::literal).orElse("NULL")));
  }

  /** Iceberg's {@code rollback_to_snapshot}, a table procedure since Trino 4xx (not a CALL). */
  @Override
  public Optional<String> rollbackToSnapshot(String table, long snapshotId) {
    return Optional.of(
        "ALTER TABLE %s EXECUTE rollback_to_snapshot(%d)"
            .formatted(quotedTable(table), snapshotId));
  }

  /** {@code catalog.schema.table}, each part quoted. */
  private static String quotedTable(String table) {
    String[] parts = table.split("\\.", -1);
    Names.TableName.parse(table); // checks the shape
    List<String> quoted = new ArrayList<>();
    for (String part : parts) {
      quoted.add(Names.doubleQuoted(part));
    }
    return String.join(".", quoted);
  }

  @Override
  public String createOrReplaceView(String view, Optional<String> comment, String query) {
    return "CREATE OR REPLACE VIEW %s\n%sAS\n%s"
        .formatted(view, comment.map(c -> "COMMENT " + Names.literal(c) + "\n").orElse(""), query);
  }

  @Override
  public List<String> optimize(String table, long smallFileBytes) {
    return List.of(
        "ALTER TABLE %s EXECUTE optimize(file_size_threshold => '%dB')"
            .formatted(table, smallFileBytes));
  }

  @Override
  public List<String> expireSnapshots(String table, Duration olderThan) {
    return List.of(
        "ALTER TABLE %s EXECUTE expire_snapshots(retention_threshold => '%ds')"
            .formatted(table, olderThan.toSeconds()));
  }

  @Override
  public String catalogExistsQuery(String catalog) {
    return "SELECT catalog_name FROM system.metadata.catalogs WHERE catalog_name = "
        + Names.literal(catalog);
  }

  @Override
  public boolean supportsComments() {
    return true;
  }

  @Override
  public boolean replacesTables() {
    return true;
  }

  @Override
  public boolean supportsPush() {
    return true;
  }

  @Override
  public String toString() {
    return name();
  }
}
