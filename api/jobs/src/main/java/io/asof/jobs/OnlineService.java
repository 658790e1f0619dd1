package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.CompiledView;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.compiler.pit.PitRequest;
import io.asof.compiler.pit.PitView;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.compiler.window.WindowedAggregation;
import io.asof.engine.Column;
import io.asof.engine.QueryEngine;
import io.asof.engine.SqlQuoting;
import io.asof.model.Materialization;
import io.asof.model.PushTables;
import io.asof.online.KeyRead;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineTable;
import io.asof.online.OnlineValues;
import io.asof.online.WriteMode;
import io.asof.online.WriteSummary;
import io.asof.registry.AppliedView;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryStore;
import io.asof.registry.ViewVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Switches feature views online and keeps them up to date: loads the latest value per entity at now
 * (the same point-in-time statement a training set runs, with a spine of every key at now, so that
 * online and offline agree by construction), writes it to the {@link OnlineStore} with
 * event-time-conditional writes and an expiry of event time + TTL, and records the group in the
 * registry. Also disables, purges and checks groups.
 */
public final class OnlineService {
  /** Records handed to the store per write call. */
  static final int BATCH = 5_000;

  /** The spine column that carries the moment a load computes values at. */
  static final String NOW_COLUMN = "asof_loaded_at";

  /** How often a cache-mode server reloads a group unless told otherwise. */
  public static final Duration DEFAULT_CACHE_REFRESH = Duration.ofSeconds(30);

  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  private final QueryEngine engine;
  private final RegistryStore registry;
  private final TrainingSetService trainingSets;
  private final String catalog;
  private final OnlineStore store;
  private final Clock clock;

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
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.store = requireNonNull(store, "store is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.trainingSets = new TrainingSetService(engine, dialect, registry, repository, catalog);
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
    OnlineTable table = table(applied);
    Optional<OnlineGroup> existing = registry.onlineGroup(view);
    Optional<Instant> since =
        existing
            .filter(g -> g.version() == applied.version())
            .flatMap(OnlineGroup::loadedThrough)
            .map(through -> changedFrom.filter(from -> from.isBefore(through)).orElse(through));
    boolean created = store.create(table);
    // a table that had to be created (new, or lost with an in-memory store) is loaded in full
    boolean full = created || since.isEmpty();
    LoadResult load = load(applied, table, full ? Optional.empty() : since, created, listener);
    Instant now = now();
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
    Instant started = now();
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
                engine, store, started, created, pushTable(pushView.get(), applied.name()))
            : windowed.load(engine, store, started, created);
    Instant now = now();
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

  /** The table of the applied version of push view {@code view}, which {@code reader} reads. */
  private String pushTable(String view, String reader) {
    AppliedView push =
        registry
            .view(view)
            .filter(v -> v.materialization() == Materialization.PUSH)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "aggregation view %s reads push view %s, which is not applied: ./asof apply first"
                            .formatted(reader, view)));
    return "%s.%s.\"%s\""
        .formatted(catalog, PushTables.SCHEMA, PushTables.table(push.name(), push.version()));
  }

  /**
   * Checks an aggregation view: online and offline evaluated at one instant for up to {@code
   * sample} keys with events; doubles compared to 1e-9 relative (offline subtracts running sums,
   * online adds tiles).
   */
  private CheckReport checkWindowed(
      OnlineGroup group, AppliedView applied, WindowedOnline windowed, int sample) {
    WindowedAggregation aggregation = windowed.aggregation();
    List<String> keyColumns = aggregation.keys().stream().map(SqlQuoting::identifier).toList();
    List<List<Object>> keys = new ArrayList<>();
    for (List<Object> row :
        engine
            .query(
                "SELECT DISTINCT %s FROM (\n%s\n) AS v WHERE %s AND %s IS NOT NULL LIMIT %d"
                    .formatted(
                        String.join(", ", keyColumns),
                        aggregation.eventsSql(),
                        String.join(
                            " AND ", keyColumns.stream().map(k -> k + " IS NOT NULL").toList()),
                        SqlQuoting.identifier(WindowedAggregation.EVENT_TIME),
                        sample))
            .rows()) {
      keys.add(new ArrayList<>(row));
    }
    Instant at = now();
    if (keys.isEmpty()) {
      return new CheckReport(group, 0, 0, 0, at, List.of());
    }
    OnlineTable logical = tableOf(applied);
    Map<List<Object>, List<Object>> offline = new HashMap<>();
    int keyCount = logical.keys().size();
    int featureCount = logical.features().size();
    trainingSets.stream(
        compile(applied.name(), valuesSpine(logical, keys, at)),
        (columns, row) -> {
          List<Object> value = new ArrayList<>(featureCount);
          for (int i = 0; i < featureCount; i++) {
            value.add(normalize(row.get(keyCount + 1 + i)));
          }
          offline.put(key(row, keyCount), value);
        });
    List<KeyRead> online = windowed.read(store, keys, at);
    List<Mismatch> mismatches = new ArrayList<>();
    int present = 0;
    for (int i = 0; i < keys.size(); i++) {
      KeyRead read = online.get(i);
      if (read.failure().isPresent()) {
        mismatches.add(
            new Mismatch(keys.get(i), "the online read failed: " + read.failure().get()));
        continue;
      }
      present++;
      List<Object> values = read.record().orElseThrow().values();
      List<Object> expected = offline.get(keys.get(i));
      for (int f = 0; f < featureCount; f++) {
        Object want = expected == null ? null : expected.get(f);
        Object got = normalize(values.get(f));
        if (!sameValue(want, got)) {
          mismatches.add(
              new Mismatch(
                  keys.get(i),
                  "%s: online %s, offline %s at %s"
                      .formatted(logical.features().get(f).name(), got, want, at)));
        }
      }
    }
    return new CheckReport(group, keys.size(), present, 0, at, mismatches);
  }

  /** Whether two feature values are the same; doubles to 1e-9 relative. */
  private static boolean sameValue(Object a, Object b) {
    if (a instanceof Double x && b instanceof Double y) {
      return x.equals(y) || Math.abs(x - y) <= Math.abs(x) * 1e-9 + 1e-12;
    }
    return java.util.Objects.equals(a, b);
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
              tableOf(applied).keys(),
              applied.compiled().get()));
    }
    List<String> columns = new ArrayList<>();
    for (Column key : tableOf(applied).keys()) {
      columns.add(
          "CAST(NULL AS %s) AS %s".formatted(key.type(), SqlQuoting.identifier(key.name())));
    }
    columns.add("CAST(NULL AS timestamp(6)) AS " + NOW_COLUMN);
    CompiledView compiled =
        compile(applied.name(), "SELECT %s WHERE false".formatted(String.join(", ", columns)))
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
                    applied.name(), applied.version(), tableOf(applied).keys(), aggregation));
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
    OnlineGroup disabled = group.withState(OnlineGroup.State.DISABLED, now());
    registry.saveOnlineGroup(disabled);
    return Optional.of(disabled);
  }

  /** The online groups, by view. */
  public List<OnlineGroup> groups() {
    return registry.onlineGroups();
  }

  /** One sampled entity whose online value is not the offline value at now. */
  public record Mismatch(List<Object> key, String problem) {}

  /**
   * What a consistency check found.
   *
   * @param checked entities compared
   * @param at the moment offline values were computed at
   */
  public record CheckReport(
      OnlineGroup group,
      int checked,
      int present,
      int expired,
      Instant at,
      List<Mismatch> mismatches) {}

  /**
   * Compares the online values of up to {@code sample} entities (half sampled from the online
   * table, half from the offline rows) with their offline point-in-time values at now.
   */
  public CheckReport check(String view, int sample, long seed) {
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
      return checkWindowed(group, applied, windowed.get(), sample);
    }
    OnlineTable table = table(applied);
    List<List<Object>> keys = sampleKeys(applied, table, sample, seed);
    if (keys.isEmpty()) {
      return new CheckReport(group, 0, 0, 0, now(), List.of());
    }
    // offline first, online after: an update landing in between shows as online newer, not older
    Instant at = now();
    Map<List<Object>, List<Object>> offline = new HashMap<>();
    String spine = valuesSpine(table, keys, at);
    CompiledTrainingSet set = compile(view, spine);
    int keyCount = table.keys().size();
    int featureCount = table.features().size();
    trainingSets.stream(
        set,
        (columns, row) -> {
          Object eventTime = row.get(row.size() - 1);
          if (eventTime != null) {
            List<Object> value = new ArrayList<>(featureCount + 1);
            for (int i = 0; i < featureCount; i++) {
              value.add(normalize(row.get(keyCount + 1 + i)));
            }
            value.add(instant(eventTime));
            offline.put(key(row, keyCount), value);
          }
        });
    Instant readAt = now();
    List<KeyRead> online = store.read(table, keys);
    List<Mismatch> mismatches = new ArrayList<>();
    int present = 0;
    int expired = 0;
    for (int i = 0; i < keys.size(); i++) {
      List<Object> key = keys.get(i);
      KeyRead read = online.get(i);
      List<Object> expected = offline.get(key);
      if (read.failure().isPresent()) {
        mismatches.add(new Mismatch(key, "the online read failed: " + read.failure().get()));
        continue;
      }
      Optional<OnlineRecord> record = read.record().filter(r -> !r.expired(readAt));
      if (read.record().isPresent() && record.isEmpty()) {
        expired++;
      }
      if (record.isEmpty()) {
        if (expected != null) {
          mismatches.add(
              new Mismatch(
                  key,
                  "offline has a value at %s (event time %s), online has %s"
                      .formatted(
                          at,
                          expected.getLast(),
                          read.record().isPresent() ? "only an expired one" : "none")));
        }
        continue;
      }
      present++;
      OnlineRecord found = record.get();
      if (expected == null) {
        mismatches.add(
            new Mismatch(
                key,
                "online has a value (event time %s) but offline has none at %s"
                    .formatted(found.eventTime(), at)));
        continue;
      }
      Instant offlineTime = (Instant) expected.getLast();
      if (found.eventTime().isAfter(offlineTime) && found.eventTime().isAfter(at)) {
        continue; // written after the offline values were computed: newer, not wrong
      }
      if (!found.eventTime().equals(offlineTime)) {
        mismatches.add(
            new Mismatch(
                key, "event time online %s, offline %s".formatted(found.eventTime(), offlineTime)));
        continue;
      }
      List<String> differences = new ArrayList<>();
      for (int f = 0; f < featureCount; f++) {
        Object a = found.values().get(f);
        Object b = expected.get(f);
        if (!same(a, b)) {
          differences.add(
              "%s online %s, offline %s".formatted(table.features().get(f).name(), a, b));
        }
      }
      if (!differences.isEmpty()) {
        mismatches.add(new Mismatch(key, String.join("; ", differences)));
      }
    }
    return new CheckReport(group, keys.size(), present, expired, at, mismatches);
  }

  /**
   * The store table of a view version, with its keys and served features.
   *
   * @throws IllegalArgumentException when a key or feature has a type the store cannot hold
   */
  public static OnlineTable table(AppliedView view) {
    OnlineTable table = tableOf(view);
    List<String> problems = new ArrayList<>();
    for (Column column : concat(table.keys(), table.features())) {
      if (!OnlineValues.servable(column.type())) {
        problems.add("%s is %s".formatted(column.name(), column.type()));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "view %s cannot be served online: %s; online views hold numbers, booleans, strings, dates and timestamps (cast the others in the view's SQL, e.g. CAST(x AS varchar) or json_format)"
              .formatted(view.name(), String.join(", ", problems)));
    }
    return table;
  }

  /** The store table of a view version, unchecked (for reading and dropping what was loaded). */
  public static OnlineTable tableOf(AppliedView view) {
    Map<String, String> types = new HashMap<>();
    view.columns().forEach(c -> types.put(c.name(), c.type()));
    List<Column> keys = new ArrayList<>();
    for (String key : view.keyColumns()) {
      keys.add(new Column(key, types.get(key)));
    }
    return OnlineTable.of(view.name(), view.version(), keys, features(view), view.createdTime());
  }

  /** The feature columns of an applied view: every output column but keys and times. */
  public static List<Column> features(AppliedView view) {
    List<String> notFeatures = new ArrayList<>(view.keyColumns());
    notFeatures.add(view.eventTime());
    view.createdTime().ifPresent(notFeatures::add);
    return view.columns().stream().filter(c -> !notFeatures.contains(c.name())).toList();
  }

  /** Now, at the microsecond precision the registry and the engine keep. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
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

  private record LoadResult(
      Instant started,
      Instant at,
      long rows,
      long expired,
      long newKeys,
      WriteSummary written,
      Duration queryTime) {}

  private static final List<OnlineRecord> END = List.of();

  /**
   * Computes the values at now of the entities with rows since {@code since} (every entity when
   * empty) and writes them.
   */
  private LoadResult load(
      AppliedView view,
      OnlineTable table,
      Optional<Instant> since,
      boolean created,
      LoadListener listener) {
    Instant started = now();
    Instant at = started;
    String source = source(view);
    String spine = keySpine(view, source, since, at);
    listener.starting(table, source, since.isEmpty());
    CompiledTrainingSet set = withCreatedTime(compile(view.name(), spine));
    // pushed rows are only ever added, so the offline tie-break decides between a load's value
    // and a push's; other views' rows are recomputed, and a load's value is the offline one
    WriteMode mode =
        created
            ? WriteMode.INITIAL_LOAD
            : view.materialization() == Materialization.PUSH
                ? WriteMode.CONDITIONAL
                : WriteMode.RECOMPUTED;
    Optional<Duration> ttl = view.ttl();
    int keyCount = table.keys().size();
    int featureCount = table.features().size();
    // the statement's rows are read on this thread while a writer thread sends the previous batch
    BlockingQueue<List<OnlineRecord>> batches = new ArrayBlockingQueue<>(2);
    AtomicReference<WriteSummary> written = new AtomicReference<>(WriteSummary.NONE);
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    long[] counts = new long[2]; // rows, expired
    long startNanos = System.nanoTime();
    Thread writer =
        Thread.ofPlatform()
            .name("asof-online-load-" + view.name())
            .daemon()
            .start(
                () -> {
                  try {
                    for (List<OnlineRecord> batch = batches.take();
                        batch != END;
                        batch = batches.take()) {
                      if (failure.get() != null) {
                        continue; // drain: the reader stops at its next batch
                      }
                      try {
                        WriteSummary summary = store.write(table, batch, mode);
                        WriteSummary total = written.updateAndGet(w -> w.plus(summary));
                        listener.progress(
                            total.written() + total.skippedOlder(),
                            total,
                            Duration.ofNanos(System.nanoTime() - startNanos));
                      } catch (RuntimeException e) {
                        failure.set(e);
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    List<OnlineRecord> batch = new ArrayList<>(BATCH);
    long queryStart = System.nanoTime();
    long[] queryEnd = {queryStart};
    try {
      List<OnlineRecord> pending = batch;
      // the latest value per entity, in any order: Athena unloads a large group instead of paging
      trainingSets.streamUnordered(
          set,
          (columns, row) -> {
            Object eventTime = row.get(row.size() - 1);
            if (eventTime == null) {
              return; // no value at now: nothing to serve
            }
            Instant event = instant(eventTime);
            Optional<Instant> expiresAt = ttl.map(event::plus);
            counts[0]++;
            if (expiresAt.isPresent() && !expiresAt.get().isAfter(at)) {
              counts[1]++;
              return;
            }
            List<Object> values = new ArrayList<>(featureCount);
            for (int i = 0; i < featureCount; i++) {
              values.add(normalize(row.get(keyCount + 1 + i)));
            }
            // the winning row's created time, after the features (withCreatedTime)
            Optional<Instant> createdTime =
                table.createdTime().isPresent() && row.get(keyCount + 1 + featureCount) != null
                    ? Optional.of(instant(row.get(keyCount + 1 + featureCount)))
                    : Optional.empty();
            pending.add(
                new OnlineRecord(key(row, keyCount), event, values, expiresAt, createdTime));
            if (pending.size() >= BATCH) {
              hand(batches, List.copyOf(pending), failure);
              pending.clear();
            }
          });
      queryEnd[0] = System.nanoTime();
      if (!batch.isEmpty()) {
        hand(batches, List.copyOf(batch), failure);
      }
    } finally {
      finish(batches, writer, failure, view.name());
    }
    Duration queryTime = Duration.ofNanos(queryEnd[0] - queryStart);
    if (failure.get() != null) {
      throw failure.get();
    }
    WriteSummary summary = written.get();
    return new LoadResult(started, at, counts[0], counts[1], summary.written(), summary, queryTime);
  }

  /** Ends the writer's queue and waits for it; an interruption is recorded as the failure. */
  private static void finish(
      BlockingQueue<List<OnlineRecord>> batches,
      Thread writer,
      AtomicReference<RuntimeException> failure,
      String view) {
    try {
      batches.put(END);
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(
          null, new IllegalStateException("interrupted while loading " + view, e));
    }
  }

  private static void hand(
      BlockingQueue<List<OnlineRecord>> batches,
      List<OnlineRecord> batch,
      AtomicReference<RuntimeException> failure) {
    if (failure.get() != null) {
      throw failure.get();
    }
    try {
      batches.put(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading", e);
    }
  }

  /** What the load's spine reads keys from: the backfilled table, else the published view. */
  private String source(AppliedView view) {
    if (view.materialization() == Materialization.MATERIALIZED
        && BackfillService.backfilled(registry, view.name(), view.version())) {
      return BackfillService.table(catalog, view.name(), view.version());
    }
    return "%s.%s.%s".formatted(catalog, BackfillService.FEATURE_SCHEMA, view.name());
  }

  /**
   * Every key of the view's rows (those with rows since {@code since}, counted by event time and
   * created time when the view has one), each at {@code at}.
   */
  private static String keySpine(
      AppliedView view, String source, Optional<Instant> since, Instant at) {
    List<String> keys = view.keyColumns().stream().map(SqlQuoting::identifier).toList();
    StringBuilder sql =
        new StringBuilder(
            "SELECT DISTINCT %s, %s AS %s\nFROM %s"
                .formatted(String.join(", ", keys), timestamp(at), NOW_COLUMN, source));
    List<String> where = new ArrayList<>();
    for (String key : keys) {
      where.add(key + " IS NOT NULL");
    }
    if (since.isPresent()) {
      String changed =
          "%s >= %s".formatted(SqlQuoting.identifier(view.eventTime()), timestamp(since.get()));
      if (view.createdTime().isPresent()) {
        changed =
            "(%s OR %s >= %s)"
                .formatted(
                    changed,
                    SqlQuoting.identifier(view.createdTime().get()),
                    timestamp(since.get()));
      }
      where.add(changed);
    }
    sql.append("\nWHERE ").append(String.join("\n  AND ", where));
    return sql.toString();
  }

  /** A spine of the given keys, each at {@code at}, as a VALUES list. */
  private static String valuesSpine(OnlineTable table, List<List<Object>> keys, Instant at) {
    List<String> rows = new ArrayList<>();
    for (List<Object> key : keys) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < key.size(); i++) {
        values.add(literal(key.get(i), table.keys().get(i).type()));
      }
      rows.add("(" + String.join(", ", values) + ")");
    }
    List<String> names = table.keys().stream().map(c -> SqlQuoting.identifier(c.name())).toList();
    return "SELECT k.*, %s AS %s\nFROM (VALUES\n  %s) AS k (%s)"
        .formatted(timestamp(at), NOW_COLUMN, String.join(",\n  ", rows), String.join(", ", names));
  }

  private List<List<Object>> sampleKeys(
      AppliedView view, OnlineTable table, int sample, long seed) {
    int fromOnline = (sample + 1) / 2;
    Random random = new Random(seed);
    List<List<Object>> reservoir = new ArrayList<>();
    long[] seen = {0};
    store.scan(
        table,
        record -> {
          synchronized (reservoir) {
            seen[0]++;
            if (reservoir.size() < fromOnline) {
              reservoir.add(record.key());
            } else {
              long slot = (long) (random.nextDouble() * seen[0]);
              if (slot < fromOnline) {
                reservoir.set((int) slot, record.key());
              }
            }
          }
        });
    List<String> keys = view.keyColumns().stream().map(SqlQuoting::identifier).toList();
    String offline =
        "SELECT %s FROM (SELECT DISTINCT %s FROM %s WHERE %s) ORDER BY rand() LIMIT %d"
            .formatted(
                String.join(", ", keys),
                String.join(", ", keys),
                source(view),
                String.join(" AND ", keys.stream().map(k -> k + " IS NOT NULL").toList()),
                sample - reservoir.size());
    List<List<Object>> sampled = new ArrayList<>(reservoir);
    for (List<Object> row : engine.query(offline).rows()) {
      List<Object> key = key(row, table.keys().size());
      if (!sampled.contains(key)) {
        sampled.add(key);
      }
    }
    return sampled;
  }

  /**
   * The set with the view's created-time column also taken, after its features: stores break ties
   * on event time by the winning row's created time (OnlineRecord#newer), as offline does.
   */
  private static CompiledTrainingSet withCreatedTime(CompiledTrainingSet set) {
    PitView view = set.request().views().getFirst();
    if (view.createdTime().isEmpty()) {
      return set;
    }
    List<String> features = new ArrayList<>(view.features());
    features.add(view.createdTime().get());
    PitView taking =
        new PitView(
            view.name(),
            view.sourceSql(),
            view.keys(),
            view.eventTime(),
            view.createdTime(),
            view.ttl(),
            view.columns(),
            features,
            view.holdBackLate(),
            view.withEventTime(),
            view.prune(),
            view.lookup(),
            view.validUntil());
    PitRequest request =
        new PitRequest(
            set.request().spineSql(),
            set.request().spineColumns(),
            set.request().timestamp(),
            List.of(taking));
    return new CompiledTrainingSet(
        set.spec(),
        set.views(),
        request,
        PointInTimeSql.plan(request),
        set.pinned(),
        set.viewsAsOf());
  }

  private CompiledTrainingSet compile(String view, String spineSql) {
    AdHocTrainingSet adHoc =
        new AdHocTrainingSet(
            "online values of " + view,
            () -> spineSql,
            Path.of("online " + view),
            NOW_COLUMN,
            List.of(view + ":*"),
            Path.of("online " + view),
            Optional.empty(),
            Optional.empty(),
            true);
    try {
      return trainingSets.compile("online_" + view, Optional.of(adHoc));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    return tableOf(loaded);
  }

  private static List<Object> key(List<Object> row, int keyCount) {
    List<Object> key = new ArrayList<>(keyCount);
    for (int i = 0; i < keyCount; i++) {
      key.add(normalize(row.get(i)));
    }
    return key;
  }

  /** A value as the engine gives it, in the Java type the online store takes. */
  static Object normalize(Object value) {
    return switch (value) {
      case java.sql.Timestamp timestamp -> timestamp.toLocalDateTime();
      case java.sql.Date date -> date.toLocalDate();
      case null, default -> value;
    };
  }

  /** An event time as the engine gives it (a timestamp without time zone, in UTC) as an instant. */
  static Instant instant(Object value) {
    return switch (normalize(value)) {
      case LocalDateTime local -> local.toInstant(ZoneOffset.UTC);
      case LocalDate date -> date.atStartOfDay().toInstant(ZoneOffset.UTC);
      case java.time.ZonedDateTime zoned -> zoned.toInstant();
      case Instant instant -> instant;
      default ->
          throw new IllegalArgumentException(
              "an event time is a timestamp, got " + value.getClass().getSimpleName());
    };
  }

  private static boolean same(Object online, Object offline) {
    if (online instanceof BigDecimal a && offline instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    return Objects.equals(online, offline);
  }

  private static String timestamp(Instant at) {
    return "TIMESTAMP '%s'".formatted(LITERAL.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC)));
  }

  private static String literal(Object value, String type) {
    String text =
        switch (value) {
          case Number number ->
              number instanceof BigDecimal d ? d.toPlainString() : number.toString();
          case Boolean bool -> bool.toString();
          case LocalDateTime local -> "'" + LITERAL.format(local) + "'";
          default -> SqlQuoting.literal(value.toString());
        };
    return "CAST(%s AS %s)".formatted(text, type);
  }

  private static String names(List<OnlineGroup> groups) {
    return groups.isEmpty()
        ? "none"
        : String.join(", ", groups.stream().map(OnlineGroup::view).toList());
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
