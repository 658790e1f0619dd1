package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.bi.ViewPublisher;
import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.backfill.BackfillSql;
import io.asof.compiler.backfill.ChunkStatisticsSql;
import io.asof.compiler.backfill.ExpectationFailure;
import io.asof.compiler.backfill.ExpectationSql;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.catalog.MetadataSql;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.features.repository.RepositoryLoader;
import io.asof.model.Durations;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.PushTables;
import io.asof.model.Schemas;
import io.asof.model.Suggestions;
import io.asof.model.statistics.FeatureStatistics;
import io.asof.registry.AppliedView;
import io.asof.registry.BackfillChunk;
import io.asof.registry.BackfillJob;
import io.asof.registry.Lease;
import io.asof.registry.LeaseLostException;
import io.asof.registry.RegistryStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Backfills of materialized views: a time range of a view's rows recomputed from its SQL into its
 * version's Iceberg table ({@code <catalog>.features.<view>__v<N>}), one chunk at a time.
 *
 * <p>Each chunk is staged into {@code <catalog>.asof_staging} (computed in parallel, up to {@code
 * parallel} chunks at once), checked against the view's expectations and described by per-feature
 * statistics (recorded in the registry with the chunk), then committed to the table in one {@code
 * MERGE}: one Iceberg snapshot per chunk, so readers see the old chunk or the new one. Commits run
 * one at a time and in time order, so when a chunk fails, every chunk before it is committed and
 * none after it. The registry's journal records each chunk as it is committed; a resumed job
 * ({@link #resume}) runs the chunks that are not, and re-running a committed one would give the
 * same rows anyway.
 *
 * <p>After the first commit of a version, the view's published view reads the table.
 */
public final class BackfillService {
  /** How long a stopping job waits for the chunks being staged before it drops their tables. */
  private static final Duration STAGING_DRAIN = Duration.ofMinutes(2);

  /** The chunk length when none is given. */
  public static final Duration DEFAULT_CHUNK = Duration.ofDays(7);

  /**
   * The longest chunk: a commit writes one Iceberg partition per day of its chunk, and Trino writes
   * at most 100 partitions per statement unless its catalog says otherwise ({@code
   * iceberg.max-partitions-per-writer}).
   */
  public static final Duration MAX_CHUNK = Duration.ofDays(100);

  /** The most chunks one job may have. */
  public static final int MAX_CHUNKS = 10_000;

  private static final SecureRandom IDS = new SecureRandom();

  private final QueryEngine engine;
  private final EngineDialect dialect;
  private final RegistryStore registry;
  private final java.nio.file.Path repository;
  private final String catalog;

  /** Backfills on the engine {@code dialect} spells for. */
  public BackfillService(
      QueryEngine engine,
      EngineDialect dialect,
      RegistryStore registry,
      java.nio.file.Path repository,
      String catalog) {
    this.engine = requireNonNull(engine, "engine is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.registry = requireNonNull(registry, "registry is null");
    this.repository = requireNonNull(repository, "repository is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /** The table of a view's version: {@code <catalog>.features.<view>__v<version>}. */
  public static String table(String catalog, String view, int version) {
    return PushTables.qualifiedTable(catalog, view, version);
  }

  /** The statements that fill and read a view's table, as {@code dialect}'s engine reads them. */
  public static BackfillSql statements(CompiledView view, EngineDialect dialect) {
    FeatureViewSpec spec = view.spec();
    return new BackfillSql(
        view.entity().keyColumns(), spec.eventTime(), spec.createdTime(), view.columns(), dialect);
  }

  /** Whether a chunk of the view's version has been committed to its table. */
  public static boolean backfilled(RegistryStore registry, String view, int version) {
    return registry.backfills(view).stream()
        .filter(job -> job.version() == version)
        .flatMap(job -> job.chunks().stream())
        .anyMatch(chunk -> chunk.status() == BackfillChunk.Status.COMMITTED);
  }

  /**
   * A time as the command line gives it: {@code 2026-01-01}, {@code 2026-01-01T06:00}, {@code
   * 2026-01-01 06:00:00} (UTC, as event times without a zone are read) or with an offset.
   */
  public static Instant parseTime(String text) {
    String value = text.strip().replace(' ', 'T');
    try {
      if (value.length() == 10) {
        return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
        return OffsetDateTime.parse(value).toInstant();
      }
      return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'%s' is not a time: write 2026-01-01, 2026-01-01T06:00 or 2026-01-01T06:00:00+02:00 (without an offset, UTC)"
              .formatted(text),
          e);
    }
  }

  /** The chunks of {@code [from, to)}, each {@code chunk} long but the last. */
  public static List<BackfillChunk> chunks(Instant from, Instant to, Duration chunk) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException(
          "the range is empty: --from %s is not before --to %s".formatted(from, to));
    }
    if (chunk.isNegative() || chunk.isZero()) {
      throw new IllegalArgumentException("the chunk length must be positive, got " + chunk);
    }
    if (chunk.compareTo(MAX_CHUNK) > 0) {
      throw new IllegalArgumentException(
          "--chunk %s is longer than %d days: a chunk's commit writes one Iceberg partition per day, and Trino writes at most 100 per statement (iceberg.max-partitions-per-writer); give --chunk 90d or less"
              .formatted(Durations.format(chunk), MAX_CHUNK.toDays()));
    }
    long count =
        (Duration.between(from, to).toSeconds() + chunk.toSeconds() - 1) / chunk.toSeconds();
    if (count > MAX_CHUNKS) {
      throw new IllegalArgumentException(
          "%s to %s in chunks of %s is %,d chunks, more than %,d: give a longer --chunk"
              .formatted(from, to, chunk, count, MAX_CHUNKS));
    }
    List<BackfillChunk> chunks = new ArrayList<>();
    for (Instant start = from; start.isBefore(to); start = start.plus(chunk)) {
      Instant end = start.plus(chunk).isBefore(to) ? start.plus(chunk) : to;
      chunks.add(BackfillChunk.pending(chunks.size(), start, end));
    }
    return chunks;
  }

  /**
   * Records a new job for {@code view} over {@code [from, to)}; {@link #run} runs it. The view must
   * be materialized and applied as the repository has it now, and its columns of types the engine
   * can store in an Iceberg table (Athena's cannot hold timestamps with a time zone).
   */
  public BackfillJob start(String view, Instant from, Instant to, Duration chunk) {
    List<BackfillChunk> chunks = chunks(from, to, chunk);
    Target target = target(view);
    // refuses a column the engine cannot store before anything is recorded
    statements(target.view(), dialect)
        .createTable(table(catalog, view, target.applied().version()));
    BackfillJob job =
        new BackfillJob(
            newId(),
            view,
            target.applied().version(),
            target.applied().fingerprint(),
            table(catalog, view, target.applied().version()),
            from,
            to,
            chunk,
            BackfillJob.Status.RUNNING,
            Instant.now(),
            Optional.empty(),
            Optional.empty(),
            chunks);
    registry.startBackfill(job);
    return job;
  }

  /**
   * Marks a failed or interrupted job running again, to {@link #run} what it has not committed.
   *
   * @throws IllegalArgumentException when there is no such job, it succeeded, or its view changed
   */
  public BackfillJob resume(String jobId) {
    BackfillJob job = registry.backfill(jobId).orElseThrow(() -> noSuchJob(jobId));
    if (job.status() == BackfillJob.Status.SUCCEEDED) {
      throw new IllegalArgumentException(
          "backfill job %s already succeeded: every chunk of %s to %s is committed; to recompute the range, start a new backfill"
              .formatted(jobId, job.from(), job.to()));
    }
    Target target = target(job.view());
    if (target.applied().version() != job.version()
        || !target.applied().fingerprint().equals(job.fingerprint())) {
      throw new IllegalArgumentException(
          "view %s changed since job %s started (v%d then, v%d now): its committed chunks hold the old rows; start a new backfill of the whole range"
              .formatted(job.view(), jobId, job.version(), target.applied().version()));
    }
    registry.updateBackfill(jobId, BackfillJob.Status.RUNNING, Optional.empty(), Optional.empty());
    return registry.backfill(jobId).orElseThrow();
  }

  /**
   * How far a view's version is filled: the latest end of a committed chunk, of any of its jobs.
   */
  public Optional<Instant> watermark(String view, int version) {
    return registry.backfills(view).stream()
        .filter(job -> job.version() == version)
        .flatMap(job -> job.chunks().stream())
        .filter(chunk -> chunk.status() == BackfillChunk.Status.COMMITTED)
        .map(BackfillChunk::to)
        .max(Instant::compareTo);
  }

  /**
   * Records a job catching {@code view} up: from its watermark, less {@code lookback} (late data
   * re-processed every run), to {@code now}; empty when that range is empty. The view must have
   * been backfilled once, as there is no watermark to start from otherwise.
   */
  public Optional<BackfillJob> startCatchUp(
      String view, Duration lookback, Duration chunk, Instant now) {
    if (lookback.isNegative()) {
      throw new IllegalArgumentException("--lookback is negative: " + lookback);
    }
    Target target = target(view);
    Instant watermark =
        watermark(view, target.applied().version())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "view %s (v%d) has nothing backfilled, so there is no watermark to catch up from: backfill its history first, e.g. ./asof backfill %s --from 2026-01-01 --to now"
                            .formatted(view, target.applied().version(), view)));
    Instant from = watermark.minus(lookback);
    if (!from.isBefore(now)) {
      return Optional.empty();
    }
    return Optional.of(start(view, from, now, chunk));
  }

  /** The materialized views of the repository, by name. */
  public List<String> materializedViews() {
    return RepositoryLoader.load(repository).views().stream()
        .filter(v -> v.materialization() == Materialization.MATERIALIZED)
        .map(FeatureViewSpec::name)
        .sorted()
        .toList();
  }

  /** The jobs of a view, newest first. */
  public List<BackfillJob> jobs(String view) {
    return registry.backfills(view);
  }

  /**
   * Takes the lease of the version of {@code view} applied now, which every writer of its table
   * holds (backfill, materialize, maintain, retire): take it before {@link #start} or {@link
   * #startCatchUp}, and hold it until {@link #run(Lease, BackfillJob, int, BackfillListener)} ends.
   *
   * @param doing what the caller does, e.g. {@code backfill}: the next writer is told
   * @throws IllegalArgumentException when the repository has no such view, it is not materialized,
   *     or not applied
   * @throws io.asof.registry.LeaseHeldException when another writer holds it
   */
  public Lease lease(String view, String doing) {
    backfillable(RepositoryLoader.load(repository), view);
    AppliedView applied =
        registry
            .view(view)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "view %s is not applied: run ./asof apply --repo %s first"
                            .formatted(view, repository)));
    return Lease.acquire(
        registry,
        Lease.view(view, applied.version()),
        "%s %s@%d".formatted(doing, view, applied.version()));
  }

  /**
   * Takes the lease of the view version job {@code jobId} writes, to {@link #resume} it.
   *
   * @throws IllegalArgumentException when there is no such job
   * @throws io.asof.registry.LeaseHeldException when another writer holds it
   */
  public Lease leaseOfJob(String jobId) {
    BackfillJob job = registry.backfill(jobId).orElseThrow(() -> noSuchJob(jobId));
    return Lease.acquire(
        registry,
        Lease.view(job.view(), job.version()),
        "backfill --resume %s (%s@%d)".formatted(jobId, job.view(), job.version()));
  }

  private static IllegalArgumentException noSuchJob(String jobId) {
    return new IllegalArgumentException(
        "no backfill job %s in the registry: ./asof backfill --list VIEW shows a view's jobs"
            .formatted(jobId));
  }

  /**
   * {@link #run(Lease, BackfillJob, int, BackfillListener)} under the lease of the job's view
   * version, taken here and released after.
   *
   * @throws io.asof.registry.LeaseHeldException when another writer holds it
   */
  public BackfillJob run(BackfillJob job, int parallel, BackfillListener listener) {
    try (Lease lease =
        Lease.acquire(
            registry,
            Lease.view(job.view(), job.version()),
            "backfill %s@%d (job %s)".formatted(job.view(), job.version(), job.id()))) {
      return run(lease, job, parallel, listener);
    }
  }

  /**
   * Runs the chunks of {@code job} that are not committed, staging up to {@code parallel} at once
   * and committing in time order; returns the job as the registry has it after: {@code SUCCEEDED},
   * or {@code FAILED} with the reason (the first chunk that failed says why, and no later chunk is
   * committed). {@code lease} is the job's view version's, held by the caller: a commit reads the
   * table's rows next to its chunk to set range ends, so two jobs committing into one table at once
   * would leave wrong ones. Each commit checks that it is still held.
   *
   * @throws IllegalArgumentException when {@code lease} is not the job's view version's
   */
  public BackfillJob run(Lease lease, BackfillJob job, int parallel, BackfillListener listener) {
    if (parallel < 1) {
      throw new IllegalArgumentException("--parallel must be at least 1, got " + parallel);
    }
    String needed = Lease.view(job.view(), job.version());
    if (!lease.name().equals(needed)) {
      throw new IllegalArgumentException(
          "backfill job %s writes %s@%d, so it runs under lease %s, not %s; was the view applied again meanwhile? Start the backfill again"
              .formatted(job.id(), job.view(), job.version(), needed, lease.name()));
    }
    Target target = target(job.view());
    BackfillSql sql = statements(target.view(), dialect);
    List<BackfillChunk> todo =
        job.chunks().stream().filter(c -> c.status() != BackfillChunk.Status.COMMITTED).toList();
    Instant started = Instant.now();
    listener.starting(job, todo);
    try {
      engine.execute(dialect.createSchema(catalog, Schemas.FEATURES));
      engine.execute(dialect.createSchema(catalog, Schemas.STAGING));
      engine.execute(sql.createTable(job.table()));
    } catch (QueryEngineException e) {
      return fail(job, Optional.empty(), failure(e));
    } catch (IllegalArgumentException e) {
      // a column the engine cannot store; start refuses it before a job is recorded
      return fail(job, Optional.empty(), e.getMessage());
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallel, Thread.ofPlatform().name("asof-backfill-", 1).daemon().factory());
    Deque<Future<Staged>> window = new ArrayDeque<>();
    int submitted = 0;
    long rows = 0;
    boolean published = false;
    try {
      for (int done = 0; done < todo.size(); done++) {
        while (submitted < todo.size() && window.size() < parallel) {
          BackfillChunk chunk = todo.get(submitted++);
          window.add(pool.submit(() -> stage(job, target, sql, chunk)));
        }
        BackfillChunk chunk = todo.get(done);
        Staged staged;
        try {
          staged = window.removeFirst().get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return fail(job, Optional.of(chunk), "interrupted");
        } catch (ExecutionException e) {
          String why =
              e.getCause() instanceof QueryEngineException q ? failure(q) : e.getCause().toString();
          return fail(job, Optional.of(chunk), why);
        }
        if (!staged.failures().isEmpty()) {
          dropQuietly(staged.table());
          listener.rejected(chunk, staged.failures());
          String report =
              staged.failures().stream()
                  .map(ExpectationFailure::toString)
                  .collect(Collectors.joining("\n"));
          return fail(
              job,
              Optional.of(chunk),
              "chunk %d (%s to %s) breaks %d expectation%s of view %s; it is not committed, nor are later chunks:\n%s"
                  .formatted(
                      chunk.index(),
                      chunk.from(),
                      chunk.to(),
                      staged.failures().size(),
                      staged.failures().size() == 1 ? "" : "s",
                      job.view(),
                      report));
        }
        BackfillChunk committed;
        try {
          lease.check();
          committed = commit(job, sql, staged);
        } catch (QueryEngineException e) {
          return fail(job, Optional.of(chunk), failure(e));
        } catch (LeaseLostException e) {
          return fail(job, Optional.of(chunk), e.getMessage());
        }
        registry.recordChunk(job.id(), committed);
        registry.recordStatistics(job.id(), committed.index(), staged.statistics());
        dropQuietly(staged.table());
        rows += committed.rows();
        listener.committed(
            committed, done + 1, todo.size(), rows, Duration.between(started, Instant.now()));
        if (!published) {
          try {
            new ViewPublisher(engine, dialect, catalog, Schemas.FEATURES)
                .publish(target.view(), job.version(), sql.read(job.table(), false));
          } catch (QueryEngineException e) {
            return fail(job, Optional.empty(), failure(e));
          }
          published = true;
          listener.published(job.view(), job.table());
        }
      }
    } finally {
      // let the chunks still being staged finish first: a cancelled thread does not stop the
      // statement the engine runs, which would create its table after the drops below
      long drainUntil = System.nanoTime() + STAGING_DRAIN.toNanos();
      for (Future<Staged> pending : window) {
        try {
          pending.get(Math.max(0, drainUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          // that chunk's own failure: the job's outcome is already decided
        } catch (TimeoutException e) {
          pending.cancel(true);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          pending.cancel(true);
        }
      }
      pool.shutdownNow();
      try {
        pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // when the engine is gone, what is left staged is dropped when the job is resumed
      for (BackfillChunk chunk : todo.subList(0, submitted)) {
        if (!dropQuietly(stagingTable(job, chunk))) {
          break;
        }
      }
    }
    registry.updateBackfill(
        job.id(), BackfillJob.Status.SUCCEEDED, Optional.of(Instant.now()), Optional.empty());
    return registry.backfill(job.id()).orElseThrow();
  }

  /** Where a chunk is staged: {@code <catalog>.asof_staging.<view>__v<N>__<job>__<chunk>}. */
  public String stagingTable(BackfillJob job, BackfillChunk chunk) {
    return "%s.%s.%s__v%d__%s__%d"
        .formatted(catalog, Schemas.STAGING, job.view(), job.version(), job.id(), chunk.index());
  }

  private Staged stage(BackfillJob job, Target target, BackfillSql sql, BackfillChunk chunk) {
    Instant started = Instant.now();
    String staging = stagingTable(job, chunk);
    engine.execute(dialect.dropTable(staging));
    engine.execute(sql.stage(staging, target.view().spec().sql(), chunk.from(), chunk.to()));
    FeatureViewSpec spec = target.view().spec();
    List<ExpectationFailure> failures =
        ExpectationSql.check(
            engine,
            staging,
            target.view().entity().keyColumns(),
            spec.eventTime(),
            spec.expectations());
    long rows = ((Number) engine.query(sql.stagedRows(staging)).onlyValue()).longValue();
    List<FeatureStatistics> statistics =
        failures.isEmpty()
            ? ChunkStatisticsSql.statistics(engine, staging, target.view().features())
            : List.of();
    return new Staged(
        chunk, staging, rows, failures, statistics, Duration.between(started, Instant.now()));
  }

  private BackfillChunk commit(BackfillJob job, BackfillSql sql, Staged staged) {
    Instant started = Instant.now();
    BackfillChunk chunk = staged.chunk();
    OptionalLong before =
        latestSnapshot(job.table()).map(s -> OptionalLong.of(s.id())).orElse(OptionalLong.empty());
    engine.execute(sql.commit(job.table(), staged.table(), chunk.from(), chunk.to()));
    Optional<Snapshot> after = latestSnapshot(job.table());
    boolean changed =
        after.isPresent() && (before.isEmpty() || before.getAsLong() != after.get().id());
    Instant now = Instant.now();
    return new BackfillChunk(
        chunk.index(),
        chunk.from(),
        chunk.to(),
        BackfillChunk.Status.COMMITTED,
        staged.rows(),
        changed ? OptionalLong.of(after.get().id()) : OptionalLong.empty(),
        changed ? after.get().files() : 0,
        changed ? after.get().bytes() : 0,
        staged.took().plus(Duration.between(started, now)),
        Optional.of(now),
        Optional.empty());
  }

  /** The table's newest snapshot, with what it added. */
  private Optional<Snapshot> latestSnapshot(String table) {
    List<List<Object>> rows = engine.query(MetadataSql.latestSnapshotAdded(table)).rows();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    List<Object> row = rows.getFirst();
    return Optional.of(
        new Snapshot(
            ((Number) row.get(0)).longValue(),
            Long.parseLong((String) row.get(1)),
            Long.parseLong((String) row.get(2))));
  }

  private BackfillJob fail(BackfillJob job, Optional<BackfillChunk> chunk, String reason) {
    String why =
        chunk.isPresent() && !reason.startsWith("chunk ")
            ? "chunk %d (%s to %s) failed, nothing of it is committed: %s"
                .formatted(chunk.get().index(), chunk.get().from(), chunk.get().to(), reason)
            : reason;
    chunk.ifPresent(
        c ->
            registry.recordChunk(
                job.id(),
                new BackfillChunk(
                    c.index(),
                    c.from(),
                    c.to(),
                    BackfillChunk.Status.FAILED,
                    0,
                    OptionalLong.empty(),
                    0,
                    0,
                    Duration.ZERO,
                    Optional.empty(),
                    Optional.of(why))));
    registry.updateBackfill(
        job.id(),
        BackfillJob.Status.FAILED,
        Optional.of(Instant.now()),
        Optional.of(why + "\nResume it: ./asof backfill --resume " + job.id()));
    return registry.backfill(job.id()).orElseThrow();
  }

  private static String failure(QueryEngineException e) {
    String message =
        EngineUnavailableException.of(e).map(Throwable::getMessage).orElse(e.getMessage());
    if (message.contains("open writers for partitions")) {
      return message
          + " (a chunk's commit writes into one Iceberg partition per day of the chunk, and into the day of each key's previous row; give a shorter --chunk, or raise iceberg.max-partitions-per-writer in Trino's Iceberg catalog)";
    }
    return message;
  }

  /** Drops a staging table if it is there; false when the engine does not answer. */
  private boolean dropQuietly(String table) {
    try {
      engine.execute(dialect.dropTable(table));
      return true;
    } catch (QueryEngineException e) {
      // the staging schema only holds staging tables; staging a chunk again drops its table first
      return EngineUnavailableException.of(e).isEmpty();
    }
  }

  /** Refuses a view the repository does not have, or that is not materialized, saying why. */
  private void backfillable(FeatureRepository features, String name) {
    Optional<FeatureViewSpec> spec = features.view(name);
    if (spec.isEmpty()) {
      throw new IllegalArgumentException(
          "no view %s in %s%s"
              .formatted(
                  name,
                  repository,
                  Suggestions.didYouMean(
                      name, features.views().stream().map(FeatureViewSpec::name).toList())));
    }
    if (spec.get().materialization() == Materialization.PUSH) {
      throw new IllegalArgumentException(
          "view %s is a push view: its rows are pushed, not computed, so there is nothing to backfill or materialize; push views are filled by POST %s or ./asof push"
              .formatted(name, PushTables.endpoint(name)));
    }
    if (spec.get().aggregation()) {
      throw new IllegalArgumentException(
          "view %s is an aggregation view (%s): it is evaluated from its events at every time it is read, so there is nothing to backfill or materialize; training sets and the published view read it as it is"
              .formatted(name, spec.get().position().file()));
    }
    if (spec.get().materialization() != Materialization.MATERIALIZED) {
      throw new IllegalArgumentException(
          "view %s is virtual: nothing of it is stored, so there is nothing to backfill; to store it, add '-- materialize: true' to its header (%s) and run ./asof apply"
              .formatted(name, spec.get().position().file()));
    }
  }

  /** The view, compiled from the repository, and as the registry has it; checked for backfill. */
  private Target target(String name) {
    FeatureRepository features = RepositoryLoader.load(repository);
    backfillable(features, name);
    List<CompiledView> views =
        new FeatureViewCompiler(new EngineWarehouseCatalog(engine, dialect), engine, catalog)
            .compileAll(features);
    CompiledView view = views.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    AppliedView applied =
        registry
            .view(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "view %s is not applied: run ./asof apply --repo %s first"
                            .formatted(name, repository)));
    if (!applied.fingerprint().equals(ApplyPlanner.fingerprint(view))) {
      throw new IllegalArgumentException(
          "view %s changed since it was applied (v%d): run ./asof apply --repo %s first, so the backfill computes what the repository says"
              .formatted(name, applied.version(), repository));
    }
    return new Target(view, applied);
  }

  private static String newId() {
    byte[] bytes = new byte[4];
    IDS.nextBytes(bytes);
    return "bf" + HexFormat.of().formatHex(bytes);
  }

  private record Target(CompiledView view, AppliedView applied) {}

  private record Staged(
      BackfillChunk chunk,
      String table,
      long rows,
      List<ExpectationFailure> failures,
      List<FeatureStatistics> statistics,
      Duration took) {}

  private record Snapshot(long id, long files, long bytes) {}
}
