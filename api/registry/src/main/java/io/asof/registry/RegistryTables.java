package io.asof.registry;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** The registry's tables and columns, named once for the migrations and the queries. */
final class RegistryTables {
  private RegistryTables() {}

  /** Flyway's history of the schema versions applied; Flyway creates and writes it. */
  static final Table<Record> FLYWAY_HISTORY = table(name("asof_flyway_schema_history"));

  static final Field<String> FLYWAY_VERSION = field(name("version"), SQLDataType.VARCHAR(50));
  static final Field<Boolean> FLYWAY_SUCCESS =
      field(name("success"), SQLDataType.BOOLEAN.notNull());

  /**
   * The history the registry's own runner kept before Flyway (one row per version it applied); read
   * once, when Flyway adopts such a registry, and never written again.
   */
  static final Table<Record> OLD_HISTORY = table(name("asof_schema_history"));

  static final Field<Integer> OLD_HISTORY_VERSION =
      field(name("version"), SQLDataType.INTEGER.notNull());

  static final Table<Record> VIEWS = table(name("asof_feature_views"));
  static final Field<String> VIEW_NAME = field(name("name"), SQLDataType.VARCHAR(200).notNull());
  static final Field<Integer> VIEW_VERSION = field(name("version"), SQLDataType.INTEGER.notNull());
  static final Field<String> VIEW_FINGERPRINT =
      field(name("fingerprint"), SQLDataType.VARCHAR(64).notNull());
  static final Field<String> VIEW_ENTITY =
      field(name("entity"), SQLDataType.VARCHAR(200).notNull());
  static final Field<String> VIEW_KEY_COLUMNS =
      field(name("key_columns"), SQLDataType.VARCHAR(2000).notNull());
  static final Field<String> VIEW_EVENT_TIME =
      field(name("event_time"), SQLDataType.VARCHAR(200).notNull());
  static final Field<String> VIEW_CREATED_TIME =
      field(name("created_time"), SQLDataType.VARCHAR(200).null_());
  static final Field<Long> VIEW_TTL_SECONDS =
      field(name("ttl_seconds"), SQLDataType.BIGINT.null_());
  static final Field<String> VIEW_MATERIALIZATION =
      field(name("materialization"), SQLDataType.VARCHAR(20).notNull());
  static final Field<Boolean> VIEW_ONLINE = field(name("online"), SQLDataType.BOOLEAN.notNull());
  static final Field<String> VIEW_OWNER = field(name("owner"), SQLDataType.VARCHAR(200).notNull());
  static final Field<String> VIEW_DESCRIPTION =
      field(name("description"), SQLDataType.CLOB.notNull());
  static final Field<String> VIEW_SQL = field(name("sql"), SQLDataType.CLOB.notNull());
  static final Field<OffsetDateTime> VIEW_APPLIED_AT =
      field(name("applied_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());

  static final Table<Record> COLUMNS = table(name("asof_feature_columns"));
  static final Field<String> COLUMN_VIEW =
      field(name("view_name"), SQLDataType.VARCHAR(200).notNull());
  static final Field<Integer> COLUMN_POSITION =
      field(name("position"), SQLDataType.INTEGER.notNull());
  static final Field<String> COLUMN_NAME = field(name("name"), SQLDataType.VARCHAR(200).notNull());
  static final Field<String> COLUMN_TYPE = field(name("type"), SQLDataType.VARCHAR(200).notNull());

  static final Table<Record> BUILDS = table(name("asof_training_builds"));
  static final Field<String> BUILD_NAME = field(name("name"), SQLDataType.VARCHAR(200).notNull());
  static final Field<String> BUILD_TABLE =
      field(name("table_name"), SQLDataType.VARCHAR(600).notNull());
  static final Field<Long> BUILD_SNAPSHOT =
      field(name("snapshot_id"), SQLDataType.BIGINT.notNull());
  static final Field<String> BUILD_FINGERPRINT =
      field(name("fingerprint"), SQLDataType.VARCHAR(64).notNull());
  static final Field<String> BUILD_SPINE_SQL = field(name("spine_sql"), SQLDataType.CLOB.notNull());

  /** {@code view=version,view=version}, in output order. */
  static final Field<String> BUILD_FEATURE_VERSIONS =
      field(name("feature_versions"), SQLDataType.CLOB.notNull());

  static final Field<Long> BUILD_ROWS = field(name("row_count"), SQLDataType.BIGINT.notNull());
  static final Field<Long> BUILD_BYTES = field(name("byte_count"), SQLDataType.BIGINT.notNull());
  static final Field<OffsetDateTime> BUILD_AT =
      field(name("built_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());
  static final Field<Long> BUILD_MILLIS = field(name("took_ms"), SQLDataType.BIGINT.notNull());

  /** Since version 2: the source columns that feed it, comma-separated; null before. */
  static final Field<String> COLUMN_SOURCES = field(name("sources"), SQLDataType.CLOB.null_());

  static final Table<Record> BACKFILLS = table(name("asof_backfill_jobs"));
  static final Field<String> BACKFILL_ID = field(name("id"), SQLDataType.VARCHAR(64).notNull());
  static final Field<String> BACKFILL_VIEW =
      field(name("view_name"), SQLDataType.VARCHAR(200).notNull());
  static final Field<Integer> BACKFILL_VERSION =
      field(name("version"), SQLDataType.INTEGER.notNull());
  static final Field<String> BACKFILL_FINGERPRINT =
      field(name("fingerprint"), SQLDataType.VARCHAR(64).notNull());
  static final Field<String> BACKFILL_TABLE =
      field(name("table_name"), SQLDataType.VARCHAR(600).notNull());
  static final Field<OffsetDateTime> BACKFILL_FROM =
      field(name("range_from"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());
  static final Field<OffsetDateTime> BACKFILL_TO =
      field(name("range_to"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());
  static final Field<Long> BACKFILL_CHUNK_SECONDS =
      field(name("chunk_seconds"), SQLDataType.BIGINT.notNull());
  static final Field<String> BACKFILL_STATUS =
      field(name("status"), SQLDataType.VARCHAR(20).notNull());
  static final Field<OffsetDateTime> BACKFILL_STARTED =
      field(name("started_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());
  static final Field<OffsetDateTime> BACKFILL_FINISHED =
      field(name("finished_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.null_());
  static final Field<String> BACKFILL_ERROR = field(name("error"), SQLDataType.CLOB.null_());

  static final Table<Record> CHUNKS = table(name("asof_backfill_chunks"));
  static final Field<String> CHUNK_JOB = field(name("job_id"), SQLDataType.VARCHAR(64).notNull());
  static final Field<Integer> CHUNK_INDEX =
      field(name("chunk_index"), SQLDataType.INTEGER.notNull());
  static final Field<OffsetDateTime> CHUNK_FROM =
      field(name("range_from"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());
  static final Field<OffsetDateTime> CHUNK_TO =
      field(name("range_to"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());
  static final Field<String> CHUNK_STATUS =
      field(name("status"), SQLDataType.VARCHAR(20).notNull());
  static final Field<Long> CHUNK_ROWS = field(name("row_count"), SQLDataType.BIGINT.notNull());
  static final Field<Long> CHUNK_SNAPSHOT = field(name("snapshot_id"), SQLDataType.BIGINT.null_());
  static final Field<Long> CHUNK_FILES = field(name("file_count"), SQLDataType.BIGINT.notNull());
  static final Field<Long> CHUNK_BYTES = field(name("byte_count"), SQLDataType.BIGINT.notNull());
  static final Field<Long> CHUNK_MILLIS = field(name("took_ms"), SQLDataType.BIGINT.notNull());
  static final Field<OffsetDateTime> CHUNK_COMMITTED =
      field(name("committed_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.null_());
  static final Field<String> CHUNK_ERROR = field(name("error"), SQLDataType.CLOB.null_());

  /** Since version 5: statistics of each feature of a backfill chunk. */
  static final Table<Record> STATISTICS = table(name("asof_chunk_statistics"));

  static final Field<String> STATISTICS_JOB =
      field(name("job_id"), SQLDataType.VARCHAR(64).notNull());
  static final Field<Integer> STATISTICS_CHUNK =
      field(name("chunk_index"), SQLDataType.INTEGER.notNull());
  static final Field<String> STATISTICS_FEATURE =
      field(name("feature"), SQLDataType.VARCHAR(200).notNull());

  /** The feature's position among the chunk's features, from 0. */
  static final Field<Integer> STATISTICS_ORDINAL =
      field(name("ordinal"), SQLDataType.INTEGER.notNull());

  static final Field<String> STATISTICS_TYPE =
      field(name("type"), SQLDataType.VARCHAR(200).notNull());
  static final Field<Long> STATISTICS_ROWS = field(name("rows"), SQLDataType.BIGINT.notNull());
  static final Field<Long> STATISTICS_NULLS = field(name("nulls"), SQLDataType.BIGINT.notNull());
  static final Field<Double> STATISTICS_MIN = field(name("min"), SQLDataType.DOUBLE.null_());
  static final Field<Double> STATISTICS_MAX = field(name("max"), SQLDataType.DOUBLE.null_());
  static final Field<Double> STATISTICS_MEAN = field(name("mean"), SQLDataType.DOUBLE.null_());
  static final Field<Long> STATISTICS_DISTINCT =
      field(name("distinct_values"), SQLDataType.BIGINT.null_());
  static final Field<String> STATISTICS_EARLIEST =
      field(name("earliest"), SQLDataType.VARCHAR(200).null_());
  static final Field<String> STATISTICS_LATEST =
      field(name("latest"), SQLDataType.VARCHAR(200).null_());

  static final Table<Record> QUANTILES = table(name("asof_chunk_quantiles"));
  static final Field<String> QUANTILE_JOB =
      field(name("job_id"), SQLDataType.VARCHAR(64).notNull());
  static final Field<Integer> QUANTILE_CHUNK =
      field(name("chunk_index"), SQLDataType.INTEGER.notNull());
  static final Field<String> QUANTILE_FEATURE =
      field(name("feature"), SQLDataType.VARCHAR(200).notNull());
  static final Field<Double> QUANTILE_FRACTION =
      field(name("fraction"), SQLDataType.DOUBLE.notNull());
  static final Field<Double> QUANTILE_VALUE = field(name("value"), SQLDataType.DOUBLE.notNull());

  static final Table<Record> TOP_VALUES = table(name("asof_chunk_top_values"));
  static final Field<String> TOP_VALUE_JOB =
      field(name("job_id"), SQLDataType.VARCHAR(64).notNull());
  static final Field<Integer> TOP_VALUE_CHUNK =
      field(name("chunk_index"), SQLDataType.INTEGER.notNull());
  static final Field<String> TOP_VALUE_FEATURE =
      field(name("feature"), SQLDataType.VARCHAR(200).notNull());

  /** The longest top value kept; longer ones are cut. */
  static final int TOP_VALUE_LENGTH = 4000;

  /** The value's place among the most frequent, from 0 (the most frequent). */
  static final Field<Integer> TOP_VALUE_RANK = field(name("rank"), SQLDataType.INTEGER.notNull());

  /** The value, cut to {@link #TOP_VALUE_LENGTH} characters. */
  static final Field<String> TOP_VALUE_VALUE =
      field(name("value"), SQLDataType.VARCHAR(TOP_VALUE_LENGTH).notNull());

  static final Field<Long> TOP_VALUE_COUNT = field(name("count"), SQLDataType.BIGINT.notNull());

  /**
   * Since version 6: every version of every view ever applied, kept when a newer version replaces
   * it or the view is removed. Its columns are those of {@link #VIEWS} (the {@code VIEW_} fields),
   * keyed by name and version, and {@link #VERSION_RETIRED_AT}.
   */
  static final Table<Record> VERSIONS = table(name("asof_view_versions"));

  /** When the version's table was dropped; null while it is readable. */
  static final Field<OffsetDateTime> VERSION_RETIRED_AT =
      field(name("retired_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.null_());

  /**
   * Since version 6: the columns of each view version. Its columns are those of {@link #COLUMNS}
   * (the {@code COLUMN_} fields) and {@link #VERSION_COLUMN_VERSION}.
   */
  static final Table<Record> VERSION_COLUMNS = table(name("asof_view_version_columns"));

  static final Field<Integer> VERSION_COLUMN_VERSION =
      field(name("version"), SQLDataType.INTEGER.notNull());

  /**
   * Since version 11: an aggregation view's windows, in seconds, comma-separated, in header order;
   * null for any other view (and for every view applied before).
   */
  static final Field<String> VIEW_WINDOW_SECONDS =
      field(name("window_seconds"), SQLDataType.VARCHAR(2000).null_());

  /**
   * Since version 11: an aggregation view's compiled aggregation as JSON ({@link AggregationJson}),
   * what serves it online without the repository or the engine; null for any other view.
   */
  static final Field<String> VIEW_AGGREGATION =
      field(name("aggregation"), SQLDataType.CLOB.null_());

  /** What version 6 copied of an applied view into {@link #VERSIONS}, in table order. */
  static final List<Field<?>> VIEW_DEFINITION_V6 =
      List.of(
          VIEW_NAME,
          VIEW_VERSION,
          VIEW_FINGERPRINT,
          VIEW_ENTITY,
          VIEW_KEY_COLUMNS,
          VIEW_EVENT_TIME,
          VIEW_CREATED_TIME,
          VIEW_TTL_SECONDS,
          VIEW_MATERIALIZATION,
          VIEW_ONLINE,
          VIEW_OWNER,
          VIEW_DESCRIPTION,
          VIEW_SQL,
          VIEW_APPLIED_AT);

  /** What {@link #VIEWS} and {@link #VERSIONS} record of an applied view. */
  static final List<Field<?>> VIEW_DEFINITION =
      Stream.concat(VIEW_DEFINITION_V6.stream(), Stream.of(VIEW_WINDOW_SECONDS, VIEW_AGGREGATION))
          .toList();

  /** Since version 8: the column's description (a push view's COMMENT); null when it has none. */
  static final Field<String> COLUMN_DESCRIPTION =
      field(name("description"), SQLDataType.CLOB.null_());

  /** What version 6 copied of a column into {@link #VERSION_COLUMNS}. */
  static final List<Field<?>> COLUMN_DEFINITION_V6 =
      List.of(COLUMN_POSITION, COLUMN_NAME, COLUMN_TYPE, COLUMN_SOURCES);

  /**
   * What {@link #COLUMNS} and {@link #VERSION_COLUMNS} record of a column, after its view's key.
   */
  static final List<Field<?>> COLUMN_DEFINITION =
      List.of(COLUMN_POSITION, COLUMN_NAME, COLUMN_TYPE, COLUMN_SOURCES, COLUMN_DESCRIPTION);

  /** Since version 6: the moment the build read the backfilled views as of; null: as built. */
  static final Field<OffsetDateTime> BUILD_VIEWS_AS_OF =
      field(name("views_as_of"), SQLDataType.TIMESTAMPWITHTIMEZONE.null_());

  /**
   * {@code column} of {@code table}, qualified, for queries that join tables with columns of the
   * same name.
   */
  static <T> Field<T> qualified(Table<?> table, Field<T> column) {
    return field(
        table.getQualifiedName().append(column.getUnqualifiedName()), column.getDataType());
  }

  static final Table<Record> ONLINE_GROUPS = table(name("asof_online_groups"));
  static final Field<String> ONLINE_VIEW =
      field(name("view_name"), SQLDataType.VARCHAR(200).notNull());
  static final Field<Integer> ONLINE_VERSION =
      field(name("view_version"), SQLDataType.INTEGER.notNull());
  static final Field<String> ONLINE_TABLE =
      field(name("table_name"), SQLDataType.VARCHAR(300).notNull());
  static final Field<String> ONLINE_STATE = field(name("state"), SQLDataType.VARCHAR(20).notNull());
  static final Field<String> ONLINE_MODE = field(name("mode"), SQLDataType.VARCHAR(20).notNull());
  static final Field<Long> ONLINE_CACHE_REFRESH_MS =
      field(name("cache_refresh_ms"), SQLDataType.BIGINT.notNull());
  static final Field<OffsetDateTime> ONLINE_LOADED_THROUGH =
      field(name("loaded_through"), SQLDataType.TIMESTAMPWITHTIMEZONE.null_());
  static final Field<Long> ONLINE_ITEMS = field(name("items"), SQLDataType.BIGINT.notNull());
  static final Field<OffsetDateTime> ONLINE_ENABLED_AT =
      field(name("enabled_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());
  static final Field<OffsetDateTime> ONLINE_UPDATED_AT =
      field(name("updated_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());

  /** Since version 9: what each job's queries cost, one row per record (a job may have several). */
  static final Table<Record> JOB_COSTS = table(name("asof_job_costs"));

  /** The longest kind of job recorded. */
  static final int COST_KIND_LENGTH = 40;

  /** The longest job id or name recorded. */
  static final int COST_JOB_LENGTH = 400;

  /** The longest engine name recorded. */
  static final int COST_ENGINE_LENGTH = 40;

  static final Field<String> COST_KIND =
      field(name("kind"), SQLDataType.VARCHAR(COST_KIND_LENGTH).notNull());
  static final Field<String> COST_JOB =
      field(name("job"), SQLDataType.VARCHAR(COST_JOB_LENGTH).notNull());
  static final Field<String> COST_ENGINE =
      field(name("engine"), SQLDataType.VARCHAR(COST_ENGINE_LENGTH).notNull());
  static final Field<Long> COST_STATEMENTS =
      field(name("statements"), SQLDataType.BIGINT.notNull());
  static final Field<Long> COST_BYTES_SCANNED =
      field(name("bytes_scanned"), SQLDataType.BIGINT.notNull());

  /** In US dollars; a double, so that the price read back is the one recorded; null: no price. */
  static final Field<Double> COST_USD = field(name("cost_usd"), SQLDataType.DOUBLE.null_());

  static final Field<Long> COST_ELAPSED_MS =
      field(name("elapsed_ms"), SQLDataType.BIGINT.notNull());
  static final Field<OffsetDateTime> COST_RECORDED_AT =
      field(name("recorded_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());

  /**
   * Since version 10: who holds each writer's lease (a view version, the repository, a training
   * set); the name is the primary key, so two holders cannot both insert one.
   */
  static final Table<Record> LEASES = table(name("asof_leases"));

  /** The longest lease name: a view's or a training set's name (200) and a prefix. */
  static final int LEASE_NAME_LENGTH = 300;

  /** The longest command recorded of a holder; longer ones are cut. */
  static final int LEASE_COMMAND_LENGTH = 500;

  static final Field<String> LEASE_NAME =
      field(name("name"), SQLDataType.VARCHAR(LEASE_NAME_LENGTH).notNull());
  static final Field<String> LEASE_HOLDER_ID =
      field(name("holder_id"), SQLDataType.VARCHAR(64).notNull());
  static final Field<String> LEASE_HOST = field(name("host"), SQLDataType.VARCHAR(255).notNull());
  static final Field<Long> LEASE_PID = field(name("pid"), SQLDataType.BIGINT.notNull());
  static final Field<String> LEASE_COMMAND =
      field(name("command"), SQLDataType.VARCHAR(LEASE_COMMAND_LENGTH).notNull());

  /** Where the pid means one process (see {@link LeaseHolder#scope()}); empty when unknown. */
  static final Field<String> LEASE_SCOPE = field(name("scope"), SQLDataType.VARCHAR(200).notNull());

  static final Field<OffsetDateTime> LEASE_ACQUIRED_AT =
      field(name("acquired_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());
  static final Field<OffsetDateTime> LEASE_HEARTBEAT_AT =
      field(name("heartbeat_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());
  static final Field<OffsetDateTime> LEASE_EXPIRES_AT =
      field(name("expires_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());
}
