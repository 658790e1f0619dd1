package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.TrainingSetCompiler;
import io.asof.compiler.catalog.MetadataSql;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.features.repository.RepositoryLoader;
import io.asof.model.FeatureRepository;
import io.asof.model.Materialization;
import io.asof.model.TrainingSetSpec;
import io.asof.registry.AppliedView;
import io.asof.registry.BackfillJob;
import io.asof.registry.Lease;
import io.asof.registry.LeaseHeldException;
import io.asof.registry.RegistryStore;
import io.asof.registry.TrainingBuild;
import io.asof.registry.ViewVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Keeps the Iceberg tables of one registry in shape: retires old view versions (dropping their
 * tables), compacts small files and expires old snapshots under a retention policy that keeps every
 * snapshot a recorded training-set build points to, and every snapshot of a feature table a
 * recorded build read.
 */
public final class MaintenanceService {
  /** How long snapshots are kept by default: a week, as Trino's own minimum retention. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** Files smaller than this are compacted by default. */
  public static final long DEFAULT_SMALL_FILE_BYTES = 32L * 1024 * 1024;

  /**
   * Added to the retention the engine is asked for, as it applies it a moment after it said what
   * time it is: a snapshot at the edge is kept, never lost.
   */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final QueryEngine engine;
  private final EngineDialect dialect;
  private final RegistryStore registry;
  private final Path repository;
  private final String catalog;

  /**
   * Maintenance on the engine {@code dialect} spells for: on Athena, compaction and expiry set the
   * table properties {@code OPTIMIZE} and {@code VACUUM} read (docs/athena.md).
   */
  public MaintenanceService(
      QueryEngine engine,
      EngineDialect dialect,
      RegistryStore registry,
      Path repository,
      String catalog) {
    this.engine = requireNonNull(engine, "engine is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.registry = requireNonNull(registry, "registry is null");
    this.repository = requireNonNull(repository, "repository is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /**
   * What retiring did: the table dropped (empty when the version never had one) and the recorded
   * training-set builds that read the version (their rows stay in their own tables).
   */
  public record Retired(
      String view, int version, Optional<String> droppedTable, List<TrainingBuild> builds) {}

  /**
   * Retires version {@code version} of a view: records it retired, so no training set reads it,
   * then drops its table. Refuses the version applied now, a version a training set of the
   * repository pins, and a version a backfill job is running on. Retiring a retired version again
   * drops its table if a failed drop left it. Holds the version's lease throughout.
   *
   * @throws IllegalArgumentException saying why the version cannot be retired
   * @throws io.asof.registry.LeaseHeldException when another writer of the version holds its lease
   */
  @SuppressWarnings("try") // the lease is held, not called
  public Retired retire(String view, int version) throws IOException {
    // no backfill, materialization or maintenance of the version while it is retired
    try (Lease lease =
        Lease.acquire(
            registry, Lease.view(view, version), "retire %s@%d".formatted(view, version))) {
      return retireHeld(view, version);
    }
  }

  private Retired retireHeld(String view, int version) throws IOException {
    ViewVersion recorded =
        registry
            .version(view, version)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "view %s has no version %d in the registry%s"
                            .formatted(view, version, known(view))));
    Optional<AppliedView> current = registry.view(view);
    if (current.isPresent() && current.get().version() == version) {
      throw new IllegalArgumentException(
          "%s@%d is the version applied now; only older versions are retired. To retire it, remove the view from the repository and run ./asof apply (its versions stay readable), then retire it"
              .formatted(view, version));
    }
    FeatureRepository features = RepositoryLoader.load(repository);
    for (TrainingSetSpec set : features.trainingSets()) {
      OptionalInt pinned =
          TrainingSetCompiler.versions(set, features).getOrDefault(view, OptionalInt.empty());
      if (pinned.isPresent() && pinned.getAsInt() == version) {
        throw new IllegalArgumentException(
            "training set %s (%s) pins %s@%d: change it to read another version first"
                .formatted(set.name(), set.position(), view, version));
      }
    }
    for (BackfillJob job : registry.backfills(view)) {
      if (job.version() == version && job.status() == BackfillJob.Status.RUNNING) {
        throw new IllegalArgumentException(
            "backfill job %s of %s@%d is running (or was killed: resume it with ./asof backfill --resume %s, or wait until it ends)"
                .formatted(job.id(), view, version, job.id()));
      }
    }
    if (!recorded.retired()) {
      registry.retire(view, version, Instant.now());
    }
    String table = BackfillService.table(catalog, view, version);
    boolean existed = exists(table);
    if (existed) {
      try {
        engine.execute(dialect.dropTable(table));
      } catch (QueryEngineException e) {
        throw new IllegalStateException(
            "%s@%d is retired (no training set reads it now), but dropping %s failed: %s. Run the same ./asof retire again to drop it"
                .formatted(view, version, table, e.getMessage()),
            e);
      }
    }
    List<TrainingBuild> builds =
        registry.builds().stream()
            .filter(b -> Integer.valueOf(version).equals(b.featureVersions().get(view)))
            .toList();
    return new Retired(view, version, existed ? Optional.of(table) : Optional.empty(), builds);
  }

  private String known(String view) {
    List<ViewVersion> versions = registry.versions(view);
    return versions.isEmpty()
        ? " (it was never applied)"
        : " (it has "
            + String.join(
                ", ",
                versions.stream()
                    .map(v -> view + "@" + v.version() + (v.retired() ? " (retired)" : ""))
                    .toList())
            + ")";
  }

  /**
   * A table Asof maintains: a view version's backfilled or pushed table ({@code version} present)
   * or a training set's ({@code owner} is the set's name).
   */
  public record Target(String table, Kind kind, String owner, OptionalInt version) {
    public enum Kind {
      FEATURES,
      TRAINING
    }

    /** {@code view@N} for a feature table, the set's name for a training table. */
    public String describe() {
      return version.isPresent() ? owner + "@" + version.getAsInt() : owner;
    }
  }

  /**
   * What maintenance did to one table (or would do, when it was asked for a plan): its data files
   * and snapshots before and after, how many snapshots it kept for recorded builds, and the moment
   * before which snapshots were (or would be) expired.
   */
  public record TableReport(
      Target target,
      long filesBefore,
      long smallFilesBefore,
      long filesAfter,
      boolean compacted,
      long snapshotsBefore,
      long snapshotsAfter,
      int protectedSnapshots,
      Instant expiredBefore,
      Optional<String> skipped) {}

  /** What to do: compact files under {@code smallFileBytes}, expire snapshots older than that. */
  public record Policy(Duration retention, long smallFileBytes, boolean dryRun) {
    public Policy {
      requireNonNull(retention, "retention is null");
      if (retention.isNegative()) {
        throw new IllegalArgumentException("retention is negative: " + retention);
      }
      if (smallFileBytes < 1) {
        throw new IllegalArgumentException("small-file size is not positive: " + smallFileBytes);
      }
    }
  }

  /** Receives each table's report as maintenance goes. */
  public interface Listener {
    void maintained(TableReport report);
  }

  /**
   * The tables to maintain: every backfilled table and every push view's table of a version not
   * retired, and every training table with a recorded build; sorted by name.
   */
  public List<Target> targets() {
    Map<String, Target> targets = new LinkedHashMap<>();
    for (ViewVersion version : registry.versions()) {
      if (!version.retired()
          && (version.view().materialization() == Materialization.PUSH
              || BackfillService.backfilled(registry, version.name(), version.version()))) {
        String table = BackfillService.table(catalog, version.name(), version.version());
        targets.put(
            table,
            new Target(
                table, Target.Kind.FEATURES, version.name(), OptionalInt.of(version.version())));
      }
    }
    for (TrainingBuild build : registry.builds()) {
      targets.putIfAbsent(
          build.table(),
          new Target(build.table(), Target.Kind.TRAINING, build.name(), OptionalInt.empty()));
    }
    return new TreeSet<>(targets.keySet()).stream().map(targets::get).toList();
  }

  /** Maintains every {@linkplain #targets() target}, one after the other. */
  public List<TableReport> maintain(Policy policy, Listener listener) {
    List<TableReport> reports = new ArrayList<>();
    for (Target target : targets()) {
      TableReport report = maintain(target, policy);
      listener.maintained(report);
      reports.add(report);
    }
    return reports;
  }

  /**
   * Compacts, then expires snapshots of, one table, holding the lease of its view version or
   * training set; a table whose lease another writer holds is skipped, saying who holds it (a dry
   * run takes no lease).
   */
  @SuppressWarnings("try") // the lease is held, not called
  public TableReport maintain(Target target, Policy policy) {
    if (policy.dryRun()) {
      // it writes nothing, so it needs no lease
      return maintainHeld(target, policy);
    }
    String name =
        target.kind() == Target.Kind.FEATURES
            ? Lease.view(target.owner(), target.version().orElseThrow())
            : Lease.trainingSet(target.owner());
    Lease lease;
    try {
      lease = Lease.acquire(registry, name, "maintain " + target.describe());
    } catch (LeaseHeldException e) {
      return new TableReport(
          target,
          0,
          0,
          0,
          false,
          0,
          0,
          0,
          Instant.now(),
          Optional.of(
              "%s is writing it (lease %s since %s); maintain it again when that is done"
                  .formatted(
                      e.held().holder().describe(), e.held().name(), e.held().acquiredAt())));
    }
    try (lease) {
      return maintainHeld(target, policy);
    }
  }

  private TableReport maintainHeld(Target target, Policy policy) {
    String table = target.table();
    Instant now = Instant.now();
    if (!exists(table)) {
      return new TableReport(
          target, 0, 0, 0, false, 0, 0, 0, now, Optional.of("the table does not exist"));
    }
    Optional<String> running = runningJob(target);
    long[] files = files(table, policy.smallFileBytes());
    long snapshotsBefore = snapshots(table).size();
    if (running.isPresent()) {
      return new TableReport(
          target,
          files[0],
          files[1],
          files[0],
          false,
          snapshotsBefore,
          snapshotsBefore,
          0,
          now,
          running);
    }
    boolean compact = files[2] > 0;
    if (compact && !policy.dryRun()) {
      for (String statement : dialect.optimize(table, policy.smallFileBytes())) {
        engine.execute(statement);
      }
    }
    long filesAfter =
        compact && !policy.dryRun() ? files(table, policy.smallFileBytes())[0] : files[0];

    // the newest moment before which every snapshot may go: the retention, moved back to the
    // oldest snapshot a recorded build needs
    List<Snapshot> snapshots = snapshots(table);
    List<Snapshot> kept = protectedSnapshots(target, snapshots);
    now = Instant.now();
    Instant retained = now.minus(policy.retention());
    Instant cutoff =
        kept.stream()
            .map(Snapshot::committedAt)
            .filter(t -> t.isBefore(retained))
            .min(Instant::compareTo)
            .orElse(retained);
    long expiring = snapshots.stream().filter(s -> s.committedAt().isBefore(cutoff)).count();
    // Iceberg always keeps the current snapshot
    expiring = Math.min(expiring, Math.max(0, snapshots.size() - 1));
    long snapshotsAfter = snapshots.size() - expiring;
    if (expiring > 0 && !policy.dryRun()) {
      // the engine measures the retention from its own clock: ask it the time, so that only the
      // moments between the two statements (and the margin) separate the cutoff asked for from
      // the one applied, and always towards keeping more
      long seconds = Duration.between(cutoff, engineNow()).plus(MARGIN).toSeconds() + 1;
      try {
        for (String statement : dialect.expireSnapshots(table, Duration.ofSeconds(seconds))) {
          engine.execute(statement);
        }
      } catch (QueryEngineException e) {
        if (e.getMessage() != null && e.getMessage().contains("minimum retention")) {
          throw new IllegalArgumentException(
              "Trino refuses to expire snapshots this recent (%s); its catalog property iceberg.expire-snapshots.min-retention is longer than the retention asked for: ask for a longer --retention, or lower that property"
                  .formatted(e.getMessage()),
              e);
        }
        throw e;
      }
      snapshotsAfter = snapshots(table).size();
    }
    return new TableReport(
        target,
        files[0],
        files[1],
        filesAfter,
        compact,
        snapshotsBefore,
        snapshotsAfter,
        kept.size(),
        cutoff,
        Optional.empty());
  }

  private Instant engineNow() {
    return Instant.ofEpochMilli(
        ((Number) engine.query(MetadataSql.currentTimeMillis()).onlyValue()).longValue());
  }

  /** A snapshot of a table, and when it was committed. */
  public record Snapshot(long id, Instant committedAt) {}

  /** A table's snapshots, oldest first. */
  public List<Snapshot> snapshots(String table) {
    return engine.query(MetadataSql.snapshotsCommitted(table)).rows().stream()
        .map(
            row ->
                new Snapshot(
                    ((Number) row.get(0)).longValue(),
                    Instant.ofEpochMilli(((Number) row.get(1)).longValue())))
        .toList();
  }

  /**
   * The snapshots of a table that recorded builds need: of a training table, each build's own; of a
   * feature table, the one each build that read the version saw (the newest committed at or before
   * the moment it read the views as of).
   */
  List<Snapshot> protectedSnapshots(Target target, List<Snapshot> snapshots) {
    List<Snapshot> kept = new ArrayList<>();
    List<TrainingBuild> builds = registry.builds();
    for (TrainingBuild build : builds) {
      if (target.kind() == Target.Kind.TRAINING) {
        if (build.table().equals(target.table())) {
          snapshots.stream().filter(s -> s.id() == build.snapshotId()).forEach(kept::add);
        }
        continue;
      }
      if (!Integer.valueOf(target.version().getAsInt())
          .equals(build.featureVersions().get(target.owner()))) {
        continue;
      }
      Instant read = build.viewsAsOf().orElse(build.builtAt());
      snapshots.stream()
          .filter(s -> !s.committedAt().isAfter(read))
          .reduce((a, b) -> b)
          .ifPresent(kept::add);
    }
    return kept.stream().distinct().toList();
  }

  private Optional<String> runningJob(Target target) {
    if (target.kind() != Target.Kind.FEATURES) {
      return Optional.empty();
    }
    int version = target.version().getAsInt();
    return registry.backfills(target.owner()).stream()
        .filter(job -> job.version() == version && job.status() == BackfillJob.Status.RUNNING)
        .findFirst()
        .map(
            job ->
                "backfill job %s is running (or was killed: resume it with ./asof backfill --resume %s)"
                    .formatted(job.id(), job.id()));
  }

  /** Data files, small ones, and partitions with more than one small file (worth compacting). */
  private long[] files(String table, long small) {
    List<Object> counts = engine.query(MetadataSql.fileCounts(table, small)).rows().getFirst();
    long total = ((Number) counts.get(0)).longValue();
    long smallFiles = ((Number) counts.get(1)).longValue();
    long worth;
    if (partitioned(table)) {
      worth =
          ((Number) engine.query(MetadataSql.partitionsWithSmallFiles(table, small)).onlyValue())
              .longValue();
    } else {
      worth = smallFiles > 1 ? 1 : 0;
    }
    return new long[] {total, smallFiles, worth};
  }

  private boolean partitioned(String table) {
    // "$partitions" of an unpartitioned table has no partition column
    return engine.describe(MetadataSql.partitions(table)).stream()
        .anyMatch(c -> c.name().equals("partition"));
  }

  private boolean exists(String table) {
    int first = table.indexOf('.');
    int last = table.lastIndexOf('.');
    return !engine
        .query(
            MetadataSql.tableExists(
                table.substring(0, first),
                table.substring(first + 1, last),
                table.substring(last + 1)))
        .rows()
        .isEmpty();
  }
}
