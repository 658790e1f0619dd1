package io.asof.registry;

import static io.asof.registry.RegistryTables.*;
import static java.util.Objects.requireNonNull;
import static org.jooq.impl.DSL.constraint;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jooq.DSLContext;
import org.jooq.Field;

/**
 * The registry schema's versions, in order: what each changes, written with jOOQ's DDL so that one
 * list serves H2 and PostgreSQL. {@link RegistrySchema} has Flyway apply them.
 */
final class Migrations {
  /**
   * One version of the schema.
   *
   * @param description recorded in Flyway's history, which checks it against the applied version's
   *     on every open: never reword one that has shipped
   */
  record Migration(int version, String description, Consumer<DSLContext> change) {
    Migration {
      if (version < 1) {
        throw new IllegalArgumentException("a schema version is 1 or more, got " + version);
      }
      requireNonNull(description, "description is null");
      requireNonNull(change, "change is null");
    }
  }

  private static final List<Migration> ALL =
      List.of(
          new Migration(
              1,
              "feature views and their columns",
              ctx -> {
                ctx.createTable(VIEWS)
                    .columns(
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
                        VIEW_APPLIED_AT)
                    .constraints(constraint("asof_feature_views_pk").primaryKey(VIEW_NAME))
                    .execute();
                ctx.createTable(COLUMNS)
                    .columns(COLUMN_VIEW, COLUMN_POSITION, COLUMN_NAME, COLUMN_TYPE)
                    .constraints(
                        constraint("asof_feature_columns_pk").primaryKey(COLUMN_VIEW, COLUMN_NAME),
                        constraint("asof_feature_columns_view_fk")
                            .foreignKey(COLUMN_VIEW)
                            .references(VIEWS, VIEW_NAME)
                            .onDeleteCascade())
                    .execute();
              }),
          new Migration(
              2,
              "column lineage",
              ctx -> ctx.alterTable(COLUMNS).addColumn(COLUMN_SOURCES).execute()),
          new Migration(
              3,
              "training-set builds",
              ctx ->
                  ctx.createTable(BUILDS)
                      .columns(
                          BUILD_NAME,
                          BUILD_TABLE,
                          BUILD_SNAPSHOT,
                          BUILD_FINGERPRINT,
                          BUILD_SPINE_SQL,
                          BUILD_FEATURE_VERSIONS,
                          BUILD_ROWS,
                          BUILD_BYTES,
                          BUILD_AT,
                          BUILD_MILLIS)
                      .constraints(
                          constraint("asof_training_builds_pk")
                              .primaryKey(BUILD_NAME, BUILD_SNAPSHOT))
                      .execute()),
          new Migration(
              4,
              "backfill jobs and their chunks",
              ctx -> {
                ctx.createTable(BACKFILLS)
                    .columns(
                        BACKFILL_ID,
                        BACKFILL_VIEW,
                        BACKFILL_VERSION,
                        BACKFILL_FINGERPRINT,
                        BACKFILL_TABLE,
                        BACKFILL_FROM,
                        BACKFILL_TO,
                        BACKFILL_CHUNK_SECONDS,
                        BACKFILL_STATUS,
                        BACKFILL_STARTED,
                        BACKFILL_FINISHED,
                        BACKFILL_ERROR)
                    .constraints(constraint("asof_backfill_jobs_pk").primaryKey(BACKFILL_ID))
                    .execute();
                ctx.createTable(CHUNKS)
                    .columns(
                        CHUNK_JOB,
                        CHUNK_INDEX,
                        CHUNK_FROM,
                        CHUNK_TO,
                        CHUNK_STATUS,
                        CHUNK_ROWS,
                        CHUNK_SNAPSHOT,
                        CHUNK_FILES,
                        CHUNK_BYTES,
                        CHUNK_MILLIS,
                        CHUNK_COMMITTED,
                        CHUNK_ERROR)
                    .constraints(
                        constraint("asof_backfill_chunks_pk").primaryKey(CHUNK_JOB, CHUNK_INDEX),
                        constraint("asof_backfill_chunks_job_fk")
                            .foreignKey(CHUNK_JOB)
                            .references(BACKFILLS, BACKFILL_ID)
                            .onDeleteCascade())
                    .execute();
              }),
          new Migration(
              5,
              "feature statistics of backfill chunks",
              ctx -> {
                ctx.createTable(STATISTICS)
                    .columns(
                        STATISTICS_JOB,
                        STATISTICS_CHUNK,
                        STATISTICS_FEATURE,
                        STATISTICS_ORDINAL,
                        STATISTICS_TYPE,
                        STATISTICS_ROWS,
                        STATISTICS_NULLS,
                        STATISTICS_MIN,
                        STATISTICS_MAX,
                        STATISTICS_MEAN,
                        STATISTICS_DISTINCT,
                        STATISTICS_EARLIEST,
                        STATISTICS_LATEST)
                    .constraints(
                        constraint("asof_chunk_statistics_pk")
                            .primaryKey(STATISTICS_JOB, STATISTICS_CHUNK, STATISTICS_FEATURE),
                        constraint("asof_chunk_statistics_chunk_fk")
                            .foreignKey(STATISTICS_JOB, STATISTICS_CHUNK)
                            .references(CHUNKS, CHUNK_JOB, CHUNK_INDEX)
                            .onDeleteCascade())
                    .execute();
                ctx.createTable(QUANTILES)
                    .columns(
                        QUANTILE_JOB,
                        QUANTILE_CHUNK,
                        QUANTILE_FEATURE,
                        QUANTILE_FRACTION,
                        QUANTILE_VALUE)
                    .constraints(
                        constraint("asof_chunk_quantiles_pk")
                            .primaryKey(
                                QUANTILE_JOB, QUANTILE_CHUNK, QUANTILE_FEATURE, QUANTILE_FRACTION),
                        constraint("asof_chunk_quantiles_statistics_fk")
                            .foreignKey(QUANTILE_JOB, QUANTILE_CHUNK, QUANTILE_FEATURE)
                            .references(
                                STATISTICS, STATISTICS_JOB, STATISTICS_CHUNK, STATISTICS_FEATURE)
                            .onDeleteCascade())
                    .execute();
                ctx.createTable(TOP_VALUES)
                    .columns(
                        TOP_VALUE_JOB,
                        TOP_VALUE_CHUNK,
                        TOP_VALUE_FEATURE,
                        TOP_VALUE_RANK,
                        TOP_VALUE_VALUE,
                        TOP_VALUE_COUNT)
                    .constraints(
                        constraint("asof_chunk_top_values_pk")
                            .primaryKey(
                                TOP_VALUE_JOB, TOP_VALUE_CHUNK, TOP_VALUE_FEATURE, TOP_VALUE_RANK),
                        constraint("asof_chunk_top_values_statistics_fk")
                            .foreignKey(TOP_VALUE_JOB, TOP_VALUE_CHUNK, TOP_VALUE_FEATURE)
                            .references(
                                STATISTICS, STATISTICS_JOB, STATISTICS_CHUNK, STATISTICS_FEATURE)
                            .onDeleteCascade())
                    .execute();
              }),
          new Migration(
              6,
              "feature view versions; builds' views-as-of",
              ctx -> {
                ctx.createTable(VERSIONS)
                    .columns(VIEW_DEFINITION_V6)
                    .column(VERSION_RETIRED_AT)
                    .constraints(
                        constraint("asof_view_versions_pk").primaryKey(VIEW_NAME, VIEW_VERSION))
                    .execute();
                ctx.createTable(VERSION_COLUMNS)
                    .columns(COLUMN_VIEW, VERSION_COLUMN_VERSION)
                    .columns(COLUMN_DEFINITION_V6)
                    .constraints(
                        constraint("asof_view_version_columns_pk")
                            .primaryKey(COLUMN_VIEW, VERSION_COLUMN_VERSION, COLUMN_NAME),
                        constraint("asof_view_version_columns_version_fk")
                            .foreignKey(COLUMN_VIEW, VERSION_COLUMN_VERSION)
                            .references(VERSIONS, VIEW_NAME, VIEW_VERSION)
                            .onDeleteCascade())
                    .execute();
                // the views applied so far keep their current versions, none retired
                ctx.insertInto(VERSIONS, VIEW_DEFINITION_V6)
                    .select(ctx.select(VIEW_DEFINITION_V6).from(VIEWS))
                    .execute();
                List<Field<?>> columns = new ArrayList<>();
                columns.add(qualified(COLUMNS, COLUMN_VIEW));
                columns.add(qualified(VIEWS, VIEW_VERSION));
                COLUMN_DEFINITION_V6.forEach(column -> columns.add(qualified(COLUMNS, column)));
                List<Field<?>> into = new ArrayList<>(List.of(COLUMN_VIEW, VERSION_COLUMN_VERSION));
                into.addAll(COLUMN_DEFINITION_V6);
                ctx.insertInto(VERSION_COLUMNS, into)
                    .select(
                        ctx.select(columns)
                            .from(COLUMNS)
                            .join(VIEWS)
                            .on(qualified(COLUMNS, COLUMN_VIEW).eq(qualified(VIEWS, VIEW_NAME))))
                    .execute();
                ctx.alterTable(BUILDS).addColumn(BUILD_VIEWS_AS_OF).execute();
              }),
          new Migration(
              7,
              "online groups",
              ctx ->
                  ctx.createTable(ONLINE_GROUPS)
                      .columns(
                          ONLINE_VIEW,
                          ONLINE_VERSION,
                          ONLINE_TABLE,
                          ONLINE_STATE,
                          ONLINE_MODE,
                          ONLINE_CACHE_REFRESH_MS,
                          ONLINE_LOADED_THROUGH,
                          ONLINE_ITEMS,
                          ONLINE_ENABLED_AT,
                          ONLINE_UPDATED_AT)
                      .constraints(constraint("asof_online_groups_pk").primaryKey(ONLINE_VIEW))
                      .execute()),
          new Migration(
              8,
              "column descriptions",
              ctx -> {
                ctx.alterTable(COLUMNS).addColumn(COLUMN_DESCRIPTION).execute();
                ctx.alterTable(VERSION_COLUMNS).addColumn(COLUMN_DESCRIPTION).execute();
              }),
          new Migration(
              9,
              "job costs",
              ctx ->
                  ctx.createTable(JOB_COSTS)
                      .columns(
                          COST_KIND,
                          COST_JOB,
                          COST_ENGINE,
                          COST_STATEMENTS,
                          COST_BYTES_SCANNED,
                          COST_USD,
                          COST_ELAPSED_MS,
                          COST_RECORDED_AT)
                      .constraints(
                          constraint("asof_job_costs_pk")
                              .primaryKey(COST_KIND, COST_JOB, COST_RECORDED_AT))
                      .execute()),
          new Migration(
              10,
              "writers' leases",
              ctx ->
                  ctx.createTable(LEASES)
                      .columns(
                          LEASE_NAME,
                          LEASE_HOLDER_ID,
                          LEASE_HOST,
                          LEASE_PID,
                          LEASE_COMMAND,
                          LEASE_SCOPE,
                          LEASE_ACQUIRED_AT,
                          LEASE_HEARTBEAT_AT,
                          LEASE_EXPIRES_AT)
                      .constraints(constraint("asof_leases_pk").primaryKey(LEASE_NAME))
                      .execute()),
          new Migration(
              11,
              "aggregation views' windows and compiled aggregations",
              ctx -> {
                ctx.alterTable(VIEWS).addColumn(VIEW_WINDOW_SECONDS).execute();
                ctx.alterTable(VERSIONS).addColumn(VIEW_WINDOW_SECONDS).execute();
                ctx.alterTable(VIEWS).addColumn(VIEW_AGGREGATION).execute();
                ctx.alterTable(VERSIONS).addColumn(VIEW_AGGREGATION).execute();
              }));

  private Migrations() {}

  /** The newest schema version. */
  static int latest() {
    return ALL.getLast().version();
  }

  /** Every version, oldest first. */
  static List<Migration> all() {
    return ALL;
  }
}
