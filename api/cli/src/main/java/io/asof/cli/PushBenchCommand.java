package io.asof.cli;

import io.asof.bi.ViewPublisher;
import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.repository.RepositoryLoader;
import io.asof.jobs.ApplyPlanner;
import io.asof.jobs.OnlineService;
import io.asof.jobs.OnlineTables;
import io.asof.jobs.TrainingSetService;
import io.asof.jobs.WindowedOnline;
import io.asof.local.StackStatus;
import io.asof.model.Schemas;
import io.asof.online.CachingOnlineStore;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
import io.asof.push.PushConfig;
import io.asof.push.PushService;
import io.asof.push.client.AsofPushClient;
import io.asof.registry.AppliedView;
import io.asof.registry.ApplyPlan;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.server.AsofServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code asof bench push}: loopback clients push rows into one online push view of an in-process
 * server for a while, as fast as it takes them; reports the sustained rows/s, the p50/p99 push
 * latency, Iceberg commits per minute, the online writer's lag, and files per partition at the end,
 * and checks every acknowledged row is in the table once.
 */
@Command(
    name = "push",
    description =
        "Benchmark push ingestion on the local stack: rows/s sustained into one online push view (DynamoDB and Iceberg), p50/p99 push latency, commits per minute, online lag, files per partition.")
final class PushBenchCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin TrinoOptions trinoOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--minutes",
      paramLabel = "M",
      defaultValue = "10",
      description = "How long the clients push (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(
      names = "--clients",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "Client threads, each with pushes in flight one at a time (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--rows-per-push",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Rows in each push (default: ${DEFAULT-VALUE}).")
  int rowsPerPush;

  @Option(
      names = "--keys",
      paramLabel = "N",
      defaultValue = "2000",
      description =
          "Distinct entities the rows are about; online, each key's newest value is written (default: ${DEFAULT-VALUE}).")
  int keys;

  @Option(
      names = "--commit-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description = "The server's --push-commit-interval (default: ${DEFAULT-VALUE}).")
  String commitInterval;

  @Option(
      names = "--rate",
      paramLabel = "ROWS_PER_S",
      defaultValue = "0",
      description =
          "Rows per second the clients push together; 0 for as fast as the server takes them (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--commit-rows",
      paramLabel = "N",
      defaultValue = "" + PushConfig.DEFAULT_COMMIT_ROWS,
      description = "The server's --push-commit-rows (default: ${DEFAULT-VALUE}).")
  int commitRows;

  private static final String VIEW = "bench_push";
  private static final String AGGREGATION = "bench_push_agg";

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (minutes <= 0 || clients < 1 || rowsPerPush < 1 || keys < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--minutes must be positive; --clients, --rows-per-push and --keys at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (trinoOptions.externalUrl() != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "bench push runs on the local stack only (./asof local up)");
    }
    StackStatus stack = stackOptions.stack(out::println).up();
    String jdbcUrl = trinoOptions.sessionUrl(stack.endpoints().trinoJdbcUrl());
    URI dynamoDb = stack.endpoints().dynamoDbEndpoint();
    Path state = Files.createTempDirectory("asof-bench-push");
    Path repo = repository(state.resolve("repo"));
    String catalog = trinoOptions.catalog();
    try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl));
        RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
        DynamoDbOnlineStore dynamo = DynamoDbOnlineStore.connectLocal(dynamoDb, "us-east-1");
        CachingOnlineStore store =
            new CachingOnlineStore(
                DynamoDbOnlineStore.connectLocal(dynamoDb, "us-east-1"), Clock.systemUTC())) {
      engine.execute(
          "DROP TABLE IF EXISTS %s.%s.%s__v1".formatted(catalog, Schemas.FEATURES, VIEW));
      apply(engine, registry, repo);
      OnlineService online =
          new OnlineService(
              engine, trinoOptions.dialect(), registry, repo, catalog, dynamo, Clock.systemUTC());
      dynamo.drop(OnlineTables.table(registry.view(VIEW).orElseThrow()));
      online.enable(
          VIEW, OnlineGroup.Mode.DYNAMODB, Duration.ofHours(1), OnlineService.LoadListener.NONE);
      AppliedView aggregationView = registry.view(AGGREGATION).orElseThrow();
      WindowedOnline tiles =
          new WindowedOnline(
              AGGREGATION,
              aggregationView.version(),
              OnlineTables.tableOf(aggregationView).keys(),
              aggregationView.compiled().orElseThrow());
      dynamo.drop(tiles.table());
      online.enable(
          AGGREGATION,
          OnlineGroup.Mode.DYNAMODB,
          Duration.ofHours(1),
          OnlineService.LoadListener.NONE);
      Probes probes =
          new Probes(dynamo, OnlineTables.table(registry.view(VIEW).orElseThrow()), tiles, keys);
      PushConfig config =
          PushConfig.defaults(
                  state.resolve("push-log"),
                  stack.stateDir().resolve("warehouse").resolve(PushOptions.LOCAL_STAGING),
                  URI.create("local:///" + PushOptions.LOCAL_STAGING))
              .withCommits(ChunkOptions.duration("--commit-interval", commitInterval), commitRows);
      out.printf(
          "Push benchmark: %d clients x %,d rows per push (%s) into %s (online, %,d keys; aggregation view %s over it online) for %.1f min; commits every %s or %,d rows (Trino %s, DynamoDB Local %s).%n",
          clients,
          rowsPerPush,
          rate > 0 ? "%,d rows/s in all".formatted(rate) : "as fast as taken",
          VIEW,
          keys,
          AGGREGATION,
          minutes,
          commitInterval,
          config.commitRows(),
          jdbcUrl,
          dynamoDb);
      out.flush();
      Result result;
      try (AsofServer server =
          new AsofServer(
                  new TrainingSetService(engine, trinoOptions.dialect(), registry, repo, catalog),
                  repo,
                  Optional.of(new AsofServer.Online(registry, store)),
                  Optional.of(new AsofServer.Push(config, engine, catalog, trinoOptions.dialect())),
                  Optional.empty(),
                  "127.0.0.1",
                  0,
                  Clock.systemUTC())
              .start()) {
        Thread prober = Thread.ofPlatform().daemon().start(() -> probes.run(server.uri()));
        result = load(server, out);
        probes.stop();
        prober.join();
        long commitsWhileLoading =
            server.pushStatus().orElseThrow().views().stream()
                .filter(v -> v.view().equals(VIEW))
                .mapToLong(PushService.ViewStatus::commits)
                .sum();
        long flushStart = System.nanoTime();
        server.flushPushes(Duration.ofMinutes(5));
        result = result.flushed(Duration.ofNanos(System.nanoTime() - flushStart));
        PushService.ViewStatus status =
            server.pushStatus().orElseThrow().views().stream()
                .filter(v -> v.view().equals(VIEW))
                .findFirst()
                .orElseThrow();
        report(out, engine, result.probed(probes.pushes()), status, commitsWhileLoading);
        probes.report(out);
      }
      ceiling(out, dynamo, tiles, registry);
      return 0;
    } finally {
      try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl))) {
        engine.execute(
            "DROP VIEW IF EXISTS %s.%s.%s".formatted(catalog, Schemas.FEATURES, AGGREGATION));
        engine.execute("DROP VIEW IF EXISTS %s.%s.%s".formatted(catalog, Schemas.FEATURES, VIEW));
      }
    }
  }

  private record Result(
      long rows,
      long pushes,
      Duration took,
      List<Long> latenciesNanos,
      List<Long> windowRows,
      List<Long> commitsAt,
      Duration flush) {
    Result flushed(Duration flush) {
      return new Result(rows, pushes, took, latenciesNanos, windowRows, commitsAt, flush);
    }

    /** With the probes' one-row pushes, which the table holds too. */
    Result probed(long probes) {
      return new Result(
          rows + probes, pushes + probes, took, latenciesNanos, windowRows, commitsAt, flush);
    }
  }

  /** The clients push until the time is up; every 10 s the rows taken and commits are noted. */
  private Result load(AsofServer server, PrintWriter out) throws InterruptedException {
    AsofPushClient client = AsofPushClient.builder(server.uri()).attempts(50).build();
    long end = System.nanoTime() + (long) (minutes * 60e9);
    AtomicLong rows = new AtomicLong();
    AtomicLong pushes = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long started = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      int seed = c;
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    long[] mine = new long[1 << 12];
                    int n = 0;
                    StringBuilder body = new StringBuilder(rowsPerPush * 120);
                    // each client's share of --rate: its pushes start on a fixed schedule
                    long every = rate > 0 ? (long) (1e9 * rowsPerPush * clients / rate) : 0;
                    long next = System.nanoTime() + (every * seed) / clients;
                    try {
                      while (System.nanoTime() < end && failure.get() == null) {
                        if (every > 0) {
                          long wait = next - System.nanoTime();
                          if (wait > 0) {
                            Thread.sleep(Duration.ofNanos(wait));
                          }
                          next += every;
                        }
                        body.setLength(0);
                        LocalDateTime at =
                            LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
                        for (int i = 0; i < rowsPerPush; i++) {
                          body.append("{\"entity_id\":")
                              .append(random.nextLong(keys))
                              .append(",\"updated_at\":\"")
                              .append(at)
                              .append("\",\"clicks\":")
                              .append(random.nextInt(1000))
                              .append(",\"views\":")
                              .append(random.nextInt(100000))
                              .append(",\"score\":")
                              .append(random.nextDouble())
                              .append("}\n");
                        }
                        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
                        long t0 = System.nanoTime();
                        client.pushNdJson(VIEW, bytes, rowsPerPush, false);
                        if (n == mine.length) {
                          mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = System.nanoTime() - t0;
                        rows.addAndGet(rowsPerPush);
                        pushes.incrementAndGet();
                      }
                    } catch (RuntimeException e) {
                      failure.compareAndSet(null, e);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    } finally {
                      synchronized (latencies) {
                        latencies.add(Arrays.copyOf(mine, n));
                      }
                    }
                  }));
    }
    List<Long> windowRows = new ArrayList<>();
    List<Long> commitsAt = new ArrayList<>();
    long lastRows = 0;
    long lastCommits = 0;
    while (System.nanoTime() < end && failure.get() == null) {
      Thread.sleep(Math.min(10_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      long now = rows.get();
      windowRows.add(now - lastRows);
      lastRows = now;
      long commits =
          server.pushStatus().orElseThrow().views().stream()
              .filter(v -> v.view().equals(VIEW))
              .mapToLong(PushService.ViewStatus::commits)
              .sum();
      commitsAt.add(commits - lastCommits);
      lastCommits = commits;
      long buffered =
          server.pushStatus().orElseThrow().views().stream()
              .mapToLong(PushService.ViewStatus::bufferedRows)
              .sum();
      out.printf(
          "  %5.0f s: %,d rows taken (%,.0f rows/s in the last window), %d commits, %,d rows waiting%n",
          (System.nanoTime() - started) / 1e9, now, windowRows.getLast() / 10.0, commits, buffered);
      out.flush();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "a benchmark push failed: " + failure.get().getMessage(), failure.get());
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    List<Long> all = latencies.stream().flatMapToLong(Arrays::stream).sorted().boxed().toList();
    return new Result(rows.get(), pushes.get(), took, all, windowRows, commitsAt, Duration.ZERO);
  }

  private void report(
      PrintWriter out,
      QueryEngine engine,
      Result result,
      PushService.ViewStatus status,
      long commitsWhileLoading) {
    String table = "%s.%s.%s__v1".formatted(trinoOptions.catalog(), Schemas.FEATURES, VIEW);
    long inTable = ((Number) engine.query("SELECT count(*) FROM " + table).onlyValue()).longValue();
    long distinct =
        ((Number) engine.query("SELECT count(DISTINCT __asof_push_seq) FROM " + table).onlyValue())
            .longValue();
    List<Object> files =
        engine
            .query(
                "SELECT count(*), max(file_count), avg(file_count) FROM \"%s\".\"%s\".\"%s__v1$partitions\""
                    .formatted(trinoOptions.catalog(), Schemas.FEATURES, VIEW))
            .rows()
            .getFirst();
    double seconds = result.took().toNanos() / 1e9;
    double rate = result.rows() / seconds;
    // the final flush's commit only ends the run
    double commitsPerMinute = commitsWhileLoading / seconds * 60;
    long minWindow =
        result.windowRows().size() > 2
            ? result.windowRows().subList(1, result.windowRows().size() - 1).stream()
                .mapToLong(Long::longValue)
                .min()
                .orElse(0)
            : 0;
    out.println();
    out.printf(
        "rows taken: %,d in %,d pushes in %.1f s: %,.0f rows/s sustained (slowest full 10 s window: %,.0f rows/s)%n",
        result.rows(), result.pushes(), seconds, rate, minWindow / 10.0);
    out.printf(
        "push latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d rows per push, %d clients)%n",
        percentile(result.latenciesNanos(), 0.50),
        percentile(result.latenciesNanos(), 0.99),
        percentile(result.latenciesNanos(), 1.0),
        rowsPerPush,
        clients);
    out.printf(
        "commits: %d while pushing (%.1f per minute; the last took %s for %,d rows), then the final flush's in %.1f s%n",
        commitsWhileLoading,
        commitsPerMinute,
        status.lastCommitTook().map(d -> "%.1f s".formatted(d.toMillis() / 1e3)).orElse("-"),
        status.lastCommitRows(),
        result.flush().toMillis() / 1e3);
    out.printf(
        "table %s: %,d rows (%s every row taken, once: %d pushes), %s partitions, files per partition max %s avg %.1f%n",
        table,
        inTable,
        inTable == result.rows() && distinct == result.pushes() ? "=" : "!= (MISMATCH)",
        distinct,
        files.get(0),
        files.get(1),
        ((Number) files.get(2)).doubleValue());
    out.printf(
        "online: %,d newest values written to DynamoDB (each cycle writes the newest row of each key pushed meanwhile); the longest from a push to its rows online: %s%n",
        status.onlineRecords(),
        status.maxOnlineLag().map(d -> "%.1f s".formatted(d.toMillis() / 1e3)).orElse("-"));
    out.printf(
        "target >= 20,000 rows/s sustained: %s; target <= 6 commits per minute: %s%n",
        rate >= 20_000 ? "met" : "NOT met", commitsPerMinute <= 6 ? "met" : "NOT met");
    out.flush();
  }

  /**
   * Push-to-online visibility of the plain push view and the aggregation view over it, in the same
   * run: once a second, one row of a key no client pushes, then both are read from DynamoDB every 2
   * ms until they show it (the plain view's newest value, the aggregation view's count over the
   * last hour).
   */
  private static final class Probes {
    private final DynamoDbOnlineStore store;
    private final io.asof.online.OnlineTable plain;
    private final WindowedOnline tiles;
    private final long key;
    private final List<Long> plainNanos = new ArrayList<>();
    private final List<Long> tileNanos = new ArrayList<>();
    private volatile boolean stopped;
    private volatile String failure;
    private long pushed;

    Probes(
        DynamoDbOnlineStore store,
        io.asof.online.OnlineTable plain,
        WindowedOnline tiles,
        long key) {
      this.store = store;
      this.plain = plain;
      this.tiles = tiles;
      this.key = key;
    }

    void stop() {
      stopped = true;
    }

    /** The one-row pushes made. */
    synchronized long pushes() {
      return pushed;
    }

    /**
     * Pushes probe {@code i} (its {@code clicks} is {@code i}) once a second from this thread, and
     * reads both views every 2 ms from another: a probe is visible in the plain view once its
     * newest value is that probe or a later one, in the aggregation view once its count reaches it.
     */
    void run(URI server) {
      AsofPushClient client = AsofPushClient.builder(server).attempts(50).build();
      List<Long> sentAt = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread reader = Thread.ofPlatform().daemon().start(() -> read(sentAt));
      try {
        for (long probe = 1; !stopped && failure == null; probe++) {
          long started = System.nanoTime();
          String row =
              "{\"entity_id\":%d,\"updated_at\":\"%s\",\"clicks\":%d,\"views\":0,\"score\":0.5}\n"
                  .formatted(
                      key, LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS), probe);
          sentAt.add(started);
          client.pushNdJson(VIEW, row.getBytes(StandardCharsets.UTF_8), 1, false);
          synchronized (this) {
            pushed++;
          }
          long wait = started + 1_000_000_000L - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
          }
        }
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failure = String.valueOf(e.getMessage());
      }
    }

    /** Notes when each probe sent became visible, until all are (or 5 minutes after the last). */
    private void read(List<Long> sentAt) {
      long plainSeen = 0;
      long tileSeen = 0;
      long lastChange = System.nanoTime();
      try {
        while (failure == null) {
          int sent = sentAt.size();
          if (stopped && plainSeen >= sent && tileSeen >= sent) {
            return;
          }
          if (System.nanoTime() - lastChange > Duration.ofMinutes(5).toNanos()) {
            failure =
                "probes %d and on were not online within 5 minutes"
                    .formatted(Math.min(plainSeen, tileSeen) + 1);
            return;
          }
          var newest = store.read(plain, List.of(List.<Object>of(key))).getFirst().record();
          long plainNow = newest.map(r -> ((Number) r.values().getFirst()).longValue()).orElse(0L);
          // the first feature: the count over the first window (1h)
          var counted =
              tiles.read(store, List.of(List.<Object>of(key)), Instant.now()).getFirst().record();
          long tileNow = counted.map(r -> ((Number) r.values().getFirst()).longValue()).orElse(0L);
          long at = System.nanoTime();
          synchronized (this) {
            for (long p = plainSeen + 1; p <= Math.min(plainNow, sent); p++) {
              plainNanos.add(at - sentAt.get((int) p - 1));
            }
            for (long p = tileSeen + 1; p <= Math.min(tileNow, sent); p++) {
              tileNanos.add(at - sentAt.get((int) p - 1));
            }
          }
          if (Math.min(plainNow, sent) > plainSeen || Math.min(tileNow, sent) > tileSeen) {
            lastChange = at;
          }
          plainSeen = Math.max(plainSeen, Math.min(plainNow, sent));
          tileSeen = Math.max(tileSeen, Math.min(tileNow, sent));
          Thread.sleep(2);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failure = String.valueOf(e.getMessage());
      }
    }

    synchronized void report(PrintWriter out) {
      List<Long> plainSorted = plainNanos.stream().sorted().toList();
      List<Long> tileSorted = tileNanos.stream().sorted().toList();
      double p50 = percentile(tileSorted, 0.5) / percentile(plainSorted, 0.5);
      double p99 = percentile(tileSorted, 0.99) / percentile(plainSorted, 0.99);
      out.printf(
          "push to online visibility, %d probes (one row a second of a key no client pushes, both views read from DynamoDB every 2 ms), in the same run:%n",
          plainSorted.size());
      out.printf(
          "  plain push view %s:       p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          VIEW,
          percentile(plainSorted, 0.5),
          percentile(plainSorted, 0.99),
          percentile(plainSorted, 1.0));
      out.printf(
          "  aggregation view %s: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          AGGREGATION,
          percentile(tileSorted, 0.5),
          percentile(tileSorted, 0.99),
          percentile(tileSorted, 1.0));
      out.printf(
          "  aggregation / plain: %.2fx at p50, %.2fx at p99; target <= 2x: %s%s%n",
          p50,
          p99,
          p50 <= 2 && p99 <= 2 ? "met" : "NOT met",
          failure == null ? "" : " (probes stopped: " + failure + ")");
      out.flush();
    }
  }

  /**
   * What DynamoDB Local takes of the two writers' items alone, nothing else running: conditional
   * PutItems of plain items, and UpdateItem ADDs of tile records (one record per key and tile, as a
   * cycle of the tile writer sends them), into scratch tables.
   */
  private void ceiling(
      PrintWriter out, DynamoDbOnlineStore dynamo, WindowedOnline tiles, RegistryStore registry) {
    int records = Math.min(keys, 2_000) * 3;
    io.asof.online.OnlineTable plain = OnlineTables.table(registry.view(VIEW).orElseThrow());
    io.asof.online.OnlineTable plainScratch =
        io.asof.online.OnlineTable.of(
            "bench_push_ceiling", 1, plain.keys(), plain.features(), plain.createdTime());
    io.asof.online.OnlineTable tileScratch =
        new WindowedOnline(
                "bench_push_agg_ceiling",
                1,
                tiles.table().keys().subList(0, 1),
                tiles.aggregation())
            .table();
    try {
      dynamo.drop(plainScratch);
      dynamo.drop(tileScratch);
      dynamo.create(plainScratch);
      dynamo.create(tileScratch);
      Instant now = Instant.now();
      List<io.asof.online.OnlineRecord> puts = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        puts.add(
            new io.asof.online.OnlineRecord(
                List.of((long) i),
                now,
                List.of(1L, 2L, 0.5),
                Optional.of(now.plus(Duration.ofDays(1)))));
      }
      long t0 = System.nanoTime();
      dynamo.write(plainScratch, puts, io.asof.online.WriteMode.CONDITIONAL);
      double putRate = records / ((System.nanoTime() - t0) / 1e9);
      List<io.asof.online.TileUpdate> adds = new ArrayList<>();
      long minute = io.asof.compiler.window.WindowTiles.minute(now);
      int states = tiles.aggregation().states().size();
      for (int i = 0; i < records / 3; i++) {
        for (io.asof.compiler.window.WindowTiles.Tile tile :
            io.asof.compiler.window.WindowTiles.tilesOf(minute)) {
          java.util.Map<Integer, Object> sums = new java.util.HashMap<>();
          for (int st = 0; st < states; st++) {
            String type = tiles.table().features().get(st).type();
            sums.put(tile.slot() * states + st, type.equals("double") ? (Object) 0.5 : (Object) 1L);
          }
          adds.add(
              new io.asof.online.TileUpdate(
                  List.of((long) i, tile.bucket()),
                  now,
                  now.plus(Duration.ofDays(2)),
                  java.util.Map.of(1L, sums)));
        }
      }
      long t1 = System.nanoTime();
      dynamo.addTiles(tileScratch, adds);
      double addRate = adds.size() / ((System.nanoTime() - t1) / 1e9);
      out.printf(
          "DynamoDB Local alone (nothing else writing), %,d items each: conditional PutItem of plain items %,.0f items/s; UpdateItem ADD of tile records %,.0f records/s (%,.0f keys' events/s at 3 records per key)%n",
          records, putRate, addRate, addRate / 3);
    } finally {
      dynamo.drop(plainScratch);
      dynamo.drop(tileScratch);
    }
    out.flush();
  }

  private static double percentile(List<Long> sorted, double quantile) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
  }

  /** One online push view of three features about a bench entity. */
  private static Path repository(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("views"));
    Files.writeString(
        dir.resolve("entities.yaml"),
        """
        entities:
          bench_push_entity:
            keys: [entity_id]
            description: The push benchmark's entity.
        """);
    Files.writeString(
        dir.resolve("views/" + VIEW + ".sql"),
        """
        -- view: %s
        -- entity: bench_push_entity
        -- event_time: updated_at
        -- push: true
        -- online: true
        -- ttl: 1d
        -- description: The push benchmark's rows.
        CREATE TABLE %s (
          entity_id  bigint,
          updated_at timestamp(6),
          clicks     bigint,
          views      bigint,
          score      double
        )
        """
            .formatted(VIEW, VIEW));
    Files.writeString(
        dir.resolve("views/" + AGGREGATION + ".sql"),
        """
        -- view: %s
        -- entity: bench_push_entity
        -- event_time: updated_at
        -- windows: 1h, 1d
        -- description: Counts and sums over the push benchmark's rows, updated by each push.
        SELECT entity_id, count(*) AS pushes, sum(clicks) AS clicks, avg(score) AS score
        FROM features.%s
        GROUP BY entity_id
        """
            .formatted(AGGREGATION, VIEW));
    return dir;
  }

  private void apply(QueryEngine engine, RegistryStore registry, Path repo) {
    List<CompiledView> views =
        new FeatureViewCompiler(
                new EngineWarehouseCatalog(engine, trinoOptions.dialect()),
                engine,
                trinoOptions.catalog())
            .compileAll(RepositoryLoader.load(repo));
    ApplyPlan plan = ApplyPlanner.plan(views, registry.views());
    List<AppliedView> applied = ApplyPlanner.applied(plan, views, Instant.now());
    registry.apply(applied, List.of());
    new ViewPublisher(engine, trinoOptions.dialect(), trinoOptions.catalog(), Schemas.FEATURES)
        .publish(plan, views, registry.views(), false, message -> {});
  }
}
