package io.asof.push;

import io.asof.engine.Column;
import io.asof.engine.QueryEngine;
import io.asof.export.ExportFormat;
import io.asof.export.RowWriter;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineTable;
import io.asof.online.WriteMode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One push view version's way from the push log to its tables: the rows waiting for their
 * micro-batch commit, the committer that writes them to Iceberg, and for an online view the writer
 * that puts each key's newest value online. Each runs on a thread of its own.
 */
final class ViewPipeline {
  private static final Logger LOG = Logger.getLogger(ViewPipeline.class.getName());
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** A push taken into the log. */
  record Batch(long sequence, List<Object[]> rows, Instant at) {}

  private final PushConfig config;
  private final QueryEngine engine;
  private final Optional<OnlineStore> store;
  private final PushListener listener;
  private final Clock clock;
  private final Runnable finished;
  private final PushRowParser parser;
  private volatile PushView view;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // guarded by lock
  private final List<Batch> pending = new ArrayList<>();
  private int pendingRows;
  private int reservedRows;
  private final ArrayDeque<Batch> onlineQueue = new ArrayDeque<>();
  private List<Batch> onlineWriting = List.of();
  private boolean flushRequested;
  private boolean closing;
  private long commits;
  private long committedRows;
  private Instant lastCommitAt;
  private Duration lastCommitTook;
  private long lastCommitRows;
  private long onlineRecords;
  private Duration maxOnlineLag;
  private String lastError;

  private boolean prepared;
  private final Thread committer;

  /** Compactions run beside the commits (Iceberg lets an append and a rewrite both commit). */
  private final java.util.concurrent.ExecutorService compactor;

  private final java.util.concurrent.atomic.AtomicBoolean compacting =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final Thread onlineWriter;

  ViewPipeline(
      PushView view,
      PushConfig config,
      QueryEngine engine,
      Optional<OnlineStore> store,
      PushListener listener,
      Clock clock,
      Runnable finished) {
    this.view = view;
    this.config = config;
    this.engine = engine;
    this.store = store;
    this.listener = listener;
    this.clock = clock;
    this.finished = finished;
    this.parser = new PushRowParser(view);
    // platform threads: long-lived, few, and blocking in JDBC and the AWS SDK all the time
    this.committer =
        Thread.ofPlatform()
            .daemon()
            .name("asof-push-commit-" + view.label())
            .unstarted(this::commitLoop);
    this.onlineWriter =
        Thread.ofPlatform()
            .daemon()
            .name("asof-push-online-" + view.label())
            .unstarted(this::onlineLoop);
    this.compactor =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("asof-push-compact-" + view.label()).factory());
  }

  void start() {
    committer.start();
    onlineWriter.start();
  }

  PushView view() {
    return view;
  }

  PushRowParser parser() {
    return parser;
  }

  /**
   * Takes the view's newer description (its online switch may have changed); when it went online,
   * the rows still waiting for a commit are queued for the online store too, since the load that
   * switched it on read only committed rows.
   */
  void update(PushView newer) {
    boolean wentOnline = view.online().isEmpty() && newer.online().isPresent();
    view = newer;
    if (wentOnline) {
      lock.lock();
      try {
        for (Batch batch : pending) {
          if (!onlineQueue.contains(batch) && !onlineWriting.contains(batch)) {
            onlineQueue.add(batch);
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Holds room for {@code rows} more rows, or refuses the push while the buffer is full.
   *
   * @throws PushBusyException when the rows do not fit until a commit frees room
   */
  void reserve(int rows) {
    lock.lock();
    try {
      if (closing) {
        throw new PushBusyException(
            "the server is stopping; push again when it is back", Duration.ofSeconds(5));
      }
      if (pendingRows + reservedRows + rows > config.maxBufferedRows()) {
        long waited =
            pending.isEmpty()
                ? 0
                : Duration.between(pending.getFirst().at(), clock.instant()).toMillis();
        long wait = Math.max(1, (config.commitInterval().toMillis() - waited + 999) / 1000);
        throw new PushBusyException(
            "view %s has %,d rows waiting for their commit, its limit is %,d: push again in %d s"
                .formatted(view.name(), pendingRows + reservedRows, config.maxBufferedRows(), wait),
            Duration.ofSeconds(wait));
      }
      reservedRows += rows;
    } finally {
      lock.unlock();
    }
  }

  void unreserve(int rows) {
    lock.lock();
    try {
      reservedRows -= rows;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a batch now durable in the log: it waits for the next commit and, for an online view, for
   * the online writer.
   *
   * @param committed whether the view's table holds it already (a replay after a crash)
   * @param reserved whether its rows were {@link #reserve reserved}
   */
  void accept(Batch batch, boolean committed, boolean reserved) {
    lock.lock();
    try {
      if (reserved) {
        reservedRows -= batch.rows().size();
      }
      if (!committed) {
        pending.add(batch);
        pendingRows += batch.rows().size();
      }
      if (view.online().isPresent()) {
        onlineQueue.add(batch);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The smallest sequence this pipeline still needs from the log; MAX_VALUE when none. */
  long oldestNeeded() {
    lock.lock();
    try {
      long oldest = Long.MAX_VALUE;
      for (Batch batch : pending) {
        oldest = Math.min(oldest, batch.sequence());
      }
      for (Batch batch : onlineQueue) {
        oldest = Math.min(oldest, batch.sequence());
      }
      for (Batch batch : onlineWriting) {
        oldest = Math.min(oldest, batch.sequence());
      }
      return oldest;
    } finally {
      lock.unlock();
    }
  }

  /** Commits what waits now, and returns once it is committed (or {@code timeout} passed). */
  boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      flushRequested = true;
      changed.signalAll();
      while (!pending.isEmpty() || !onlineQueue.isEmpty() || !onlineWriting.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Stops taking pushes, commits and writes online what waits (within {@code timeout}), stops. */
  void close(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      closing = true;
      flushRequested = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    compactor.shutdown();
    for (Thread thread : List.of(committer, onlineWriter)) {
      long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      if (!thread.join(Duration.ofMillis(left))) {
        thread.interrupt();
        thread.join(Duration.ofSeconds(5));
      }
    }
  }

  PushService.ViewStatus status() {
    lock.lock();
    try {
      return new PushService.ViewStatus(
          view.name(),
          view.version(),
          pendingRows,
          pending.size(),
          commits,
          committedRows,
          Optional.ofNullable(lastCommitAt),
          Optional.ofNullable(lastCommitTook),
          lastCommitRows,
          onlineQueue.size() + (onlineWriting.isEmpty() ? 0 : 1),
          onlineRecords,
          Optional.ofNullable(maxOnlineLag),
          Optional.ofNullable(lastError));
    } finally {
      lock.unlock();
    }
  }

  // ---- the committer ----

  private void commitLoop() {
    int failures = 0;
    // the batches of the commit that failed last: tried again as they are until they are
    // committed, so that the check of what the failed try committed asks about exactly them
    List<Batch> failed = List.of();
    try {
      while (true) {
        List<Batch> taking;
        if (!failed.isEmpty()) {
          taking = failed;
        } else {
          lock.lock();
          try {
            while (true) {
              if (pending.isEmpty()) {
                flushRequested = false;
                if (closing) {
                  return;
                }
                changed.await();
                continue;
              }
              Duration age = Duration.between(pending.getFirst().at(), clock.instant());
              Duration left = config.commitInterval().minus(age);
              if (flushRequested || pendingRows >= config.commitRows() || !left.isPositive()) {
                break;
              }
              changed.awaitNanos(left.toNanos());
            }
            taking = List.copyOf(pending);
          } finally {
            lock.unlock();
          }
        }
        try {
          commit(taking, failures);
          failures = 0;
          failed = List.of();
        } catch (RuntimeException | IOException e) {
          failures++;
          failed = taking;
          String message =
              "committing %s failed (attempt %d, tried again): %s"
                  .formatted(view.label(), failures, e.getMessage());
          LOG.log(Level.WARNING, message, e);
          listener.commitFailed(view, String.valueOf(e.getMessage()));
          lock.lock();
          try {
            lastError = message;
          } finally {
            lock.unlock();
          }
          Thread.sleep(backoff(failures));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One micro-batch: the batches' rows to a Parquet file, added to the empty staging table, then
   * inserted into the view's table in one snapshot. After a failure ({@code attempt} > 0, the same
   * batches again) the table is asked first which of them the failed try committed after all (a
   * step after the {@code INSERT} may have failed, or its answer been lost), and only the others
   * are written.
   */
  private void commit(List<Batch> batches, int attempt) throws IOException {
    long started = System.nanoTime();
    PushView target = view;
    prepare(target);
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    int rows = 0;
    for (Batch batch : batches) {
      first = Math.min(first, batch.sequence());
      last = Math.max(last, batch.sequence());
      rows += batch.rows().size();
    }
    List<Batch> writing = attempt > 0 ? notCommitted(target, batches, first, last) : batches;
    if (!writing.isEmpty()) {
      Path directory = config.stagingDir().resolve(target.name() + "__v" + target.version());
      Files.createDirectories(directory);
      // a file of its own per try: the engine never sees two files under one name
      String file = "batch-%020d-%020d-%d.parquet".formatted(first, last, attempt);
      Path local = directory.resolve(file);
      try {
        try (RowWriter writer = ExportFormat.PARQUET.open(local, target.tableColumns())) {
          for (Batch batch : writing) {
            Long sequence = batch.sequence();
            for (Object[] row : batch.rows()) {
              Object[] values = Arrays.copyOf(row, row.length + 1);
              values[row.length] = sequence;
              writer.write(Arrays.asList(values));
            }
          }
        }
        URI uri = stagingUri(directory.getFileName().toString(), file);
        engine.execute(PushSql.truncateStaging(target));
        engine.execute(PushSql.addFile(target, uri));
        engine.execute(PushSql.insert(target));
        engine.execute(PushSql.truncateStaging(target));
      } finally {
        // after a failure the next try writes a file of its own, so this one is of no use
        Files.deleteIfExists(local);
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    boolean compact;
    lock.lock();
    try {
      Set<Batch> done = Collections.newSetFromMap(new IdentityHashMap<>());
      done.addAll(batches);
      pending.removeIf(done::contains);
      pendingRows -= rows;
      commits++;
      committedRows += rows;
      lastCommitAt = clock.instant();
      lastCommitTook = took;
      lastCommitRows = rows;
      lastError = null;
      compact = commits % config.compactEvery() == 0;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    listener.committed(target, rows, took);
    finished.run();
    if (compact && compacting.compareAndSet(false, true)) {
      compactor.execute(
          () -> {
            try {
              compact(target);
            } finally {
              compacting.set(false);
            }
          });
    }
  }

  private URI stagingUri(String directory, String file) {
    String base = config.stagingUri().toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + directory + "/" + file);
  }

  /** The staging schema and table exist and the staging table is empty; once per pipeline. */
  private void prepare(PushView target) {
    if (prepared) {
      return;
    }
    engine.execute(PushSql.createStagingSchema(target));
    engine.execute(PushSql.createStagingTable(target));
    engine.execute(PushSql.truncateStaging(target));
    prepared = true;
  }

  /**
   * The batches the view's table does not hold, asked per sequence as a replay does (an {@code
   * INSERT} commits a batch whole or not at all, and other batches of the range may have been
   * committed apart).
   */
  private List<Batch> notCommitted(PushView target, List<Batch> batches, long first, long last) {
    Set<Long> committed = new HashSet<>();
    for (List<Object> row : engine.query(PushSql.committedSequences(target, first, last)).rows()) {
      committed.add(((Number) row.getFirst()).longValue());
    }
    List<Batch> left = new ArrayList<>();
    for (Batch batch : batches) {
      if (!committed.contains(batch.sequence())) {
        left.add(batch);
      }
    }
    if (left.size() < batches.size()) {
      LOG.info(
          "%s: %d of batches %d..%d were committed by the last try; the other %d are written now"
              .formatted(target.label(), batches.size() - left.size(), first, last, left.size()));
    }
    return left;
  }

  /**
   * Rewrites yesterday's and today's small files (under {@link PushSql#SMALL_FILE}) into fewer; a
   * failure is only logged.
   */
  private void compact(PushView target) {
    try {
      engine.execute(
          PushSql.compact(
              target,
              LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).toLocalDate().minusDays(1)));
      engine.execute(PushSql.expireStaging(target));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "compacting " + target.table() + " failed; tried again later", e);
    }
  }

  // ---- the online writer ----

  private void onlineLoop() {
    int failures = 0;
    // the first call of a fresh client costs a second (connections, classes): not on a push's way
    if (store.isPresent() && view.online().isPresent()) {
      try {
        var unused = store.get().exists(view.online().get());
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "warming the online store up failed", e);
      }
    }
    try {
      while (true) {
        List<Batch> taking;
        OnlineTable table;
        lock.lock();
        try {
          while (onlineQueue.isEmpty()) {
            if (closing) {
              return;
            }
            changed.await();
          }
          Optional<OnlineTable> online = view.online();
          if (online.isEmpty() || store.isEmpty()) {
            onlineQueue.clear();
            changed.signalAll();
            continue;
          }
          table = online.get();
          taking = new ArrayList<>(onlineQueue);
          onlineQueue.clear();
          onlineWriting = taking;
        } finally {
          lock.unlock();
        }
        try {
          List<OnlineRecord> records = newest(view, table, taking);
          store.get().write(table, records, WriteMode.CONDITIONAL);
          Duration lag = Duration.between(taking.getFirst().at(), clock.instant());
          lock.lock();
          try {
            onlineWriting = List.of();
            onlineRecords += records.size();
            if (maxOnlineLag == null || lag.compareTo(maxOnlineLag) > 0) {
              maxOnlineLag = lag;
            }
            changed.signalAll();
          } finally {
            lock.unlock();
          }
          failures = 0;
          listener.wroteOnline(view, records.size(), lag);
          finished.run();
        } catch (RuntimeException e) {
          failures++;
          LOG.log(
              Level.WARNING, "writing %s online failed; tried again".formatted(view.label()), e);
          listener.onlineFailed(view, String.valueOf(e.getMessage()));
          lock.lock();
          try {
            for (int i = taking.size() - 1; i >= 0; i--) {
              onlineQueue.addFirst(taking.get(i));
            }
            onlineWriting = List.of();
            lastError = "writing online failed: " + e.getMessage();
          } finally {
            lock.unlock();
          }
          Thread.sleep(backoff(failures));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Each key's newest row of the batches as the online table's record, its expiry the event time
   * plus the view's TTL: the row offline takes (greatest event time; of equal ones the greatest
   * created time, then feature values, {@link OnlineRecord#newer}), whatever push brought it.
   */
  static List<OnlineRecord> newest(PushView view, OnlineTable table, List<Batch> batches) {
    int time = view.indexOf(view.eventTime());
    int[] keys = indexes(view, table.keys());
    int[] features = indexes(view, table.features());
    int created = table.createdTime().map(view::indexOf).orElse(-1);
    Map<List<Object>, OnlineRecord> newest = new HashMap<>();
    for (Batch batch : batches) {
      for (Object[] row : batch.rows()) {
        List<Object> key = new ArrayList<>(keys.length);
        for (int k : keys) {
          key.add(row[k]);
        }
        Instant eventTime = ((LocalDateTime) row[time]).toInstant(ZoneOffset.UTC);
        List<Object> values = new ArrayList<>(features.length);
        for (int f : features) {
          values.add(row[f]);
        }
        Optional<Instant> createdTime =
            created >= 0 && row[created] instanceof LocalDateTime at
                ? Optional.of(at.toInstant(ZoneOffset.UTC))
                : Optional.empty();
        newest.merge(
            key,
            new OnlineRecord(key, eventTime, values, view.ttl().map(eventTime::plus), createdTime),
            OnlineRecord::newer);
      }
    }
    return new ArrayList<>(newest.values());
  }

  private static int[] indexes(PushView view, List<Column> columns) {
    int[] indexes = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      indexes[i] = view.indexOf(columns.get(i).name());
      if (indexes[i] < 0) {
        throw new IllegalStateException(
            "the online table of %s has column %s, which the push view does not"
                .formatted(view.label(), columns.get(i).name()));
      }
    }
    return indexes;
  }

  private static long backoff(int failures) {
    return Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(failures, 10));
  }
}
