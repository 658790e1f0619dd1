package io.asof.server;

import static java.util.Objects.requireNonNull;

import io.asof.features.repository.RepositoryLoader;
import io.asof.jobs.OnlineTables;
import io.asof.jobs.WindowedOnline;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureServiceSpec;
import io.asof.model.window.WindowedAggregation;
import io.asof.online.CachingOnlineStore;
import io.asof.online.OnlineTable;
import io.asof.push.PushViewCatalog;
import io.asof.registry.AppliedView;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server serves online, as one immutable snapshot read from the registry (the enabled
 * groups, their views' columns) and the repository (feature services), refreshed in the background
 * so that a request never waits on the registry. A CACHE-mode group is handed to the cache here.
 */
final class OnlineCatalog implements PushViewCatalog.Source, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnlineCatalog.class);

  /** How often the snapshot is read again. */
  static final Duration REFRESH = Duration.ofSeconds(5);

  /**
   * One online view as served: its group, its table (keys and features), its applied definition,
   * and for an aggregation view its tiles, which a read sums at the moment of the read.
   */
  record Served(
      OnlineGroup group, OnlineTable table, AppliedView view, Optional<WindowedOnline> windowed)
      implements PushViewCatalog.Online {
    @Override
    public boolean enabled() {
      return group.state() == OnlineGroup.State.ENABLED;
    }

    @Override
    public Optional<OnlineTable> tileTable() {
      return windowed.map(WindowedOnline::table);
    }

    @Override
    public Optional<WindowedAggregation> aggregation() {
      return windowed.map(WindowedOnline::aggregation);
    }
  }

  /**
   * @param views every view applied, by name (a known but not online view is named in errors)
   * @param online the online groups, by view (enabled and disabled)
   * @param services the repository's feature services, by name
   * @param problem why the last refresh failed, when it did (the snapshot is the last good one)
   */
  record Snapshot(
      Map<String, AppliedView> views,
      Map<String, Served> online,
      Map<String, FeatureServiceSpec> services,
      Instant readAt,
      Optional<String> problem)
      implements PushViewCatalog.Snapshot {
    static final Snapshot EMPTY =
        new Snapshot(Map.of(), Map.of(), Map.of(), Instant.EPOCH, Optional.of("not read yet"));
  }

  private final RegistryStore registry;
  private final Path repository;
  private final Optional<CachingOnlineStore> cache;
  private final Clock clock;
  private final ScheduledExecutorService refresher;
  private volatile Snapshot snapshot = Snapshot.EMPTY;
  private volatile boolean loaded;

  OnlineCatalog(
      RegistryStore registry, Path repository, Optional<CachingOnlineStore> cache, Clock clock) {
    this.registry = requireNonNull(registry, "registry is null");
    this.repository = requireNonNull(repository, "repository is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            runnable ->
                Thread.ofPlatform().name("asof-online-catalog").daemon().unstarted(runnable));
  }

  /** Reads the snapshot now, then again every {@link #REFRESH} in the background. */
  OnlineCatalog start() {
    refresh();
    var unused =
        refresher.scheduleWithFixedDelay(
            this::refresh, REFRESH.toMillis(), REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public Snapshot snapshot() {
    return snapshot;
  }

  /** Whether a snapshot was read at least once. */
  boolean loaded() {
    return loaded;
  }

  /** Reads the registry and the repository again; on failure keeps the last snapshot. */
  @Override
  public synchronized void refresh() {
    Snapshot previous = snapshot;
    try {
      Map<String, AppliedView> views = new LinkedHashMap<>();
      for (AppliedView view : registry.views()) {
        views.put(view.name(), view);
      }
      Map<String, Served> online = new LinkedHashMap<>();
      for (OnlineGroup group : registry.onlineGroups()) {
        AppliedView view = views.get(group.view());
        if (view == null) {
          continue; // removed from the repository: its items stay until purged, but nothing names
          // it
        }
        if (view.version() != group.version()) {
          // applied at a new version not loaded yet: the group's table still holds the old one's
          view = registry.version(group.view(), group.version()).orElseThrow().view();
        }
        OnlineTable table = OnlineTables.tableOf(view);
        online.put(group.view(), new Served(group, table, view, windowed(view, previous)));
      }
      Map<String, FeatureServiceSpec> services = new LinkedHashMap<>();
      FeatureRepository features = RepositoryLoader.load(repository);
      for (FeatureServiceSpec service : features.services()) {
        services.put(service.name(), service);
      }
      cache.ifPresent(c -> syncCache(c, previous, online));
      snapshot = new Snapshot(views, online, services, clock.instant(), Optional.empty());
      loaded = true;
    } catch (RuntimeException e) {
      LOG.warn(
          "reading the online groups failed; serving the last ones read: {}",
          Redaction.redact(String.valueOf(e.getMessage())));
      snapshot =
          new Snapshot(
              previous.views(),
              previous.online(),
              previous.services(),
              previous.readAt(),
              Optional.of(String.valueOf(e.getMessage())));
    }
  }

  /**
   * An aggregation view's tiles, from the aggregation the registry recorded (kept from the last
   * snapshot when the version is the same); empty for any other view.
   */
  private static Optional<WindowedOnline> windowed(AppliedView view, Snapshot previous) {
    if (!view.aggregation()) {
      return Optional.empty();
    }
    Served before = previous.online().get(view.name());
    if (before != null
        && before.view().version() == view.version()
        && before.windowed().isPresent()) {
      return before.windowed();
    }
    WindowedAggregation aggregation =
        view.compiled()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "aggregation view %s v%d was applied before its aggregation was recorded: apply it again"
                            .formatted(view.name(), view.version())));
    return Optional.of(
        new WindowedOnline(
            view.name(), view.version(), OnlineTables.tableOf(view).keys(), aggregation));
  }

  /** The table a served view's items are in: its tiles' for an aggregation view. */
  static OnlineTable storeTable(Served served) {
    return served.windowed().map(WindowedOnline::table).orElse(served.table());
  }

  /** Caches the enabled CACHE-mode groups' tables, and stops caching the others. */
  private static void syncCache(
      CachingOnlineStore cache, Snapshot previous, Map<String, Served> online) {
    Set<String> cached = new HashSet<>();
    for (Served served : online.values()) {
      if (served.enabled() && served.group().mode() == OnlineGroup.Mode.CACHE) {
        cached.add(storeTable(served).name());
        Served before = previous.online().get(served.group().view());
        boolean already =
            before != null
                && before.enabled()
                && before.group().mode() == OnlineGroup.Mode.CACHE
                && storeTable(before).equals(storeTable(served))
                && before.group().cacheRefresh().equals(served.group().cacheRefresh());
        if (!already) {
          cache.cache(storeTable(served), served.group().cacheRefresh());
        }
      }
    }
    for (Served before : previous.online().values()) {
      if (!cached.contains(storeTable(before).name())) {
        cache.uncache(storeTable(before));
      }
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
