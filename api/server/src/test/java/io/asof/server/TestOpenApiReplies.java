package io.asof.server;

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
import io.asof.jobs.BackfillListener;
import io.asof.jobs.BackfillService;
import io.asof.jobs.DriftService;
import io.asof.jobs.OnlineService;
import io.asof.jobs.Repositories;
import io.asof.jobs.TrainingSetService;
import io.asof.local.StackEndpoints;
import io.asof.online.CachingOnlineStore;
import io.asof.online.InMemoryOnlineStore;
import io.asof.push.PushConfig;
import io.asof.registry.BackfillJob;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document checked against real traffic: a server with every part on (training sets,
 * online features from the in-memory store, push ingestion, the catalog) over the news example on a
 * real Trino, each main route called with a request the document allows and its reply (status,
 * media type, JSON body) validated against the document's schema for that status; error replies
 * too. A mismatch names the route, the schema keyword and the body.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestOpenApiReplies {
  private static final Path REPO = Path.of("../../sql-features/examples/news");
  private static final String JSON = "application/json";
  private static final String SPINE_ROWS =
      """
      [{"user_id": 1, "article_id": 3, "shown_at": "2026-03-10T00:00:00", "label": true},
       {"user_id": 2, "article_id": 4, "shown_at": "2026-03-12 06:00:00", "label": false}]""";

  private final OpenApiDocument document = OpenApiDocument.served();
  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> problems = new ArrayList<>();
  private QueryEngine engine;
  private RegistryStore registry;
  private CachingOnlineStore served;
  private boolean pushOn;
  private AsofServer server;

  @BeforeAll
  void start(TestStack stack, @TempDir Path state) {
    StackEndpoints endpoints = stack.endpoints();
    String catalog = endpoints.catalog();
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(
                endpoints.trinoJdbcUrl() + "/" + catalog, endpoints.trinoUser()));
    new NewsWarehouse(NewsWarehouseSpec.defaults(), catalog, "dwh").load(engine, step -> {});
    engine.execute("DROP TABLE IF EXISTS features.article_live__v1");
    engine.execute("DROP TABLE IF EXISTS features.article_daily_ctr__v1");
    registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
    Repositories.apply(engine, registry, REPO, catalog);
    // two chunks of the materialized view: the catalog has freshness and statistics to show
    BackfillService backfills =
        new BackfillService(engine, new TrinoDialect(), registry, REPO, catalog);
    BackfillJob job =
        backfills.start(
            "article_daily_ctr",
            Instant.parse("2026-03-01T00:00:00Z"),
            Instant.parse("2026-03-15T00:00:00Z"),
            Duration.ofDays(7));
    assertThat(backfills.run(job, 1, BackfillListener.NONE).status())
        .isEqualTo(BackfillJob.Status.SUCCEEDED);
    InMemoryOnlineStore store = new InMemoryOnlineStore();
    new OnlineService(engine, new TrinoDialect(), registry, REPO, catalog, store, Clock.systemUTC())
        .enable(
            "user_profile",
            OnlineGroup.Mode.DYNAMODB,
            Duration.ofSeconds(30),
            OnlineService.LoadListener.NONE);
    served = new CachingOnlineStore(store, Clock.systemUTC());
    // push commits need a directory both this JVM and Trino read: a stack of local processes
    Optional<Path> warehouse = stack.localWarehouse();
    pushOn = warehouse.isPresent();
    Optional<AsofServer.Push> push =
        warehouse.map(
            dir ->
                new AsofServer.Push(
                    PushConfig.defaults(
                            state.resolve("push-log"),
                            dir.resolve("openapi_push_staging"),
                            URI.create("local:///openapi_push_staging"))
                        .withCommits(Duration.ofHours(1), 1_000),
                    engine,
                    catalog,
                    new TrinoDialect()));
    server =
        new AsofServer(
                new TrainingSetService(engine, new TrinoDialect(), registry, REPO, catalog),
                REPO,
                Optional.of(new AsofServer.Online(registry, served)),
                push,
                Optional.of(new AsofServer.Catalog(registry, new DriftService(engine, registry))),
                Optional.empty(),
                "127.0.0.1",
                0,
                Clock.systemUTC())
            .start();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {server, served, registry, engine}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  /** Every mismatch of a test's exchanges, all at once. */
  @AfterEach
  void everyExchangeIsWhatTheDocumentSays() {
    List<String> found = List.copyOf(problems);
    problems.clear();
    assertThat(found).as("replies and requests the OpenAPI document does not describe").isEmpty();
  }

  @Test
  void healthReadinessMetricsAndTheDocumentItself() throws Exception {
    assertThat(get("/v1/health").status).isEqualTo(200);
    Reply ready = get("/v1/ready");
    assertThat(ready.status).as(ready.body).isEqualTo(200);
    assertThat(ready.json().get("online_views").asInt()).isEqualTo(1);
    assertThat(get("/metrics").status).isEqualTo(200);
    Reply openApi = get("/v1/openapi.yaml");
    assertThat(openApi.status).isEqualTo(200);
    assertThat(openApi.body).isEqualTo(document.text());
  }

  @Test
  void trainingSetQueries() throws Exception {
    Reply rows =
        exchange(
            "POST",
            "/v1/training-sets/query",
            JSON,
            """
            {"spine_rows": %s, "timestamp": "shown_at", "label": "label", "event_times": true,
             "features": ["user_engagement:reads_7d", "user_profile:*", "article_daily_ctr:ctr_7d"],
             "limit": 1}"""
                .formatted(SPINE_ROWS));
    assertThat(rows.status).as(rows.body).isEqualTo(200);
    assertThat(rows.json().get("truncated").asBoolean()).isTrue();
    // a feature service alone, no features
    Reply service =
        exchange(
            "POST",
            "/v1/training-sets/query",
            JSON,
            """
            {"spine_rows": [{"user_id": 1, "article_id": 3, "category": "sports", "shown_at": "2026-03-10"}],
             "timestamp": "shown_at", "feature_service": "click_ranking"}""");
    assertThat(service.status).as(service.body).isEqualTo(200);

    // errors: compile problems, an unknown view, malformed JSON, a refused spine
    Reply compile =
        exchange(
            "POST",
            "/v1/training-sets/query",
            JSON,
            """
            {"spine_sql": "SELECT user_id, shown_at\\nFROM dwh.no_such_table",
             "timestamp": "shown_at", "features": ["user_engagement:reads_30d"]}""");
    assertThat(compile.status).as(compile.body).isEqualTo(400);
    Reply unknownView =
        exchange(
            "POST",
            "/v1/training-sets/query",
            JSON,
            """
            {"spine_rows": %s, "timestamp": "shown_at", "features": ["user_engagment:*"]}"""
                .formatted(SPINE_ROWS));
    assertThat(unknownView.status).as(unknownView.body).isEqualTo(400);
    Reply malformed =
        reply("POST", "/v1/training-sets/query", JSON, "{\"timestamp\": \"shown_at\",");
    assertThat(malformed.status).as(malformed.body).isEqualTo(400);
    Reply refused =
        exchange(
            "POST",
            "/v1/training-sets/query",
            JSON,
            """
            {"spine_sql": "SELECT custkey AS user_id, now() AS t FROM tpch.tiny.customer",
             "timestamp": "t", "features": ["user_engagement:reads_7d"]}""");
    assertThat(refused.status).as(refused.body).isEqualTo(403);
    Reply notJson = reply("POST", "/v1/training-sets/query", "text/plain", "{}");
    assertThat(notJson.status).as(notJson.body).isEqualTo(415);
  }

  @Test
  void trainingSetBuildsAndDrift() throws Exception {
    Reply built =
        exchange(
            "POST",
            "/v1/training-sets/openapi_adhoc/builds",
            JSON,
            """
            {"spine_rows": %s, "timestamp": "shown_at",
             "features": ["user_engagement:reads_7d", "article_daily_ctr:ctr_1d"]}"""
                .formatted(SPINE_ROWS));
    assertThat(built.status).as(built.body).isEqualTo(201);
    Reply builds = exchange("GET", "/v1/training-sets/openapi_adhoc/builds", "", "");
    assertThat(builds.status).as(builds.body).isEqualTo(200);
    assertThat(builds.json().get("builds")).hasSize(1);
    Reply never = exchange("GET", "/v1/training-sets/click_model/builds", "", "");
    assertThat(never.status).as(never.body).isEqualTo(200);
    Reply unknown = exchange("GET", "/v1/training-sets/never_built/builds", "", "");
    assertThat(unknown.status).as(unknown.body).isEqualTo(404);
    Reply replaces =
        exchange(
            "POST",
            "/v1/training-sets/click_model/builds",
            JSON,
            """
            {"spine_rows": %s, "timestamp": "shown_at", "features": ["user_engagement:reads_7d"]}"""
                .formatted(SPINE_ROWS));
    assertThat(replaces.status).as(replaces.body).isEqualTo(409);
    Reply badName = reply("GET", "/v1/training-sets/Click-Model/builds", "", "");
    assertThat(badName.status).as(badName.body).isEqualTo(400);

    Reply drift = exchange("GET", "/v1/training-sets/openapi_adhoc/drift", "", "");
    assertThat(drift.status).as(drift.body).isEqualTo(200);
    assertThat(drift.json().get("features")).hasSize(2);
    Reply oneFeature =
        exchange(
            "GET",
            "/v1/training-sets/openapi_adhoc/drift?feature=article_daily_ctr:ctr_1d",
            "",
            "");
    assertThat(oneFeature.status).as(oneFeature.body).isEqualTo(200);
    assertThat(oneFeature.json().get("features").get(0).get("window").get("source").asText())
        .isEqualTo("backfill");
    Reply neverBuilt = exchange("GET", "/v1/training-sets/click_model/drift", "", "");
    assertThat(neverBuilt.status).as(neverBuilt.body).isEqualTo(404);
  }

  @Test
  void onlineFeatures() throws Exception {
    Reply values =
        exchange(
            "POST",
            "/v1/online-features",
            JSON,
            """
            {"entities": [{"user_id": 1}, {"user_id": 99999999}, {"user_id": null}],
             "features": ["user_profile:*"]}""");
    assertThat(values.status).as(values.body).isEqualTo(200);
    assertThat(values.json().get("results").get(0).get("statuses").get(0).asText())
        .isEqualTo("PRESENT");
    assertThat(values.json().get("results").get(1).get("statuses").get(0).asText())
        .isEqualTo("NOT_FOUND");

    Reply unknownFeature =
        exchange(
            "POST",
            "/v1/online-features",
            JSON,
            """
            {"entities": [{"user_id": 1}], "features": ["user_profile:contry"]}""");
    assertThat(unknownFeature.status).as(unknownFeature.body).isEqualTo(400);
    Reply notOnline =
        exchange(
            "POST",
            "/v1/online-features",
            JSON,
            """
            {"entities": [{"article_id": 1}], "features": ["article_profile:*"]}""");
    assertThat(notOnline.status).as(notOnline.body).isEqualTo(400);
    Reply wrongKey =
        exchange(
            "POST",
            "/v1/online-features",
            JSON,
            """
            {"entities": [{"user_id": "one"}], "features": ["user_profile:country"]}""");
    assertThat(wrongKey.status).as(wrongKey.body).isEqualTo(400);
    Reply noEntities = reply("POST", "/v1/online-features", JSON, "{\"entities\": []}");
    assertThat(noEntities.status).as(noEntities.body).isEqualTo(400);
  }

  @Test
  void pushes() throws Exception {
    assumeTrue(pushOn, "push ingestion needs a stack of local processes");
    String row =
        """
        {"article_id": 7, "updated_at": "%s", "reads_5m": 3}"""
            .formatted(Instant.now().truncatedTo(ChronoUnit.MICROS));
    Reply ndjson = exchange("POST", "/v1/push/article_live", "application/x-ndjson", row + "\n");
    assertThat(ndjson.status).as(ndjson.body).isEqualTo(200);
    Reply array = exchange("POST", "/v1/push/article_live", JSON, "[" + row + "]");
    assertThat(array.status).as(array.body).isEqualTo(200);
    Reply dryRun = exchange("POST", "/v1/push/article_live?dry_run=true", JSON, "[" + row + "]");
    assertThat(dryRun.status).as(dryRun.body).isEqualTo(200);
    assertThat(dryRun.json().get("sequence").asLong()).isZero();

    Reply badRow =
        exchange(
            "POST",
            "/v1/push/article_live",
            JSON,
            """
            [{"article_id": "x", "updated_at": "2026-12-04T10:15:30"}, {"reads_5m": 1}]""");
    assertThat(badRow.status).as(badRow.body).isEqualTo(400);
    assertThat(badRow.json().get("total_problems").asInt()).isGreaterThan(1);
    Reply notPush = exchange("POST", "/v1/push/article_profile", JSON, "[" + row + "]");
    assertThat(notPush.status).as(notPush.body).isEqualTo(400);
    Reply unknown = exchange("POST", "/v1/push/article_lve", JSON, "[" + row + "]");
    assertThat(unknown.status).as(unknown.body).isEqualTo(404);
    Reply notJson = reply("POST", "/v1/push/article_live", JSON, "[{\"article_id\": 1,");
    assertThat(notJson.status).as(notJson.body).isEqualTo(400);
  }

  @Test
  void theCatalog() throws Exception {
    Reply all = exchange("GET", "/v1/catalog/views?q=", "", "");
    assertThat(all.status).as(all.body).isEqualTo(200);
    assertThat(all.json().get("views")).hasSize(10);
    Reply online = exchange("GET", "/v1/catalog/views?q=online", "", "");
    assertThat(online.status).as(online.body).isEqualTo(200);
    // one view of each kind: materialized (backfilled), virtual, aggregation, push, online
    for (String view :
        List.of(
            "article_daily_ctr",
            "article_profile",
            "user_engagement",
            "article_live",
            "user_profile")) {
      Reply one = exchange("GET", "/v1/catalog/views/" + view, "", "");
      assertThat(one.status).as(one.body).isEqualTo(200);
    }
    Reply statistics = exchange("GET", "/v1/catalog/views/article_daily_ctr/statistics", "", "");
    assertThat(statistics.status).as(statistics.body).isEqualTo(200);
    assertThat(statistics.json().get("features").get(0).get("chunks")).hasSize(2);
    Reply ofVersion =
        exchange(
            "GET",
            "/v1/catalog/views/article_daily_ctr/statistics?feature=ctr_1d&version=1",
            "",
            "");
    assertThat(ofVersion.status).as(ofVersion.body).isEqualTo(200);
    Reply none = exchange("GET", "/v1/catalog/views/article_profile/statistics", "", "");
    assertThat(none.status).as(none.body).isEqualTo(200);
    Reply sets = exchange("GET", "/v1/catalog/training-sets", "", "");
    assertThat(sets.status).as(sets.body).isEqualTo(200);
    Reply set = exchange("GET", "/v1/catalog/training-sets/click_model", "", "");
    assertThat(set.status).as(set.body).isEqualTo(200);

    Reply unknownView = exchange("GET", "/v1/catalog/views/user_engagment", "", "");
    assertThat(unknownView.status).as(unknownView.body).isEqualTo(404);
    Reply unknownSet = exchange("GET", "/v1/catalog/training-sets/click_modle", "", "");
    assertThat(unknownSet.status).as(unknownSet.body).isEqualTo(404);
    Reply noEndpoint = reply("GET", "/v1/training-sets", "", "");
    assertThat(noEndpoint.status).as(noEndpoint.body).isEqualTo(404);
  }

  /** A request the document allows, and its reply checked. */
  private Reply exchange(String method, String target, String contentType, String body)
      throws IOException, InterruptedException {
    problems.addAll(document.requestProblems(method, target, contentType, body));
    return reply(method, target, contentType, body);
  }

  /** A request (the document may not allow it: a malformed body), and its reply checked. */
  private Reply reply(String method, String target, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri() + target));
    if (method.equals("POST")) {
      request.POST(HttpRequest.BodyPublishers.ofString(body));
      if (!contentType.isEmpty()) {
        request.header("Content-Type", contentType);
      }
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    problems.addAll(document.replyProblems(response));
    return new Reply(response.statusCode(), response.body(), mapper);
  }

  private Reply get(String target) throws IOException, InterruptedException {
    return exchange("GET", target, "", "");
  }

  private record Reply(int status, String body, ObjectMapper mapper) {
    JsonNode json() throws IOException {
      return mapper.readTree(body);
    }
  }
}
