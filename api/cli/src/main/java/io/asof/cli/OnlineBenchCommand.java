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
import io.asof.local.StackStatus;
import io.asof.model.Schemas;
import io.asof.online.WriteSummary;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
import io.asof.online.dynamodb.RawBatchGet;
import io.asof.online.dynamodb.RawBatchWrite;
import io.asof.registry.AppliedView;
import io.asof.registry.ApplyPlan;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code asof bench online}: {@code asof serve} in processes of their own (one per set of JVM
 * options), measured in closed loops at several concurrencies and request shapes beside raw AWS SDK
 * {@code BatchGetItem} calls for the same keys, with the server's own time per request (from its
 * histogram) and the CPU each process spent per request; and {@code online enable} beside raw
 * unconditional {@code BatchWriteItem} of the same items into the same endpoint.
 */
@Command(
    name = "online",
    description =
        "Benchmark online serving on the local stack: asof serve (from DynamoDB and from its cache) beside raw SDK BatchGetItem at concurrency 1, 4 and 16 for the Feast harness's shapes, with the server's own time and CPU per request; online enable beside raw BatchWriteItem of the same items.")
final class OnlineBenchCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin TrinoOptions trinoOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--entities",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Entities of each benchmark view, at least 500 (default: ${DEFAULT-VALUE}).")
  int entities;

  @Option(
      names = "--load-entities",
      paramLabel = "N",
      defaultValue = "50000",
      description =
          "Entities of the view whose online enable is measured beside raw BatchWriteItem of the same items, 20 features each (default: ${DEFAULT-VALUE}).")
  int loadEntities;

  @Option(
      names = "--shapes",
      paramLabel = "ENTITIESxFEATURES",
      split = ",",
      defaultValue = "1x20,100x20,1x200,10x200,50x200,500x200",
      description =
          "Request shapes: entities per request x double features per entity (default: ${DEFAULT-VALUE}, the last four the Feast harness's).")
  List<String> shapes;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      split = ",",
      defaultValue = "1,4,16",
      description = "Requests in flight, one closed loop each (default: ${DEFAULT-VALUE}).")
  List<Integer> concurrencies;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "5",
      description = "How long each case is measured (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--warmup",
      paramLabel = "S",
      defaultValue = "2",
      description = "Warm-up before each case (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--serve-java-opts",
      paramLabel = "OPTIONS",
      description =
          "JVM options of an asof serve to measure; repeat to compare (default: the JDK's defaults, and $ASOF_SERVE_JAVA_OPTS, the launcher's options for asof serve, when set).")
  List<String> serveJavaOptions;

  /** An aggregation view: 5 aggregates over 4 windows, evaluated from tiles at each read. */
  private static final String WINDOWED_VIEW = "bench_online_windows";

  /**
   * Entities of the aggregation view with events (50 each over the last 30 days): 81 tile items
   * each, which DynamoDB Local writes at a few hundred items/s.
   */
  private static final int WINDOWED_ENTITIES = 200;

  /** The view whose load is compared with raw writes; switched off and purged after. */
  private static final String LOAD_VIEW = "bench_online_load";

  private static final int LOAD_FEATURES = 20;

  private static final String SCHEMA = "bench_online";
  private static final String ROUTE = "/v1/online-features";

  /** How long a freshly started server is sent requests before its cases are measured. */
  private static final Duration SERVER_WARMUP = Duration.ofSeconds(20);

  /** DynamoDB Local runs every SQLite statement of a database on one thread of this name. */
  private static final String SQLITE_THREAD = "SQLiteQueue";

  /** The environment variable the launcher gives {@code asof serve}'s JVM options in. */
  static final String SERVE_JAVA_OPTS = "ASOF_SERVE_JAVA_OPTS";

  /** Each load-generating thread's connection to the server. */
  private static final ThreadLocal<LoopbackHttp> CONNECTIONS = new ThreadLocal<>();

  /** Where a case's requests go. */
  private enum Source {
    RAW("raw SDK BatchGetItem"),
    DYNAMODB("server, DynamoDB"),
    CACHE("server, cache"),
    WINDOWS("server, aggregation view");

    final String label;

    Source(String label) {
      this.label = label;
    }
  }

  /** Entities per request × double features per entity. */
  record Shape(int entities, int features) {
    static Shape parse(String text) {
      Matcher m = Pattern.compile("([0-9]{1,4})x([0-9]{1,4})").matcher(text.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "--shapes: '%s' is not ENTITIESxFEATURES, e.g. 100x20".formatted(text));
      }
      return new Shape(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    @Override
    public String toString() {
      return "%d entit%s x %d features".formatted(entities, entities == 1 ? "y" : "ies", features);
    }
  }

  /** One set of JVM options for {@code asof serve}, and what to call it in the report. */
  record Jvm(String label, List<String> options) {}

  /** One measured case: its latencies in milliseconds, sorted, how long it ran, what it cost. */
  static final class Measured {
    private final String name;
    private final double[] sortedMillis;
    private final Duration took;
    private Optional<ServerHistogram> server = Optional.empty();
    private final Map<String, Double> cpuMillisPerRequest = new LinkedHashMap<>();

    Measured(String name, long[] nanos, Duration took) {
      this.name = name;
      this.sortedMillis = Arrays.stream(nanos).sorted().mapToDouble(n -> n / 1e6).toArray();
      this.took = took;
    }

    String name() {
      return name;
    }

    long requests() {
      return sortedMillis.length;
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

    double serverP(double quantile) {
      return server.map(h -> h.quantileMillis(quantile)).orElse(Double.NaN);
    }

    double cpu(String process) {
      return cpuMillisPerRequest.getOrDefault(process, Double.NaN);
    }
  }

  /** One case of the run. */
  record Case(Shape shape, int concurrency, Source source, Optional<Jvm> jvm, Measured measured) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<Shape> requestShapes;
    try {
      requestShapes = shapes.stream().map(Shape::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (entities < 500
        || loadEntities < 1
        || seconds < 1
        || warmup < 0
        || concurrencies.stream().anyMatch(c -> c < 1)
        || requestShapes.stream()
            .anyMatch(s -> s.entities() < 1 || s.entities() > entities || s.features() < 1)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--entities must be at least 500 and at least each shape's entities; --seconds, --concurrency and each shape's numbers at least 1");
    }
    List<Jvm> jvms = jvms();
    BenchCommand.quietAccessLog();
    PrintWriter out = spec.commandLine().getOut();
    String jdbcUrl = trinoOptions.sessionUrl(trinoOptions.jdbcUrl(stackOptions, out));
    StackStatus stack = stackOptions.stack(out::println).up();
    URI dynamoDb = stack.endpoints().dynamoDbEndpoint();
    Path state = Files.createTempDirectory("asof-bench-online");
    Path repo = state.resolve("repo");
    Set<Integer> featureCounts = new TreeSet<>();
    requestShapes.forEach(s -> featureCounts.add(s.features()));
    out.printf(
        "Online benchmark: %,d entities per view; shapes %s; concurrency %s; %d s per case after %d s of warm-up; asof serve with %s (Trino %s, DynamoDB Local %s).%n",
        entities,
        requestShapes,
        concurrencies,
        seconds,
        warmup,
        jvms.stream().map(Jvm::label).collect(Collectors.joining(" / ")),
        jdbcUrl,
        dynamoDb);
    out.flush();
    List<Case> cases = new ArrayList<>();
    RegistryConfig registryConfig = RegistryConfig.embedded(state);
    try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl))) {
      Loads loads = setUp(engine, registryConfig, repo, featureCounts, stack, dynamoDb, out);
      try (RawBatchGet raw = RawBatchGet.connect(dynamoDb, "us-east-1");
          ExecutorService chunks = Executors.newVirtualThreadPerTaskExecutor()) {
        for (Shape shape : requestShapes) {
          String table = loads.tables().get(view(shape.features(), false));
          for (int concurrency : concurrencies) {
            cases.add(
                new Case(
                    shape,
                    concurrency,
                    Source.RAW,
                    Optional.empty(),
                    measure(
                        "%s, %s, concurrency %d".formatted(Source.RAW.label, shape, concurrency),
                        shape.entities(),
                        entities,
                        concurrency,
                        keys -> rawGet(raw, chunks, table, keys),
                        Optional.empty(),
                        stack.dynamoDbPid(),
                        out)));
          }
        }
      }
      for (int i = 0; i < jvms.size(); i++) {
        Jvm jvm = jvms.get(i);
        try (ServeProcess server =
            ServeProcess.start(
                jvm.options(),
                serveArguments(repo, registryConfig, state.resolve("push-log-" + i)),
                state.resolve("serve-" + i + ".log"))) {
          out.printf(
              "asof serve (%s) on %s, pid %d%n",
              jvm.label(), server.uri(), server.pid().orElse(-1));
          out.flush();
          awaitCached(server.uri(), featureCounts);
          warmUp(server.uri(), requestShapes);
          for (Shape shape : requestShapes) {
            for (int concurrency : concurrencies) {
              for (Source source : List.of(Source.DYNAMODB, Source.CACHE)) {
                String view = view(shape.features(), source == Source.CACHE);
                cases.add(
                    new Case(
                        shape,
                        concurrency,
                        source,
                        Optional.of(jvm),
                        measure(
                            "%s (%s), %s, concurrency %d"
                                .formatted(source.label, jvm.label(), shape, concurrency),
                            shape.entities(),
                            entities,
                            concurrency,
                            keys -> post(server.uri(), view, keys),
                            Optional.of(server),
                            stack.dynamoDbPid(),
                            out)));
              }
            }
          }
          // the aggregation-view figure: 1 entity x 4 windows x 5 aggregates, from tiles
          cases.add(
              new Case(
                  new Shape(1, 20),
                  1,
                  Source.WINDOWS,
                  Optional.of(jvm),
                  measure(
                      "%s (%s), 1 entity x 4 windows x 5 aggregates, concurrency 1"
                          .formatted(Source.WINDOWS.label, jvm.label()),
                      1,
                      WINDOWED_ENTITIES,
                      1,
                      keys -> post(server.uri(), WINDOWED_VIEW, keys),
                      Optional.of(server),
                      stack.dynamoDbPid(),
                      out)));
        }
      }
      report(out, cases, jvms, loads);
      return 0;
    } finally {
      try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl))) {
        for (String view :
            Stream.concat(views(featureCounts).stream(), Stream.of(LOAD_VIEW)).toList()) {
          engine.execute(
              "DROP VIEW IF EXISTS %s.%s.%s"
                  .formatted(trinoOptions.catalog(), Schemas.FEATURES, view));
        }
      }
    }
  }

  /** A fresh server's warm-up: every shape and source for a share of {@link #SERVER_WARMUP}. */
  private void warmUp(URI server, List<Shape> requestShapes) throws InterruptedException {
    Duration each = SERVER_WARMUP.dividedBy(2L * requestShapes.size());
    for (Shape shape : requestShapes) {
      for (boolean cached : List.of(false, true)) {
        String view = view(shape.features(), cached);
        run(shape.entities(), entities, 1, keys -> post(server, view, keys), each, null);
      }
    }
  }

  /** The JVM option sets to measure {@code asof serve} with. */
  private List<Jvm> jvms() {
    if (serveJavaOptions != null && !serveJavaOptions.isEmpty()) {
      return serveJavaOptions.stream().map(o -> jvm(o, o.isBlank() ? "JDK defaults" : o)).toList();
    }
    String launcher = System.getenv(SERVE_JAVA_OPTS);
    List<Jvm> jvms = new ArrayList<>();
    jvms.add(jvm("", "JDK defaults"));
    if (launcher != null && !launcher.isBlank()) {
      jvms.add(jvm(launcher, "asof serve's: " + launcher.strip()));
    }
    return jvms;
  }

  private static Jvm jvm(String options, String label) {
    return new Jvm(
        label, options.isBlank() ? List.of() : List.of(options.strip().split("\\s+", -1)));
  }

  /**
   * What {@link #setUp} loaded: each view's online table, and the load compared with raw writes.
   */
  record Loads(
      Map<String, String> tables,
      OnlineService.LoadSummary measuredLoad,
      Duration measuredWhole,
      Duration measuredWriting,
      RawBatchWrite.Copy raw,
      Optional<ProcessCpu> loadCpu,
      Optional<ProcessCpu> rawCpu,
      Optional<ProcessCpu> clientLoadCpu,
      Optional<ProcessCpu> clientRawCpu) {}

  /**
   * How long a load's statement and writes took, from its compiled statement's start to its last
   * batch in the store: the load's progress reports time from there.
   */
  private static final class LoadPhases implements OnlineService.LoadListener {
    private Duration writing = Duration.ZERO;

    @Override
    public void progress(long rowsRead, WriteSummary written, Duration elapsed) {
      writing = elapsed;
    }
  }

  /**
   * Makes the warehouse tables, applies the views into a scratch registry, and enables them online;
   * then, with this JVM and DynamoDB Local warm, measures the load view's online enable beside raw
   * BatchWriteItem of the same items.
   */
  private Loads setUp(
      QueryEngine engine,
      RegistryConfig registryConfig,
      Path repo,
      Set<Integer> featureCounts,
      StackStatus stack,
      URI dynamoDb,
      PrintWriter out)
      throws IOException, InterruptedException {
    engine.execute("CREATE SCHEMA IF NOT EXISTS %s.%s".formatted(trinoOptions.catalog(), SCHEMA));
    for (int features : featureCounts) {
      warehouse(engine, "entities_f" + features, entities, features, out);
    }
    warehouse(engine, "entities_load", loadEntities, LOAD_FEATURES, out);
    events(engine, trinoOptions.catalog());
    repository(repo, featureCounts);
    Map<String, String> tables = new LinkedHashMap<>();
    try (RegistryStore registry = JooqRegistryStore.open(registryConfig);
        DynamoDbOnlineStore dynamo = DynamoDbOnlineStore.connectLocal(dynamoDb, "us-east-1")) {
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
      List<String> views = new ArrayList<>(views(featureCounts));
      views.add(LOAD_VIEW);
      for (String view : views) {
        dynamo.drop(OnlineTables.tableOf(registry.view(view).orElseThrow()));
      }
      // the serving views first: they also warm this JVM, the SDK and DynamoDB Local for the load
      // measured below, which a cold JVM would otherwise pay for alone
      for (String view : views(featureCounts)) {
        OnlineCommand.summary(
            out,
            online.enable(
                view,
                view.endsWith("_cached") ? OnlineGroup.Mode.CACHE : OnlineGroup.Mode.DYNAMODB,
                Duration.ofHours(1),
                OnlineService.LoadListener.NONE));
        tables.put(view, OnlineTables.tableOf(registry.view(view).orElseThrow()).name());
        out.flush();
      }
      try (RawBatchWrite writer = RawBatchWrite.connect(dynamoDb, "us-east-1")) {
        // the raw writes' warm-up: a copy of a serving view's items
        writer.copy(tables.values().iterator().next(), "asof_bench_raw_warmup");
      }
      // online enable beside raw BatchWriteItem of the very items it wrote, into the same endpoint
      Optional<ProcessCpu> before = ProcessCpu.read(stack.dynamoDbPid(), SQLITE_THREAD);
      LoadPhases phases = new LoadPhases();
      OptionalLong self = OptionalLong.of(ProcessHandle.current().pid());
      Optional<ProcessCpu> clientBefore = ProcessCpu.read(self, "");
      long called = System.nanoTime();
      OnlineService.LoadSummary measured =
          online.enable(LOAD_VIEW, OnlineGroup.Mode.DYNAMODB, Duration.ofHours(1), phases);
      Duration whole = Duration.ofNanos(System.nanoTime() - called);
      Optional<ProcessCpu> loadCpu = since(before, stack.dynamoDbPid());
      Optional<ProcessCpu> clientLoadCpu =
          clientBefore.flatMap(b -> ProcessCpu.read(self, "").map(a -> a.minus(b)));
      OnlineCommand.summary(out, measured);
      Optional<ProcessCpu> rawBefore = ProcessCpu.read(stack.dynamoDbPid(), SQLITE_THREAD);
      Optional<ProcessCpu> clientRawBefore = ProcessCpu.read(self, "");
      RawBatchWrite.Copy raw;
      try (RawBatchWrite writer = RawBatchWrite.connect(dynamoDb, "us-east-1")) {
        raw =
            writer.copy(
                OnlineTables.tableOf(registry.view(LOAD_VIEW).orElseThrow()).name(),
                "asof_bench_raw_copy");
      }
      Optional<ProcessCpu> rawCpu = since(rawBefore, stack.dynamoDbPid());
      // the scan of the items is in it too: an upper bound of what the raw writes cost the client
      Optional<ProcessCpu> clientRawCpu =
          clientRawBefore.flatMap(b -> ProcessCpu.read(self, "").map(a -> a.minus(b)));
      out.printf(
          "  raw SDK BatchWriteItem of the same %,d items: %,.0f items/s%n",
          raw.items(), raw.itemsPerSecond());
      online.disable(LOAD_VIEW, true);
      out.flush();
      return new Loads(
          tables,
          measured,
          whole,
          phases.writing,
          raw,
          loadCpu,
          rawCpu,
          clientLoadCpu,
          clientRawCpu);
    }
  }

  private static Optional<ProcessCpu> since(Optional<ProcessCpu> before, OptionalLong pid) {
    return before.flatMap(b -> ProcessCpu.read(pid, SQLITE_THREAD).map(a -> a.minus(b)));
  }

  /**
   * {@code asof serve}'s arguments: this run's repository and registry, any free port, and the
   * stack this bench was given, whose DynamoDB Local it reads.
   */
  private List<String> serveArguments(Path repo, RegistryConfig registry, Path pushLog) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--repo=" + repo,
                "--registry-url=" + registry.jdbcUrl(),
                "--push-log=" + pushLog,
                "--port=0"));
    // the stack and Trino options this bench was given, as serve takes the same ones
    Set<CommandLine.Model.OptionSpec> forwarded = new HashSet<>();
    for (CommandLine.Model.CommandSpec mixin : spec.mixins().values()) {
      forwarded.addAll(mixin.options());
    }
    for (CommandLine.Model.OptionSpec option :
        spec.commandLine().getParseResult().matchedOptions()) {
      if (forwarded.contains(option)) {
        if (option.arity().max() == 0) {
          arguments.add(option.longestName());
        } else {
          option.originalStringValues().forEach(v -> arguments.add(option.longestName() + "=" + v));
        }
      }
    }
    return arguments;
  }

  private static String view(int features, boolean cached) {
    return "bench_online_f" + features + (cached ? "_cached" : "");
  }

  private static List<String> views(Set<Integer> featureCounts) {
    List<String> views = new ArrayList<>();
    for (int features : featureCounts) {
      views.add(view(features, false));
      views.add(view(features, true));
    }
    views.add(WINDOWED_VIEW);
    return views;
  }

  @FunctionalInterface
  interface Request {
    void send(List<Long> keys) throws Exception;
  }

  /**
   * Sends requests of {@code batch} distinct random keys out of {@code keyCount} in {@code
   * concurrency} closed loops: a warm-up, then the measured run, with the server's histogram and
   * each process's CPU read before and after it.
   */
  private Measured measure(
      String name,
      int batch,
      int keyCount,
      int concurrency,
      Request request,
      Optional<ServeProcess> server,
      OptionalLong dynamoDbPid,
      PrintWriter out)
      throws InterruptedException, IOException {
    run(batch, keyCount, concurrency, request, Duration.ofSeconds(warmup), null);
    OptionalLong self = OptionalLong.of(ProcessHandle.current().pid());
    OptionalLong serverPid = server.map(ServeProcess::pid).orElse(OptionalLong.empty());
    Optional<ServerHistogram> histogramBefore = histogram(server);
    Optional<ProcessCpu> clientBefore = ProcessCpu.read(self, "");
    Optional<ProcessCpu> serverBefore = ProcessCpu.read(serverPid, "");
    Optional<ProcessCpu> dynamoBefore = ProcessCpu.read(dynamoDbPid, "");
    List<long[]> perThread = new ArrayList<>();
    long start = System.nanoTime();
    run(batch, keyCount, concurrency, request, Duration.ofSeconds(seconds), perThread);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Measured measured =
        new Measured(name, perThread.stream().flatMapToLong(Arrays::stream).toArray(), took);
    cpu(measured, "client", clientBefore, self);
    cpu(measured, "server", serverBefore, serverPid);
    cpu(measured, "dynamodb", dynamoBefore, dynamoDbPid);
    if (histogramBefore.isPresent()) {
      measured.server = histogram(server).map(after -> after.minus(histogramBefore.get()));
    }
    out.printf(
        "  %s: p50 %.2f ms, p99 %.2f ms, %,.0f requests/s%n",
        name, measured.p(0.5), measured.p(0.99), measured.perSecond());
    out.flush();
    return measured;
  }

  private static void cpu(
      Measured measured, String process, Optional<ProcessCpu> before, OptionalLong pid) {
    Optional<ProcessCpu> after = ProcessCpu.read(pid, "");
    if (before.isPresent() && after.isPresent() && measured.requests() > 0) {
      measured.cpuMillisPerRequest.put(
          process, after.get().minus(before.get()).totalNanos() / 1e6 / measured.requests());
    }
  }

  private static final HttpClient SCRAPER = HttpClient.newHttpClient();

  private static Optional<ServerHistogram> histogram(Optional<ServeProcess> server)
      throws IOException, InterruptedException {
    if (server.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(ServerHistogram.parse(metrics(server.get().uri()), ROUTE));
  }

  private static String metrics(URI server) throws IOException, InterruptedException {
    return SCRAPER
        .send(
            HttpRequest.newBuilder(URI.create(server + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static void run(
      int batch,
      int keyCount,
      int concurrency,
      Request request,
      Duration length,
      List<long[]> latencies)
      throws InterruptedException {
    long end = System.nanoTime() + length.toNanos();
    CountDownLatch done = new CountDownLatch(concurrency);
    AtomicReference<Exception> failure = new AtomicReference<>();
    for (int t = 0; t < concurrency; t++) {
      int seed = t;
      Thread.ofPlatform()
          .daemon()
          .name("bench-client-" + t)
          .start(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                long[] mine = new long[1 << 16];
                int n = 0;
                try {
                  while (System.nanoTime() < end && failure.get() == null) {
                    Set<Long> keys = new java.util.LinkedHashSet<>(batch * 2);
                    while (keys.size() < batch) {
                      keys.add(1 + random.nextLong(keyCount));
                    }
                    long started = System.nanoTime();
                    request.send(List.copyOf(keys));
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

  /** Raw BatchGetItem calls for the keys, at most 100 each, in parallel as the store reads them. */
  private static void rawGet(RawBatchGet raw, ExecutorService chunks, String table, List<Long> keys)
      throws InterruptedException, ExecutionException {
    if (keys.size() <= 100) {
      requireAll(raw.get(table, keys), keys);
      return;
    }
    List<Future<Integer>> parts = new ArrayList<>();
    for (int from = 0; from < keys.size(); from += 100) {
      List<Long> part = keys.subList(from, Math.min(keys.size(), from + 100));
      parts.add(chunks.submit(() -> raw.get(table, part)));
    }
    int found = 0;
    for (Future<Integer> part : parts) {
      found += part.get();
    }
    requireAll(found, keys);
  }

  private static void requireAll(int found, List<Long> keys) {
    if (found != keys.size()) {
      throw new IllegalStateException(
          "raw BatchGetItem found %d of %d items".formatted(found, keys.size()));
    }
  }

  /** One request to the server, on the calling thread's own kept-alive connection. */
  private static void post(URI server, String view, List<Long> keys) throws IOException {
    String body =
        keys.stream()
            .map(k -> "{\"entity_id\":" + k + "}")
            .collect(
                Collectors.joining(",", "{\"entities\":[", "],\"features\":[\"" + view + ":*\"]}"));
    LoopbackHttp http = CONNECTIONS.get();
    if (http == null) {
      http = new LoopbackHttp(server);
      CONNECTIONS.set(http);
    }
    String response = http.post(ROUTE, body);
    if (!response.contains("PRESENT")) {
      throw new IllegalStateException("unexpected answer: " + response);
    }
  }

  private void report(PrintWriter out, List<Case> cases, List<Jvm> jvms, Loads loads) {
    out.println();
    out.println(
        "Latency as the load generator saw it (p50/p99), the server's own time per request from its histogram (srv p50/p99), and CPU per request of each process:");
    out.printf(
        "%-26s %4s %-42s %8s %8s %9s %8s %8s %7s %7s %7s%n",
        "shape", "conc", "case", "p50 ms", "p99 ms", "req/s", "srv p50", "srv p99", "cpu cli",
        "cpu srv", "cpu ddb");
    for (Case c : cases) {
      Measured m = c.measured();
      out.printf(
          "%-26s %4d %-42s %8.2f %8.2f %,9.0f %8s %8s %7s %7s %7s%n",
          c.source() == Source.WINDOWS ? "1 entity x 4w x 5 aggs" : c.shape(),
          c.concurrency(),
          c.source().label + c.jvm().map(j -> " (" + shortLabel(j) + ")").orElse(""),
          m.p(0.50),
          m.p(0.99),
          m.perSecond(),
          millis(m.serverP(0.50)),
          millis(m.serverP(0.99)),
          millis(m.cpu("client")),
          millis(m.cpu("server")),
          millis(m.cpu("dynamodb")));
    }
    out.println();
    Shape smallest = cases.getFirst().shape();
    int lowest = concurrencies.stream().min(Integer::compare).orElseThrow();
    Optional<Case> raw = find(cases, smallest, lowest, Source.RAW, Optional.empty());
    for (Jvm jvm : jvms) {
      Optional<Case> server = find(cases, smallest, lowest, Source.DYNAMODB, Optional.of(jvm));
      Optional<Case> cache = find(cases, smallest, lowest, Source.CACHE, Optional.of(jvm));
      Optional<Case> windows = find(cases, new Shape(1, 20), 1, Source.WINDOWS, Optional.of(jvm));
      if (raw.isPresent() && server.isPresent()) {
        double over = server.get().measured().p(0.5) - raw.get().measured().p(0.5);
        out.printf(
            "%s, concurrency %d, %s: server p50 %.2f ms vs raw p50 %.2f ms: %+.2f ms; target within 0.5 ms: %s%n",
            smallest,
            lowest,
            jvm.label(),
            server.get().measured().p(0.5),
            raw.get().measured().p(0.5),
            over,
            over <= 0.5 ? "met" : "NOT met");
      }
      cache.ifPresent(
          c ->
              out.printf(
                  "%s, concurrency %d, %s: cache p99 %.2f ms; target under 1 ms: %s%n",
                  smallest,
                  lowest,
                  jvm.label(),
                  c.measured().p(0.99),
                  c.measured().p(0.99) < 1.0 ? "met" : "NOT met"));
      Optional<Case> plain = find(cases, new Shape(1, 20), 1, Source.DYNAMODB, Optional.of(jvm));
      if (windows.isPresent() && plain.isPresent()) {
        double ratio = windows.get().measured().p(0.99) / plain.get().measured().p(0.99);
        out.printf(
            "1 entity of an aggregation view (5 aggregates x 4 windows, from tiles), %s: p99 %.2f ms vs the plain item's %.2f ms (ratio %.2f); target within 2x: %s%n",
            jvm.label(),
            windows.get().measured().p(0.99),
            plain.get().measured().p(0.99),
            ratio,
            ratio <= 2 ? "met" : "NOT met");
      }
    }
    OnlineService.LoadSummary load = loads.measuredLoad();
    long items = load.written().written();
    double whole = items / (Math.max(1, loads.measuredWhole().toNanos()) / 1e9);
    double writing = items / (Math.max(1, loads.measuredWriting().toNanos()) / 1e9);
    double rawRate = loads.raw().itemsPerSecond();
    out.printf(
        "online enable of %,d items: %.1f s end to end (%,.0f items/s), of which %.1f s its statement and writes (%,.0f items/s), the rest creating the table and compiling the statement; raw SDK BatchWriteItem of the same items into the same endpoint: %.1f s (%,.0f items/s)%n",
        items,
        loads.measuredWhole().toNanos() / 1e9,
        whole,
        loads.measuredWriting().toNanos() / 1e9,
        writing,
        loads.raw().nanos() / 1e9,
        rawRate);
    out.printf(
        "  online enable / raw: %.2f end to end, %.2f for its statement and writes; target at least 0.9: %s%n",
        whole / rawRate, writing / rawRate, whole / rawRate >= 0.9 ? "met" : "NOT met");
    if (loads.clientLoadCpu().isPresent() && loads.clientRawCpu().isPresent()) {
      out.printf(
          "  this JVM's CPU per item: %.0f us during online enable (reading the statement's rows, encoding, writing), %.0f us during the raw writes (scan of the items included)%n",
          loads.clientLoadCpu().get().totalNanos() / 1e3 / items,
          loads.clientRawCpu().get().totalNanos() / 1e3 / loads.raw().items());
    }
    emulator(out, "online enable", loads.loadCpu(), load.written().written());
    emulator(out, "raw BatchWriteItem", loads.rawCpu(), loads.raw().items());
    out.flush();
  }

  private static String shortLabel(Jvm jvm) {
    return jvm.options().isEmpty() ? "JDK defaults" : String.join(" ", jvm.options());
  }

  private static String millis(double value) {
    return Double.isNaN(value) ? "-" : "%.2f".formatted(value);
  }

  private static Optional<Case> find(
      List<Case> cases, Shape shape, int concurrency, Source source, Optional<Jvm> jvm) {
    return cases.stream()
        .filter(
            c ->
                c.shape().equals(shape)
                    && c.concurrency() == concurrency
                    && c.source() == source
                    && c.jvm().equals(jvm))
        .findFirst();
  }

  /**
   * What DynamoDB Local itself spent per item written, and the ceiling that puts on any client: its
   * one SQLite thread caps the write rate however many cores there are.
   */
  private static void emulator(PrintWriter out, String when, Optional<ProcessCpu> cpu, long items) {
    if (cpu.isEmpty() || items == 0) {
      out.printf(
          "  DynamoDB Local's CPU during %s: not measured (needs Linux's /proc and the stack's own DynamoDB Local)%n",
          when);
      return;
    }
    double sqlitePerItem = cpu.get().threadNanos() / 1e3 / items;
    out.printf(
        "  DynamoDB Local's CPU during %s: %.0f us per item in all, %.0f us on its single %s thread (a ceiling of %,.0f items/s on any number of cores)%n",
        when,
        cpu.get().totalNanos() / 1e3 / items,
        sqlitePerItem,
        SQLITE_THREAD,
        sqlitePerItem > 0 ? 1e6 / sqlitePerItem : Double.NaN);
  }

  /** A warehouse table of {@code rows} entities of {@code features} doubles. */
  private void warehouse(QueryEngine engine, String name, int rows, int features, PrintWriter out) {
    String table = "%s.%s.%s".formatted(trinoOptions.catalog(), SCHEMA, name);
    boolean fresh = false;
    try {
      Object count = engine.query("SELECT count(*) FROM " + table).onlyValue();
      fresh = ((Number) count).longValue() == rows;
    } catch (RuntimeException e) {
      // not there yet
    }
    if (fresh) {
      out.printf("  %s holds %,d entities already%n", table, rows);
      return;
    }
    engine.execute("DROP TABLE IF EXISTS " + table);
    String values =
        IntStream.range(0, features)
            .mapToObj(i -> "cos(id * %d.0) AS f%03d".formatted(i + 1, i + 1))
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
            .formatted(table, values, (rows - 1) / 10_000, rows));
    out.printf(
        "  made %s: %,d entities in %.1f s%n", table, rows, (System.nanoTime() - start) / 1e9);
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

  /**
   * A repository of the view whose load is measured, two views per feature count (one served from
   * DynamoDB, one from the cache) and the aggregation view.
   */
  private static void repository(Path dir, Set<Integer> featureCounts) throws IOException {
    Files.createDirectories(dir.resolve("views"));
    Files.writeString(
        dir.resolve("views/" + LOAD_VIEW + ".sql"),
        """
        -- view: %s
        -- entity: bench_entity
        -- event_time: updated_at
        -- online: true
        -- description: The view whose online enable the benchmark times beside raw writes.
        %s"""
            .formatted(LOAD_VIEW, select("entities_load", LOAD_FEATURES)));
    Files.writeString(
        dir.resolve("entities.yaml"),
        """
        entities:
          bench_entity:
            keys: [entity_id]
            description: The online benchmark's entity.
        """);
    for (int features : featureCounts) {
      String select = select("entities_f" + features, features);
      for (String view : List.of(view(features, false), view(features, true))) {
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
    }
    Files.writeString(
        dir.resolve("views/" + WINDOWED_VIEW + ".sql"),
        """
        -- view: %s
        -- entity: bench_entity
        -- event_time: event_at
        -- windows: 1h, 1d, 7d, 30d
        -- online: true
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
  }

  private static String select(String table, int features) {
    return "SELECT\n  entity_id,\n  updated_at,\n  "
        + IntStream.range(0, features)
            .mapToObj(i -> "f%03d".formatted(i + 1))
            .collect(Collectors.joining(",\n  "))
        + "\nFROM %s.%s\n".formatted(SCHEMA, table);
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

  /** Waits until the server holds every cached view in memory, up to 3 minutes. */
  private void awaitCached(URI server, Set<Integer> featureCounts)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    for (int features : featureCounts) {
      Pattern loaded =
          Pattern.compile(
              "^asof_online_cache_records\\{table=\"asof_%s_[^\"]*\"} ([0-9.E]+)$"
                  .formatted(view(features, true)),
              Pattern.MULTILINE);
      while (true) {
        Matcher m = loaded.matcher(metrics(server));
        if (m.find() && Double.parseDouble(m.group(1)) >= entities) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the server did not cache %s within 3 minutes".formatted(view(features, true)));
        }
        Thread.sleep(200);
      }
    }
  }
}
