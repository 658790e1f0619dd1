package io.asof.push;

import static java.util.Objects.requireNonNull;

import io.asof.engine.SqlQuoting;
import io.asof.model.Column;
import io.asof.model.PushTables;
import io.asof.online.OnlineTable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What push ingestion needs of one version of a push view: its columns in table order, which are
 * keys and which the event time, its Iceberg table, the staging table and directory its
 * micro-batches pass through, and its online table when the view is switched online.
 *
 * @param columns the declared columns, in the table's order (the sequence column not included);
 *     pushed values are checked against these types
 * @param stored the same columns in the types the Iceberg table keeps them in ({@code tinyint} and
 *     {@code smallint} as {@code integer}, {@code char} as {@code varchar}, every timestamp as
 *     {@code timestamp(6)}), which the staging table and its Parquet files use
 * @param keys the entity's key columns, a subset of {@code columns}
 * @param eventTime the event-time column, a {@code timestamp(p)} of {@code columns}
 * @param notNull the other columns declared {@code NOT NULL}: every pushed row needs a value
 * @param table the view version's Iceberg table, fully qualified and quoted for SQL
 * @param stagingTable an unpartitioned Iceberg table with the same columns plus the sequence
 *     column, fully qualified and quoted, that each micro-batch's Parquet file is added to before
 *     it is inserted into {@code table}
 * @param ttl how long a value stays valid after its event time (online records expire then)
 * @param online the online table when the view is switched online
 * @param tiles the online aggregation views that read this view alone, whose tiles each push
 *     updates ({@link TileTarget})
 */
public record PushView(
    String name,
    int version,
    List<Column> columns,
    List<Column> stored,
    List<String> keys,
    String eventTime,
    List<String> notNull,
    String table,
    String stagingTable,
    Optional<Duration> ttl,
    Optional<OnlineTable> online,
    List<TileTarget> tiles) {
  /** The column of a push view's table holding the push-log sequence of each row's batch. */
  public static final String SEQUENCE_COLUMN = PushTables.SEQUENCE_COLUMN;

  public PushView {
    requireNonNull(name, "name is null");
    if (version < 1) {
      throw new IllegalArgumentException("version starts at 1, got " + version);
    }
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    stored = List.copyOf(requireNonNull(stored, "stored is null"));
    if (!stored.stream()
        .map(Column::name)
        .toList()
        .equals(columns.stream().map(Column::name).toList())) {
      throw new IllegalArgumentException(
          "push view %s: stored columns %s are not its columns %s"
              .formatted(name, stored, columns));
    }
    keys = List.copyOf(requireNonNull(keys, "keys is null"));
    requireNonNull(eventTime, "eventTime is null");
    notNull = List.copyOf(requireNonNull(notNull, "notNull is null"));
    requireNonNull(table, "table is null");
    requireNonNull(stagingTable, "stagingTable is null");
    requireNonNull(ttl, "ttl is null");
    requireNonNull(online, "online is null");
    tiles = List.copyOf(requireNonNull(tiles, "tiles is null"));
    List<String> names = columns.stream().map(Column::name).toList();
    for (String key : keys) {
      if (!names.contains(key)) {
        throw new IllegalArgumentException(
            "push view %s has no key column %s among %s".formatted(name, key, names));
      }
    }
    int time = names.indexOf(eventTime);
    if (time < 0 || !columns.get(time).type().startsWith("timestamp")) {
      throw new IllegalArgumentException(
          "push view %s has no timestamp column %s among %s".formatted(name, eventTime, names));
    }
  }

  /** A push view no aggregation view online reads. */
  public PushView(
      String name,
      int version,
      List<Column> columns,
      List<Column> stored,
      List<String> keys,
      String eventTime,
      List<String> notNull,
      String table,
      String stagingTable,
      Optional<Duration> ttl,
      Optional<OnlineTable> online) {
    this(
        name,
        version,
        columns,
        stored,
        keys,
        eventTime,
        notNull,
        table,
        stagingTable,
        ttl,
        online,
        List.of());
  }

  /** Whether pushes of the view are written online: its values, or aggregation views' tiles. */
  public boolean writesOnline() {
    return online.isPresent() || !tiles.isEmpty();
  }

  /**
   * The columns of the view's table and its staging table, as stored: the declared ones and the
   * sequence.
   */
  public List<Column> tableColumns() {
    List<Column> all = new java.util.ArrayList<>(stored);
    all.add(new Column(SEQUENCE_COLUMN, PushTables.SEQUENCE_TYPE));
    return all;
  }

  /** The schema of {@link #stagingTable()}: the qualified name without its last part. */
  public String stagingSchema() {
    int dot = stagingTable.lastIndexOf('.');
    if (dot < 0) {
      throw new IllegalStateException("staging table " + stagingTable + " names no schema");
    }
    return stagingTable.substring(0, dot);
  }

  /**
   * An Iceberg metadata table of {@link #table}: {@code "iceberg"."features"."v__v1$snapshots"} for
   * {@code snapshots}. A view's table name is a plain SQL name, so its part holds no dot.
   */
  public String metadataTable(String kind) {
    int dot = table.lastIndexOf('.');
    String last = table.substring(dot + 1);
    if (dot < 0 || last.length() < 2 || !last.startsWith("\"") || !last.endsWith("\"")) {
      throw new IllegalStateException("table " + table + " is not a quoted qualified name");
    }
    String name = last.substring(1, last.length() - 1).replace("\"\"", "\"");
    return table.substring(0, dot + 1) + SqlQuoting.identifier(name + "$" + kind);
  }

  /** Where a column is in {@link #columns()}; -1 when the view has none of that name. */
  public int indexOf(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    return -1;
  }

  /** {@code view@version}, for messages and metrics. */
  public String label() {
    return name + "@" + version;
  }
}
