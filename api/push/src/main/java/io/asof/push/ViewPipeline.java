package io.asof.push;

import io.asof.engine.QueryEngine;
import io.asof.export.ExportFormat;
import io.asof.export.RowWriter;
import io.asof.model.Column;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push view version's way from the push log to its tables: the rows waiting for their
 * micro-batch commit, the committer that writes them to Iceberg, and for an online view the writer
 * that puts each key's newest value online. Each runs on a thread of its own.
 */
final class ViewPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(ViewPipeline.class);
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
  private boolean tileFlushRequested;
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

  /** Names this pipeline's staging files apart from those of earlier servers. */
  private final String instance = java.util.UUID.randomUUID().toString();

  /** The highest sequence below which every logged push has been accepted by its pipeline. */
  private final java.util.function.LongSupplier settled;

  /** Per aggregation view online reading this view, by its tiles table; guarded by lock. */
  private final Map<String, Tiles> tiles = new java.util.LinkedHashMap<>();

  private final Thread tileWriter;

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
      Runnable finished,
      java.util.function.LongSupplier settled) {
    this.view = view;
    this.settled = settled;
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
    this.tileWriter =
        Thread.ofPlatform()
            .daemon()
            .name("asof-push-tiles-" + view.label())
            .unstarted(this::tileLoop);
    syncTiles(view);
    this.compactor =
        java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("asof-push-compact-" + view.label()).factory());
  }

  void start() {
    committer.start();
    onlineWriter.start();
    tileWriter.start();
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
    syncTiles(newer);
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
      for (Tiles target : tiles.values()) {
        target.queue.add(batch);
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
      for (Tiles target : tiles.values()) {
        for (Batch batch : target.queue) {
          oldest = Math.min(oldest, batch.sequence());
        }
        for (Batch batch : target.writing) {
          oldest = Math.min(oldest, batch.sequence());
        }
        oldest = Math.min(oldest, target.deferred.oldestSequence());
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
      tileFlushRequested = true;
      changed.signalAll();
      while (!pending.isEmpty()
          || !onlineQueue.isEmpty()
          || !onlineWriting.isEmpty()
          || tiles.values().stream().anyMatch(Tiles::busy)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      // this flush is done: a push that comes next waits for its commit interval as any other,
      // even if the committer has not yet looped back to see the request answered
      flushRequested = false;
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
    for (Thread thread : List.of(committer, onlineWriter, tileWriter)) {
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
          onlineQueue.size()
              + (onlineWriting.isEmpty() ? 0 : 1)
              + tiles.values().stream().mapToInt(t -> t.queue.size() + t.writing.size()).sum(),
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
          LOG.warn(message, e);
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
      // a file of its own per try and per pipeline: the engine never sees two files under one
      // name, also when a new push log (another server, a fresh state) numbers from 1 again
      String file = "batch-%020d-%020d-%d-%s.parquet".formatted(first, last, attempt, instance);
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
      LOG.warn("compacting " + target.table() + " failed; tried again later", e);
    }
  }

  // ---- the tiles of aggregation views over this view ----

  /** One aggregation view's tiles: the batches waiting for them, and whether it caught up. */
  private static final class Tiles {
    final TileTarget target;
    final TileStream stream;
    final ArrayDeque<Batch> queue = new ArrayDeque<>();
    List<Batch> writing = List.of();

    /** Hour and day tiles held back; changed by the tile writer under the lock. */
    final TileStream.Deferred deferred = new TileStream.Deferred();

    /** Whether the pushes committed since its load started were added (else that comes first). */
    boolean caughtUp;

    Tiles(TileTarget target, TileStream stream) {
      this.target = target;
      this.stream = stream;
    }

    boolean busy() {
      return !caughtUp || !queue.isEmpty() || !writing.isEmpty() || !deferred.isEmpty();
    }
  }

  /**
   * Follows the view's aggregation views online: a new one (or one loaded again) first catches up
   * with the pushes committed since its load started, then takes every push accepted.
   */
  private void syncTiles(PushView newer) {
    lock.lock();
    try {
      Map<String, Tiles> next = new java.util.LinkedHashMap<>();
      for (TileTarget target : newer.tiles()) {
        Tiles before = tiles.get(target.table().name());
        if (before != null && before.target.equals(target)) {
          next.put(target.table().name(), before);
          continue;
        }
        Tiles created = new Tiles(target, new TileStream(newer, target));
        if (before != null) {
          created.queue.addAll(before.queue);
          created.queue.addAll(before.writing);
        }
        next.put(target.table().name(), created);
      }
      tiles.clear();
      tiles.putAll(next);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void tileLoop() {
    int failures = 0;
    try {
      while (true) {
        Tiles target;
        List<Batch> taking;
        List<Batch> waiting = List.of();
        boolean catchUp;
        boolean releaseAll;
        lock.lock();
        try {
          while (true) {
            Tiles ready = null;
            boolean holding = false;
            for (Tiles t : tiles.values()) {
              boolean release =
                  !t.deferred.isEmpty()
                      && (tileFlushRequested
                          || closing
                          || t.deferred.due(clock.instant(), System.nanoTime()));
              holding |= !t.deferred.isEmpty();
              if (!t.caughtUp || !t.queue.isEmpty() || release) {
                ready = t;
                break;
              }
            }
            if (ready == null) {
              if (closing) {
                return;
              }
              if (tileFlushRequested && !holding) {
                tileFlushRequested = false;
              }
              if (holding) {
                changed.await(200, TimeUnit.MILLISECONDS);
              } else {
                changed.await();
              }
              continue;
            }
            if (store.isEmpty()) {
              ready.queue.clear();
              ready.caughtUp = true;
              changed.signalAll();
              continue;
            }
            long through = settled.getAsLong();
            List<Batch> settledBatches = new ArrayList<>();
            for (Batch batch : ready.queue) {
              if (batch.sequence() <= through) {
                settledBatches.add(batch);
              }
            }
            if (ready.caughtUp && settledBatches.isEmpty() && ready.queue.size() > 0) {
              // a push below the queued ones is still being logged: it comes first
              changed.await(2, TimeUnit.MILLISECONDS);
              continue;
            }
            target = ready;
            taking = settledBatches;
            catchUp = !ready.caughtUp;
            releaseAll = tileFlushRequested || closing;
            if (catchUp) {
              waiting = new ArrayList<>(pending);
            }
            Set<Batch> taken = Collections.newSetFromMap(new IdentityHashMap<>());
            taken.addAll(taking);
            ready.queue.removeIf(taken::contains);
            ready.writing = taking;
            break;
          }
        } finally {
          lock.unlock();
        }
        try {
          int records =
              catchUp
                  ? catchUp(target, taking, waiting, releaseAll)
                  : writeTiles(target, taking, List.of(), releaseAll);
          Duration lag =
              taking.isEmpty()
                  ? Duration.ZERO
                  : Duration.between(taking.getFirst().at(), clock.instant());
          lock.lock();
          try {
            target.writing = List.of();
            target.caughtUp = true;
            onlineRecords += records;
            changed.signalAll();
          } finally {
            lock.unlock();
          }
          failures = 0;
          listener.wroteOnline(view, records, lag);
          finished.run();
        } catch (RuntimeException | IOException e) {
          failures++;
          LOG.warn(
              "adding %s's pushes to the tiles of %s failed; tried again"
                  .formatted(view.label(), target.target.view()),
              e);
          listener.onlineFailed(view, String.valueOf(e.getMessage()));
          lock.lock();
          try {
            for (int i = taking.size() - 1; i >= 0; i--) {
              target.queue.addFirst(taking.get(i));
            }
            target.writing = List.of();
            lastError = "adding pushes to tiles failed: " + e.getMessage();
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
   * Adds batches to an aggregation view's tiles, in sequence order, each exactly once (the tiles
   * keep the highest sequence added); {@code committed} are events read back from the table.
   */
  private int writeTiles(
      Tiles target, List<Batch> batches, List<TileStream.Event> committed, boolean releaseAll) {
    Map<Long, Batch> inOrder = new java.util.TreeMap<>();
    batches.forEach(b -> inOrder.put(b.sequence(), b));
    TileStream.Coalesced coalesced = target.stream.coalesced(clock.instant());
    for (TileStream.Event event : committed) {
      if (!inOrder.containsKey(event.sequence())) {
        coalesced.add(event.sequence(), event.key(), event.minute(), event.values().toArray());
      }
    }
    for (Batch batch : inOrder.values()) {
      target.stream.addRows(coalesced, batch);
    }
    List<io.asof.online.TileUpdate> updates = coalesced.updates(target.deferred, releaseAll);
    // minute tiles first: a window reads a new event from its minute tile; its hour's and day's
    // tiles only once that hour or day is over (or in its last minute)
    List<io.asof.online.TileUpdate> minutes = new ArrayList<>();
    List<io.asof.online.TileUpdate> longer = new ArrayList<>();
    for (io.asof.online.TileUpdate update : updates) {
      boolean minute =
          io.asof.compiler.window.WindowTiles.parseBucket(update.key().getLast().toString()).level()
              == io.asof.compiler.window.WindowTiles.Level.MINUTES;
      (minute ? minutes : longer).add(update);
    }
    for (List<io.asof.online.TileUpdate> part : List.of(minutes, longer)) {
      if (!part.isEmpty()) {
        store.get().addTiles(target.target.table(), part);
      }
    }
    lock.lock();
    try {
      coalesced.commit(target.deferred);
    } finally {
      lock.unlock();
    }
    return updates.size();
  }

  /**
   * Catches an aggregation view's tiles up with the pushes its load may not have read: those
   * committed since the load started (read back from the view's table, from the highest sequence
   * the table held a minute before), those waiting for their commit, and {@code taking}; tiles that
   * hold a batch already take it no second time. A marker in the log's directory records the load
   * caught up with, so that a restart only replays the log.
   */
  private int catchUp(Tiles target, List<Batch> taking, List<Batch> waiting, boolean releaseAll)
      throws IOException {
    Path marker = config.logDir().resolve("tiles").resolve(target.target.table().name());
    String stamp = target.target.loadedThrough().toString();
    if (Files.exists(marker) && Files.readString(marker).strip().equals(stamp)) {
      return writeTiles(target, taking, List.of(), releaseAll);
    }
    PushView current = view;
    long from = sequenceAt(current, target.target.loadedThrough().minus(Duration.ofMinutes(1)));
    List<TileStream.Event> committed =
        target.stream.committed(engine, current, from, clock.instant());
    List<Batch> all = new ArrayList<>(taking);
    all.addAll(waiting);
    int records = writeTiles(target, all, committed, releaseAll);
    Files.createDirectories(marker.getParent());
    Path temporary = marker.resolveSibling(marker.getFileName() + ".tmp");
    Files.writeString(temporary, stamp);
    Files.move(
        temporary,
        marker,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    LOG.info(
        "%s: the tiles of %s caught up with %d pushed events committed since its load (sequences above %d)"
            .formatted(view.label(), target.target.view(), committed.size(), from));
    return records;
  }

  /** The highest sequence the view's table held at {@code at}; 0 when it had no snapshot then. */
  private long sequenceAt(PushView target, Instant at) {
    List<List<Object>> snapshot = engine.query(PushSql.snapshotAt(target, at)).rows();
    if (snapshot.isEmpty()) {
      return 0;
    }
    Object max =
        engine
            .query(
                PushSql.committedThrough(
                    target, ((Number) snapshot.getFirst().getFirst()).longValue()))
            .rows()
            .getFirst()
            .getFirst();
    return max == null ? 0 : ((Number) max).longValue();
  }

  // ---- the online writer ----

  private void onlineLoop() {
    int failures = 0;
    // the first call of a fresh client costs a second (connections, classes): not on a push's way
    if (store.isPresent() && view.online().isPresent()) {
      try {
        var unused = store.get().exists(view.online().get());
      } catch (RuntimeException e) {
        LOG.debug("warming the online store up failed", e);
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
          LOG.warn("writing %s online failed; tried again".formatted(view.label()), e);
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
