package io.asof.compiler.catalog;

import io.asof.engine.SqlQuoting;

/**
 * The statements that read the engine's metadata — {@code information_schema}, Trino's {@code
 * system.metadata}, and an Iceberg table's {@code $snapshots} and {@code $files} — written here
 * once, names and values through {@link SqlQuoting}. Golden file: {@code catalog/metadata.sql}.
 */
public final class MetadataSql {
  private MetadataSql() {}

  /** {@code table_type} ({@code BASE TABLE}, {@code VIEW}) of a table, no row when none. */
  public static String tableType(String catalog, String schema, String table) {
    return "SELECT table_type FROM %s.information_schema.tables WHERE %s"
        .formatted(SqlQuoting.plainOrQuoted(catalog), where(schema, table));
  }

  /** One row when the table (or view) exists, none otherwise. */
  public static String tableExists(String catalog, String schema, String table) {
    return "SELECT 1 FROM %s.information_schema.tables WHERE %s"
        .formatted(SqlQuoting.plainOrQuoted(catalog), where(schema, table));
  }

  /** The table's column names, in their order. */
  public static String columnNames(String catalog, String schema, String table) {
    return "SELECT column_name FROM %s.information_schema.columns WHERE %s ORDER BY ordinal_position"
        .formatted(SqlQuoting.plainOrQuoted(catalog), where(schema, table));
  }

  /** The table's columns declared {@code NOT NULL}. */
  public static String notNullColumns(String catalog, String schema, String table) {
    return "SELECT column_name FROM %s.information_schema.columns WHERE %s AND is_nullable = 'NO'"
        .formatted(SqlQuoting.plainOrQuoted(catalog), where(schema, table));
  }

  /** The table's comment (Trino), no row when the table does not exist. */
  public static String tableComment(String catalog, String schema, String table) {
    return "SELECT comment FROM system.metadata.table_comments WHERE catalog_name = %s AND schema_name = %s AND table_name = %s"
        .formatted(
            SqlQuoting.literal(catalog), SqlQuoting.literal(schema), SqlQuoting.literal(table));
  }

  /**
   * An Iceberg table's metadata table: {@code kind} {@code snapshots} or {@code files} of {@code
   * qualifiedTable} ({@code catalog.schema.table}, unquoted) is {@code
   * catalog.schema."table$snapshots"}.
   */
  public static String metadataTable(String qualifiedTable, String kind) {
    int dot = qualifiedTable.lastIndexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException(
          "a table is named [catalog.]schema.table, got: " + qualifiedTable);
    }
    return qualifiedTable.substring(0, dot)
        + "."
        + SqlQuoting.identifier(qualifiedTable.substring(dot + 1) + "$" + kind);
  }

  private static String where(String schema, String table) {
    return "table_schema = %s AND table_name = %s"
        .formatted(SqlQuoting.literal(schema), SqlQuoting.literal(table));
  }
}
