package io.asof.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.SpineRows;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.jobs.AdHocTrainingSet;
import io.asof.jobs.Repositories;
import io.asof.jobs.TrainingSetService;
import io.asof.local.StackEndpoints;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.Lease;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API on a real Trino, over the news example repository applied to the demo warehouse:
 * answers are checked against the compiler's statement run directly, and every error case.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestAsofServer {
  private static final Path REPO = Path.of("../../sql-features/examples/news");
  private static final String SPINE_ROWS =
      """
      [{"user_id": 1, "shown_at": "2025-12-01T00:00:00", "label": true},
       {"user_id": 1, "shown_at": "2026-03-31 00:00:00", "label": false},
       {"user_id": null, "shown_at": "2026-03-31T00:00:00", "label": false}]""";

  private final ObjectMapper mapper = new ObjectMapper();
  private final OpenApiDocument document = OpenApiDocument.served();
  private final HttpClient http = HttpClient.newHttpClient();
  private QueryEngine engine;
  private RegistryStore registry;
  private String catalog;
  private AsofServer server;

  @BeforeAll
  void start(StackEndpoints stack, @TempDir Path stateDir) {
    catalog = stack.catalog();
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/" + catalog, stack.trinoUser()));
    new NewsWarehouse(NewsWarehouseSpec.defaults(), catalog, "dwh").load(engine, step -> {});
    registry = JooqRegistryStore.open(RegistryConfig.embedded(stateDir));
    Repositories.apply(engine, registry, REPO, catalog);
    server =
        new AsofServer(
                new TrainingSetService(engine, new TrinoDialect(), registry, REPO, catalog),
                REPO,
                "127.0.0.1",
                0)
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
  }

  @Test
  void healthAndTheOpenApiDocument() throws Exception {
    Reply health = get("/v1/health");
    assertThat(health.status).isEqualTo(200);
    assertThat(health.body).isEqualTo("{\"status\":\"ok\"}");

    Reply openApi = get("/v1/openapi.yaml");
    assertThat(openApi.status).isEqualTo(200);
    assertThat(openApi.contentType).startsWith("application/yaml");
    // the document served is the one every reply of these tests is checked against (send), and
    // TestOpenApiReplies checks each route's requests and replies with
    assertThat(openApi.body).isEqualTo(document.text());
  }

  @Test
  void spineRowsGiveTheRowsOfTheCompilersStatement() throws Exception {
    Reply reply =
        post(
            "/v1/training-sets/query",
            """
            {"spine_rows": %s, "timestamp": "shown_at", "label": "label",
             "features": ["user_engagement:reads_30d"]}"""
                .formatted(SPINE_ROWS));
    assertThat(reply.status).as(reply.body).isEqualTo(200);
    JsonNode json = reply.json();

    // the same set compiled here, its statement run directly
    List<Map<String, Object>> rows =
        mapper.readValue(
            SPINE_ROWS, mapper.getTypeFactory().constructCollectionType(List.class, Map.class));
    CompiledTrainingSet set =
        new TrainingSetService(engine, new TrinoDialect(), registry, REPO, catalog)
            .guardingSpines()
            .compile(
                "adhoc",
                Optional.of(
                    new AdHocTrainingSet(
                        "",
                        () -> SpineRows.fromObjects(rows, "spine_rows"),
                        Path.of("spine_rows"),
                        "shown_at",
                        List.of("user_engagement:reads_30d"),
                        Path.of("features"),
                        Optional.empty(),
                        Optional.of("label"),
                        false)));
    assertThat(json.get("sql").asText()).isEqualTo(set.sql());
    List<JsonNode> direct = new ArrayList<>();
    for (List<Object> row : engine.query(set.sql()).rows()) {
      direct.add(mapper.readTree(new Json().write(Json.value(row))));
    }
    assertThat(sorted(json.get("rows"))).isEqualTo(sorted(direct)).hasSize(3);
    assertThat(json.get("row_count").asInt()).isEqualTo(3);
    assertThat(json.get("truncated").asBoolean()).isFalse();
    assertThat(names(json.get("columns")))
        .containsExactly("user_id", "shown_at", "label", "reads_30d");
    assertThat(json.get("columns").get(1).get("type").asText()).isEqualTo("timestamp(6)");
    // before the user's first read the window holds no read: a count of 0; timestamps come back
    // as ISO strings
    JsonNode first =
        sorted(json.get("rows")).stream()
            .filter(row -> row.get(1).asText().equals("2025-12-01T00:00:00"))
            .findFirst()
            .orElseThrow();
    assertThat(first.get(0).asLong()).isEqualTo(1);
    assertThat(first.get(3).asLong()).as(first.toString()).isZero();
    assertThat(first.get(3).isNumber()).isTrue();
    JsonNode late =
        sorted(json.get("rows")).stream()
            .filter(
                row -> row.get(0).asInt(-1) == 1 && row.get(1).asText().startsWith("2026-03-31"))
            .findFirst()
            .orElseThrow();
    assertThat(late.get(3).isNumber()).as(late.toString()).isTrue();
  }

  @Test
  void spineSqlWorksAndALimitTruncates() throws Exception {
    long impressions =
        (Long) engine.query("SELECT count(*) FROM dwh.impressions WHERE user_id = 7").onlyValue();
    assertThat(impressions).isGreaterThan(2);
    String request =
        """
        {"spine_sql": "SELECT impression_id, user_id, shown_at, clicked FROM dwh.impressions WHERE user_id = 7",
         "timestamp": "shown_at", "label": "clicked", "features": ["user_engagement:*", "user_profile:country"], "event_times": true%s}""";
    Reply all = post("/v1/training-sets/query", request.formatted(""));
    assertThat(all.status).as(all.body).isEqualTo(200);
    assertThat(all.json().get("row_count").asLong()).isEqualTo(impressions);
    assertThat(all.json().get("truncated").asBoolean()).isFalse();
    assertThat(all.json().get("limit").asInt()).isEqualTo(10_000);
    // an aggregation view's values are evaluated at the row's time: no event time of its own
    assertThat(names(all.json().get("columns")))
        .contains("reads_7d", "country", "user_profile__event_time")
        .doesNotContain("user_engagement__event_time");

    Reply two = post("/v1/training-sets/query", request.formatted(", \"limit\": 2"));
    assertThat(two.status).as(two.body).isEqualTo(200);
    assertThat(two.json().get("rows")).hasSize(2);
    assertThat(two.json().get("row_count").asInt()).isEqualTo(2);
    assertThat(two.json().get("truncated").asBoolean()).isTrue();

    Reply tooMany = post("/v1/training-sets/query", request.formatted(", \"limit\": 100001"));
    assertThat(tooMany.status).isEqualTo(400);
    assertThat(tooMany.json().get("error").asText())
        .startsWith("limit is 100001: a query returns 0 to 100,000 rows");
  }

  @Test
  void buildsAreRecordedAndListed() throws Exception {
    Reply adHoc =
        post(
            "/v1/training-sets/adhoc_http/builds",
            """
            {"spine_rows": %s, "timestamp": "shown_at", "features": ["user_engagement:reads_30d"]}"""
                .formatted(SPINE_ROWS));
    assertThat(adHoc.status).as(adHoc.body).isEqualTo(201);
    JsonNode build = adHoc.json();
    assertThat(build.get("table").asText()).isEqualTo(catalog + ".training.adhoc_http");
    assertThat(build.get("rows").asLong()).isEqualTo(3);
    assertThat(build.get("bytes").asLong()).isPositive();
    assertThat(build.get("fingerprint").asText()).hasSize(64);
    assertThat(build.get("feature_versions").get("user_engagement").asInt()).isEqualTo(1);
    long snapshot =
        (Long)
            engine
                .query(
                    "SELECT snapshot_id FROM training.\"adhoc_http$snapshots\" ORDER BY committed_at DESC LIMIT 1")
                .onlyValue();
    assertThat(build.get("snapshot_id").asLong()).isEqualTo(snapshot);
    assertThat(engine.query("SELECT count(*) FROM training.adhoc_http").onlyValue()).isEqualTo(3L);

    Reply listed = get("/v1/training-sets/adhoc_http/builds");
    assertThat(listed.status).isEqualTo(200);
    assertThat(listed.json().get("builds")).hasSize(1);
    assertThat(listed.json().get("builds").get(0).get("snapshot_id").asLong()).isEqualTo(snapshot);

    // the repository's set: no body; before its first build the list is empty, not unknown
    Reply none = get("/v1/training-sets/click_model/builds");
    assertThat(none.status).as(none.body).isEqualTo(200);
    assertThat(none.json().get("builds")).isEmpty();
    Reply click = post("/v1/training-sets/click_model/builds", "");
    assertThat(click.status).as(click.body).isEqualTo(201);
    assertThat(click.json().get("rows").asLong()).isEqualTo(100_000);
    Reply clickBuilds = get("/v1/training-sets/click_model/builds");
    assertThat(clickBuilds.json().get("builds").get(0).get("snapshot_id").asLong())
        .isEqualTo(click.json().get("snapshot_id").asLong());
  }

  /** Every statement an engine was sent, for what must never reach it. */
  private static final class RecordingEngine extends io.asof.engine.ForwardingQueryEngine {
    final List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    private final QueryEngine engine;

    RecordingEngine(QueryEngine engine) {
      this.engine = engine;
    }

    @Override
    protected QueryEngine delegate() {
      return engine;
    }

    @Override
    public io.asof.engine.QueryStats execute(String sql) {
      sent.add(sql);
      return engine.execute(sql);
    }

    @Override
    public io.asof.engine.QueryResult query(String sql) {
      sent.add(sql);
      return engine.query(sql);
    }

    @Override
    public io.asof.engine.QueryStats stream(String sql, io.asof.engine.RowConsumer consumer) {
      sent.add(sql);
      return engine.stream(sql, consumer);
    }

    @Override
    public List<io.asof.model.Column> describe(String sql) {
      sent.add(sql);
      return engine.describe(sql);
    }

    @Override
    public String explain(String sql) {
      sent.add(sql);
      return engine.explain(sql);
    }

    @Override
    public void close() {
      // the real engine is the test's
    }
  }

  @Test
  void spinesThatReadWhatCallersMayNotAreRefusedAndNeverSent() throws Exception {
    RecordingEngine recording = new RecordingEngine(engine);
    try (AsofServer guarded =
        new AsofServer(
                new TrainingSetService(recording, new TrinoDialect(), registry, REPO, catalog),
                REPO,
                "127.0.0.1",
                0)
            .start()) {
      String[][] refused = {
        // the attack as written: SYSTEM is a keyword to the parser, so it is no query at all
        {
          "SELECT CAST(0 AS bigint) user_id, CAST(now() AS timestamp(6)) t, q.* FROM system.runtime.queries q",
          "400",
          "[rule one-query]"
        },
        {
          "SELECT CAST(0 AS bigint) user_id, CAST(now() AS timestamp(6)) t, q.* FROM \\\"system\\\".runtime.queries q",
          "403",
          "[rule no-metadata]"
        },
        {
          "SELECT user_id, shown_at AS t FROM dwh.\\\"impressions$files\\\"",
          "403",
          "[rule no-metadata]"
        },
        {
          "SELECT user_id, shown_at AS t FROM dwh.\\\"impressions$snapshots\\\"",
          "403",
          "[rule no-metadata]"
        },
        {
          "SELECT CAST(1 AS bigint) user_id, CAST(NULL AS timestamp(6)) t FROM information_schema.tables",
          "403",
          "[rule no-metadata]"
        },
        {
          "SELECT * FROM TABLE(\\\"system\\\".query(query => 'SELECT 1'))",
          "403",
          "[rule no-table-functions]"
        },
        {"SELECT custkey AS user_id FROM tpch.tiny.customer", "403", "[rule allowed-schemas]"},
        {"SELECT user_id, shown_at AS t FROM dwh.impressions; SELECT 1", "400", "[rule one-query]"},
      };
      for (String[] spine : refused) {
        recording.sent.clear();
        Reply reply =
            send(
                HttpRequest.newBuilder(URI.create(guarded.uri() + "/v1/training-sets/query"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"spine_sql\": \"%s\", \"timestamp\": \"t\", \"features\": [\"user_engagement:reads_7d\"]}"
                                .formatted(spine[0])))
                    .build());
        assertThat(reply.status).as(spine[0] + ": " + reply.body).hasToString(spine[1]);
        JsonNode problem = reply.json().get("problems").get(0);
        assertThat(problem.get("file").asText()).isEqualTo("spine_sql");
        assertThat(problem.get("line").asInt()).isEqualTo(1);
        assertThat(problem.get("message").asText()).as(spine[0]).startsWith(spine[2]);
        // the views were compiled (their metadata read), but nothing of the spine was sent
        assertThat(recording.sent)
            .as(spine[0])
            .noneMatch(
                sql ->
                    sql.contains("runtime")
                        || sql.contains("$")
                        || sql.contains("information_schema.tables")
                        || sql.contains("tpch")
                        || sql.contains("query("));
      }
      // what passes is run as the guard wrote it, not as sent
      recording.sent.clear();
      Reply ok =
          send(
              HttpRequest.newBuilder(URI.create(guarded.uri() + "/v1/training-sets/query"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"spine_sql\": \"select user_id, shown_at as t /* hi */ from dwh.impressions where user_id = 7\", \"timestamp\": \"t\", \"features\": [\"user_engagement:reads_7d\"]}"))
                  .build());
      assertThat(ok.status).as(ok.body).isEqualTo(200);
      assertThat(ok.json().get("sql").asText())
          .contains("SELECT \"user_id\", \"shown_at\" AS \"t\"", "FROM \"dwh\".\"impressions\"")
          .doesNotContain("/* hi */");
      assertThat(recording.sent).noneMatch(sql -> sql.contains("/* hi */"));
    }
  }

  @Test
  void anAdHocBuildMayNotReplaceARepositorySet() throws Exception {
    Reply reply =
        post(
            "/v1/training-sets/click_model/builds",
            """
            {"spine_rows": %s, "timestamp": "shown_at", "features": ["user_engagement:reads_30d"]}"""
                .formatted(SPINE_ROWS));
    assertThat(reply.status).as(reply.body).isEqualTo(409);
    assertThat(reply.json().get("error").asText())
        .startsWith("training set click_model is defined by the repository");
  }

  @Test
  void compileErrorsAre400WithTheirPositions() throws Exception {
    Reply reply =
        post(
            "/v1/training-sets/query",
            """
            {"spine_sql": "SELECT user_id, shown_at\\nFROM dwh.no_such_table",
             "timestamp": "shown_at", "features": ["user_engagement:reads_30d"]}""");
    assertThat(reply.status).as(reply.body).isEqualTo(400);
    JsonNode problem = reply.json().get("problems").get(0);
    assertThat(reply.json().get("error").asText())
        .isEqualTo("1 problem; nothing was run or written");
    assertThat(problem.get("file").asText()).isEqualTo("spine_sql");
    assertThat(problem.get("line").asInt()).isEqualTo(2);
    assertThat(problem.get("column").asInt()).isEqualTo(6);
    assertThat(problem.get("message").asText()).contains("no_such_table");

    Reply unknownFeature =
        post(
            "/v1/training-sets/query",
            """
            {"spine_rows": %s, "timestamp": "shown_at", "features": ["user_engagement:reads_31d"]}"""
                .formatted(SPINE_ROWS));
    assertThat(unknownFeature.status).as(unknownFeature.body).isEqualTo(400);
    assertThat(unknownFeature.json().get("problems").get(0).get("file").asText())
        .isEqualTo("features");
    assertThat(unknownFeature.json().get("problems").get(0).get("message").asText())
        .contains("reads_31d", "reads_30d");

    Reply unknownView =
        post(
            "/v1/training-sets/query",
            """
            {"spine_rows": %s, "timestamp": "shown_at", "features": ["user_engagment:*"]}"""
                .formatted(SPINE_ROWS));
    assertThat(unknownView.status).isEqualTo(400);
    assertThat(unknownView.json().get("error").asText())
        .isEqualTo("unknown feature view user_engagment (did you mean user_engagement?)");
  }

  @Test
  void malformedJsonAndUnknownFieldsAre400WithTheirPlace() throws Exception {
    Reply malformed =
        post(
            "/v1/training-sets/query",
            "{\n  \"timestamp\": \"shown_at\",\n  \"features\": [\"user_engagement:*\"\n}");
    assertThat(malformed.status).isEqualTo(400);
    assertThat(malformed.json().get("error").asText())
        .startsWith("the request body is not a valid request: malformed JSON: ")
        .endsWith(" at line 4, column 1");
    JsonNode problem = malformed.json().get("problems").get(0);
    assertThat(problem.get("file").asText()).isEqualTo("request body");
    assertThat(problem.get("line").asInt()).isEqualTo(4);
    assertThat(problem.get("column").asInt()).isEqualTo(1);

    Reply unknown =
        post("/v1/training-sets/query", "{\"spine_sql\": \"SELECT 1\",\n \"timestmp\": \"t\"}");
    assertThat(unknown.status).isEqualTo(400);
    assertThat(unknown.json().get("error").asText())
        .startsWith(
            "the request body is not a valid request: unknown field 'timestmp'; the fields are ")
        .contains("timestamp")
        .endsWith(" at line 2, column 2");

    Reply wrongType =
        post("/v1/training-sets/query", "{\"spine_sql\": \"SELECT 1\", \"features\": \"a:b\"}");
    assertThat(wrongType.status).isEqualTo(400);
    assertThat(wrongType.json().get("error").asText()).contains("features: ", "line 1");

    Reply noSpine =
        post("/v1/training-sets/query", "{\"timestamp\": \"t\", \"features\": [\"a:b\"]}");
    assertThat(noSpine.status).isEqualTo(400);
    assertThat(noSpine.json().get("error").asText())
        .isEqualTo(
            "an ad-hoc training set needs a spine: spine_sql (a query) or spine_rows (at most 50,000 rows)");

    Reply badName = get("/v1/training-sets/Click-Model/builds");
    assertThat(badName.status).isEqualTo(400);
    assertThat(badName.json().get("error").asText())
        .isEqualTo(
            "training set name 'Click-Model' is not a plain SQL name: lower-case letters, digits and _");
  }

  @Test
  void spineRowsOverTheLimitAre413WithTheLimit() throws Exception {
    String rows =
        IntStream.range(0, SpineRows.MAX_ROWS + 1)
            .mapToObj(i -> "{\"user_id\":" + i + ",\"shown_at\":\"2026-01-01\"}")
            .collect(Collectors.joining(",", "[", "]"));
    Reply reply =
        post(
            "/v1/training-sets/query",
            "{\"spine_rows\": %s, \"timestamp\": \"shown_at\", \"features\": [\"user_engagement:*\"]}"
                .formatted(rows));
    assertThat(reply.status).isEqualTo(413);
    assertThat(reply.json().get("limit").asInt()).isEqualTo(50_000);
    assertThat(reply.json().get("error").asText())
        .isEqualTo(
            "spine_rows has 50,001 rows; an uploaded spine takes at most 50,000: load it into a table and give spine_sql instead");
  }

  @Test
  void aBuildWhileAnotherOfTheSameSetRunsIs409NamingItsHolder() throws Exception {
    String body =
        """
        {"spine_rows": %s, "timestamp": "shown_at", "features": ["user_engagement:reads_30d"]}"""
            .formatted(SPINE_ROWS);
    // the other build holds the set's lease, as a build in another request or process does
    try (Lease other =
        Lease.acquire(registry, Lease.trainingSet("adhoc_busy"), "build adhoc_busy")) {
      Reply refused = post("/v1/training-sets/adhoc_busy/builds", body);
      assertThat(refused.status).as(refused.body).isEqualTo(409);
      assertThat(refused.json().get("error").asText())
          .contains("`build adhoc_busy` (pid " + ProcessHandle.current().pid())
          .contains(
              "holds the lease training-set:adhoc_busy since " + other.acquired().acquiredAt())
          .contains("expires at");
      assertThat(registry.builds("adhoc_busy")).isEmpty();
    }
    Reply built = post("/v1/training-sets/adhoc_busy/builds", body);
    assertThat(built.status).as(built.body).isEqualTo(201);
    assertThat(registry.builds("adhoc_busy")).hasSize(1);
  }

  @Test
  void unknownTrainingSetsAre404() throws Exception {
    Reply build = post("/v1/training-sets/click_modle/builds", "");
    assertThat(build.status).as(build.body).isEqualTo(404);
    assertThat(build.json().get("error").asText())
        .isEqualTo(
            "no training set click_modle in ../../sql-features/examples/news (did you mean click_model?): training sets are training_sets/<name>.sql; or give an ad-hoc one with spine_sql or spine_rows in the request body");

    Reply nowhere = get("/v1/training-sets");
    assertThat(nowhere.status).isEqualTo(404);
    assertThat(nowhere.json().get("error").asText())
        .isEqualTo("no endpoint GET /v1/training-sets: see GET /v1/openapi.yaml for what there is");

    Reply list = get("/v1/training-sets/never_built/builds");
    assertThat(list.status).isEqualTo(404);
    assertThat(list.json().get("error").asText())
        .isEqualTo("no training set never_built: it is not in the repository and was never built");
  }

  @Test
  void anUnreachableTrinoIs503WithTheCause(@TempDir Path stateDir) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // nothing listens on the port any more
    QueryEngine nowhere =
        new TrinoQueryEngine(
            new TrinoConnectionConfig("jdbc:trino://127.0.0.1:" + port + "/" + catalog, "asof"));
    try (RegistryStore empty = JooqRegistryStore.open(RegistryConfig.embedded(stateDir));
        AsofServer offline =
            new AsofServer(
                    new TrainingSetService(nowhere, new TrinoDialect(), empty, REPO, catalog),
                    REPO,
                    "127.0.0.1",
                    0)
                .start()) {
      Reply reply =
          send(
              HttpRequest.newBuilder(URI.create(offline.uri() + "/v1/training-sets/query"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"spine_sql\": \"SELECT 1 AS a, current_timestamp AS t\", \"timestamp\": \"t\", \"features\": [\"user_engagement:*\"]}"))
                  .build());
      assertThat(reply.status).as(reply.body).isEqualTo(503);
      assertThat(reply.json().get("error").asText())
          .startsWith("the query engine does not answer: ")
          .contains("Connect");
      // the health check is the server's own, not Trino's
      assertThat(
              send(HttpRequest.newBuilder(URI.create(offline.uri() + "/v1/health")).build()).status)
          .isEqualTo(200);
    }
  }

  private static List<String> names(JsonNode columns) {
    List<String> names = new ArrayList<>();
    columns.forEach(column -> names.add(column.get("name").asText()));
    return names;
  }

  private static List<JsonNode> sorted(Iterable<JsonNode> rows) {
    List<JsonNode> list = new ArrayList<>();
    rows.forEach(list::add);
    list.sort(Comparator.comparing(JsonNode::toString));
    return list;
  }

  private Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(server.uri() + path)).build());
  }

  private Reply post(String path, String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** Sends a request; its reply must be what the OpenAPI document says of its route. */
  private Reply send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(document.replyProblems(response)).as("the OpenAPI document's word").isEmpty();
    return new Reply(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body(),
        mapper);
  }

  private record Reply(int status, String contentType, String body, ObjectMapper mapper) {
    JsonNode json() throws IOException {
      return mapper.readTree(body);
    }
  }
}
