package io.asof.compiler.catalog;

import io.asof.engine.SqlQuoting;

/**
 * The statements that read the engine's metadata — {@code information_schema}, Trino's {@code
 * system.metadata}, {@code SHOW COLUMNS}, an Iceberg table's {@code $refs}, {@code $snapshots} and
 * {@code $files}, and its rows at a snapshot — written here once, names and values through {@link
 * SqlQuoting}. Tables are given as {@code catalog.schema.table}, unquoted; each statement is in the
 * golden file {@code catalog/metadata.sql}.
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

  /** The table's columns (name, type, extra, comment), as {@code SHOW COLUMNS} lists them. */
  public static String showColumns(String table) {
    return "SHOW COLUMNS FROM " + table;
  }

  /** The snapshot of an Iceberg table's main branch: the current one, also after a rollback. */
  public static String mainBranchSnapshot(String table) {
    return "SELECT snapshot_id FROM %s WHERE name = 'main' AND type = 'BRANCH'"
        .formatted(metadataTable(table, "refs"));
  }

  /** An Iceberg table's most recently committed snapshot, no row when it has none. */
  public static String latestSnapshot(String table) {
    return "SELECT snapshot_id FROM %s ORDER BY committed_at DESC LIMIT 1"
        .formatted(metadataTable(table, "snapshots"));
  }

  /**
   * An Iceberg table's most recently committed snapshot with the data files and bytes it added
   * (text, {@code '0'} when its summary does not say).
   */
  public static String latestSnapshotAdded(String table) {
    return "SELECT snapshot_id, coalesce(element_at(summary, 'added-data-files'), '0'), coalesce(element_at(summary, 'added-files-size'), '0') FROM %s ORDER BY committed_at DESC LIMIT 1"
        .formatted(metadataTable(table, "snapshots"));
  }

  /** One row when an Iceberg table has the snapshot, none otherwise. */
  public static String snapshotExists(String table, long snapshot) {
    return "SELECT 1 FROM %s WHERE snapshot_id = %d"
        .formatted(metadataTable(table, "snapshots"), snapshot);
  }

  /** An Iceberg table's latest snapshots, newest first, each as {@code id (committed at)}. */
  public static String recentSnapshots(String table, int limit) {
    return "SELECT CAST(snapshot_id AS varchar) || ' (' || CAST(committed_at AS varchar) || ')' FROM %s ORDER BY committed_at DESC LIMIT %d"
        .formatted(metadataTable(table, "snapshots"), limit);
  }

  /** The bytes of an Iceberg table's current data files (0 when it has none). */
  public static String dataBytes(String table) {
    return "SELECT coalesce(sum(file_size_in_bytes), 0) FROM %s"
        .formatted(metadataTable(table, "files"));
  }

  /** The engine's clock, as milliseconds since the epoch. */
  public static String currentTimeMillis() {
    return "SELECT CAST(to_unixtime(current_timestamp) * 1000 AS bigint)";
  }

  /** An Iceberg table's snapshots, oldest first, each with its commit time in milliseconds. */
  public static String snapshotsCommitted(String table) {
    return "SELECT snapshot_id, CAST(to_unixtime(committed_at) * 1000 AS bigint) FROM %s ORDER BY committed_at"
        .formatted(metadataTable(table, "snapshots"));
  }

  /** An Iceberg table's data files, and how many of them are under {@code smallBytes}. */
  public static String fileCounts(String table, long smallBytes) {
    return "SELECT count(*), count_if(file_size_in_bytes < %d) FROM %s"
        .formatted(smallBytes, metadataTable(table, "files"));
  }

  /** The partitions of an Iceberg table with more than one data file under {@code smallBytes}. */
  public static String partitionsWithSmallFiles(String table, long smallBytes) {
    return "SELECT count(*) FROM (SELECT 1 FROM %s WHERE file_size_in_bytes < %d GROUP BY partition HAVING count(*) > 1)"
        .formatted(metadataTable(table, "files"), smallBytes);
  }

  /** An Iceberg table's partitions (no {@code partition} column when it is not partitioned). */
  public static String partitions(String table) {
    return "SELECT * FROM " + metadataTable(table, "partitions");
  }

  /** Every row of an Iceberg table as it was at a snapshot (time travel). */
  public static String atSnapshot(String table, long snapshot) {
    return "SELECT * FROM %s FOR VERSION AS OF %d".formatted(table, snapshot);
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
