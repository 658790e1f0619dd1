package io.asof.registry;

import static io.asof.registry.RegistryTables.*;
import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import io.asof.model.Materialization;
import io.asof.model.statistics.FeatureStatistics;
import io.asof.model.statistics.FeatureStatistics.Quantile;
import io.asof.model.statistics.FeatureStatistics.ValueCount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;
import org.jooq.impl.DSL;

/**
 * The registry in a relational database through jOOQ: an embedded H2 file (the default) or
 * PostgreSQL (production). The schema is migrated (by {@link RegistrySchema}, with Flyway) when the
 * store opens.
 */
public final class JooqRegistryStore implements RegistryStore, RegistryLeases {
  private final Connection connection;
  private final DSLContext ctx;
  private final int schemaVersion;

  private JooqRegistryStore(Connection connection, DSLContext ctx, int schemaVersion) {
    this.connection = connection;
    this.ctx = ctx;
    this.schemaVersion = schemaVersion;
  }

  /** Opens (creating and migrating as needed) the registry the config names. */
  public static JooqRegistryStore open(RegistryConfig config) {
    requireNonNull(config, "config is null");
    try {
      if (!config.postgres()) {
        String file = config.jdbcUrl().substring("jdbc:h2:file:".length());
        int options = file.indexOf(';');
        if (options >= 0) {
          file = file.substring(0, options);
        }
        Path parent = Path.of(file).getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      }
      SQLDialect dialect = config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2;
      Connection connection =
          DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
      try {
        // migrated while this connection is open: Flyway's own then finds the H2 file open
        DSLContext ctx = DSL.using(connection, dialect);
        return new JooqRegistryStore(
            connection, ctx, new RegistrySchema(config, dialect).migrate(ctx));
      } catch (RuntimeException e) {
        connection.close();
        throw e;
      }
    } catch (SQLException | java.io.IOException e) {
      throw new RegistryException(
          "cannot open the registry at %s: %s".formatted(config.jdbcUrl(), e.getMessage()), e);
    }
  }

  @Override
  public synchronized List<AppliedView> views() {
    return read(null);
  }

  @Override
  public synchronized Optional<AppliedView> view(String name) {
    return read(name).stream().findFirst();
  }

  @Override
  public synchronized void apply(Collection<AppliedView> upserts, Collection<String> removals) {
    ctx.transaction(
        configuration -> {
          DSLContext tx = configuration.dsl();
          // a removed view's versions stay: its backfilled tables may still be read
          for (String name : removals) {
            tx.deleteFrom(COLUMNS).where(COLUMN_VIEW.eq(name)).execute();
            tx.deleteFrom(VIEWS).where(VIEW_NAME.eq(name)).execute();
          }
          for (AppliedView view : upserts) {
            tx.deleteFrom(COLUMNS).where(COLUMN_VIEW.eq(view.name())).execute();
            tx.deleteFrom(VIEWS).where(VIEW_NAME.eq(view.name())).execute();
            tx.insertInto(VIEWS).set(definition(view)).execute();
            insertColumns(tx, COLUMNS, Map.of(COLUMN_VIEW, view.name()), view);

            var version = VIEW_NAME.eq(view.name()).and(VIEW_VERSION.eq(view.version()));
            tx.deleteFrom(VERSION_COLUMNS)
                .where(COLUMN_VIEW.eq(view.name()).and(VERSION_COLUMN_VERSION.eq(view.version())))
                .execute();
            // replaced in place, so that a retirement recorded before stays
            if (tx.update(VERSIONS).set(definition(view)).where(version).execute() == 0) {
              tx.insertInto(VERSIONS).set(definition(view)).execute();
            }
            insertColumns(
                tx,
                VERSION_COLUMNS,
                Map.of(COLUMN_VIEW, view.name(), VERSION_COLUMN_VERSION, view.version()),
                view);
          }
        });
  }

  /** What {@link RegistryTables#VIEW_DEFINITION} records of {@code view}. */
  private static Map<Field<?>, Object> definition(AppliedView view) {
    Map<Field<?>, Object> values = new LinkedHashMap<>();
    values.put(VIEW_NAME, view.name());
    values.put(VIEW_VERSION, view.version());
    values.put(VIEW_FINGERPRINT, view.fingerprint());
    values.put(VIEW_ENTITY, view.entity());
    values.put(VIEW_KEY_COLUMNS, String.join(",", view.keyColumns()));
    values.put(VIEW_EVENT_TIME, view.eventTime());
    values.put(VIEW_CREATED_TIME, view.createdTime().orElse(null));
    values.put(VIEW_TTL_SECONDS, view.ttl().map(Duration::toSeconds).orElse(null));
    values.put(
        VIEW_WINDOW_SECONDS,
        view.windows().isEmpty()
            ? null
            : view.windows().stream()
                .map(w -> Long.toString(w.toSeconds()))
                .collect(Collectors.joining(",")));
    values.put(VIEW_AGGREGATION, view.compiled().map(AggregationJson::write).orElse(null));
    values.put(VIEW_MATERIALIZATION, view.materialization().name());
    values.put(VIEW_ONLINE, view.online());
    values.put(VIEW_OWNER, view.owner());
    values.put(VIEW_DESCRIPTION, view.description());
    values.put(VIEW_SQL, view.sql());
    values.put(VIEW_APPLIED_AT, utc(view.appliedAt()));
    return values;
  }

  /**
   * Inserts {@code view}'s columns into {@code table} ({@link RegistryTables#COLUMNS} or {@link
   * RegistryTables#VERSION_COLUMNS}), each row with {@code key}, the key of its view.
   */
  private static void insertColumns(
      DSLContext tx, Table<Record> table, Map<Field<?>, Object> key, AppliedView view) {
    int position = 0;
    for (Column column : view.columns()) {
      List<String> sources = view.lineage().get(column.name());
      Map<Field<?>, Object> values = new LinkedHashMap<>(key);
      values.put(COLUMN_POSITION, position++);
      values.put(COLUMN_NAME, column.name());
      values.put(COLUMN_TYPE, column.type());
      // null: no lineage of the column, as in a registry written before lineage was recorded
      values.put(COLUMN_SOURCES, sources == null ? null : String.join(",", sources));
      String description = view.description(column.name());
      values.put(COLUMN_DESCRIPTION, description.isEmpty() ? null : description);
      tx.insertInto(table).set(values).execute();
    }
  }

  @Override
  public synchronized List<ViewVersion> versions() {
    return readVersions(DSL.noCondition(), DSL.noCondition());
  }

  @Override
  public synchronized List<ViewVersion> versions(String name) {
    return readVersions(VIEW_NAME.eq(name), COLUMN_VIEW.eq(name));
  }

  @Override
  public synchronized Optional<ViewVersion> version(String name, int version) {
    return readVersions(
            VIEW_NAME.eq(name).and(VIEW_VERSION.eq(version)),
            COLUMN_VIEW.eq(name).and(VERSION_COLUMN_VERSION.eq(version)))
        .stream()
        .findFirst();
  }

  @Override
  public synchronized void retire(String name, int version, Instant at) {
    requireNonNull(at, "at is null");
    var key = VIEW_NAME.eq(name).and(VIEW_VERSION.eq(version));
    int updated =
        ctx.update(VERSIONS)
            .set(VERSION_RETIRED_AT, utc(at))
            .where(key.and(VERSION_RETIRED_AT.isNull()))
            .execute();
    if (updated == 1) {
      return;
    }
    Record row = ctx.select(VERSION_RETIRED_AT).from(VERSIONS).where(key).fetchOne();
    if (row == null) {
      throw new RegistryException("no view %s version %d in the registry".formatted(name, version));
    }
    throw new RegistryException(
        "%s@%d was retired at %s"
            .formatted(name, version, row.get(VERSION_RETIRED_AT).toInstant()));
  }

  @Override
  public synchronized void recordBuild(TrainingBuild build) {
    ctx.insertInto(BUILDS)
        .set(BUILD_NAME, build.name())
        .set(BUILD_TABLE, build.table())
        .set(BUILD_SNAPSHOT, build.snapshotId())
        .set(BUILD_FINGERPRINT, build.fingerprint())
        .set(BUILD_SPINE_SQL, build.spineSql())
        .set(
            BUILD_FEATURE_VERSIONS,
            build.featureVersions().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(",")))
        .set(BUILD_VIEWS_AS_OF, build.viewsAsOf().map(JooqRegistryStore::utc).orElse(null))
        .set(BUILD_ROWS, build.rows())
        .set(BUILD_BYTES, build.bytes())
        .set(BUILD_AT, utc(build.builtAt()))
        .set(BUILD_MILLIS, build.took().toMillis())
        .execute();
  }

  @Override
  public synchronized List<TrainingBuild> builds(String name) {
    return readBuilds(BUILD_NAME.eq(name));
  }

  @Override
  public synchronized List<TrainingBuild> builds() {
    return readBuilds(DSL.noCondition());
  }

  private List<TrainingBuild> readBuilds(Condition condition) {
    List<TrainingBuild> builds = new ArrayList<>();
    for (Record row :
        ctx.select()
            .from(BUILDS)
            .where(condition)
            .orderBy(BUILD_AT.desc(), BUILD_NAME, BUILD_SNAPSHOT.desc())
            .fetch()) {
      Map<String, Integer> versions = new LinkedHashMap<>();
      String text = row.get(BUILD_FEATURE_VERSIONS);
      if (!text.isEmpty()) {
        for (String pair : text.split(",", -1)) {
          int equals = pair.indexOf('=');
          versions.put(pair.substring(0, equals), Integer.parseInt(pair.substring(equals + 1)));
        }
      }
      builds.add(
          new TrainingBuild(
              row.get(BUILD_NAME),
              row.get(BUILD_TABLE),
              row.get(BUILD_SNAPSHOT),
              row.get(BUILD_FINGERPRINT),
              row.get(BUILD_SPINE_SQL),
              versions,
              Optional.ofNullable(row.get(BUILD_VIEWS_AS_OF)).map(OffsetDateTime::toInstant),
              row.get(BUILD_ROWS),
              row.get(BUILD_BYTES),
              row.get(BUILD_AT).toInstant(),
              Duration.ofMillis(row.get(BUILD_MILLIS))));
    }
    return builds;
  }

  @Override
  public synchronized void startBackfill(BackfillJob job) {
    ctx.transaction(
        configuration -> {
          DSLContext tx = configuration.dsl();
          tx.insertInto(BACKFILLS)
              .set(BACKFILL_ID, job.id())
              .set(BACKFILL_VIEW, job.view())
              .set(BACKFILL_VERSION, job.version())
              .set(BACKFILL_FINGERPRINT, job.fingerprint())
              .set(BACKFILL_TABLE, job.table())
              .set(BACKFILL_FROM, utc(job.from()))
              .set(BACKFILL_TO, utc(job.to()))
              .set(BACKFILL_CHUNK_SECONDS, job.chunk().toSeconds())
              .set(BACKFILL_STATUS, job.status().name())
              .set(BACKFILL_STARTED, utc(job.startedAt()))
              .set(BACKFILL_FINISHED, job.finishedAt().map(JooqRegistryStore::utc).orElse(null))
              .set(BACKFILL_ERROR, job.error().orElse(null))
              .execute();
          for (BackfillChunk chunk : job.chunks()) {
            tx.insertInto(CHUNKS)
                .set(CHUNK_JOB, job.id())
                .set(CHUNK_INDEX, chunk.index())
                .set(CHUNK_FROM, utc(chunk.from()))
                .set(CHUNK_TO, utc(chunk.to()))
                .set(chunkState(chunk))
                .execute();
          }
        });
  }

  @Override
  public synchronized void recordChunk(String jobId, BackfillChunk chunk) {
    int updated =
        ctx.update(CHUNKS)
            .set(chunkState(chunk))
            .where(CHUNK_JOB.eq(jobId).and(CHUNK_INDEX.eq(chunk.index())))
            .execute();
    if (updated != 1) {
      throw new RegistryException("backfill job " + jobId + " has no chunk " + chunk.index());
    }
  }

  @Override
  public synchronized void updateBackfill(
      String jobId,
      BackfillJob.Status status,
      Optional<Instant> finishedAt,
      Optional<String> error) {
    int updated =
        ctx.update(BACKFILLS)
            .set(BACKFILL_STATUS, status.name())
            .set(BACKFILL_FINISHED, finishedAt.map(JooqRegistryStore::utc).orElse(null))
            .set(BACKFILL_ERROR, error.orElse(null))
            .where(BACKFILL_ID.eq(jobId))
            .execute();
    if (updated != 1) {
      throw new RegistryException("no backfill job " + jobId);
    }
  }

  @Override
  public synchronized Optional<BackfillJob> backfill(String jobId) {
    Record row = ctx.select().from(BACKFILLS).where(BACKFILL_ID.eq(jobId)).fetchOne();
    return Optional.ofNullable(row).map(this::backfill);
  }

  @Override
  public synchronized List<BackfillJob> backfills(String view) {
    return ctx
        .select()
        .from(BACKFILLS)
        .where(BACKFILL_VIEW.eq(view))
        .orderBy(BACKFILL_STARTED.desc(), BACKFILL_ID.desc())
        .fetch()
        .stream()
        .map(this::backfill)
        .toList();
  }

  private BackfillJob backfill(Record row) {
    List<BackfillChunk> chunks = new ArrayList<>();
    for (Record chunk :
        ctx.select()
            .from(CHUNKS)
            .where(CHUNK_JOB.eq(row.get(BACKFILL_ID)))
            .orderBy(CHUNK_INDEX)
            .fetch()) {
      Long snapshot = chunk.get(CHUNK_SNAPSHOT);
      chunks.add(
          new BackfillChunk(
              chunk.get(CHUNK_INDEX),
              chunk.get(CHUNK_FROM).toInstant(),
              chunk.get(CHUNK_TO).toInstant(),
              BackfillChunk.Status.valueOf(chunk.get(CHUNK_STATUS)),
              chunk.get(CHUNK_ROWS),
              snapshot == null ? OptionalLong.empty() : OptionalLong.of(snapshot),
              chunk.get(CHUNK_FILES),
              chunk.get(CHUNK_BYTES),
              Duration.ofMillis(chunk.get(CHUNK_MILLIS)),
              Optional.ofNullable(chunk.get(CHUNK_COMMITTED)).map(OffsetDateTime::toInstant),
              Optional.ofNullable(chunk.get(CHUNK_ERROR))));
    }
    return new BackfillJob(
        row.get(BACKFILL_ID),
        row.get(BACKFILL_VIEW),
        row.get(BACKFILL_VERSION),
        row.get(BACKFILL_FINGERPRINT),
        row.get(BACKFILL_TABLE),
        row.get(BACKFILL_FROM).toInstant(),
        row.get(BACKFILL_TO).toInstant(),
        Duration.ofSeconds(row.get(BACKFILL_CHUNK_SECONDS)),
        BackfillJob.Status.valueOf(row.get(BACKFILL_STATUS)),
        row.get(BACKFILL_STARTED).toInstant(),
        Optional.ofNullable(row.get(BACKFILL_FINISHED)).map(OffsetDateTime::toInstant),
        Optional.ofNullable(row.get(BACKFILL_ERROR)),
        chunks);
  }

  @Override
  public synchronized void recordStatistics(
      String jobId, int chunkIndex, List<FeatureStatistics> statistics) {
    List<FeatureStatistics> features = List.copyOf(statistics);
    ctx.transaction(
        configuration -> {
          DSLContext tx = configuration.dsl();
          if (!tx.fetchExists(CHUNKS, CHUNK_JOB.eq(jobId).and(CHUNK_INDEX.eq(chunkIndex)))) {
            throw new RegistryException("backfill job " + jobId + " has no chunk " + chunkIndex);
          }
          tx.deleteFrom(TOP_VALUES)
              .where(TOP_VALUE_JOB.eq(jobId).and(TOP_VALUE_CHUNK.eq(chunkIndex)))
              .execute();
          tx.deleteFrom(QUANTILES)
              .where(QUANTILE_JOB.eq(jobId).and(QUANTILE_CHUNK.eq(chunkIndex)))
              .execute();
          tx.deleteFrom(STATISTICS)
              .where(STATISTICS_JOB.eq(jobId).and(STATISTICS_CHUNK.eq(chunkIndex)))
              .execute();
          if (features.isEmpty()) {
            return;
          }
          // one statement per table, whatever the number of features
          var rows =
              tx.insertInto(
                  STATISTICS,
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
                  STATISTICS_LATEST);
          var quantiles =
              tx.insertInto(
                  QUANTILES,
                  QUANTILE_JOB,
                  QUANTILE_CHUNK,
                  QUANTILE_FEATURE,
                  QUANTILE_FRACTION,
                  QUANTILE_VALUE);
          var topValues =
              tx.insertInto(
                  TOP_VALUES,
                  TOP_VALUE_JOB,
                  TOP_VALUE_CHUNK,
                  TOP_VALUE_FEATURE,
                  TOP_VALUE_RANK,
                  TOP_VALUE_VALUE,
                  TOP_VALUE_COUNT);
          boolean anyQuantile = false;
          boolean anyTopValue = false;
          for (int ordinal = 0; ordinal < features.size(); ordinal++) {
            FeatureStatistics feature = features.get(ordinal);
            rows =
                rows.values(
                    jobId,
                    chunkIndex,
                    feature.name(),
                    ordinal,
                    feature.type(),
                    feature.rows(),
                    feature.nulls(),
                    orNull(feature.min()),
                    orNull(feature.max()),
                    orNull(feature.mean()),
                    feature.distinct().isPresent() ? feature.distinct().getAsLong() : null,
                    feature.earliest().orElse(null),
                    feature.latest().orElse(null));
            for (Quantile quantile : feature.quantiles()) {
              quantiles =
                  quantiles.values(
                      jobId, chunkIndex, feature.name(), quantile.fraction(), quantile.value());
              anyQuantile = true;
            }
            List<ValueCount> tops = feature.topValues();
            for (int rank = 0; rank < tops.size(); rank++) {
              topValues =
                  topValues.values(
                      jobId,
                      chunkIndex,
                      feature.name(),
                      rank,
                      cut(tops.get(rank).value()),
                      tops.get(rank).count());
              anyTopValue = true;
            }
          }
          rows.execute();
          if (anyQuantile) {
            quantiles.execute();
          }
          if (anyTopValue) {
            topValues.execute();
          }
        });
  }

  @Override
  public synchronized List<FeatureStatistics> statistics(String jobId, int chunkIndex) {
    Map<String, List<Quantile>> quantiles = new LinkedHashMap<>();
    for (Record row :
        ctx.select(QUANTILE_FEATURE, QUANTILE_FRACTION, QUANTILE_VALUE)
            .from(QUANTILES)
            .where(QUANTILE_JOB.eq(jobId).and(QUANTILE_CHUNK.eq(chunkIndex)))
            .orderBy(QUANTILE_FEATURE, QUANTILE_FRACTION)
            .fetch()) {
      quantiles
          .computeIfAbsent(row.get(QUANTILE_FEATURE), k -> new ArrayList<>())
          .add(new Quantile(row.get(QUANTILE_FRACTION), row.get(QUANTILE_VALUE)));
    }
    Map<String, List<ValueCount>> topValues = new LinkedHashMap<>();
    for (Record row :
        ctx.select(TOP_VALUE_FEATURE, TOP_VALUE_VALUE, TOP_VALUE_COUNT)
            .from(TOP_VALUES)
            .where(TOP_VALUE_JOB.eq(jobId).and(TOP_VALUE_CHUNK.eq(chunkIndex)))
            .orderBy(TOP_VALUE_FEATURE, TOP_VALUE_RANK)
            .fetch()) {
      topValues
          .computeIfAbsent(row.get(TOP_VALUE_FEATURE), k -> new ArrayList<>())
          .add(new ValueCount(row.get(TOP_VALUE_VALUE), row.get(TOP_VALUE_COUNT)));
    }
    List<FeatureStatistics> statistics = new ArrayList<>();
    for (Record row :
        ctx.select(STATISTICS_VALUES)
            .from(STATISTICS)
            .where(STATISTICS_JOB.eq(jobId).and(STATISTICS_CHUNK.eq(chunkIndex)))
            .orderBy(STATISTICS_ORDINAL)
            .fetch()) {
      String feature = row.get(STATISTICS_FEATURE);
      statistics.add(
          featureStatistics(
              row,
              quantiles.getOrDefault(feature, List.of()),
              topValues.getOrDefault(feature, List.of())));
    }
    return statistics;
  }

  @Override
  public synchronized List<ChunkStatistics> statistics(String view, int version, String feature) {
    // the view version's jobs, for the child tables, which have the feature but not the view
    var jobs =
        ctx.select(BACKFILL_ID)
            .from(BACKFILLS)
            .where(BACKFILL_VIEW.eq(view), BACKFILL_VERSION.eq(version));
    Map<ChunkKey, List<Quantile>> quantiles = new LinkedHashMap<>();
    for (Record row :
        ctx.select(QUANTILE_JOB, QUANTILE_CHUNK, QUANTILE_FRACTION, QUANTILE_VALUE)
            .from(QUANTILES)
            .where(QUANTILE_FEATURE.eq(feature), QUANTILE_JOB.in(jobs))
            .orderBy(QUANTILE_JOB, QUANTILE_CHUNK, QUANTILE_FRACTION)
            .fetch()) {
      quantiles
          .computeIfAbsent(
              new ChunkKey(row.get(QUANTILE_JOB), row.get(QUANTILE_CHUNK)), k -> new ArrayList<>())
          .add(new Quantile(row.get(QUANTILE_FRACTION), row.get(QUANTILE_VALUE)));
    }
    Map<ChunkKey, List<ValueCount>> topValues = new LinkedHashMap<>();
    for (Record row :
        ctx.select(TOP_VALUE_JOB, TOP_VALUE_CHUNK, TOP_VALUE_VALUE, TOP_VALUE_COUNT)
            .from(TOP_VALUES)
            .where(TOP_VALUE_FEATURE.eq(feature), TOP_VALUE_JOB.in(jobs))
            .orderBy(TOP_VALUE_JOB, TOP_VALUE_CHUNK, TOP_VALUE_RANK)
            .fetch()) {
      topValues
          .computeIfAbsent(
              new ChunkKey(row.get(TOP_VALUE_JOB), row.get(TOP_VALUE_CHUNK)),
              k -> new ArrayList<>())
          .add(new ValueCount(row.get(TOP_VALUE_VALUE), row.get(TOP_VALUE_COUNT)));
    }
    // the three tables share column names (job_id, chunk_index, range_from, status): qualify
    Field<String> job = qualified(CHUNKS, CHUNK_JOB);
    Field<Integer> chunk = qualified(CHUNKS, CHUNK_INDEX);
    Field<OffsetDateTime> from = qualified(CHUNKS, CHUNK_FROM);
    Field<OffsetDateTime> to = qualified(CHUNKS, CHUNK_TO);
    List<ChunkStatistics> statistics = new ArrayList<>();
    for (Record row :
        ctx.select(job, chunk, from, to)
            .select(STATISTICS_VALUES)
            .from(BACKFILLS)
            .join(CHUNKS)
            .on(job.eq(qualified(BACKFILLS, BACKFILL_ID)))
            .join(STATISTICS)
            .on(
                qualified(STATISTICS, STATISTICS_JOB).eq(job),
                qualified(STATISTICS, STATISTICS_CHUNK).eq(chunk))
            .where(
                qualified(BACKFILLS, BACKFILL_VIEW).eq(view),
                qualified(BACKFILLS, BACKFILL_VERSION).eq(version),
                qualified(CHUNKS, CHUNK_STATUS).eq(BackfillChunk.Status.COMMITTED.name()),
                qualified(STATISTICS, STATISTICS_FEATURE).eq(feature))
            .orderBy(from, qualified(BACKFILLS, BACKFILL_STARTED), job, chunk)
            .fetch()) {
      ChunkKey key = new ChunkKey(row.get(job), row.get(chunk));
      statistics.add(
          new ChunkStatistics(
              key.job(),
              key.chunk(),
              row.get(from).toInstant(),
              row.get(to).toInstant(),
              featureStatistics(
                  row,
                  quantiles.getOrDefault(key, List.of()),
                  topValues.getOrDefault(key, List.of()))));
    }
    return statistics;
  }

  private record ChunkKey(String job, int chunk) {}

  /** The columns of a feature's statistics other than its chunk's key; unique among the tables. */
  private static final List<Field<?>> STATISTICS_VALUES =
      List.of(
          STATISTICS_FEATURE,
          STATISTICS_TYPE,
          STATISTICS_ROWS,
          STATISTICS_NULLS,
          STATISTICS_MIN,
          STATISTICS_MAX,
          STATISTICS_MEAN,
          STATISTICS_DISTINCT,
          STATISTICS_EARLIEST,
          STATISTICS_LATEST);

  private static FeatureStatistics featureStatistics(
      Record row, List<Quantile> quantiles, List<ValueCount> topValues) {
    Long distinct = row.get(STATISTICS_DISTINCT);
    return new FeatureStatistics(
        row.get(STATISTICS_FEATURE),
        row.get(STATISTICS_TYPE),
        row.get(STATISTICS_ROWS),
        row.get(STATISTICS_NULLS),
        optional(row.get(STATISTICS_MIN)),
        optional(row.get(STATISTICS_MAX)),
        optional(row.get(STATISTICS_MEAN)),
        distinct == null ? OptionalLong.empty() : OptionalLong.of(distinct),
        quantiles,
        topValues,
        Optional.ofNullable(row.get(STATISTICS_EARLIEST)),
        Optional.ofNullable(row.get(STATISTICS_LATEST)));
  }

  private static Double orNull(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }

  private static OptionalDouble optional(Double value) {
    return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /** {@code value}, cut to what the top values' column holds (not inside a surrogate pair). */
  private static String cut(String value) {
    if (value.length() <= TOP_VALUE_LENGTH) {
      return value;
    }
    int end = TOP_VALUE_LENGTH;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(0, end);
  }

  /** What changes as a chunk runs: its status, what it wrote, how long it took, why it failed. */
  private static Map<Field<?>, Object> chunkState(BackfillChunk chunk) {
    Map<Field<?>, Object> values = new LinkedHashMap<>();
    values.put(CHUNK_STATUS, chunk.status().name());
    values.put(CHUNK_ROWS, chunk.rows());
    values.put(
        CHUNK_SNAPSHOT, chunk.snapshotId().isPresent() ? chunk.snapshotId().getAsLong() : null);
    values.put(CHUNK_FILES, chunk.files());
    values.put(CHUNK_BYTES, chunk.bytes());
    values.put(CHUNK_MILLIS, chunk.took().toMillis());
    values.put(CHUNK_COMMITTED, chunk.committedAt().map(JooqRegistryStore::utc).orElse(null));
    values.put(CHUNK_ERROR, chunk.error().orElse(null));
    return values;
  }

  @Override
  public synchronized List<OnlineGroup> onlineGroups() {
    return ctx.selectFrom(ONLINE_GROUPS).orderBy(ONLINE_VIEW).fetch().stream()
        .map(JooqRegistryStore::onlineGroup)
        .toList();
  }

  @Override
  public synchronized Optional<OnlineGroup> onlineGroup(String view) {
    return ctx.selectFrom(ONLINE_GROUPS)
        .where(ONLINE_VIEW.eq(view))
        .fetchOptional()
        .map(JooqRegistryStore::onlineGroup);
  }

  @Override
  public synchronized void saveOnlineGroup(OnlineGroup group) {
    Duration refresh = group.cacheRefresh();
    boolean wholeMillis;
    try {
      wholeMillis = Duration.ofMillis(refresh.toMillis()).equals(refresh);
    } catch (ArithmeticException e) {
      wholeMillis = false; // more milliseconds than a long holds
    }
    if (refresh.isNegative() || refresh.isZero() || !wholeMillis) {
      throw new IllegalArgumentException(
          "the cache refresh of %s must be a positive whole number of milliseconds, got %s"
              .formatted(group.view(), refresh));
    }
    Map<Field<?>, Object> values = new LinkedHashMap<>();
    values.put(ONLINE_VERSION, group.version());
    values.put(ONLINE_TABLE, group.table());
    values.put(ONLINE_STATE, group.state().name());
    values.put(ONLINE_MODE, group.mode().name());
    values.put(ONLINE_CACHE_REFRESH_MS, refresh.toMillis());
    values.put(
        ONLINE_LOADED_THROUGH, group.loadedThrough().map(JooqRegistryStore::utc).orElse(null));
    values.put(ONLINE_ITEMS, group.items());
    values.put(ONLINE_ENABLED_AT, utc(group.enabledAt()));
    values.put(ONLINE_UPDATED_AT, utc(group.updatedAt()));
    ctx.transaction(
        configuration -> {
          DSLContext tx = configuration.dsl();
          int updated =
              tx.update(ONLINE_GROUPS).set(values).where(ONLINE_VIEW.eq(group.view())).execute();
          if (updated == 0) {
            tx.insertInto(ONLINE_GROUPS).set(ONLINE_VIEW, group.view()).set(values).execute();
          }
        });
  }

  @Override
  public synchronized void removeOnlineGroup(String view) {
    ctx.deleteFrom(ONLINE_GROUPS).where(ONLINE_VIEW.eq(view)).execute();
  }

  private static OnlineGroup onlineGroup(Record row) {
    return new OnlineGroup(
        row.get(ONLINE_VIEW),
        row.get(ONLINE_VERSION),
        row.get(ONLINE_TABLE),
        OnlineGroup.State.valueOf(row.get(ONLINE_STATE)),
        OnlineGroup.Mode.valueOf(row.get(ONLINE_MODE)),
        Duration.ofMillis(row.get(ONLINE_CACHE_REFRESH_MS)),
        Optional.ofNullable(row.get(ONLINE_LOADED_THROUGH)).map(OffsetDateTime::toInstant),
        row.get(ONLINE_ITEMS),
        row.get(ONLINE_ENABLED_AT).toInstant(),
        row.get(ONLINE_UPDATED_AT).toInstant());
  }

  @Override
  public synchronized void recordCost(JobCost cost) {
    requireNonNull(cost, "cost is null");
    requireFits(cost.kind(), COST_KIND_LENGTH, "kind");
    requireFits(cost.job(), COST_JOB_LENGTH, "job");
    requireFits(cost.engine(), COST_ENGINE_LENGTH, "engine");
    try {
      ctx.insertInto(JOB_COSTS)
          .set(COST_KIND, cost.kind())
          .set(COST_JOB, cost.job())
          .set(COST_ENGINE, cost.engine())
          .set(COST_STATEMENTS, cost.statements())
          .set(COST_BYTES_SCANNED, cost.bytesScanned())
          .set(COST_USD, orNull(cost.costUsd()))
          .set(COST_ELAPSED_MS, cost.elapsed().toMillis())
          .set(COST_RECORDED_AT, utc(cost.recordedAt()))
          .execute();
    } catch (DataAccessException e) {
      if (e.sqlStateClass() == SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION) {
        throw new RegistryException(
            "a cost of %s %s is already recorded at %s"
                .formatted(cost.kind(), cost.job(), cost.recordedAt()),
            e);
      }
      throw e;
    }
  }

  /** Refuses {@code value} when it is longer than its column holds, naming the limit. */
  private static void requireFits(String value, int length, String name) {
    if (value.length() > length) {
      throw new IllegalArgumentException(
          "a job cost's %s is at most %d characters, got %d: %s"
              .formatted(name, length, value.length(), value));
    }
  }

  @Override
  public synchronized List<JobCost> costs(String kind, String job) {
    requireNonNull(kind, "kind is null");
    requireNonNull(job, "job is null");
    return ctx
        .selectFrom(JOB_COSTS)
        .where(COST_KIND.eq(kind), COST_JOB.eq(job))
        .orderBy(COST_RECORDED_AT)
        .fetch()
        .stream()
        .map(JooqRegistryStore::jobCost)
        .toList();
  }

  @Override
  public synchronized List<JobCost> costs() {
    return ctx
        .selectFrom(JOB_COSTS)
        .orderBy(COST_RECORDED_AT.desc(), COST_KIND, COST_JOB)
        .fetch()
        .stream()
        .map(JooqRegistryStore::jobCost)
        .toList();
  }

  private static JobCost jobCost(Record row) {
    return new JobCost(
        row.get(COST_KIND),
        row.get(COST_JOB),
        row.get(COST_ENGINE),
        row.get(COST_STATEMENTS),
        row.get(COST_BYTES_SCANNED),
        optional(row.get(COST_USD)),
        Duration.ofMillis(row.get(COST_ELAPSED_MS)),
        row.get(COST_RECORDED_AT).toInstant());
  }

  @Override
  public synchronized Optional<LeaseRecord> acquire(LeaseRecord lease) {
    requireNonNull(lease, "lease is null");
    requireFits(lease.name(), LEASE_NAME_LENGTH, "a lease's name");
    LeaseHolder holder = lease.holder();
    String command =
        holder.command().length() > LEASE_COMMAND_LENGTH
            ? holder.command().substring(0, LEASE_COMMAND_LENGTH)
            : holder.command();
    // a few rounds at most: each ends with the lease held, or held by another unexpired holder,
    // unless that holder released or lost it in between
    for (int round = 0; round < 5; round++) {
      // an expired lease is taken over: of two takers, one deletes it, and the primary key lets
      // one insert; the condition spares a lease another taker has just inserted
      ctx.deleteFrom(LEASES)
          .where(LEASE_NAME.eq(lease.name()), LEASE_EXPIRES_AT.le(utc(lease.acquiredAt())))
          .execute();
      try {
        ctx.insertInto(LEASES)
            .set(LEASE_NAME, lease.name())
            .set(LEASE_HOLDER_ID, holder.id())
            .set(
                LEASE_HOST,
                holder.host().length() > 255 ? holder.host().substring(0, 255) : holder.host())
            .set(LEASE_PID, holder.pid())
            .set(LEASE_COMMAND, command)
            .set(LEASE_SCOPE, holder.scope())
            .set(LEASE_ACQUIRED_AT, utc(lease.acquiredAt()))
            .set(LEASE_HEARTBEAT_AT, utc(lease.heartbeatAt()))
            .set(LEASE_EXPIRES_AT, utc(lease.expiresAt()))
            .execute();
        return Optional.empty();
      } catch (DataAccessException e) {
        if (e.sqlStateClass() != SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION) {
          throw e;
        }
      }
      Optional<LeaseRecord> held = readLease(lease.name());
      if (held.isPresent() && !held.get().expired(lease.acquiredAt())) {
        return held;
      }
    }
    throw new RegistryException(
        "lease %s changed hands five times while it was being taken; try again"
            .formatted(lease.name()));
  }

  @Override
  public synchronized boolean renew(
      String name, String holderId, Instant heartbeatAt, Instant expiresAt) {
    requireNonNull(name, "name is null");
    requireNonNull(holderId, "holderId is null");
    if (!expiresAt.isAfter(heartbeatAt)) {
      throw new IllegalArgumentException(
          "lease %s would expire at %s, not after its heartbeat at %s"
              .formatted(name, expiresAt, heartbeatAt));
    }
    return ctx.update(LEASES)
            .set(LEASE_HEARTBEAT_AT, utc(heartbeatAt))
            .set(LEASE_EXPIRES_AT, utc(expiresAt))
            .where(LEASE_NAME.eq(name), LEASE_HOLDER_ID.eq(holderId))
            .execute()
        == 1;
  }

  @Override
  public synchronized void release(String name, String holderId) {
    requireNonNull(name, "name is null");
    requireNonNull(holderId, "holderId is null");
    ctx.deleteFrom(LEASES).where(LEASE_NAME.eq(name), LEASE_HOLDER_ID.eq(holderId)).execute();
  }

  @Override
  public synchronized Optional<LeaseRecord> lease(String name) {
    requireNonNull(name, "name is null");
    return readLease(name);
  }

  private Optional<LeaseRecord> readLease(String name) {
    Record row = ctx.selectFrom(LEASES).where(LEASE_NAME.eq(name)).fetchOne();
    if (row == null) {
      return Optional.empty();
    }
    return Optional.of(
        new LeaseRecord(
            row.get(LEASE_NAME),
            new LeaseHolder(
                row.get(LEASE_HOLDER_ID),
                row.get(LEASE_HOST),
                row.get(LEASE_PID),
                row.get(LEASE_COMMAND),
                row.get(LEASE_SCOPE)),
            row.get(LEASE_ACQUIRED_AT).toInstant(),
            row.get(LEASE_HEARTBEAT_AT).toInstant(),
            row.get(LEASE_EXPIRES_AT).toInstant()));
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  @Override
  public int schemaVersion() {
    return schemaVersion;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new RegistryException("cannot close the registry: " + e.getMessage(), e);
    }
  }

  private List<AppliedView> read(String only) {
    var condition = only == null ? DSL.noCondition() : VIEW_NAME.eq(only);
    var columnCondition = only == null ? DSL.noCondition() : COLUMN_VIEW.eq(only);
    Map<String, Columns> columns = new LinkedHashMap<>();
    for (Record row :
        ctx.select(COLUMN_VIEW)
            .select(COLUMN_DEFINITION)
            .from(COLUMNS)
            .where(columnCondition)
            .orderBy(COLUMN_VIEW, COLUMN_POSITION)
            .fetch()) {
      columns.computeIfAbsent(row.get(COLUMN_VIEW), k -> new Columns()).add(row);
    }
    List<AppliedView> views = new ArrayList<>();
    for (Record row : ctx.select().from(VIEWS).where(condition).orderBy(VIEW_NAME).fetch()) {
      views.add(appliedView(row, columns.getOrDefault(row.get(VIEW_NAME), new Columns())));
    }
    return views;
  }

  /** The versions {@code condition} selects, by name then newest first, with their columns. */
  private List<ViewVersion> readVersions(Condition condition, Condition columnCondition) {
    Map<VersionKey, Columns> columns = new LinkedHashMap<>();
    for (Record row :
        ctx.select(COLUMN_VIEW, VERSION_COLUMN_VERSION)
            .select(COLUMN_DEFINITION)
            .from(VERSION_COLUMNS)
            .where(columnCondition)
            .orderBy(COLUMN_VIEW, VERSION_COLUMN_VERSION, COLUMN_POSITION)
            .fetch()) {
      columns
          .computeIfAbsent(
              new VersionKey(row.get(COLUMN_VIEW), row.get(VERSION_COLUMN_VERSION)),
              k -> new Columns())
          .add(row);
    }
    List<ViewVersion> versions = new ArrayList<>();
    for (Record row :
        ctx.select()
            .from(VERSIONS)
            .where(condition)
            .orderBy(VIEW_NAME, VIEW_VERSION.desc())
            .fetch()) {
      VersionKey key = new VersionKey(row.get(VIEW_NAME), row.get(VIEW_VERSION));
      versions.add(
          new ViewVersion(
              appliedView(row, columns.getOrDefault(key, new Columns())),
              Optional.ofNullable(row.get(VERSION_RETIRED_AT)).map(OffsetDateTime::toInstant)));
    }
    return versions;
  }

  private record VersionKey(String name, int version) {}

  /** A view's columns in order, and the lineage and descriptions of those that have them. */
  private static final class Columns {
    final List<Column> columns = new ArrayList<>();
    final Map<String, List<String>> lineage = new LinkedHashMap<>();
    final Map<String, String> descriptions = new LinkedHashMap<>();

    void add(Record row) {
      String name = row.get(COLUMN_NAME);
      columns.add(new Column(name, row.get(COLUMN_TYPE)));
      // null: applied before lineage was recorded (schema version 1), or without it
      String sources = row.get(COLUMN_SOURCES);
      if (sources != null) {
        lineage.put(name, sources.isEmpty() ? List.of() : List.of(sources.split(",", -1)));
      }
      String description = row.get(COLUMN_DESCRIPTION);
      if (description != null) {
        descriptions.put(name, description);
      }
    }
  }

  /** A row of {@link RegistryTables#VIEWS} or {@link RegistryTables#VERSIONS} as a view. */
  private static AppliedView appliedView(Record row, Columns columns) {
    return new AppliedView(
        row.get(VIEW_NAME),
        row.get(VIEW_VERSION),
        row.get(VIEW_FINGERPRINT),
        row.get(VIEW_ENTITY),
        List.of(row.get(VIEW_KEY_COLUMNS).split(",", -1)),
        row.get(VIEW_EVENT_TIME),
        Optional.ofNullable(row.get(VIEW_CREATED_TIME)),
        Optional.ofNullable(row.get(VIEW_TTL_SECONDS)).map(Duration::ofSeconds),
        // null: not an aggregation view, or applied before windows were recorded (version 11)
        Optional.ofNullable(row.get(VIEW_WINDOW_SECONDS)).stream()
            .flatMap(text -> Stream.of(text.split(",", -1)))
            .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds)))
            .toList(),
        Materialization.valueOf(row.get(VIEW_MATERIALIZATION)),
        row.get(VIEW_ONLINE),
        row.get(VIEW_OWNER),
        row.get(VIEW_DESCRIPTION),
        row.get(VIEW_SQL),
        columns.columns,
        columns.lineage,
        columns.descriptions,
        row.get(VIEW_APPLIED_AT).toInstant(),
        Optional.ofNullable(row.get(VIEW_AGGREGATION)).map(AggregationJson::read));
  }
}
