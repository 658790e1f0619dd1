package io.asof.compiler.dialect;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The statements whose spelling differs between the engines Asof runs on: schemas, tables and views
 * created, rows replaced, tables compacted and their snapshots expired, and what an engine cannot
 * do at all. Queries, {@code MERGE}, {@code DELETE}, time travel and Iceberg metadata tables are
 * the same on every engine and are written without one.
 *
 * <p>Tables are named as the rest of Asof names them, {@code catalog.schema.table} without quotes;
 * a dialect whose engine takes the catalog from its context drops it. (Named apart from Calcite's
 * {@code SqlDialect}, which unparses queries and which the compiler uses beside this one.)
 */
public interface EngineDialect {
  /** The engine's name as users know it, for messages. */
  String name();

  /** Creates {@code schema} in {@code catalog} if it is not there. */
  String createSchema(String catalog, String schema);

  /**
   * Creates an empty Iceberg table if it is not there, partitioned by day of {@code
   * dayPartitionColumn} when given.
   */
  String createTable(
      String table,
      List<ColumnDefinition> columns,
      Optional<String> dayPartitionColumn,
      Optional<String> comment);

  /** Creates an unpartitioned Iceberg table holding the rows of {@code query}. */
  String createTableAs(String table, String query);

  /**
   * The statements that make {@code table} hold the rows of {@code query} as its newest snapshot,
   * creating it when {@code tableExists} is false; where {@link #replacesTables()} is false, an
   * existing table keeps its columns, so the query must yield the same ones.
   */
  List<String> replaceTableAs(
      String table, Optional<String> comment, String query, boolean tableExists);

  /** Drops a table if it is there. */
  String dropTable(String table);

  /**
   * Sets (or, empty, removes) the comment of {@code column} of {@code table}, every identifier
   * quoted; empty where the engine keeps no column comments ({@link #supportsComments()}).
   */
  Optional<String> commentOnColumn(String table, String column, Optional<String> comment);

  /**
   * Sets (or, empty, removes) the comment of {@code table}; empty where the engine keeps no
   * comments.
   */
  Optional<String> commentOnTable(String table, Optional<String> comment);

  /**
   * Makes {@code snapshotId}, an earlier snapshot of {@code table}, its current one again (columns
   * and rows as they were then, the later snapshots kept); empty where the engine cannot.
   */
  Optional<String> rollbackToSnapshot(String table, long snapshotId);

  /**
   * Creates or replaces a view, with {@code comment} where the engine keeps comments ({@link
   * #supportsComments()}).
   */
  String createOrReplaceView(String view, Optional<String> comment, String query);

  /** The statements that rewrite the table's data files under {@code smallFileBytes} into fewer. */
  List<String> optimize(String table, long smallFileBytes);

  /**
   * The statements that expire the table's snapshots older than {@code olderThan}, and their files.
   */
  List<String> expireSnapshots(String table, Duration olderThan);

  /** A query that returns a row when the engine knows {@code catalog}, and none when not. */
  String catalogExistsQuery(String catalog);

  /** Whether the engine keeps comments on views and columns ({@code COMMENT ON}). */
  boolean supportsComments();

  /**
   * Whether the engine replaces a table, its columns and its rows, in one statement and one
   * snapshot ({@code CREATE OR REPLACE TABLE}).
   */
  boolean replacesTables();

  /**
   * Whether push ingestion can commit to the engine: it adds Parquet files to a staging table with
   * Iceberg's {@code add_files} procedure.
   */
  boolean supportsPush();
}
