package io.asof.jobs;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.pit.OnlineSpineSql;
import io.asof.model.Materialization;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineTable;
import io.asof.online.WriteMode;
import io.asof.online.WriteSummary;
import io.asof.registry.AppliedView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads a view's values at now into the online store: the offline point-in-time values of the
 * entities with rows since the last load (or of every entity), read from the engine on the caller's
 * thread while writer threads send the previous batches, values already past their TTL left out.
 */
final class OnlineLoader {
  private final OfflineValues offline;
  private final OnlineStore store;
  private final MicrosecondClock clock;

  OnlineLoader(OfflineValues offline, OnlineStore store, MicrosecondClock clock) {
    this.offline = offline;
    this.store = store;
    this.clock = clock;
  }

  /** Records handed to the store per write call. */
  static final int BATCH = 5_000;

  /**
   * Write calls in flight: two, so that one batch's last, half-parallel requests overlap the next
   * batch's first ones instead of leaving the store's writers idle between batches.
   */
  private static final int WRITERS = 2;

  record LoadResult(
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
  LoadResult load(
      AppliedView view,
      OnlineTable table,
      Optional<Instant> since,
      boolean created,
      OnlineService.LoadListener listener) {
    Instant started = clock.now();
    Instant at = started;
    String source = offline.source(view);
    String spine =
        OnlineSpineSql.changedKeys(
            view.keyColumns(), view.eventTime(), view.createdTime(), source, since, at);
    listener.starting(table, source, since.isEmpty());
    CompiledTrainingSet set = OfflineValues.withCreatedTime(offline.compile(view.name(), spine));
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
    // the statement's rows are read on this thread while writer threads send the previous batches
    BlockingQueue<List<OnlineRecord>> batches = new ArrayBlockingQueue<>(WRITERS);
    AtomicReference<WriteSummary> written = new AtomicReference<>(WriteSummary.NONE);
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    long[] counts = new long[2]; // rows, expired
    long startNanos = System.nanoTime();
    Object progress = new Object();
    List<Thread> writers = new ArrayList<>(WRITERS);
    for (int w = 0; w < WRITERS; w++) {
      writers.add(
          Thread.ofPlatform()
              .name("asof-online-load-" + view.name() + "-" + w)
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
                          synchronized (progress) {
                            WriteSummary total = written.updateAndGet(sum -> sum.plus(summary));
                            listener.progress(
                                total.written() + total.skippedOlder(),
                                total,
                                Duration.ofNanos(System.nanoTime() - startNanos));
                          }
                        } catch (RuntimeException e) {
                          failure.compareAndSet(null, e);
                        }
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    List<OnlineRecord> batch = new ArrayList<>(BATCH);
    long queryStart = System.nanoTime();
    long[] queryEnd = {queryStart};
    try {
      List<OnlineRecord> pending = batch;
      // the latest value per entity, in any order: Athena unloads a large group instead of paging
      offline.streamUnordered(
          set,
          (columns, row) -> {
            Object eventTime = row.get(row.size() - 1);
            if (eventTime == null) {
              return; // no value at now: nothing to serve
            }
            Instant event = OfflineValues.instant(eventTime);
            Optional<Instant> expiresAt = ttl.map(event::plus);
            counts[0]++;
            if (expiresAt.isPresent() && !expiresAt.get().isAfter(at)) {
              counts[1]++;
              return;
            }
            List<Object> values = new ArrayList<>(featureCount);
            for (int i = 0; i < featureCount; i++) {
              values.add(OfflineValues.normalize(row.get(keyCount + 1 + i)));
            }
            // the winning row's created time, after the features (withCreatedTime)
            Optional<Instant> createdTime =
                table.createdTime().isPresent() && row.get(keyCount + 1 + featureCount) != null
                    ? Optional.of(OfflineValues.instant(row.get(keyCount + 1 + featureCount)))
                    : Optional.empty();
            pending.add(
                new OnlineRecord(
                    OfflineValues.key(row, keyCount), event, values, expiresAt, createdTime));
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
      finish(batches, writers, failure, view.name());
    }
    Duration queryTime = Duration.ofNanos(queryEnd[0] - queryStart);
    if (failure.get() != null) {
      throw failure.get();
    }
    WriteSummary summary = written.get();
    return new LoadResult(started, at, counts[0], counts[1], summary.written(), summary, queryTime);
  }

  /** Ends the writers' queue and waits for them; an interruption is recorded as the failure. */
  private static void finish(
      BlockingQueue<List<OnlineRecord>> batches,
      List<Thread> writers,
      AtomicReference<RuntimeException> failure,
      String view) {
    try {
      for (int w = 0; w < writers.size(); w++) {
        batches.put(END);
      }
      for (Thread writer : writers) {
        writer.join();
      }
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
}
