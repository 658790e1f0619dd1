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
    out.println("== 4/8 The news feature views: compiled against the warehouse, published");
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
            false,
            true);
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
        "== 7/8 Online: user_profile switched on into DynamoDB and served over HTTP by ./asof serve");
    List<String> enable = new java.util.ArrayList<>(List.of("online", "enable", "user_profile"));
    enable.addAll(onlineOptions.arguments());
    int enabled = asof(out, repository, jdbcUrl, enable.toArray(String[]::new));
    if (enabled != 0) {
      throw new IllegalStateException("user_profile did not go online; see the messages above");
    }
    serveOnce(out, repository, jdbcUrl);
    out.println();
    out.println(
        "== 8/8 Push: a burst of live reaction counters pushed to article_live, served online at once, committed to Iceberg");
    Optional<PushConfig> push =
        pushOptions.config(stackOptions, trinoOptions.externalUrl() == null);
    if (push.isEmpty()) {
      out.println(
          "   (skipped: pushes are committed through a directory Trino reads; with your own Trino, give --push-staging-dir and --push-staging-uri)");
    } else {
      List<String> enableLive =
          new java.util.ArrayList<>(List.of("online", "enable", "article_live"));
      enableLive.addAll(onlineOptions.arguments());
      if (asof(out, repository, jdbcUrl, enableLive.toArray(String[]::new)) != 0) {
        throw new IllegalStateException("article_live did not go online; see the messages above");
      }
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
            new TrainingSetService(engine, registry, repository.repo, trinoOptions.catalog()),
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
   * Starts a server with push ingestion on a free port, pushes a burst of reaction counters for
   * twenty articles, asks for three of them online until they are there, then waits for the
   * micro-batch commit and shows the rows in the view's Iceberg table.
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
    Map<Long, Long> reads = new java.util.TreeMap<>();
    for (int i = 0; i < 500; i++) {
      long article = 1L + i % 20;
      long read = reads.merge(article, 1 + random.nextLong(5), Long::sum);
      rows.add(
          Map.of(
              "article_id",
              article,
              "updated_at",
              now.plus(i, ChronoUnit.MILLIS),
              "reads_5m",
              read,
              "likes_5m",
              read / 4,
              "shares_5m",
              read / 10));
    }
    String request =
        """
        {"entities": [{"article_id": 1}, {"article_id": 2}, {"article_id": 3}],
         "features": ["article_live:reads_5m", "article_live:likes_5m"]}""";
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
                Optional.of(new AsofServer.Push(config, engine, trinoOptions.catalog())))) {
      String table = trinoOptions.catalog() + ".features.article_live";
      long before =
          ((Number)
                  engine
                      .query(
                          "SELECT count(*) FROM %s WHERE updated_at >= TIMESTAMP '%s'"
                              .formatted(table, now.toString().replace('T', ' ')))
                      .onlyValue())
              .longValue();
      out.println();
      out.printf(
          "-- 500 rows (20 articles' counters, newest last) as NDJSON to POST %s/v1/push/article_live%n",
          server.uri());
      long pushed = System.nanoTime();
      AsofPushClient.Pushed ack =
          AsofPushClient.builder(server.uri()).build().push("article_live", rows);
      out.printf(
          "   HTTP 200 after %d ms: %,d rows durable in the push log (sequence %d)%n",
          Duration.ofNanos(System.nanoTime() - pushed).toMillis(), ack.rows(), ack.sequence());
      HttpClient http = HttpClient.newHttpClient();
      String body = "";
      boolean present = false;
      while (!present && System.nanoTime() - pushed < Duration.ofSeconds(10).toNanos()) {
        body =
            http.send(
                    HttpRequest.newBuilder(URI.create(server.uri() + "/v1/online-features"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        present =
            !body.contains("NOT_FOUND") && body.contains("\"values\":[" + reads.get(1L) + ",");
        if (!present) {
          Thread.sleep(20);
        }
      }
      out.printf(
          "-- curl -s %s/v1/online-features -H 'Content-Type: application/json' -d '%s'%n",
          server.uri(), request.replace("\n", " "));
      out.printf(
          "   %s %d ms after the push: %s%n",
          present ? "served" : "NOT served within 10 s",
          Duration.ofNanos(System.nanoTime() - pushed).toMillis(),
          body);
      long committed = before;
      while (committed < before + rows.size()
          && System.nanoTime() - pushed < Duration.ofSeconds(60).toNanos()) {
        Thread.sleep(250);
        committed =
            ((Number)
                    engine
                        .query(
                            "SELECT count(*) FROM %s WHERE updated_at >= TIMESTAMP '%s'"
                                .formatted(table, now.toString().replace('T', ' ')))
                        .onlyValue())
                .longValue();
      }
      out.printf(
          "-- %s: %,d of the rows there %.1f s after the push (micro-batches commit every %d s here, 10 s by default)%n",
          table, committed - before, (System.nanoTime() - pushed) / 1e9, interval.toSeconds());
      TablePrinter.print(
          engine.query(
              "SELECT article_id, max(updated_at) AS updated_at, max_by(reads_5m, updated_at) AS reads_5m, count(*) AS rows_pushed FROM %s WHERE updated_at >= TIMESTAMP '%s' AND article_id <= 3 GROUP BY 1 ORDER BY 1"
                  .formatted(table, now.toString().replace('T', ' '))),
          out,
          "   ");
      if (!present || committed < before + rows.size()) {
        throw new IllegalStateException(
            "the pushed rows were not served online and committed in time; see above");
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
