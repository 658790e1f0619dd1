package io.asof.cli;

import io.asof.engine.QueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.jobs.TrainingSetService;
import io.asof.local.StackStatus;
import io.asof.online.CachingOnlineStore;
import io.asof.push.PushConfig;
import io.asof.push.client.AsofPushClient;
import io.asof.registry.PerCallRegistryStore;
import io.asof.registry.RegistryStore;
import io.asof.server.AsofServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code asof quickstart}: the stack, the demo warehouse, and a first look at it. */
@Command(
    name = "quickstart",
    description =
        "Start the local stack, load the demo news warehouse, publish the example feature views, build the example training set, and show them.")
final class QuickstartCommand implements Runnable {
  private static final Map<String, String> TITLES =
      Map.of(
          "table-sizes", "The warehouse: four Iceberg tables in %s",
          "category-ctr", "Click-through rate by category, all 90 days",
          "top-articles", "Most-clicked articles, with reading time and likes",
          "user-timeline", "The last five articles shown to user 1",
          "user-engagement",
              "Feature view user_engagement as BI tools see it: each user's windows as of now (the demo's reads ended on 2026-04-01, so today they are empty; the training set below has them as of each impression)",
          "feature-catalog", "The feature catalog (iceberg.features.asof_features), by view",
          "labelled-rows", "A few labelled rows of the training set click_model (schema training)",
          "stale-vs-right",
              "Why windows are evaluated at each row's time: a row where a window function over the reads (the value as of the user's last read) is stale, beside asof's value and the reads counted at shown_at");

  @Mixin StackOptions stackOptions;
  @Mixin TrinoOptions trinoOptions;
  @Mixin OnlineOptions onlineOptions;
  @Mixin PushOptions pushOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    long start = System.nanoTime();
    String jdbcUrl = trinoOptions.externalUrl();
    out.println("== 1/8 The stack");
    if (jdbcUrl == null) {
      StackStatus status = stackOptions.stack(out::println).up();
      out.println(status.describe());
      jdbcUrl = status.endpoints().trinoJdbcUrl();
    } else {
      out.println("Using the Trino at " + jdbcUrl);
    }

    NewsWarehouse warehouse =
        new NewsWarehouse(NewsWarehouseSpec.defaults(), trinoOptions.catalog(), "dwh");
    try (QueryEngine engine = WarehouseSession.engine(trinoOptions, jdbcUrl)) {
      out.println();
      out.println("== 2/8 The demo warehouse");
      WarehouseSession.load(engine, warehouse, out);

      out.println();
      out.println("== 3/8 A first look, straight from Trino");
      show(warehouse.tour(), warehouse, engine, out);
    }

    out.println();
    out.println(
        "== 4/8 The news feature views: compiled against the warehouse, published, the online ones switched on");
    RepositoryCommand.RepositoryOptions repository = new RepositoryCommand.RepositoryOptions();
    repository.repo =
        Path.of(System.getProperty("asof.home", ".")).resolve("sql-features/examples/news");
    repository.registryUser = "asof";
    repository.registryPassword = "";
    int applied =
        RepositoryCommand.run(
            out,
            spec.commandLine().getErr(),
            stackOptions,
            externalTrino(jdbcUrl),
            repository,
            onlineOptions,
            false,
            true,
            false);
    if (applied != 0) {
      throw new IllegalStateException(
          "the news example repository did not apply; see the messages above");
    }
    try (QueryEngine engine = WarehouseSession.engine(trinoOptions, jdbcUrl)) {
      show(warehouse.featuresTour("features"), warehouse, engine, out);
    }

    out.println();
    out.println(
        "== 5/8 A backfill: article_daily_ctr recomputed into its Iceberg table, one commit per chunk");
    int backfilled =
        asof(
            out,
            repository,
            jdbcUrl,
            "backfill",
            "article_daily_ctr",
            "--from",
            "2026-01-01",
            "--to",
            "2026-04-02",
            "--chunk",
            "30d");
    if (backfilled != 0) {
      throw new IllegalStateException(
          "the article_daily_ctr backfill did not finish; see the messages above");
    }
    try (QueryEngine engine = WarehouseSession.engine(trinoOptions, jdbcUrl)) {
      out.println();
      out.println("-- The table's snapshots, as Iceberg lists them (newest first)");
      TablePrinter.print(
          engine.query(
              """
              SELECT snapshot_id, committed_at, operation,
                element_at(summary, 'added-records') AS added_rows,
                element_at(summary, 'deleted-records') AS deleted_rows,
                element_at(summary, 'total-records') AS total_rows
              FROM %s.features."article_daily_ctr__v1$snapshots"
              ORDER BY committed_at DESC
              LIMIT 6"""
                  .formatted(warehouse.catalog())),
          out,
          "   ");
    }

    out.println();
    out.println(
        "== 6/8 A training set: every impression, labelled clicked or not, with features as they were when it was shown");
    int built = asof(out, repository, jdbcUrl, "training-set", "build", "click_model");
    if (built != 0) {
      throw new IllegalStateException(
          "the click_model training set did not build; see the messages above");
    }
    try (QueryEngine engine = WarehouseSession.engine(trinoOptions, jdbcUrl)) {
      show(warehouse.trainingTour("training"), warehouse, engine, out);
    }
    out.println();
    out.println(
        "== 7/8 Online: user_profile, switched on into DynamoDB by apply (its file says online: true), served over HTTP by ./asof serve");
    serveOnce(out, repository, jdbcUrl);
    out.println();
    out.println(
        "== 8/8 Push: raw reactions pushed to reaction_events, counted online by article_trending at once, committed to Iceberg");
    Optional<PushConfig> push =
        pushOptions.config(stackOptions, trinoOptions.externalUrl() == null);
    if (push.isEmpty()) {
      out.println(
          "   (skipped: pushes are committed through a directory Trino reads; with your own Trino, give --push-staging-dir and --push-staging-uri)");
    } else {
      pushBurst(out, repository, jdbcUrl, push.get());
    }
    out.println();
    out.printf("Done in %.1f s.%n", (System.nanoTime() - start) / 1e9);
    out.println(
        "Query it yourself from any SQL client: "
            + jdbcUrl
            + " (user "
            + trinoOptions.trinoUser
            + "), e.g.");
    out.println("  SELECT * FROM " + warehouse.catalog() + ".dwh.impressions LIMIT 10");
    out.println("  SELECT * FROM " + warehouse.catalog() + ".features.user_engagement LIMIT 10");
    out.println("  SELECT * FROM " + warehouse.catalog() + ".training.click_model LIMIT 10");
    out.println(
        "Browse the features (search, SQL, lineage, statistics, drift): ./asof serve --repo sql-features/examples/news, then open http://127.0.0.1:18081/; ./asof drift click_model --repo sql-features/examples/news prints the drift report.");
    out.println(
        "Edit sql-features/examples/news, then ./asof plan --repo sql-features/examples/news shows what changes.");
    out.println(
        "Stop the stack with ./asof local down; ./asof local status --json shows the endpoints.");
  }

  /** A server on a free loopback port over the quickstart's stack, started. */
  private AsofServer server(
      QueryEngine engine,
      RegistryStore registry,
      CachingOnlineStore store,
      RepositoryCommand.RepositoryOptions repository,
      Optional<AsofServer.Push> push) {
    return new AsofServer(
            new TrainingSetService(
                engine, trinoOptions.dialect(), registry, repository.repo, trinoOptions.catalog()),
            repository.repo,
            Optional.of(new AsofServer.Online(registry, store)),
            push,
            Optional.empty(),
            "127.0.0.1",
            0,
            Clock.systemUTC())
        .start();
  }

  /** Starts the server on a free port, asks it for two users' profiles, shows the exchange. */
  private void serveOnce(
      PrintWriter out, RepositoryCommand.RepositoryOptions repository, String jdbcUrl) {
    String request =
        """
        {"entities": [{"user_id": 1}, {"user_id": 2}, {"user_id": 999999}],
         "features": ["user_profile:country", "user_profile:age_band", "user_profile:is_premium"]}""";
    try (QueryEngine engine = WarehouseSession.engine(trinoOptions, jdbcUrl);
        RegistryStore registry = new PerCallRegistryStore(repository.registryConfig(stackOptions));
        CachingOnlineStore store =
            new CachingOnlineStore(onlineOptions.store(stackOptions, out), Clock.systemUTC());
        AsofServer server = server(engine, registry, store, repository, Optional.empty())) {
      out.println();
      out.println(
          "-- curl -s "
              + server.uri()
              + "/v1/online-features -d '"
              + request.replace("\n", " ")
              + "'");
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(server.uri() + "/v1/online-features"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(request))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      out.println("   HTTP " + response.statusCode());
      out.println("   " + response.body());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the online request failed: " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    out.println(
        "   (that server was started for this request; ./asof serve --repo sql-features/examples/news keeps one running on http://127.0.0.1:18081)");
  }

  /**
   * Starts a server with push ingestion on a free port, pushes a burst of raw reactions to
   * reaction_events for twenty articles, asks article_trending for three of them online until each
   * push is counted, then waits for the micro-batch commit and shows the rows in the push view's
   * Iceberg table.
   */
  private void pushBurst(
      PrintWriter out,
      RepositoryCommand.RepositoryOptions repository,
      String jdbcUrl,
      PushConfig options) {
    // a log of its own (a running ./asof serve holds the default one) and a short interval
    Duration interval = Duration.ofSeconds(3);
    PushConfig config =
        PushConfig.defaults(
                stackOptions.stateDir().resolve("quickstart-push-log"),
                options.stagingDir(),
                options.stagingUri())
            .withCommits(interval, PushConfig.DEFAULT_COMMIT_ROWS);
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    List<Map<String, Object>> rows = new java.util.ArrayList<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(System.nanoTime());
    for (int i = 0; i < 500; i++) {
      rows.add(
          Map.of(
              "article_id",
              1L + i % 20,
              "reacted_at",
              now.plus(i, ChronoUnit.MILLIS),
              "dwell_seconds",
              5 + random.nextInt(120),
              "liked",
              random.nextInt(5) == 0));
    }
    String request =
        """
        {"entities": [{"article_id": 1}, {"article_id": 2}, {"article_id": 3}],
         "features": ["article_trending:reads_1h", "article_trending:reads_5m", "article_trending:likes_5m"]}""";
    try (QueryEngine engine = WarehouseSession.engine(trinoOptions, jdbcUrl);
        RegistryStore registry = new PerCallRegistryStore(repository.registryConfig(stackOptions));
        CachingOnlineStore store =
            new CachingOnlineStore(onlineOptions.store(stackOptions, out), Clock.systemUTC());
        AsofServer server =
            server(
                engine,
                registry,
                store,
                repository,
                Optional.of(
                    new AsofServer.Push(
                        config, engine, trinoOptions.catalog(), trinoOptions.dialect())))) {
      String table = trinoOptions.catalog() + ".features.reaction_events";
      HttpClient http = HttpClient.newHttpClient();
      // article 1's reads in the last hour before the push (an earlier run may have pushed some)
      long before = firstValue(onlineFeatures(http, server, request));
      out.println();
      out.printf(
          "-- 500 raw reactions (25 for each of 20 articles) as NDJSON to POST %s/v1/push/reaction_events%n",
          server.uri());
      long pushed = System.nanoTime();
      AsofPushClient.Pushed ack =
          AsofPushClient.builder(server.uri()).build().push("reaction_events", rows);
      out.printf(
          "   HTTP 200 after %d ms: %,d rows durable in the push log (sequence %d)%n",
          Duration.ofNanos(System.nanoTime() - pushed).toMillis(), ack.rows(), ack.sequence());
      String body = "";
      boolean counted = false;
      while (!counted && System.nanoTime() - pushed < Duration.ofSeconds(30).toNanos()) {
        body = onlineFeatures(http, server, request);
        counted = firstValue(body) == before + 25;
        if (!counted) {
          Thread.sleep(20);
        }
      }
      out.printf(
          "-- curl -s %s/v1/online-features -H 'Content-Type: application/json' -d '%s'%n",
          server.uri(), request.replace("\n", " "));
      out.printf(
          "   %s %d ms after the push (article 1: %d reads in the last hour before it): %s%n",
          counted ? "counted" : "NOT counted within 30 s",
          Duration.ofNanos(System.nanoTime() - pushed).toMillis(),
          before,
          body);
      String since = now.toString().replace('T', ' ');
      String count =
          "SELECT count(*) FROM %s WHERE reacted_at >= TIMESTAMP '%s'".formatted(table, since);
      long committed = 0;
      while (committed < rows.size()
          && System.nanoTime() - pushed < Duration.ofSeconds(60).toNanos()) {
        Thread.sleep(250);
        committed = ((Number) engine.query(count).onlyValue()).longValue();
      }
      out.printf(
          "-- %s: %,d of the rows there %.1f s after the push (micro-batches commit every %d s here, 10 s by default)%n",
          table, committed, (System.nanoTime() - pushed) / 1e9, interval.toSeconds());
      TablePrinter.print(
          engine.query(
              "SELECT article_id, count(*) AS reactions, count_if(liked) AS likes, round(avg(dwell_seconds), 1) AS avg_dwell_seconds FROM %s WHERE reacted_at >= TIMESTAMP '%s' AND article_id <= 3 GROUP BY 1 ORDER BY 1"
                  .formatted(table, since)),
          out,
          "   ");
      if (!counted || committed < rows.size()) {
        throw new IllegalStateException(
            "the pushed reactions were not counted online and committed in time; see above");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    out.println(
        "   (./asof serve takes pushes too: POST /v1/push/VIEW as JSON or NDJSON, or ./asof push VIEW --file rows.ndjson)");
  }

  /** {@code POST /v1/online-features} of {@code request} to {@code server}: the answer's body. */
  private static String onlineFeatures(HttpClient http, AsofServer server, String request)
      throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/v1/online-features"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The first value of the first result of an online answer, -1 when it has none. */
  private static long firstValue(String answer) {
    java.util.regex.Matcher matcher =
        java.util.regex.Pattern.compile("\"values\":\\[(\\d+)").matcher(answer);
    return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
  }

  private static void show(
      List<NewsWarehouse.Statement> queries,
      NewsWarehouse warehouse,
      QueryEngine engine,
      PrintWriter out) {
    for (NewsWarehouse.Statement query : queries) {
      out.println();
      out.println(
          "-- "
              + TITLES.get(query.name()).formatted(warehouse.catalog() + "." + warehouse.schema()));
      TablePrinter.print(engine.query(query.sql()), out, "   ");
    }
  }

  /** Runs an asof subcommand on the quickstart's Trino, repository and state; its exit code. */
  private int asof(
      PrintWriter out,
      RepositoryCommand.RepositoryOptions repository,
      String jdbcUrl,
      String... command) {
    List<String> args = new java.util.ArrayList<>(List.of(command));
    args.addAll(
        List.of(
            "--repo",
            repository.repo.toString(),
            "--trino-url",
            jdbcUrl,
            "--trino-user",
            trinoOptions.trinoUser,
            "--catalog",
            trinoOptions.catalog(),
            "--state-dir",
            stackOptions.stateDir().toString()));
    return new CommandLine(new Asof())
        .setOut(out)
        .setErr(spec.commandLine().getErr())
        .execute(args.toArray(String[]::new));
  }

  /** Points the repository commands at the Trino this quickstart uses. */
  private EngineOptions externalTrino(String jdbcUrl) {
    EngineOptions options = EngineOptions.onTrino(trinoOptions);
    options.trinoUrl = jdbcUrl;
    return options;
  }
}
