package io.asof.push;

import io.asof.engine.SqlQuoting;
import io.asof.model.Column;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements a push view's micro-batch commit runs: its Parquet file is added to an empty,
 * unpartitioned staging table, then one {@code INSERT} moves the rows into the view's table, which
 * is the commit (one Iceberg snapshot); the sequence column tells afterwards which batches a table
 * holds. Names come from {@link PushView}, whose columns the repository loader checked, and are
 * quoted here.
 */
final class PushSql {
  private PushSql() {}

  static String createStagingSchema(PushView view) {
    return "CREATE SCHEMA IF NOT EXISTS " + view.stagingSchema();
  }

  static String createStagingTable(PushView view) {
    return "CREATE TABLE IF NOT EXISTS %s (\n  %s\n)"
        .formatted(
            view.stagingTable(),
            view.tableColumns().stream()
                .map(c -> SqlQuoting.identifier(c.name()) + " " + c.type())
                .collect(Collectors.joining(",\n  ")));
  }

  static String truncateStaging(PushView view) {
    return "TRUNCATE TABLE " + view.stagingTable();
  }

  /** Registers a Parquet file the engine reads at {@code file} with the staging table. */
  static String addFile(PushView view, URI file) {
    return "ALTER TABLE %s EXECUTE add_files(location => %s, format => 'PARQUET')"
        .formatted(view.stagingTable(), SqlQuoting.literal(file.toString()));
  }

  /** The commit: every staged row into the view's table, in one snapshot. */
  static String insert(PushView view) {
    String columns = names(view.tableColumns());
    return "INSERT INTO %s (%s)\nSELECT %s\nFROM %s"
        .formatted(view.table(), columns, columns, view.stagingTable());
  }

  /** The batches from {@code first} through {@code last} that the view's table holds. */
  static String committedSequences(PushView view, long first, long last) {
    String sequence = SqlQuoting.identifier(PushView.SEQUENCE_COLUMN);
    return "SELECT DISTINCT %s FROM %s WHERE %s BETWEEN %d AND %d"
        .formatted(sequence, view.table(), sequence, first, last);
  }

  /** The batches from {@code first} on that the view's table holds. */
  static String committedSequences(PushView view, long first) {
    String sequence = SqlQuoting.identifier(PushView.SEQUENCE_COLUMN);
    return "SELECT DISTINCT %s FROM %s WHERE %s >= %d"
        .formatted(sequence, view.table(), sequence, first);
  }

  /** The newest snapshot of the view's table committed at or before {@code at}, if any. */
  static String snapshotAt(PushView view, Instant at) {
    return "SELECT snapshot_id FROM %s WHERE committed_at <= from_iso8601_timestamp(%s) ORDER BY committed_at DESC LIMIT 1"
        .formatted(view.metadataTable("snapshots"), SqlQuoting.literal(at.toString()));
  }

  /** The highest batch the view's table held at {@code snapshot}, NULL when it held none. */
  static String committedThrough(PushView view, long snapshot) {
    return "SELECT max(%s) FROM %s FOR VERSION AS OF %d"
        .formatted(SqlQuoting.identifier(PushView.SEQUENCE_COLUMN), view.table(), snapshot);
  }

  /**
   * Files under this size are rewritten by compaction; bigger ones are left, so each row is
   * rewritten a few times at most however long a day's partition grows.
   */
  static final String SMALL_FILE = "32MB";

  /** Rewrites the small files of the partitions from {@code from} (a day) on into fewer. */
  static String compact(PushView view, LocalDate from) {
    return "ALTER TABLE %s EXECUTE optimize(file_size_threshold => '%s') WHERE %s >= TIMESTAMP '%s 00:00:00'"
        .formatted(view.table(), SMALL_FILE, SqlQuoting.identifier(view.eventTime()), from);
  }

  /** Drops the staging table's old snapshots, and with them the files of committed batches. */
  static String expireStaging(PushView view) {
    return "ALTER TABLE %s EXECUTE expire_snapshots(retention_threshold => '0s')"
        .formatted(view.stagingTable());
  }

  private static String names(List<Column> columns) {
    return columns.stream()
        .map(c -> SqlQuoting.identifier(c.name()))
        .collect(Collectors.joining(", "));
  }
}
