package io.asof.push;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryResult;
import io.asof.online.OnlineStore;
import io.asof.push.log.PushLog;
import io.asof.push.log.PushLogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push ingestion: takes batches of rows for push views, acknowledges each once it is durable in the
 * {@link PushLog}, writes online views' newest values to the online store within moments, and
 * commits every view's rows to its Iceberg table in micro-batches (one snapshot per view per
 * interval or row threshold), exactly once: after a crash, {@link #open} replays what the log holds
 * and the tables do not. Its statements are Trino's: on Amazon Athena it refuses to start.
 */
public final class PushService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PushService.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  /** The first byte of a logged push: how its body is laid out. */
  private static final byte JSON_ARRAY = 'A';

  private static final byte NDJSON = 'N';

  /**
   * Where push views come from (the registry, {@link PushViewCatalog}): current and older versions.
   */
  public interface Views {
    /**
     * The current version of a view.
     *
     * @throws PushRejectedException 404 when there is no such view, 400 when it is not a push view
     */
    PushView current(String view);

    /** A version of a view, while its table is there; empty when it is gone or unknown. */
    Optional<PushView> version(String view, int version);
  }

  /** The log and every view's pipeline, for status and metrics. */
  public record Status(List<ViewStatus> views, long logEntries, long logBytes, long lastSequence) {}

  /**
   * One view version's pipeline: the rows and pushes waiting for their commit, the commits so far
   * and the last one's time and rows, the pushes waiting for the online store, the newest values
   * written online and the longest a push waited for that, and the last failure, if any.
   */
  public record ViewStatus(
      String view,
      int version,
      int bufferedRows,
      int bufferedBatches,
      long commits,
      long committedRows,
      Optional<Instant> lastCommitAt,
      Optional<Duration> lastCommitTook,
      long lastCommitRows,
      int onlineQueuedBatches,
      long onlineRecords,
      Optional<Duration> maxOnlineLag,
      Optional<String> lastError) {}

  private final PushConfig config;
  private final QueryEngine engine;
  private final Optional<OnlineStore> store;
  private final Views views;
  private final PushListener listener;
  private final Clock clock;
  private final PushLog log;
  private final Map<String, ViewPipeline> pipelines = new ConcurrentHashMap<>();
  private final Map<Long, Long> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong appends = new AtomicLong();
  private final Map<String, Long> orphans = new ConcurrentHashMap<>();
  private long released;
  private volatile boolean closed;

  /** Gives the pipelines their views again now and then: aggregation views may go online. */
  private final java.util.concurrent.ScheduledExecutorService refresher =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("asof-push-views").factory());

  private PushService(
      PushConfig config,
      QueryEngine engine,
      Optional<OnlineStore> store,
      Views views,
      PushListener listener,
      Clock clock,
      PushLog log) {
    this.config = config;
    this.engine = engine;
    this.store = store;
    this.views = views;
    this.listener = listener;
    this.clock = clock;
    this.log = log;
  }

  /**
   * {@link #open(PushConfig, QueryEngine, Optional, Views, PushListener, Clock)} on the engine
   * {@code dialect} spells for, which must be one push ingestion can commit to.
   *
   * @throws IllegalArgumentException when the engine cannot take pushes (Athena), before anything
   *     is opened
   */
  public static PushService open(
      PushConfig config,
      QueryEngine engine,
      EngineDialect dialect,
      Optional<OnlineStore> store,
      Views views,
      PushListener listener,
      Clock clock) {
    requireNonNull(dialect, "dialect is null");
    if (!dialect.supportsPush()) {
      throw new IllegalArgumentException(
          "push ingestion needs Trino: it commits pushed rows by adding Parquet files to an Iceberg table with the add_files procedure (ALTER TABLE ... EXECUTE add_files), which %s does not have; run the server with a Trino engine to take pushes"
              .formatted(dialect.name()));
    }
    return open(config, engine, store, views, listener, clock);
  }

  /**
   * Opens the push log in {@code config.logDir()} and replays it, assuming a Trino engine: every
   * logged batch the view's table does not hold yet waits for the next commit again, and every one
   * the log still holds is written online again (online writes are conditional on event time, so
   * this changes nothing newer). Batches of a view version that is no longer a push view, or whose
   * rows no longer fit it, are moved to files under {@value #SET_ASIDE_DIR} in the log's directory,
   * with a warning, and the log is released past them.
   *
   * @throws UncheckedIOException when the log cannot be opened (another server uses it, or it is
   *     corrupt)
   */
  public static PushService open(
      PushConfig config,
      QueryEngine engine,
      Optional<OnlineStore> store,
      Views views,
      PushListener listener,
      Clock clock) {
    requireNonNull(config, "config is null");
    requireNonNull(engine, "engine is null");
    requireNonNull(store, "store is null");
    requireNonNull(views, "views is null");
    requireNonNull(listener, "listener is null");
    requireNonNull(clock, "clock is null");
    PushLog log;
    try {
      log = PushLog.open(config.logDir(), PushLogConfig.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the push log in %s could not be opened: %s".formatted(config.logDir(), e.getMessage()),
          e);
    }
    PushService service = new PushService(config, engine, store, views, listener, clock, log);
    try {
      service.replay();
      var unused =
          service.refresher.scheduleWithFixedDelay(
              service::refreshViews, 2, 2, java.util.concurrent.TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    return service;
  }

  /**
   * Takes one push: checks every row against the view (all or none), logs the body durably, and
   * hands the rows on.
   *
   * @param contentType the request's, telling NDJSON from a JSON array; may be null
   * @throws PushRejectedException when the view or a row is not right (nothing applied)
   * @throws PushBusyException when the view's buffer is full (nothing applied; push again later)
   * @throws PushUnavailableException when the log could not make it durable (nothing acknowledged)
   */
  public PushAck push(String viewName, byte[] body, String contentType) {
    if (closed) {
      throw new PushBusyException(
          "the server is stopping; push again when it is back", Duration.ofSeconds(5));
    }
    PushView view = views.current(viewName);
    ViewPipeline pipeline = pipeline(view);
    PushRowParser.Format format = PushRowParser.Format.of(contentType, body);
    List<Object[]> rows = pipeline.parser().parse(body, format, config.maxBatchRows());
    pipeline.reserve(rows.size());
    long token = appends.incrementAndGet();
    inFlight.put(token, log.lastSequence());
    long sequence;
    try {
      sequence = log.append(view.name(), view.version(), payload(format, body));
    } catch (IOException | RuntimeException e) {
      pipeline.unreserve(rows.size());
      inFlight.remove(token);
      if (e instanceof IllegalArgumentException tooLarge) {
        throw new PushRejectedException(413, tooLarge.getMessage());
      }
      throw new PushUnavailableException(
          "the push could not be made durable in the push log (%s), nothing was taken: %s"
              .formatted(config.logDir(), e.getMessage()),
          e);
    }
    pipeline.accept(new ViewPipeline.Batch(sequence, rows, clock.instant()), false, true);
    inFlight.remove(token);
    return new PushAck(
        view.name(),
        view.version(),
        rows.size(),
        sequence,
        view.writesOnline() && store.isPresent() ? "queued" : "off");
  }

  /**
   * The highest sequence through which every logged push has been handed to its pipeline: a push
   * being logged may take any sequence above the log's last when it started.
   */
  private long settled() {
    long through = Long.MAX_VALUE;
    for (long floor : inFlight.values()) {
      through = Math.min(through, floor);
    }
    return through;
  }

  /**
   * Checks a push like {@link #push} does, without taking it: what a client runs over a whole file
   * before pushing any of it.
   *
   * @return the view's version and how many rows the push holds
   * @throws PushRejectedException like {@link #push}
   */
  public PushAck check(String viewName, byte[] body, String contentType) {
    PushView view = views.current(viewName);
    List<Object[]> rows =
        pipeline(view)
            .parser()
            .parse(body, PushRowParser.Format.of(contentType, body), config.maxBatchRows());
    return new PushAck(view.name(), view.version(), rows.size(), 0, "off");
  }

  /** Commits every view's waiting rows and writes them online now; true when all are done. */
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean all = true;
    for (ViewPipeline pipeline : pipelines.values()) {
      all &= pipeline.flush(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
    return all;
  }

  public Status status() {
    List<ViewStatus> statuses = new ArrayList<>();
    for (ViewPipeline pipeline : pipelines.values()) {
      statuses.add(pipeline.status());
    }
    statuses.sort(
        java.util.Comparator.comparing(ViewStatus::view).thenComparing(ViewStatus::version));
    PushLog.Stats stats = log.stats();
    return new Status(statuses, stats.entries(), stats.bytes(), log.lastSequence());
  }

  /**
   * Hands each pipeline of a current view version its view as it is now, so that an aggregation
   * view switched online over it is followed before the next push.
   */
  private void refreshViews() {
    for (ViewPipeline pipeline : pipelines.values()) {
      PushView view = pipeline.view();
      try {
        PushView now = views.current(view.name());
        if (now.version() == view.version() && !now.equals(view)) {
          pipeline.update(now);
        }
      } catch (RuntimeException e) {
        LOG.debug("reading push view %s again failed: %s".formatted(view.label(), e));
      }
    }
  }

  /**
   * Stops taking pushes, commits and writes online what waits (for up to a minute; what is left
   * stays in the log for the next start), and closes the log.
   */
  @Override
  public void close() {
    closed = true;
    refresher.shutdownNow();
    try {
      for (ViewPipeline pipeline : pipelines.values()) {
        pipeline.close(CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      releaseLog();
      try {
        log.close();
      } catch (IOException e) {
        LOG.warn("closing the push log failed: " + e.getMessage());
      }
    }
  }

  private ViewPipeline pipeline(PushView view) {
    ViewPipeline pipeline =
        pipelines.computeIfAbsent(
            view.label(),
            label -> {
              ViewPipeline created =
                  new ViewPipeline(
                      view,
                      config,
                      engine,
                      store,
                      listener,
                      clock,
                      this::releaseLog,
                      this::settled);
              created.start();
              return created;
            });
    if (!pipeline.view().equals(view)) {
      pipeline.update(view);
    }
    return pipeline;
  }

  /** What the log keeps of a push: its format and its body as it came. */
  private static byte[] payload(PushRowParser.Format format, byte[] body) {
    byte[] payload = new byte[body.length + 1];
    payload[0] = format == PushRowParser.Format.NDJSON ? NDJSON : JSON_ARRAY;
    System.arraycopy(body, 0, payload, 1, body.length);
    return payload;
  }

  /**
   * The sequence through which every logged push is committed and online, kept beside the log so
   * that a restart replays only what may not be (the log drops whole segments only).
   */
  private Path releasedFile() {
    return config.logDir().resolve("released");
  }

  private long readReleased() {
    try {
      Path file = releasedFile();
      return Files.exists(file) ? Long.parseLong(Files.readString(file).strip()) : 0;
    } catch (IOException | NumberFormatException e) {
      LOG.warn("the push log's released mark could not be read, replaying all: " + e);
      return 0;
    }
  }

  private void writeReleased(long through) {
    try {
      Path temporary = config.logDir().resolve("released.tmp");
      Files.writeString(temporary, Long.toString(through));
      Files.move(
          temporary,
          releasedFile(),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // only costs a longer replay at the next start
      LOG.warn("the push log's released mark could not be written: " + e);
    }
  }

  private void replay() {
    Map<String, List<PushLog.Entry>> byView = new LinkedHashMap<>();
    released = Math.min(readReleased(), log.lastSequence());
    try {
      log.replay(
          released,
          entry ->
              byView
                  .computeIfAbsent(entry.view() + "@" + entry.version(), k -> new ArrayList<>())
                  .add(entry));
    } catch (IOException e) {
      throw new UncheckedIOException("the push log could not be read: " + e.getMessage(), e);
    }
    for (List<PushLog.Entry> entries : byView.values()) {
      PushLog.Entry first = entries.getFirst();
      String label = first.view() + "@" + first.version();
      Optional<PushView> view = views.version(first.view(), first.version());
      if (view.isEmpty()) {
        setAside(
            label,
            entries,
            "which is no longer a push view here (its version was retired, or the view is no"
                + " longer declared with -- push: true)");
        continue;
      }
      ViewPipeline pipeline = pipeline(view.get());
      long oldest = entries.stream().mapToLong(PushLog.Entry::sequence).min().orElseThrow();
      Set<Long> committed = committed(view.get(), oldest);
      int replayed = 0;
      List<PushLog.Entry> unfit = new ArrayList<>();
      String problem = "";
      for (PushLog.Entry entry : entries) {
        byte[] payload = entry.payload();
        byte[] body = java.util.Arrays.copyOfRange(payload, 1, payload.length);
        PushRowParser.Format format =
            payload[0] == NDJSON ? PushRowParser.Format.NDJSON : PushRowParser.Format.JSON_ARRAY;
        List<Object[]> rows;
        try {
          rows = pipeline.parser().parse(body, format, Integer.MAX_VALUE);
        } catch (PushRejectedException e) {
          // taken by an older server whose checks let it through: it would fail every commit
          unfit.add(entry);
          problem = e.getMessage();
          continue;
        }
        boolean done = committed.contains(entry.sequence());
        pipeline.accept(
            new ViewPipeline.Batch(entry.sequence(), rows, clock.instant()), done, false);
        replayed += done ? 0 : 1;
      }
      if (!unfit.isEmpty()) {
        setAside(
            label,
            unfit,
            "whose rows no longer fit the view (the last: %s)"
                .formatted(PushRejectedException.echo(problem)));
      }
      LOG.info(
          "push log: %s has %d batches not yet committed, replayed (of %d in the log)"
              .formatted(view.get().label(), replayed, entries.size()));
    }
  }

  /** Where the log's batches that no pipeline can take are moved, under the log's directory. */
  static final String SET_ASIDE_DIR = "set-aside";

  /**
   * Moves batches no pipeline can take out of the log's way: each push's body as it came, in a file
   * of its own under {@value #SET_ASIDE_DIR} (named by sequence and view), written and forced
   * before the log may drop it; the log is then released past them. When that fails they stay in
   * the log, which keeps everything from the oldest on, and the next start tries again.
   */
  private void setAside(String label, List<PushLog.Entry> entries, String why) {
    Path directory = config.logDir().resolve(SET_ASIDE_DIR);
    long oldest = entries.getFirst().sequence();
    long newest = entries.getLast().sequence();
    try {
      Files.createDirectories(directory);
      for (PushLog.Entry entry : entries) {
        byte[] payload = entry.payload();
        String name =
            "push-%020d-%s@%d.%s"
                .formatted(
                    entry.sequence(),
                    entry.view().replaceAll("[^A-Za-z0-9_.-]", "_"),
                    entry.version(),
                    payload[0] == NDJSON ? "ndjson" : "json");
        Path temporary = directory.resolve(name + ".tmp");
        try (FileChannel channel =
            FileChannel.open(
                temporary,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
          ByteBuffer body = ByteBuffer.wrap(payload, 1, payload.length - 1);
          while (body.hasRemaining()) {
            channel.write(body);
          }
          channel.force(true);
        }
        Files.move(
            temporary,
            directory.resolve(name),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
      try (FileChannel names = FileChannel.open(directory, StandardOpenOption.READ)) {
        names.force(true);
      } catch (IOException e) {
        // a platform that cannot open a directory: the files were forced, their names may lag
        LOG.debug("forcing " + directory + " failed: " + e);
      }
    } catch (IOException e) {
      orphans.put(label, oldest);
      LOG.warn(
          ("the push log holds %d batches of %s (sequences %d to %d), %s; moving them to %s failed"
                  + " (%s), so the log keeps them, and with them everything from sequence %d on:"
                  + " make room there, or move the log's directory, and restart")
              .formatted(
                  entries.size(), label, oldest, newest, why, directory, e.getMessage(), oldest));
      return;
    }
    LOG.warn(
        ("the push log held %d batches of %s (sequences %d to %d), %s: they were moved to %s, one"
                + " file per push holding its body as it was pushed, and the log no longer keeps"
                + " them; push them again to the view's current version if they are still wanted")
            .formatted(entries.size(), label, oldest, newest, why, directory));
  }

  /** The sequences from {@code from} on that the view's table holds. */
  private Set<Long> committed(PushView view, long from) {
    QueryResult result = engine.query(PushSql.committedSequences(view, from));
    Set<Long> sequences = new HashSet<>();
    for (List<Object> row : result.rows()) {
      sequences.add(((Number) row.getFirst()).longValue());
    }
    return sequences;
  }

  /**
   * Lets the log drop what no pipeline needs: everything below the oldest batch still waiting for a
   * commit or the online store, and below any push being logged right now.
   */
  private synchronized void releaseLog() {
    long through = log.lastSequence();
    for (ViewPipeline pipeline : pipelines.values()) {
      long oldest = pipeline.oldestNeeded();
      if (oldest != Long.MAX_VALUE) {
        through = Math.min(through, oldest - 1);
      }
    }
    for (long floor : inFlight.values()) {
      through = Math.min(through, floor);
    }
    for (long oldest : orphans.values()) {
      through = Math.min(through, oldest - 1);
    }
    if (through > released) {
      try {
        log.release(through);
        released = through;
        writeReleased(through);
      } catch (IOException e) {
        LOG.warn("releasing the push log through %d failed: %s".formatted(through, e.getMessage()));
      }
    }
  }
}
