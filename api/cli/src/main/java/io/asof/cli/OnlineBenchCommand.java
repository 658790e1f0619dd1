package io.asof.cli;

import io.asof.bi.ViewPublisher;
import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.repository.RepositoryLoader;
import io.asof.jobs.OnlineService;
import io.asof.jobs.OnlineTables;
import io.asof.jobs.TrainingSetService;
import io.asof.model.Schemas;
import io.asof.online.CachingOnlineStore;
import io.asof.online.OnlineTable;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
import io.asof.online.dynamodb.RawBatchGet;
import io.asof.online.dynamodb.RawBatchWrite;
import io.asof.registry.AppliedView;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.Plan;
import io.asof.registry.Planner;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.server.AsofServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code asof bench online}: {@code online enable} into DynamoDB Local (items/s), then the server's
 * {@code POST /v1/online-features} at a fixed concurrency for 1 and 100 entities × 20 features,
 * beside raw AWS SDK BatchGetItem calls for the same keys from the same JVM, and the in-process
 * cache mode; p50/p99 and throughput of each, measured in one run.
 */
@Command(
    name = "online",
    description =
        "Benchmark online serving on the local stack: online enable items/s into DynamoDB Local; server p50/p99 and throughput for 1 and 100 entities x 20 features beside raw SDK BatchGetItem, and from the in-process cache.")
final class OnlineBenchCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin TrinoOptions trinoOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--entities",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Entities of the benchmark view (default: ${DEFAULT-VALUE}).")
  int entities;

  @Option(
      names = "--features",
      paramLabel = "N",
      defaultValue = "20",
      description = "Double features per entity (default: ${DEFAULT-VALUE}).")
  int features;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "16",
      description = "Requests in flight (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "10",
      description =
          "How long each case is measured, after as long again of warm-up (default: ${DEFAULT-VALUE}).")
  int seconds;

  private static final String VIEW = "bench_online";
  private static final String CACHED_VIEW = "bench_online_cached";

  /** An aggregation view: 5 aggregates over 4 windows, evaluated from tiles at each read. */
  private static final String WINDOWED_VIEW = "bench_online_windows";

  /** Entities of the aggregation view with events (50 each over the last 30 days). */
  private static final int WINDOWED_ENTITIES = 1_000;

  private static final String SCHEMA = "bench_online";

  /** DynamoDB Local runs every SQLite statement of a database on one thread of this name. */
  private static final String SQLITE_THREAD = "SQLiteQueue";

  /** Each load-generating thread's connection to the server. */
  private static final ThreadLocal<LoopbackHttp> CONNECTIONS = new ThreadLocal<>();

  /** One measured case: its latencies in milliseconds, sorted, and how long it ran. */
  static final class Measured {
    private final String name;
    private final double[] sortedMillis;
    private final Duration took;

    Measured(String name, long[] nanos, Duration took) {
      this.name = name;
      this.sortedMillis = Arrays.stream(nanos).sorted().mapToDouble(n -> n / 1e6).toArray();
      this.took = took;
    }

    String name() {
      return name;
    }

    double p(double quantile) {
      if (sortedMillis.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(quantile * sortedMillis.length) - 1;
      return sortedMillis[Math.max(0, Math.min(sortedMillis.length - 1, index))];
    }

    double perSecond() {
      return sortedMillis.length / (took.toNanos() / 1e9);
    }
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (entities < 100 || features < 1 || concurrency < 1 || seconds < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--entities must be at least 100, --features, --concurrency and --seconds at least 1");
    }
    BenchCommand.quietAccessLog();
    PrintWriter out = spec.commandLine().getOut();
    String jdbcUrl = trinoOptions.sessionUrl(trinoOptions.jdbcUrl(stackOptions, out));
    io.asof.local.StackStatus stack = stackOptions.stack(out::println).up();
    URI dynamoDb = stack.endpoints().dynamoDbEndpoint();
    Path state = Files.createTempDirectory("asof-bench-online");
    Path repo = repository(state.resolve("repo"));
    try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl));
        RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
        DynamoDbOnlineStore dynamo = DynamoDbOnlineStore.connectLocal(dynamoDb, "us-east-1")) {
      out.printf(
          "Online benchmark: %,d entities x %d double features, concurrency %d, %d s per case (Trino %s, DynamoDB Local %s).%n",
          entities, features, concurrency, seconds, jdbcUrl, dynamoDb);
      warehouse(engine, out);
      events(engine, trinoOptions.catalog());
      apply(engine, registry, repo);
      OnlineService online =
          new OnlineService(
              engine,
              trinoOptions.dialect(),
              registry,
              repo,
              trinoOptions.catalog(),
              dynamo,
              Clock.systemUTC());
      for (String view : List.of(VIEW, CACHED_VIEW, WINDOWED_VIEW)) {
        dynamo.drop(OnlineTables.tableOf(registry.view(view).orElseThrow()));
      }
      Optional<ProcessCpu> before = ProcessCpu.read(stack.dynamoDbPid(), SQLITE_THREAD);
      OnlineService.LoadSummary load =
          online.enable(
              VIEW,
              OnlineGroup.Mode.DYNAMODB,
              Duration.ofHours(1),
              new OnlineCommand.Progress(out));
      OnlineCommand.summary(out, load);
      Optional<ProcessCpu> emulator =
          before.flatMap(
              b -> ProcessCpu.read(stack.dynamoDbPid(), SQLITE_THREAD).map(a -> a.minus(b)));
      double enableRate = load.itemsPerSecond();
      double writeRate =
          load.written().written()
              / (Math.max(1, load.took().minus(load.queryTime()).toNanos()) / 1e9);
      OnlineService.LoadSummary cachedLoad =
          online.enable(
              CACHED_VIEW,
              OnlineGroup.Mode.CACHE,
              Duration.ofHours(1),
              OnlineService.LoadListener.NONE);
      OnlineCommand.summary(out, cachedLoad);
      OnlineCommand.summary(
          out,
          online.enable(
              WINDOWED_VIEW,
              OnlineGroup.Mode.DYNAMODB,
              Duration.ofHours(1),
              OnlineService.LoadListener.NONE));

      OnlineTable table = OnlineTables.table(registry.view(VIEW).orElseThrow());
      List<Measured> results = new ArrayList<>();
      try (CachingOnlineStore store =
              new CachingOnlineStore(
                  DynamoDbOnlineStore.connectLocal(dynamoDb, "us-east-1"), Clock.systemUTC());
          AsofServer server =
              new AsofServer(
                      new TrainingSetService(
                          engine, trinoOptions.dialect(), registry, repo, trinoOptions.catalog()),
                      repo,
                      Optional.of(new AsofServer.Online(registry, store)),
                      Optional.empty(),
                      Optional.empty(),
                      "127.0.0.1",
                      0,
                      Clock.systemUTC())
                  .start();
          RawBatchGet raw = RawBatchGet.connect(dynamoDb, "us-east-1")) {
        awaitCached(store, out);
        URI endpoint = URI.create(server.uri() + "/v1/online-features");

        for (int batch : List.of(1, 100)) {
          results.add(
              measure(
                  "raw SDK BatchGetItem, %d entit%s".formatted(batch, batch == 1 ? "y" : "ies"),
                  batch,
                  keys -> raw.get(table.name(), keys)));
          results.add(
              measure(
                  "server, DynamoDB, %d entit%s".formatted(batch, batch == 1 ? "y" : "ies"),
                  batch,
                  keys -> post(CONNECTIONS, endpoint, VIEW, keys)));
          results.add(
              measure(
                  "server, cache, %d entit%s".formatted(batch, batch == 1 ? "y" : "ies"),
                  batch,
                  keys -> post(CONNECTIONS, endpoint, CACHED_VIEW, keys)));
          if (batch == 1) {
            // the same run as the plain item's: 1 entity x 4 windows x 5 aggregates from tiles
            results.add(
                measure(
                    "server, aggregation view, 1 entity",
                    batch,
                    keys -> post(CONNECTIONS, endpoint, WINDOWED_VIEW, keys)));
          }
          out.printf("  measured %d-entity requests%n", batch);
          out.flush();
        }
      }
      report(out, results, enableRate, writeRate);
      emulatorCeiling(
          out, "while online enable wrote its items", emulator, load.written().written(), 0);
      int minimal = Math.min(entities, 50_000);
      Optional<ProcessCpu> rawBefore = ProcessCpu.read(stack.dynamoDbPid(), SQLITE_THREAD);
      long rawNanos;
      try (RawBatchWrite raw = RawBatchWrite.connect(dynamoDb, "us-east-1")) {
        rawNanos = raw.writeMinimal("asof_bench_minimal_items", minimal, features, 8);
      }
      emulatorCeiling(
          out,
          "for the smallest items (a key and one binary attribute) from raw SDK BatchWriteItem, 8 threads",
          rawBefore.flatMap(
              b -> ProcessCpu.read(stack.dynamoDbPid(), SQLITE_THREAD).map(a -> a.minus(b))),
          minimal,
          rawNanos);
      return 0;
    } finally {
      try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl))) {
        for (String view : List.of(VIEW, CACHED_VIEW, WINDOWED_VIEW)) {
          engine.execute(
              "DROP VIEW IF EXISTS %s.%s.%s"
                  .formatted(trinoOptions.catalog(), Schemas.FEATURES, view));
        }
      }
    }
  }

  /**
   * Sends requests of {@code batch} random keys at {@link #concurrency} for warm-up, then measures.
   */
  private Measured measure(String name, int batch, Request request) throws InterruptedException {
    run(batch, request, Duration.ofSeconds(seconds), null);
    List<long[]> perThread = new ArrayList<>();
    long start = System.nanoTime();
    run(batch, request, Duration.ofSeconds(seconds), perThread);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    long[] all = perThread.stream().flatMapToLong(Arrays::stream).toArray();
    return new Measured(name, all, took);
  }

  @FunctionalInterface
  interface Request {
    void send(List<Long> keys) throws Exception;
  }

  private void run(int batch, Request request, Duration length, List<long[]> latencies)
      throws InterruptedException {
    long end = System.nanoTime() + length.toNanos();
    CountDownLatch done = new CountDownLatch(concurrency);
    AtomicReference<Exception> failure = new AtomicReference<>();
    for (int t = 0; t < concurrency; t++) {
      int seed = t;
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                long[] mine = new long[1 << 16];
                int n = 0;
                try {
                  while (System.nanoTime() < end && failure.get() == null) {
                    List<Long> keys = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                      keys.add(1 + random.nextLong(entities));
                    }
                    long started = System.nanoTime();
                    request.send(keys);
                    long took = System.nanoTime() - started;
                    if (n == mine.length) {
                      mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = took;
                  }
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                } finally {
                  if (latencies != null) {
                    synchronized (latencies) {
                      latencies.add(Arrays.copyOf(mine, n));
                    }
                  }
                  LoopbackHttp connection = CONNECTIONS.get();
                  if (connection != null) {
                    CONNECTIONS.remove();
                    try {
                      connection.close();
                    } catch (IOException e) {
                      // closing a benchmark connection: nothing to do about it
                    }
                  }
                  done.countDown();
                }
              });
    }
    done.await();
    if (failure.get() != null) {
      throw new IllegalStateException(
          "a benchmark request failed: " + failure.get().getMessage(), failure.get());
    }
  }

  /** One request to the server, on the calling thread's own kept-alive connection. */
  private static void post(
      ThreadLocal<LoopbackHttp> connections, URI endpoint, String view, List<Long> keys)
      throws IOException {
    String body =
        keys.stream()
            .map(k -> "{\"entity_id\":" + k + "}")
            .collect(
                Collectors.joining(",", "{\"entities\":[", "],\"features\":[\"" + view + ":*\"]}"));
    LoopbackHttp http = connections.get();
    if (http == null) {
      http = new LoopbackHttp(endpoint);
      connections.set(http);
    }
    String response = http.post(endpoint.getPath(), body);
    if (!response.contains("PRESENT")) {
      throw new IllegalStateException("unexpected answer: " + response);
    }
  }

  private void report(
      PrintWriter out, List<Measured> results, double enableRate, double writeRate) {
    out.println();
    out.printf("%-36s %10s %10s %12s%n", "case", "p50 ms", "p99 ms", "requests/s");
    for (Measured m : results) {
      out.printf("%-36s %10.2f %10.2f %,12.0f%n", m.name(), m.p(0.50), m.p(0.99), m.perSecond());
    }
    out.println();
    Measured raw1 = results.get(0);
    Measured server1 = results.get(1);
    Measured cache1 = results.get(2);
    double allowed = Math.max(1.0, 0.30 * raw1.p(0.99));
    double over = server1.p(0.99) - raw1.p(0.99);
    out.printf(
        "1 entity: server p99 %.2f ms vs raw p99 %.2f ms: %+.2f ms (%.0f %%); target within %.2f ms: %s%n",
        server1.p(0.99),
        raw1.p(0.99),
        over,
        100 * over / raw1.p(0.99),
        allowed,
        over <= allowed ? "met" : "NOT met");
    out.printf(
        "1 entity from the cache: p99 %.2f ms; target under 1 ms: %s%n",
        cache1.p(0.99), cache1.p(0.99) < 1.0 ? "met" : "NOT met");
    Measured windowed1 = results.get(3);
    out.printf(
        "1 entity of an aggregation view (5 aggregates x 4 windows, from tiles): p99 %.2f ms vs the plain item's %.2f ms (ratio %.2f); target within 2x: %s%n",
        windowed1.p(0.99),
        server1.p(0.99),
        windowed1.p(0.99) / server1.p(0.99),
        windowed1.p(0.99) <= 2 * server1.p(0.99) ? "met" : "NOT met");
    Measured raw100 = results.get(4);
    Measured server100 = results.get(5);
    out.printf(
        "100 entities: server p99 %.2f ms vs raw p99 %.2f ms (ratio %.2f)%n",
        server100.p(0.99), raw100.p(0.99), server100.p(0.99) / raw100.p(0.99));
    out.printf(
        "online enable: %,.0f items/s end to end (Trino query included), %,.0f items/s while writing; target 20,000: %s%n",
        enableRate, writeRate, enableRate >= 20_000 ? "met" : "NOT met");
    out.flush();
  }

  /**
   * What DynamoDB Local itself spent per item written during {@code online enable}, and the ceiling
   * that puts on the write rate: its one SQLite thread caps it however many cores there are, and
   * its whole process on this machine's cores even with a client that cost nothing.
   */
  private static void emulatorCeiling(
      PrintWriter out, String when, Optional<ProcessCpu> cpu, long items, long nanos) {
    if (nanos > 0) {
      out.printf("%s: %,d items at %,.0f items/s%n", when, items, items / (nanos / 1e9));
    }
    if (cpu.isEmpty() || items == 0) {
      out.println(
          "  DynamoDB Local's CPU per item: not measured (needs Linux's /proc and the stack's own DynamoDB Local)");
      out.flush();
      return;
    }
    double perItem = cpu.get().totalNanos() / 1e3 / items;
    double sqlitePerItem = cpu.get().threadNanos() / 1e3 / items;
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        "DynamoDB Local's CPU %s: %.0f us per item in all, %.0f us of it on its single %s thread;%n"
            + "  so DynamoDB Local alone takes at most %,.0f items/s on any number of cores, %,.0f items/s on this machine's %d cores with a client that cost nothing%n",
        when,
        perItem,
        sqlitePerItem,
        SQLITE_THREAD,
        sqlitePerItem > 0 ? 1e6 / sqlitePerItem : Double.NaN,
        perItem > 0 ? cores * 1e6 / perItem : Double.NaN,
        cores);
    out.flush();
  }

  /** The benchmark's warehouse table: {@link #entities} rows of {@link #features} doubles. */
  private void warehouse(QueryEngine engine, PrintWriter out) {
    String table = "%s.%s.entities".formatted(trinoOptions.catalog(), SCHEMA);
    engine.execute("CREATE SCHEMA IF NOT EXISTS %s.%s".formatted(trinoOptions.catalog(), SCHEMA));
    boolean fresh = false;
    try {
      Object count = engine.query("SELECT count(*) FROM " + table).onlyValue();
      fresh = ((Number) count).longValue() == entities;
    } catch (RuntimeException e) {
      // not there yet
    }
    List<String> columns = columns();
    if (fresh && engine.query("DESCRIBE " + table).rows().size() == columns.size() + 2) {
      out.printf("  %s holds %,d entities already%n", table, entities);
      return;
    }
    engine.execute("DROP TABLE IF EXISTS " + table);
    String values =
        IntStream.range(0, features)
            .mapToObj(i -> "cos(id * %d.0) AS %s".formatted(i + 1, columns.get(i)))
            .collect(Collectors.joining(",\n  "));
    long start = System.nanoTime();
    engine.execute(
        """
        CREATE TABLE %s AS
        SELECT id AS entity_id, TIMESTAMP '2026-11-01 00:00:00' + id * INTERVAL '1' SECOND AS updated_at,
          %s
        FROM (
          SELECT hi * 10000 + lo AS id
          FROM UNNEST(sequence(0, %d)) AS h (hi)
          CROSS JOIN UNNEST(sequence(1, 10000)) AS l (lo)
        )
        WHERE id <= %d"""
            .formatted(table, values, (entities - 1) / 10_000, entities));
    out.printf(
        "  made %s: %,d entities in %.1f s%n", table, entities, (System.nanoTime() - start) / 1e9);
  }

  /**
   * The aggregation view's events: {@link #WINDOWED_ENTITIES} entities with 50 events each, spread
   * over the 30 days before now (made again each run: the windows are relative to now).
   */
  private static void events(QueryEngine engine, String catalog) {
    String table = "%s.%s.events".formatted(catalog, SCHEMA);
    engine.execute("DROP TABLE IF EXISTS " + table);
    engine.execute(
        """
        CREATE TABLE %s AS
        SELECT e AS entity_id,
          CAST(current_timestamp AT TIME ZONE 'UTC' AS timestamp(6))
            - n * INTERVAL '51840' SECOND - e * INTERVAL '1' SECOND AS event_at,
          cos(e * n * 1.0) AS x
        FROM UNNEST(sequence(1, %d)) AS a (e)
        CROSS JOIN UNNEST(sequence(0, 49)) AS b (n)"""
            .formatted(table, WINDOWED_ENTITIES));
  }

  private List<String> columns() {
    return IntStream.range(0, features).mapToObj(i -> "f%02d".formatted(i + 1)).toList();
  }

  /** A repository of two views over the table: one served from DynamoDB, one from the cache. */
  private Path repository(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("views"));
    Files.writeString(
        dir.resolve("entities.yaml"),
        """
        entities:
          bench_entity:
            keys: [entity_id]
            description: The online benchmark's entity.
        """);
    String select =
        "SELECT\n  entity_id,\n  updated_at,\n  "
            + String.join(",\n  ", columns())
            + "\nFROM "
            + SCHEMA
            + ".entities\n";
    for (String view : List.of(VIEW, CACHED_VIEW)) {
      Files.writeString(
          dir.resolve("views/" + view + ".sql"),
          """
          -- view: %s
          -- entity: bench_entity
          -- event_time: updated_at
          -- online: true
          -- description: The online benchmark's features.
          %s"""
              .formatted(view, select));
    }
    Files.writeString(
        dir.resolve("views/" + WINDOWED_VIEW + ".sql"),
        """
        -- view: %s
        -- entity: bench_entity
        -- event_time: event_at
        -- windows: 1h, 1d, 7d, 30d
        -- description: The online benchmark's aggregation view: 5 aggregates over 4 windows.
        SELECT entity_id,
          count(*) AS event_count,
          count(x) AS x_count,
          sum(x) AS x_sum,
          avg(x) AS x_avg,
          count_if(x > 0) AS positive
        FROM %s.events
        GROUP BY entity_id
        """
            .formatted(WINDOWED_VIEW, SCHEMA));
    return dir;
  }

  private void apply(QueryEngine engine, RegistryStore registry, Path repo) {
    List<CompiledView> views =
        new FeatureViewCompiler(
                new EngineWarehouseCatalog(engine, trinoOptions.dialect()),
                engine,
                trinoOptions.catalog())
            .compileAll(RepositoryLoader.load(repo));
    Plan plan = Planner.plan(views, registry.views());
    List<AppliedView> applied = Planner.applied(plan, views, Instant.now());
    registry.apply(applied, List.of());
    new ViewPublisher(engine, trinoOptions.dialect(), trinoOptions.catalog(), Schemas.FEATURES)
        .publish(plan, views, registry.views(), false, message -> {});
  }

  private static void awaitCached(CachingOnlineStore store, PrintWriter out)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (store.status().stream()
        .noneMatch(s -> s.table().startsWith("asof_" + CACHED_VIEW) && s.loadedAt().isPresent())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the server did not cache " + CACHED_VIEW + " within 2 minutes");
      }
      Thread.sleep(100);
    }
    out.println("  the server holds " + CACHED_VIEW + " in memory");
  }
}
