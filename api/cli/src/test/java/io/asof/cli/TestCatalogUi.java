package io.asof.cli;

import static io.asof.cli.CliRun.concat;
import static io.asof.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.jobs.DriftService;
import io.asof.jobs.TrainingSetService;
import io.asof.local.StackEndpoints;
import io.asof.registry.PerCallRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.server.AsofServer;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.TestFiles;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature catalog over the news repository applied to the demo warehouse, with
 * article_daily_ctr backfilled (three 30-day chunks), and click_model and a training set over the
 * backfilled view built: its JSON API, {@code asof drift}, and the web UI in a real browser
 * (Debian's Chromium driven by playwright-core), all against one server.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestCatalogUi {
  private static final Path NEWS = Path.of("../../sql-features/examples/news");

  /** A training set over the backfilled view, whose features drift compares. */
  private static final String DAILY_CTR_MODEL =
      """
      -- training_set: daily_ctr_model
      -- timestamp: shown_at
      -- features: article_daily_ctr:*, user_engagement:reads_7d, user_profile:is_premium
      SELECT impression_id, user_id, article_id, shown_at FROM dwh.impressions
      """;

  private static final Path BROWSER_TESTS = Path.of("src/test/browser");
  private static final Path CHROMIUM =
      Path.of(Optional.ofNullable(System.getenv("ASOF_CHROMIUM")).orElse("/usr/bin/chromium"));

  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private String[] common;
  private QueryEngine engine;
  private RegistryStore registry;
  private AsofServer server;

  @BeforeAll
  void start(StackEndpoints stack, @TempDir Path state) throws IOException {
    String catalog = stack.catalog();
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/" + catalog, stack.trinoUser()));
    new NewsWarehouse(NewsWarehouseSpec.defaults(), catalog, "dwh").load(engine, step -> {});
    engine.execute("DROP TABLE IF EXISTS %s.features.article_daily_ctr__v1".formatted(catalog));
    Path repo = state.resolve("news");
    TestFiles.copyTree(NEWS, repo);
    Files.writeString(repo.resolve("training_sets/daily_ctr_model.sql"), DAILY_CTR_MODEL);
    common =
        new String[] {
          "--repo",
          repo.toString(),
          "--trino-url",
          stack.trinoJdbcUrl(),
          "--state-dir",
          state.toString()
        };
    for (String[] step :
        List.of(
            new String[] {"apply", "--dynamodb-endpoint", stack.dynamoDbEndpoint().toString()},
            new String[] {
              "backfill",
              "article_daily_ctr",
              "--from",
              "2026-01-01",
              "--to",
              "2026-04-01",
              "--chunk",
              "30d"
            },
            new String[] {"training-set", "build", "click_model"},
            new String[] {"training-set", "build", "daily_ctr_model"})) {
      CliRun done = run(concat(step, common));
      assertThat(done.exit()).as(done.err()).isZero();
    }
    registry = new PerCallRegistryStore(RegistryConfig.embedded(state));
    server =
        new AsofServer(
                new TrainingSetService(engine, new TrinoDialect(), registry, repo, catalog),
                repo,
                Optional.empty(),
                Optional.empty(),
                Optional.of(new AsofServer.Catalog(registry, new DriftService(engine, registry))),
                Optional.empty(),
                "127.0.0.1",
                0,
                Clock.systemUTC())
            .start();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void searchFindsViewsByEveryWord() throws Exception {
    assertThat(names(get("/v1/catalog/views?q=").json().get("views"))).hasSize(10);
    assertThat(names(get("/v1/catalog/views?q=time%20spent").json().get("views")))
        .containsExactly("user_engagement");
    assertThat(names(get("/v1/catalog/views?q=recsys%20hour").json().get("views")))
        .containsExactly("article_popularity");
    // the views apply switched online, as their files say
    assertThat(names(get("/v1/catalog/views?q=online").json().get("views")))
        .containsExactly("article_trending", "user_profile");
    JsonNode engagement = get("/v1/catalog/views?q=engagement").json().get("views").get(0);
    assertThat(engagement.get("tags").toString()).isEqualTo("[\"engagement\",\"reads\",\"user\"]");
    assertThat(engagement.get("materialization").asText()).isEqualTo("virtual");
    assertThat(engagement.get("features").toString())
        .isEqualTo(
            "[\"reads_7d\",\"reads_30d\",\"dwell_seconds_7d\",\"dwell_seconds_30d\",\"likes_7d\",\"likes_30d\"]");
  }

  @Test
  void aViewHasItsSqlLineageFreshnessVersionsAndUsers() throws Exception {
    JsonNode view = get("/v1/catalog/views/article_daily_ctr").json();
    assertThat(view.get("sql").asText()).contains("FROM dwh.impressions");
    assertThat(view.get("lineage").get("tables").get(0).get("table").asText())
        .isEqualTo("iceberg.dwh.impressions");
    assertThat(view.get("lineage").get("edges").toString())
        .contains("{\"from\":\"iceberg.dwh.impressions.clicked\",\"to\":\"ctr_1d\"}");
    assertThat(view.get("columns").get(0).get("role").asText()).isEqualTo("key");
    assertThat(view.get("freshness").get("watermark").asText()).isEqualTo("2026-04-01T00:00:00Z");
    assertThat(view.get("freshness").get("committed_chunks").asInt()).isEqualTo(3);
    assertThat(view.get("online_status").isNull()).isTrue();
    assertThat(view.get("versions").get(0).get("current").asBoolean()).isTrue();
    assertThat(names(view.get("training_sets"))).containsExactly("daily_ctr_model");
    assertThat(view.get("training_sets").get(0).get("last_build").get("rows").asLong())
        .isEqualTo(100_000);
    JsonNode engagement = get("/v1/catalog/views/user_engagement").json();
    assertThat(names(engagement.get("training_sets")))
        .containsExactly("click_model", "daily_ctr_model");
    assertThat(names(engagement.get("feature_services"))).containsExactly("click_ranking");

    JsonNode virtual = get("/v1/catalog/views/article_profile").json();
    assertThat(virtual.get("freshness").isNull()).isTrue();

    Reply unknown = get("/v1/catalog/views/user_engagment");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText())
        .startsWith("no view user_engagment (did you mean user_engagement?): it is not applied");
  }

  @Test
  void statisticsArePerChunkWithAHistogramOfTheLatest() throws Exception {
    JsonNode statistics =
        get("/v1/catalog/views/article_daily_ctr/statistics?feature=ctr_1d").json();
    JsonNode ctr = statistics.get("features").get(0);
    assertThat(ctr.get("chunks")).hasSize(3);
    assertThat(ctr.get("latest").get("to").asText()).isEqualTo("2026-04-01T00:00:00Z");
    double shares = 0;
    for (JsonNode bin : ctr.get("histogram")) {
      shares += bin.get("share").asDouble();
    }
    assertThat(ctr.get("histogram")).hasSizeGreaterThan(1);
    assertThat(shares).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));

    Reply typo = get("/v1/catalog/views/article_daily_ctr/statistics?feature=ctr_1");
    assertThat(typo.status()).isEqualTo(404);
    assertThat(typo.json().get("error").asText())
        .isEqualTo(
            "view article_daily_ctr has no feature ctr_1 (did you mean ctr_1d?): its features are impressions_1d, ctr_1d, ctr_7d");
    assertThat(get("/v1/catalog/views/article_profile/statistics").json().get("note").asText())
        .contains("virtual");
  }

  @Test
  void trainingSetsListTheirSnapshots() throws Exception {
    JsonNode set = get("/v1/catalog/training-sets/click_model").json();
    assertThat(set.get("in_repository").asBoolean()).isTrue();
    assertThat(set.get("builds")).hasSize(1);
    assertThat(set.get("builds").get(0).get("rows").asLong()).isEqualTo(100_000);
    assertThat(names(get("/v1/catalog/training-sets").json().get("training_sets")))
        .containsExactly("click_model", "daily_ctr_model");
    Reply unknown = get("/v1/catalog/training-sets/click_modle");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("error").asText())
        .isEqualTo(
            "no training set click_modle (did you mean click_model?): it is not in the repository and was never built");
  }

  @Test
  void driftComparesTheBuildWithTheLatestWindow() throws Exception {
    JsonNode report = get("/v1/training-sets/daily_ctr_model/drift").json();
    assertThat(report.get("thresholds").get("stable_below").asDouble()).isEqualTo(0.1);
    List<String> compared = new ArrayList<>();
    for (JsonNode feature : report.get("features")) {
      if (feature.get("view").asText().equals("article_daily_ctr")) {
        compared.add(feature.get("feature").asText());
        assertThat(feature.get("psi").isNumber()).as(feature.toString()).isTrue();
        // the level the reply's own thresholds give its PSI (TestAggregationViewDrift makes data
        // drift and asserts the level it must have)
        double psi = feature.get("psi").asDouble();
        JsonNode thresholds = report.get("thresholds");
        String level =
            psi < thresholds.get("stable_below").asDouble()
                ? "stable"
                : psi <= thresholds.get("significant_above").asDouble()
                    ? "moderate"
                    : "significant";
        assertThat(feature.get("level").asText()).as(feature.toString()).isEqualTo(level);
        assertThat(feature.get("kind").asText()).isEqualTo("numeric");
        assertThat(feature.get("window").get("source").asText()).isEqualTo("backfill");
        assertThat(feature.get("window").get("to").asText()).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(feature.get("bins").size()).isGreaterThan(1);
        assertThat(feature.get("window_rows").asLong()).isPositive();
        assertThat(feature.get("training_rows").asLong()).isEqualTo(100_000);
      }
      if (feature.get("view").asText().equals("user_profile")) {
        assertThat(feature.get("level").asText()).isEqualTo("unavailable");
        assertThat(feature.get("reason").asText())
            .startsWith("view user_profile is virtual: only a backfilled view has a window");
      }
      if (feature.get("view").asText().equals("user_engagement")) {
        // an aggregation view: its feature evaluated at its reads of the 30 days up to the last
        compared.add(feature.get("feature").asText());
        assertThat(feature.get("psi").isNumber()).as(feature.toString()).isTrue();
        JsonNode window = feature.get("window");
        assertThat(window.get("source").asText()).isEqualTo("evaluated");
        assertThat(window.get("job_id").isNull()).isTrue();
        Instant to = Instant.parse(window.get("to").asText());
        assertThat(to)
            .isBetween(
                Instant.parse("2026-03-25T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(Instant.parse(window.get("from").asText()))
            .isEqualTo(to.minus(Duration.ofDays(30)));
        assertThat(feature.get("bins").size()).isGreaterThan(1);
        assertThat(feature.get("window_rows").asLong()).isPositive();
      }
    }
    assertThat(compared)
        .containsExactly(
            "article_daily_ctr:impressions_1d",
            "article_daily_ctr:ctr_1d",
            "article_daily_ctr:ctr_7d",
            "user_engagement:reads_7d");

    // click_model reads aggregation views of one and two keys, with late events held back: each
    // of their features is compared with its evaluated reference; the virtual views' are not
    Reply clickDrift = get("/v1/training-sets/click_model/drift");
    assertThat(clickDrift.status()).as(clickDrift.body()).isEqualTo(200);
    JsonNode click = clickDrift.json();
    List<String> evaluated = new ArrayList<>();
    List<String> ambiguous = new ArrayList<>();
    for (JsonNode feature : click.get("features")) {
      String view = feature.get("view").asText();
      if (view.equals("user_profile") || view.equals("article_profile")) {
        assertThat(feature.get("level").asText()).isEqualTo("unavailable");
        continue;
      }
      if (feature.get("column").asText().equals("dwell_seconds_30d")) {
        // user_engagement's, taken unprefixed; user_category_affinity has one of that name too
        ambiguous.add(feature.get("feature").asText());
        assertThat(feature.get("reason").asText())
            .isEqualTo(
                "the training set's column dwell_seconds_30d holds feature dwell_seconds_30d of one of views user_engagement, user_category_affinity, and the build does not record which: it is not compared");
        continue;
      }
      assertThat(feature.get("psi").isNumber()).as(feature.toString()).isTrue();
      assertThat(feature.get("window").get("source").asText()).isEqualTo("evaluated");
      evaluated.add(view);
    }
    assertThat(evaluated)
        .contains("user_engagement", "article_popularity", "article_ctr", "user_category_affinity");
    assertThat(ambiguous)
        .containsExactly(
            "user_engagement:dwell_seconds_30d", "user_category_affinity:dwell_seconds_30d");

    JsonNode one = get("/v1/training-sets/daily_ctr_model/drift?feature=ctr_7d").json();
    assertThat(one.get("features")).hasSize(1);
    Reply unknownFeature = get("/v1/training-sets/daily_ctr_model/drift?feature=ctr_7dd");
    assertThat(unknownFeature.status()).isEqualTo(404);
    assertThat(unknownFeature.json().get("error").asText())
        .startsWith("training set daily_ctr_model has no feature ctr_7dd (did you mean ctr_7d?)");
    Reply never = get("/v1/training-sets/click_modle/drift");
    assertThat(never.status()).isEqualTo(404);
    assertThat(never.json().get("error").asText())
        .isEqualTo(
            "training set click_modle was never built (did you mean click_model?): build it (./asof training-set build click_modle), then compare it with its views' latest backfilled windows");
  }

  @Test
  void driftFromTheCommandLine() throws Exception {
    CliRun table = run(concat(new String[] {"drift", "daily_ctr_model"}, common));
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out())
        .startsWith("Drift of daily_ctr_model (iceberg.training.daily_ctr_model, snapshot ")
        .containsPattern(
            "article_daily_ctr:ctr_1d +numeric +\\d+\\.\\d{4} +(stable|moderate|significant) +2026-03-02T00:00:00Z to 2026-04-01T00:00:00Z \\(backfill ")
        .containsPattern(
            "user_engagement:reads_7d +numeric +\\d+\\.\\d{4} +(stable|moderate|significant) +2026-0[23]-\\d\\dT\\S+Z to 2026-0[34]-\\d\\dT\\S+Z \\(evaluated from its events\\)")
        .contains("user_profile:is_premium")
        .contains("PSI below 0.10 is stable, 0.10 to 0.25 moderate, above 0.25 significant");

    CliRun json =
        run(
            concat(
                new String[] {
                  "drift", "daily_ctr_model", "--feature", "article_daily_ctr:ctr_7d", "--json"
                },
                common));
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode report = mapper.readTree(json.out());
    assertThat(report.get("features")).hasSize(1);
    assertThat(report.get("features").get(0).get("feature").asText())
        .isEqualTo("article_daily_ctr:ctr_7d");
    assertThat(report.get("features").get(0).get("psi").isNumber()).isTrue();

    CliRun unknown = run(concat(new String[] {"drift", "click_modle"}, common));
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err())
        .startsWith("asof: training set click_modle was never built (did you mean click_model?)");
  }

  @Test
  void theUiIsServedFromTheJar() throws Exception {
    Reply root = get("/");
    assertThat(root.status()).isEqualTo(302);
    Reply index = get("/ui/");
    assertThat(get("/ui").body()).isEqualTo(index.body());
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.body()).contains("<script type=\"module\" src=\"/ui/app.js\">");
    assertThat(get("/ui/charts.js").body()).contains("export function lineageGraph");
    Reply missing = get("/ui/secret.txt");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(get("/v1/openapi.yaml").body())
        .contains(
            "  /v1/catalog/views:",
            "  /v1/catalog/views/{name}:",
            "  /v1/catalog/views/{name}/statistics:",
            "  /v1/catalog/training-sets:",
            "  /v1/catalog/training-sets/{name}:",
            "  /v1/training-sets/{name}/drift:");
  }

  /**
   * The UI in Chromium: search finds a feature, its page shows the SQL and the lineage graph, the
   * training set's page draws the drift charts. Screenshots land in target/ui-screenshots.
   */
  @Test
  void theUiInARealBrowser() throws Exception {
    Optional<Path> node = onPath("node");
    assumeTrue(
        node.isPresent(),
        "no node on the PATH: install Node.js 18+ (apt-get install nodejs) to run the browser tests");
    assumeTrue(
        Files.isDirectory(BROWSER_TESTS.resolve("node_modules/playwright-core")),
        "playwright-core is not installed: run npm ci in api/cli/src/test/browser (.ci/run does)");
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "no Chromium at " + CHROMIUM + ": apt-get install chromium, or set ASOF_CHROMIUM");
    Path shots = Path.of("target/ui-screenshots").toAbsolutePath();
    Files.createDirectories(shots);
    Process process =
        new ProcessBuilder(
                node.get().toString(),
                "catalog.spec.mjs",
                server.uri().toString(),
                shots.toString(),
                CHROMIUM.toString())
            .directory(BROWSER_TESTS.toFile())
            .redirectErrorStream(true)
            .start();
    String output;
    boolean finished;
    try {
      finished = process.waitFor(120, TimeUnit.SECONDS);
    } finally {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(finished).as("the browser test took over 120 s:\n" + output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("ok - the view page shows its SQL", "ok - the drift chart draws a PSI bar")
        .doesNotContain("not ok");
  }

  private static Optional<Path> onPath(String program) {
    for (String dir :
        System.getenv()
            .getOrDefault("PATH", "")
            .split(java.util.regex.Pattern.quote(File.pathSeparator), -1)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(node -> names.add(node.get("name").asText()));
    return names;
  }

  private record Reply(int status, String body, ObjectMapper mapper) {
    JsonNode json() throws IOException {
      return mapper.readTree(body);
    }
  }

  private Reply get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.uri() + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body(), mapper);
  }
}
