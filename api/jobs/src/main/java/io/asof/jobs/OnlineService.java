package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.CompiledView;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.compiler.pit.OnlineSpineSql;
import io.asof.engine.QueryEngine;
import io.asof.model.window.WindowedAggregation;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineTable;
import io.asof.online.WriteSummary;
import io.asof.registry.AppliedView;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryStore;
import io.asof.registry.ViewVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Switches feature views online and keeps them up to date, the lifecycle of an online group:
 * enables a view (its {@link OnlineLoader} loads the latest value per entity at now, the same
 * point-in-time statement a training set runs), updates it after its data changed, disables and
 * purges it, and records each group in the registry. {@link OnlineCheck} compares what it serves
 * with the offline values.
 */
public final class OnlineService {
  /** How often a cache-mode server reloads a group unless told otherwise. */
  public static final Duration DEFAULT_CACHE_REFRESH = Duration.ofSeconds(30);

  private final QueryEngine engine;
  private final RegistryStore registry;
  private final ViewSources sources;
  private final OfflineValues offline;
  private final OnlineLoader loader;
  private final OnlineCheck checks;
  private final OnlineStore store;
  private final MicrosecondClock clock;

  /** Online serving of views computed on the engine {@code dialect} spells for. */
  public OnlineService(
      QueryEngine engine,
      EngineDialect dialect,
      RegistryStore registry,
      Path repository,
      String catalog,
      OnlineStore store,
      Clock clock) {
    this.engine = requireNonNull(engine, "engine is null");
    this.registry = requireNonNull(registry, "registry is null");
    this.store = requireNonNull(store, "store is null");
    this.clock = new MicrosecondClock(clock);
    TrainingSetService trainingSets =
        new TrainingSetService(engine, dialect, registry, repository, catalog);
    this.sources = trainingSets.sources();
    this.offline = new OfflineValues(trainingSets);
    this.loader = new OnlineLoader(offline, store, this.clock);
    this.checks = new OnlineCheck(engine, store, offline, this.clock);
  }

  /** Hears how a load goes. */
  public interface LoadListener {
    LoadListener NONE = new LoadListener() {};

    /** The load starts: what it reads, where it writes, and whether it reloads every entity. */
    default void starting(OnlineTable table, String source, boolean full) {}

    /** Another batch reached the store. */
    default void progress(long rowsRead, WriteSummary written, Duration elapsed) {}
  }

  /**
   * What a load did.
   *
   * @param full whether every entity was loaded (else only those with rows since the last load)
   * @param created whether the load created the store's table
   * @param rows entities the point-in-time statement returned with a value at now
   * @param expired of those, values already past their TTL, not written
   */
  public record LoadSummary(
      OnlineGroup group,
      boolean full,
      boolean created,
      long rows,
      long expired,
      WriteSummary written,
      Duration queryTime,
      Duration took) {
    public double itemsPerSecond() {
      double seconds = took.toNanos() / 1e9;
      return seconds <= 0 ? 0 : written.written() / seconds;
    }
  }

  /**
   * Switches a view online, or loads what changed since its last load when it is online already (or
   * was disabled: enabling again catches up instead of reloading). A view whose applied version
   * changed since is loaded in full into its new version's table, and the old table is dropped.
   *
   * @throws IllegalArgumentException when the view is not applied or a feature cannot be served
   *     online
   */
  public LoadSummary enable(
      String view, OnlineGroup.Mode mode, Duration cacheRefresh, LoadListener listener) {
    return enable(view, mode, cacheRefresh, Optional.empty(), listener);
  }

  private LoadSummary enable(
      String view,
      OnlineGroup.Mode mode,
      Duration cacheRefresh,
      Optional<Instant> changedFrom,
      LoadListener listener) {
    requireNonNull(mode, "mode is null");
    if (cacheRefresh.isNegative() || cacheRefresh.isZero()) {
      throw new IllegalArgumentException("the cache refresh must be positive, got " + cacheRefresh);
    }
    AppliedView applied = applied(view);
    Optional<WindowedOnline> windowed = windowed(applied);
    if (windowed.isPresent()) {
      return enableWindowed(applied, windowed.get(), mode, cacheRefresh, listener);
    }
    OnlineTable table = OnlineTables.table(applied);
    Optional<OnlineGroup> existing = registry.onlineGroup(view);
    Optional<Instant> since =
        existing
            .filter(g -> g.version() == applied.version())
            .flatMap(OnlineGroup::loadedThrough)
            .map(through -> changedFrom.filter(from -> from.isBefore(through)).orElse(through));
    boolean created = store.create(table);
    // a table that had to be created (new, or lost with an in-memory store) is loaded in full
    boolean full = created || since.isEmpty();
    OnlineLoader.LoadResult load =
        loader.load(applied, table, full ? Optional.empty() : since, created, listener);
    Instant now = clock.now();
    // approximate: an update that rewrites an entity counts it again
    long items = full ? load.written().written() : existing.get().items() + load.newKeys();
    OnlineGroup group =
        saveGroup(applied, table, existing, mode, cacheRefresh, load.at(), items, now);
    return new LoadSummary(
        group,
        full,
        created,
        load.rows(),
        load.expired(),
        load.written(),
        load.queryTime(),
        Duration.between(load.started(), now));
  }

  /**
   * Records that {@code applied} is online in {@code table}, loaded at {@code loadedAt}, and drops
   * the table of the version it was online at before, if another.
   */
  private OnlineGroup saveGroup(
      AppliedView applied,
      OnlineTable table,
      Optional<OnlineGroup> existing,
      OnlineGroup.Mode mode,
      Duration cacheRefresh,
      Instant loadedAt,
      long items,
      Instant now) {
    OnlineGroup group =
        new OnlineGroup(
            applied.name(),
            applied.version(),
            table.name(),
            OnlineGroup.State.ENABLED,
            mode,
            cacheRefresh,
            Optional.of(loadedAt),
            items,
            existing
                .filter(g -> g.version() == applied.version())
                .map(OnlineGroup::enabledAt)
                .orElse(now),
            now);
    registry.saveOnlineGroup(group);
    existing
        .filter(g -> g.version() != applied.version())
        .ifPresent(old -> store.drop(tableOf(old)));
    return group;
  }

  /**
   * Loads an aggregation view's tiles in full ({@link WindowedOnline}): its values are evaluated
   * when read, so each load recomputes every tile a window can still reach.
   */
  private LoadSummary enableWindowed(
      AppliedView applied,
      WindowedOnline windowed,
      OnlineGroup.Mode mode,
      Duration cacheRefresh,
      LoadListener listener) {
    Instant started = clock.now();
    OnlineTable table = windowed.table();
    Optional<OnlineGroup> existing = registry.onlineGroup(applied.name());
    boolean created = store.create(table);
    listener.starting(
        table, "the events of " + applied.name() + ", summed per key and minute", true);
    Optional<String> pushView =
        windowed.aggregation().pushSource().map(WindowedAggregation.PushSource::view);
    WindowedOnline.Loaded loaded =
        pushView.isPresent()
            ? windowed.loadPushed(
                engine, store, started, created, sources.pushTable(pushView.get(), applied.name()))
            : windowed.load(engine, store, started, created);
    Instant now = clock.now();
    listener.progress(loaded.minutes(), loaded.written(), Duration.between(started, now));
    OnlineGroup group =
        saveGroup(
            applied,
            table,
            existing,
            mode,
            cacheRefresh,
            loaded.at(),
            loaded.written().written(),
            now);
    return new LoadSummary(
        group,
        true,
        created,
        loaded.minutes(),
        0,
        loaded.written(),
        Duration.between(started, now),
        Duration.between(started, now));
  }

  /**
   * The online form of an aggregation view ({@code -- windows:}): its tiles, compiled from the
   * repository; empty for any other view.
   */
  private Optional<WindowedOnline> windowed(AppliedView applied) {
    if (!applied.aggregation()) {
      return Optional.empty();
    }
    if (applied.compiled().isPresent()) {
      return Optional.of(
          new WindowedOnline(
              applied.name(),
              applied.version(),
              OnlineTables.tableOf(applied).keys(),
              applied.compiled().get()));
    }
    CompiledView compiled =
        offline
            .compile(applied.name(), OnlineSpineSql.noKeys(OnlineTables.tableOf(applied).keys()))
            .views()
            .stream()
            .filter(v -> v.name().equals(applied.name()))
            .findFirst()
            .orElseThrow();
    return compiled
        .aggregation()
        .map(
            aggregation ->
                new WindowedOnline(
                    applied.name(),
                    applied.version(),
                    OnlineTables.tableOf(applied).keys(),
                    aggregation));
  }

  /**
   * Brings an enabled view's online values up to date after its data changed (a backfill or a
   * materialization of rows from {@code changedFrom} on): loads the entities with rows from the
   * earlier of {@code changedFrom} and its last load. Nothing for a view that is not online or
   * disabled.
   */
  public Optional<LoadSummary> update(String view, Instant changedFrom, LoadListener listener) {
    Optional<OnlineGroup> group = registry.onlineGroup(view);
    if (group.isEmpty() || group.get().state() != OnlineGroup.State.ENABLED) {
      return Optional.empty();
    }
    return Optional.of(
        enable(
            view,
            group.get().mode(),
            group.get().cacheRefresh(),
            Optional.of(changedFrom),
            listener));
  }

  /**
   * Stops updating a view online; with {@code purge}, deletes its table and forgets the group.
   *
   * @return the group as it is now; empty after a purge
   * @throws IllegalArgumentException when the view was never enabled
   */
  public Optional<OnlineGroup> disable(String view, boolean purge) {
    OnlineGroup group =
        registry
            .onlineGroup(view)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "view %s is not online: nothing to disable (online views: %s)"
                            .formatted(view, names(registry.onlineGroups()))));
    if (purge) {
      store.drop(tableOf(group));
      registry.removeOnlineGroup(view);
      return Optional.empty();
    }
    OnlineGroup disabled = group.withState(OnlineGroup.State.DISABLED, clock.now());
    registry.saveOnlineGroup(disabled);
    return Optional.of(disabled);
  }

  /**
   * Puts a view's online group back as it was before an apply switched it: {@code before}, or, when
   * it was never online, no group and no table (also the table of a first load that failed before
   * its group was recorded). An enable that moved the group to a new version's table dropped the
   * old one; its items are not brought back.
   */
  public void restore(String view, Optional<OnlineGroup> before) {
    Optional<OnlineGroup> now = registry.onlineGroup(view);
    if (before.isPresent()) {
      registry.saveOnlineGroup(before.get());
      now.filter(g -> !g.table().equals(before.get().table()))
          .ifPresent(g -> store.drop(tableOf(g)));
      return;
    }
    now.ifPresent(
        group -> {
          store.drop(tableOf(group));
          registry.removeOnlineGroup(view);
        });
    registry.view(view).ifPresent(applied -> store.drop(OnlineTables.tableOf(applied)));
  }

  /**
   * Whether the view's file said {@code -- online: true} when it was last applied: {@code apply}
   * keeps exactly those views online.
   */
  public boolean declaredOnline(String view) {
    return registry.view(view).map(AppliedView::online).orElse(false);
  }

  /** The online groups, by view. */
  public List<OnlineGroup> groups() {
    return registry.onlineGroups();
  }

  /**
   * Compares the online values of up to {@code sample} entities (half sampled from the online
   * table, half from the offline rows) with their offline point-in-time values at now.
   */
  public OnlineCheck.CheckReport check(String view, int sample, long seed) {
    if (sample < 1) {
      throw new IllegalArgumentException("the sample must hold at least 1 entity, got " + sample);
    }
    OnlineGroup group =
        registry
            .onlineGroup(view)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "view %s is not online: enable it first (./asof online enable %s)"
                            .formatted(view, view)));
    AppliedView applied = applied(view);
    if (applied.version() != group.version()) {
      throw new IllegalArgumentException(
          "view %s is applied at version %d but online at version %d: run ./asof online enable %s to load the new version"
              .formatted(view, applied.version(), group.version(), view));
    }
    Optional<WindowedOnline> windowed = windowed(applied);
    if (windowed.isPresent()) {
      return checks.checkWindowed(group, applied, windowed.get(), sample);
    }
    return checks.check(group, applied, OnlineTables.table(applied), sample, seed);
  }

  private AppliedView applied(String view) {
    return registry
        .view(view)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "view %s is not applied: run ./asof apply first (applied views: %s)"
                        .formatted(
                            view,
                            String.join(
                                ", ", registry.views().stream().map(AppliedView::name).toList()))));
  }

  /** The table a group's items are in, from the definition of the version it loaded. */
  private OnlineTable tableOf(OnlineGroup group) {
    AppliedView loaded =
        registry
            .version(group.view(), group.version())
            .map(ViewVersion::view)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the registry has no version %d of %s, which is online in table %s"
                            .formatted(group.version(), group.view(), group.table())));
    return OnlineTables.tableOf(loaded);
  }

  private static String names(List<OnlineGroup> groups) {
    return groups.isEmpty()
        ? "none"
        : String.join(", ", groups.stream().map(OnlineGroup::view).toList());
  }
}
