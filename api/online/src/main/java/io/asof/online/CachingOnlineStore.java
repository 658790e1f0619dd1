package io.asof.online;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An online store with an in-process copy of chosen tables: {@link #cache} loads a table into
 * memory and reloads it in the background, swapping the new copy in atomically; reads of a cached
 * table never leave the process. When a reload fails the last good copy keeps being served, and
 * {@link #status()} says it is stale. Other tables pass through to the delegate.
 */
public final class CachingOnlineStore implements OnlineStore {
  private static final Logger LOG = LoggerFactory.getLogger(CachingOnlineStore.class);

  /** How a cached table is doing. */
  public record CacheStatus(
      String table,
      long records,
      Optional<Instant> loadedAt,
      Optional<Instant> lastFailureAt,
      Optional<String> lastFailure,
      long refreshes,
      long failedRefreshes,
      boolean stale) {}

  /** One copy of a table: immutable once published. */
  private record Copy(Map<List<Object>, OnlineRecord> records, Instant loadedAt) {}

  private final class Cached {
    final OnlineTable table;
    volatile Copy copy;
    volatile Optional<Instant> lastFailureAt = Optional.empty();
    volatile Optional<String> lastFailure = Optional.empty();
    final AtomicLong refreshes = new AtomicLong();
    final AtomicLong failedRefreshes = new AtomicLong();
    volatile boolean stale;
    volatile ScheduledFuture<?> task;

    Cached(OnlineTable table, Copy copy) {
      this.table = table;
      this.copy = copy;
    }

    /** Loads the table again and swaps the copy; on failure keeps the last one. */
    void reload() {
      try {
        Copy fresh = load(table);
        synchronized (this) {
          copy = fresh;
        }
        refreshes.incrementAndGet();
        stale = false;
      } catch (RuntimeException e) {
        failedRefreshes.incrementAndGet();
        stale = true;
        lastFailureAt = Optional.of(clock.instant());
        lastFailure = Optional.of(String.valueOf(e.getMessage()));
        LOG.warn(
            "reloading the cached copy of " + table.name() + " failed; serving the last one", e);
      }
    }

    CacheStatus status() {
      Copy current = copy;
      return new CacheStatus(
          table.name(),
          current.records().size(),
          Optional.of(current.loadedAt()),
          lastFailureAt,
          lastFailure,
          refreshes.get(),
          failedRefreshes.get(),
          stale);
    }
  }

  private final OnlineStore delegate;
  private final Clock clock;
  private final Map<String, Cached> cached = new ConcurrentHashMap<>();
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> Thread.ofPlatform().name("asof-online-cache").daemon().unstarted(runnable));

  public CachingOnlineStore(OnlineStore delegate, Clock clock) {
    this.delegate = requireNonNull(delegate, "delegate is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /**
   * Loads {@code table} into memory and reloads it every {@code refresh}; a table cached already is
   * cached again (its copy reloaded now, at the new interval).
   *
   * @throws OnlineStoreException when the first load fails (the table is then not cached)
   */
  public void cache(OnlineTable table, Duration refresh) {
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("the refresh interval must be positive, got " + refresh);
    }
    Cached entry = new Cached(table, load(table));
    Cached before = cached.put(table.name(), entry);
    if (before != null && before.task != null) {
      before.task.cancel(false);
    }
    entry.task =
        refresher.scheduleWithFixedDelay(
            entry::reload, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops caching {@code table}; nothing when it is not cached. */
  public void uncache(OnlineTable table) {
    Cached entry = cached.remove(table.name());
    if (entry != null && entry.task != null) {
      entry.task.cancel(false);
    }
  }

  /** The cached tables, by name. */
  public List<CacheStatus> status() {
    List<CacheStatus> statuses = new ArrayList<>();
    for (Cached entry : cached.values()) {
      statuses.add(entry.status());
    }
    statuses.sort(java.util.Comparator.comparing(CacheStatus::table));
    return statuses;
  }

  /** Reloads a cached table now (tests, an operator's nudge); nothing when it is not cached. */
  public void refresh(OnlineTable table) {
    Cached entry = cached.get(table.name());
    if (entry != null) {
      entry.reload();
    }
  }

  private Copy load(OnlineTable table) {
    Instant at = clock.instant();
    Map<List<Object>, OnlineRecord> records = new ConcurrentHashMap<>();
    delegate.scan(table, record -> records.merge(record.key(), record, CachingOnlineStore::newer));
    return new Copy(Map.copyOf(records), at);
  }

  /** The record offline takes, as the store's conditional write keeps it. */
  private static OnlineRecord newer(OnlineRecord a, OnlineRecord b) {
    return OnlineRecord.newer(a, b);
  }

  @Override
  public boolean create(OnlineTable table) {
    return delegate.create(table);
  }

  @Override
  public boolean exists(OnlineTable table) {
    return delegate.exists(table);
  }

  @Override
  public WriteSummary write(OnlineTable table, List<OnlineRecord> records, WriteMode mode) {
    WriteSummary summary = delegate.write(table, records, mode);
    Cached entry = cached.get(table.name());
    if (entry != null) {
      synchronized (entry) {
        Map<List<Object>, OnlineRecord> next = new HashMap<>(entry.copy.records());
        for (OnlineRecord record : records) {
          next.merge(record.key(), record, (kept, written) -> TieBreak.kept(mode, kept, written));
        }
        entry.copy = new Copy(Map.copyOf(next), entry.copy.loadedAt());
      }
    }
    return summary;
  }

  @Override
  public WriteSummary addTiles(OnlineTable table, List<TileUpdate> updates) {
    WriteSummary summary = delegate.addTiles(table, updates);
    reread(table, updates.stream().map(TileUpdate::key).toList());
    return summary;
  }

  @Override
  public WriteSummary writeTiles(
      OnlineTable table, List<OnlineRecord> records, long through, boolean initial) {
    WriteSummary summary = delegate.writeTiles(table, records, through, initial);
    reread(table, records.stream().map(OnlineRecord::key).toList());
    return summary;
  }

  /** The cached copy of {@code keys} replaced by what the store holds now (tiles add up there). */
  private void reread(OnlineTable table, List<List<Object>> keys) {
    Cached entry = cached.get(table.name());
    if (entry == null || keys.isEmpty()) {
      return;
    }
    List<KeyRead> reads = delegate.read(table, keys);
    synchronized (entry) {
      Map<List<Object>, OnlineRecord> next = new HashMap<>(entry.copy.records());
      for (KeyRead read : reads) {
        read.record().ifPresent(record -> next.put(record.key(), record));
      }
      entry.copy = new Copy(Map.copyOf(next), entry.copy.loadedAt());
    }
  }

  @Override
  public List<KeyRead> read(OnlineTable table, List<List<Object>> keys) {
    Cached entry = cached.get(table.name());
    if (entry == null) {
      return delegate.read(table, keys);
    }
    Map<List<Object>, OnlineRecord> records = entry.copy.records();
    List<KeyRead> reads = new ArrayList<>(keys.size());
    for (List<Object> key : keys) {
      OnlineRecord record = records.get(key);
      reads.add(record == null ? KeyRead.MISSING : KeyRead.found(record));
    }
    return reads;
  }

  @Override
  public void scan(OnlineTable table, Consumer<OnlineRecord> consumer) {
    delegate.scan(table, consumer);
  }

  @Override
  public void drop(OnlineTable table) {
    uncache(table);
    delegate.drop(table);
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    delegate.close();
  }
}
