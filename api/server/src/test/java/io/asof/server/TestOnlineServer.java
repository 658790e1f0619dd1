package io.asof.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.jobs.OnlineCheck;
import io.asof.jobs.OnlineService;
import io.asof.jobs.OnlineTables;
import io.asof.jobs.Repositories;
import io.asof.jobs.TrainingSetService;
import io.asof.local.StackEndpoints;
import io.asof.online.CachingOnlineStore;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineTable;
import io.asof.online.WriteMode;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.server.ApiTokens.Role;
import io.asof.testing.AsofStackExtension;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online serving end to end on the real stack: the news views switched online into DynamoDB Local
 * by {@link OnlineService}, served by the server over HTTP with auth on, checked against the
 * offline point-in-time values; every bad input; DynamoDB cut away and back; the consistency check
 * finding a planted wrong value.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestOnlineServer {
  private static final Path REPO = Path.of("../../sql-features/examples/news");
  private static final String READER = "reader-token-0123456789";
  private static final String WRITER = "writer-token-0123456789";

  private final ObjectMapper mapper = new ObjectMapper();
  private final OpenApiDocument document = OpenApiDocument.served();
  private final HttpClient http = HttpClient.newHttpClient();
  private QueryEngine engine;
  private RegistryStore registry;
  private String catalog;
  private OnlineStore direct;
  private TcpRelay relay;
  private CachingOnlineStore served;
  private OnlineService online;
  private AsofServer server;

  @BeforeAll
  void start(StackEndpoints stack, @TempDir Path stateDir) throws IOException {
    catalog = stack.catalog();
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/" + catalog, stack.trinoUser()));
    new NewsWarehouse(NewsWarehouseSpec.defaults(), catalog, "dwh").load(engine, step -> {});
    registry = JooqRegistryStore.open(RegistryConfig.embedded(stateDir));
    Repositories.apply(engine, registry, REPO, catalog);
    direct = DynamoDbOnlineStore.connectLocal(stack.dynamoDbEndpoint(), stack.dynamoDbRegion());
    online =
        new OnlineService(
            engine, new TrinoDialect(), registry, REPO, catalog, direct, Clock.systemUTC());
    for (String view : List.of("user_profile", "article_live")) {
      OnlineTable table = OnlineTables.table(registry.view(view).orElseThrow());
      direct.drop(table); // the stack's DynamoDB Local may hold it from an earlier class
    }
    online.enable(
        "user_profile",
        OnlineGroup.Mode.DYNAMODB,
        Duration.ofSeconds(30),
        OnlineService.LoadListener.NONE);
    online.enable(
        "article_profile",
        OnlineGroup.Mode.CACHE,
        Duration.ofSeconds(1),
        OnlineService.LoadListener.NONE);
    // the server reaches DynamoDB through a relay the tests can cut
    relay = new TcpRelay(stack.dynamoDbEndpoint().getPort());
    served =
        new CachingOnlineStore(
            DynamoDbOnlineStore.connectLocal(
                URI.create("http://127.0.0.1:" + relay.port()), stack.dynamoDbRegion()),
            Clock.systemUTC());
    server =
        new AsofServer(
                new TrainingSetService(engine, new TrinoDialect(), registry, REPO, catalog),
                REPO,
                Optional.of(new AsofServer.Online(registry, served)),
                Optional.empty(),
                Optional.of(
                    ApiTokens.of("trainer", Role.READ, READER).and("pipeline", Role.WRITE, WRITER)),
                "127.0.0.1",
                0,
                Clock.systemUTC())
            .start();
  }

  @AfterAll
  void stop() throws IOException {
    for (AutoCloseable closeable : new AutoCloseable[] {server, served, relay, direct, registry}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }

  @Test
  void servesTheOfflineValueAtNowWithAStatusAndEventTimePerValue() throws Exception {
    List<List<Object>> expected =
        engine
            .query(
                "SELECT user_id, country, age_band, is_premium, CAST(signup_at AS varchar) FROM dwh.users WHERE user_id IN (1, 2) ORDER BY user_id")
            .rows();
    Reply reply =
        post(
            "/v1/online-features",
            """
            {"entities": [{"user_id": 1}, {"user_id": 2}, {"user_id": 99999999}, {"user_id": null}],
             "features": ["user_profile:*"]}""",
            READER);
    assertThat(reply.status).as(reply.body).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(texts(json.get("features")))
        .containsExactly(
            "user_profile:country", "user_profile:age_band", "user_profile:is_premium");
    JsonNode results = json.get("results");
    for (int i = 0; i < 2; i++) {
      List<Object> row = expected.get(i);
      JsonNode result = results.get(i);
      assertThat(result.get("values").get(0).asText()).isEqualTo(row.get(1));
      assertThat(result.get("values").get(1).asText()).isEqualTo(row.get(2));
      assertThat(result.get("values").get(2).asBoolean()).isEqualTo(row.get(3));
      assertThat(texts(result.get("statuses"))).containsOnly("PRESENT");
      assertThat(Instant.parse(result.get("event_times").get(0).asText()))
          .isEqualTo(Instant.parse(((String) row.get(4)).replace(' ', 'T') + "Z"));
    }
    assertThat(texts(results.get(2).get("statuses"))).containsOnly("NOT_FOUND");
    assertThat(results.get(2).get("values").get(0).isNull()).isTrue();
    assertThat(texts(results.get(3).get("statuses"))).containsOnly("NOT_FOUND");
    assertThat(json.has("errors")).isFalse();
  }

  @Test
  void aValuePastItsTtlIsExpiredAndAFeatureServiceNamesItsFeatures() throws Exception {
    online.enable(
        "article_live",
        OnlineGroup.Mode.DYNAMODB,
        Duration.ofSeconds(30),
        OnlineService.LoadListener.NONE);
    OnlineTable live = OnlineTables.table(registry.view("article_live").orElseThrow());
    // older than its ttl of a day
    Instant event = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MICROS);
    List<Object> values = new ArrayList<>();
    live.features().forEach(f -> values.add(null));
    direct.write(
        live,
        List.of(
            new OnlineRecord(
                List.of(4242L), event, values, Optional.of(event.plus(Duration.ofDays(1))))),
        WriteMode.CONDITIONAL);
    server.refreshOnline();
    Reply reply =
        post(
            "/v1/online-features",
            """
            {"entities": [{"article_id": 4242}], "features": ["article_live:*"]}""",
            READER);
    assertThat(reply.status).as(reply.body).isEqualTo(200);
    assertThat(texts(reply.json().get("results").get(0).get("statuses"))).containsOnly("EXPIRED");
  }

  @Test
  void badInputIsRefusedWithWhatToDo() throws Exception {
    assertError(
        post(
            "/v1/online-features",
            "{\"entities\": [{\"user_id\": 1}], \"features\": [\"user_profile:countyr\"]}",
            READER),
        400,
        "unknown feature user_profile:countyr",
        "did you mean country");
    assertError(
        post(
            "/v1/online-features",
            "{\"entities\": [{\"user_id\": 1}], \"features\": [\"user_profiles:country\"]}",
            READER),
        400,
        "unknown feature view user_profiles");
    assertError(
        post(
            "/v1/online-features",
            "{\"entities\": [{\"user_id\": 1}], \"features\": [\"user_category_affinity:clicks_30d\"]}",
            READER),
        400,
        "view user_category_affinity is not online",
        "./asof online enable user_category_affinity");
    assertError(
        post(
            "/v1/online-features",
            "{\"entities\": [{\"user_id\": \"one\"}], \"features\": [\"user_profile:country\"]}",
            READER),
        400,
        "entities[0].user_id: expected bigint (a JSON integer), got string \"one\"");
    assertError(
        post(
            "/v1/online-features",
            "{\"entities\": [{\"article_id\": 1}], \"features\": [\"user_profile:country\"]}",
            READER),
        400,
        "entities[0] has no user_id");
    String many =
        IntStream.range(0, 1001)
            .mapToObj(i -> "{\"user_id\": " + i + "}")
            .collect(
                Collectors.joining(
                    ", ", "{\"entities\": [", "], \"features\": [\"user_profile:country\"]}"));
    assertError(
        post("/v1/online-features", many, READER), 413, "1,001 entity rows", "at most 1,000");
    assertError(
        post(
            "/v1/online-features",
            "{\"entities\": [{\"user_id\": 1}, ], \"features\": []}",
            READER),
        400,
        "line 1, column");
    assertError(
        post(
            "/v1/online-features",
            "{\"entities\": [{\"user_id\": 1}], \"feature_service\": \"click_rankin\"}",
            READER),
        400,
        "unknown feature service click_rankin",
        "did you mean click_ranking");
  }

  @Test
  void oneRequestCannotAskForUnboundedWork() throws Exception {
    // ["v:*"] × N: each reference once, so the answer is as wide as the view, not N times
    String stars =
        IntStream.range(0, OnlineFeatureReader.MAX_FEATURE_REFS)
            .mapToObj(i -> "\"user_profile:*\"")
            .collect(Collectors.joining(",", "[", "]"));
    String entities =
        IntStream.range(0, OnlineFeatureReader.MAX_ENTITIES)
            .mapToObj(i -> "{\"user_id\": " + i + "}")
            .collect(Collectors.joining(",", "[", "]"));
    Reply wide =
        post(
            "/v1/online-features",
            "{\"entities\": %s, \"features\": %s}".formatted(entities, stars),
            READER);
    assertThat(wide.status).as(wide.body).isEqualTo(200);
    Reply one =
        post(
            "/v1/online-features",
            "{\"entities\": [{\"user_id\": 1}], \"features\": [\"user_profile:*\", \"user_profile:country\"]}",
            READER);
    assertThat(texts(wide.json().get("features")))
        .isEqualTo(texts(one.json().get("features")))
        .doesNotHaveDuplicates();
    assertThat(wide.json().get("results")).hasSize(OnlineFeatureReader.MAX_ENTITIES);

    String tooMany =
        IntStream.range(0, OnlineFeatureReader.MAX_FEATURE_REFS + 1)
            .mapToObj(i -> "\"user_profile:country\"")
            .collect(Collectors.joining(",", "[", "]"));
    Reply refs =
        post(
            "/v1/online-features",
            "{\"entities\": [{\"user_id\": 1}], \"features\": %s}".formatted(tooMany),
            READER);
    assertError(refs, 413, "features names 1,001 references: a request gives at most 1,000");
    // every 413 names the limit it is over
    assertThat(refs.json().get("limit").asLong()).isEqualTo(OnlineFeatureReader.MAX_FEATURE_REFS);

    // a body over 1 MiB is refused before it is read: by its length, or while it streams in
    String big =
        "{\"entities\": [{\"user_id\": 1}], \"features\": [\"user_profile:country\"], \"feature_service\": \""
            + "x".repeat(1 << 20)
            + "\"}";
    Reply sized = post("/v1/online-features", big, READER);
    assertError(sized, 413, "takes at most 1,048,576");
    assertThat(sized.json().get("limit").asLong()).isEqualTo(1 << 20);
    HttpResponse<String> chunked =
        http.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/v1/online-features"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + READER)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(UTF_8))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
    assertThat(chunked.body()).contains("more than 1,048,576 bytes");
  }

  @Test
  void malformedRequestsSayWhatWasExpectedWhereInTheApisWords() throws Exception {
    Reply wrongShape =
        post(
            "/v1/online-features",
            "{\"entities\": [{\"user_id\": 1}, \"user 2\"],\n \"features\": [\"user_profile:country\"]}",
            READER);
    assertError(
        wrongShape,
        400,
        "the request body is not a valid request: entities[1]: expected a JSON object, got a string at line 1, column");
    assertThat(wrongShape.body).doesNotContain("LinkedHashMap", "Cannot construct", "java.");
    Reply notAList = post("/v1/online-features", "{\"entities\": {\"user_id\": 1}}", READER);
    assertError(notAList, 400, "entities: expected a JSON array, got an object at line 1");
    HttpResponse<String> textPlain =
        http.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/v1/online-features"))
                .header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + READER)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"entities\": [{\"user_id\": 1}], \"features\": [\"user_profile:country\"]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(textPlain.statusCode()).isEqualTo(415);
  }

  @Test
  void authNeedsATokenWithTheRole() throws Exception {
    String body = "{\"entities\": [{\"user_id\": 1}], \"features\": [\"user_profile:country\"]}";
    Reply none = post("/v1/online-features", body, null);
    assertError(none, 401, "Authorization: Bearer");
    assertError(
        post("/v1/online-features", body, "not-a-token-of-this-server"),
        401,
        "not one this server accepts");
    assertThat(post("/v1/online-features", body, WRITER).status).isEqualTo(200);
    assertError(
        post("/v1/training-sets/click_model/builds", "{}", READER),
        403,
        "token trainer has role read; POST /v1/training-sets/click_model/builds needs the permission build");
    assertThat(get("/v1/health", null).status).isEqualTo(200);
    assertThat(get("/v1/openapi.yaml", null).status).isEqualTo(200);
    assertThat(get("/metrics", null).status).isEqualTo(401);
    // the UI's files load without a token; the catalog they read needs one
    assertThat(get("/ui/", null).status).isEqualTo(200);
    assertThat(get("/ui/app.js", null).status).isEqualTo(200);
    assertError(get("/v1/catalog/views", null), 401, "Authorization: Bearer");
    assertError(get("/v1/training-sets/click_model/drift", null), 401, "Authorization: Bearer");
    // with a read token: this server was started without the catalog
    assertError(
        get("/v1/catalog/views", READER),
        503,
        "the catalog is off in this server: start it with ./asof serve");
  }

  @Test
  void metricsAndTheCacheServeFromMemory() throws Exception {
    awaitCached();
    Reply reply =
        post(
            "/v1/online-features",
            "{\"entities\": [{\"article_id\": 1}], \"features\": [\"article_profile:category\", \"user_profile:country\"]}",
            READER);
    // an article row names no user_id: refused, it is the request's entity rows that must fit
    assertThat(reply.status).isEqualTo(400);
    Reply article =
        post(
            "/v1/online-features",
            "{\"entities\": [{\"article_id\": 1, \"user_id\": 1}], \"features\": [\"article_profile:category\", \"user_profile:country\"]}",
            READER);
    assertThat(article.status).as(article.body).isEqualTo(200);
    Object category =
        engine.query("SELECT category FROM dwh.articles WHERE article_id = 1").onlyValue();
    assertThat(article.json().get("results").get(0).get("values").get(0).asText())
        .isEqualTo(category);
    String metrics = get("/metrics", READER).body;
    assertThat(metrics)
        .contains("# TYPE asof_online_entities_total counter")
        .contains("asof_online_entities_total{status=\"PRESENT\",view=\"article_profile\"}")
        .contains(
            "asof_http_request_duration_seconds_bucket{route=\"/v1/online-features\",status=\"200\"")
        .contains("asof_online_cache_records{table=\"asof_article_profile__v1\"}")
        .contains("asof_online_cache_stale{table=\"asof_article_profile__v1\"} 0.0");
  }

  @Test
  void dynamoDbUnavailableIs503WithACauseAndTheServerRecovers() throws Exception {
    String body = "{\"entities\": [{\"user_id\": 1}], \"features\": [\"user_profile:country\"]}";
    assertThat(post("/v1/online-features", body, READER).status).isEqualTo(200);
    relay.cut();
    try {
      long start = System.nanoTime();
      Reply down = post("/v1/online-features", body, READER);
      assertError(down, 503, "the online store could not be read for view user_profile");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      // an anonymous caller learns only that it is not ready; a reader learns why
      Reply ready = awaitReady(503, null);
      assertThat(ready.json().has("error")).as(ready.body).isFalse();
      assertThat(ready.json().get("status").asText()).isEqualTo("unavailable");
      Reply detail = awaitReady(503, READER);
      assertThat(detail.json().get("error").asText()).contains("could not be reached");
      // the cached group keeps serving from memory while the store is away
      Reply cached =
          post(
              "/v1/online-features",
              "{\"entities\": [{\"article_id\": 1}], \"features\": [\"article_profile:category\"]}",
              READER);
      assertThat(cached.status).as(cached.body).isEqualTo(200);
    } finally {
      relay.start();
    }
    Reply back = post("/v1/online-features", body, READER);
    assertThat(back.status).as(back.body).isEqualTo(200);
    assertThat(awaitReady(200, null).status).isEqualTo(200);
  }

  @Test
  void anUpdateLoadsOnlyWhatChangedAndADisabledViewIsNotServed() throws Exception {
    String body =
        "{\"entities\": [{\"user_id\": 900001}], \"features\": [\"user_profile:country\"]}";
    Instant signup = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    engine.execute(
        "INSERT INTO dwh.users VALUES (900001, TIMESTAMP '%s', 'NZ', '25-34', true)"
            .formatted(signup.toString().replace('T', ' ').replace("Z", "")));
    try {
      OnlineService.LoadSummary update =
          online
              .update(
                  "user_profile",
                  Instant.now().minus(Duration.ofHours(2)),
                  OnlineService.LoadListener.NONE)
              .orElseThrow();
      assertThat(update.full()).isFalse();
      assertThat(update.rows()).isEqualTo(1); // the new user only, not the 4,000 loaded before
      assertThat(update.written().written()).isEqualTo(1);
      Reply reply = post("/v1/online-features", body, READER);
      assertThat(reply.status).as(reply.body).isEqualTo(200);
      assertThat(reply.json().get("results").get(0).get("values").get(0).asText()).isEqualTo("NZ");

      online.disable("user_profile", false);
      server.refreshOnline();
      assertError(
          post("/v1/online-features", body, READER),
          400,
          "view user_profile is not online (disabled at",
          "./asof online enable user_profile");
      assertThat(online.update("user_profile", Instant.now(), OnlineService.LoadListener.NONE))
          .isEmpty();
    } finally {
      OnlineService.LoadSummary again =
          online.enable(
              "user_profile",
              OnlineGroup.Mode.DYNAMODB,
              Duration.ofSeconds(30),
              OnlineService.LoadListener.NONE);
      assertThat(again.full()).isFalse(); // enabling again catches up, it does not reload
      server.refreshOnline();
      engine.execute("DELETE FROM dwh.users WHERE user_id = 900001");
    }
    assertThat(post("/v1/online-features", body, READER).status).isEqualTo(200);
  }

  @Test
  @Order(1) // before the update test leaves a user online that offline no longer has
  void theCheckFindsAPlantedWrongValue() {
    OnlineCheck.CheckReport clean = online.check("user_profile", 20, 7);
    assertThat(clean.checked()).isGreaterThanOrEqualTo(10);
    assertThat(clean.mismatches()).isEmpty();

    OnlineTable table = OnlineTables.table(registry.view("user_profile").orElseThrow());
    OnlineRecord record =
        direct.read(table, List.of(List.of(3L))).getFirst().record().orElseThrow();
    List<Object> wrong = new ArrayList<>(record.values());
    wrong.set(0, "XX");
    direct.write(
        table,
        List.of(new OnlineRecord(record.key(), record.eventTime(), wrong, record.expiresAt())),
        WriteMode.CONDITIONAL);
    try {
      OnlineCheck.CheckReport found = online.check("user_profile", 100_000, 7);
      assertThat(found.mismatches())
          .anySatisfy(
              m -> {
                assertThat(m.key()).isEqualTo(List.of(3L));
                assertThat(m.problem()).contains("country online XX, offline");
              });
    } finally {
      direct.write(table, List.of(record), WriteMode.CONDITIONAL);
    }
  }

  private void awaitCached() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (served.status().stream().noneMatch(s -> s.table().startsWith("asof_article_profile"))) {
      assertThat(System.nanoTime()).as("the cache holds article_profile").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** Readiness once it has this status: its checks are reused for a second. */
  private Reply awaitReady(int status, String token) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    Reply ready = get("/v1/ready", token);
    while (ready.status != status && System.nanoTime() < deadline) {
      Thread.sleep(100);
      ready = get("/v1/ready", token);
    }
    return ready;
  }

  private static void assertError(Reply reply, int status, String... fragments) throws IOException {
    assertThat(reply.status).as(reply.body).isEqualTo(status);
    assertThat(reply.json().get("error").asText()).contains(fragments);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private Reply get(String path, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri() + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  private Reply post(String path, String body, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  /** Sends a request; its reply must be what the OpenAPI document says of its route. */
  private Reply send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(document.replyProblems(response)).as("the OpenAPI document's word").isEmpty();
    return new Reply(response.statusCode(), response.body(), mapper);
  }

  private record Reply(int status, String body, ObjectMapper mapper) {
    JsonNode json() throws IOException {
      return mapper.readTree(body);
    }
  }
}
