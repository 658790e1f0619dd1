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
import io.asof.jobs.OnlineService;
import io.asof.jobs.OnlineTables;
import io.asof.jobs.Repositories;
import io.asof.jobs.TrainingSetService;
import io.asof.local.StackEndpoints;
import io.asof.online.CachingOnlineStore;
import io.asof.online.OnlineStore;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
import io.asof.push.PushConfig;
import io.asof.push.PushService;
import io.asof.push.client.AsofPushClient;
import io.asof.push.client.PushFailedException;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.server.ApiTokens.Role;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Push ingestion end to end on the real stack: rows pushed to the news repository's push view
 * {@code article_live} over HTTP, durable on the answer, online within a second, committed in one
 * snapshot per micro-batch; bad batches refused whole; backpressure; compaction; auth; metrics.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestPushServer {
  private static final Path REPO = Path.of("../../sql-features/examples/news");
  private static final String READER = "reader-token-0123456789";
  private static final String WRITER = "writer-token-0123456789";
  private static final int MAX_BUFFERED = 50;
  private static final String TABLE = "features.article_live__v1";

  private PushConfig config;
  private final ObjectMapper mapper = new ObjectMapper();
  private final OpenApiDocument document = OpenApiDocument.served();
  private final HttpClient http = HttpClient.newHttpClient();
  private QueryEngine engine;
  private FaultInjectingQueryEngine faulty;
  private Path pushLog;
  private RegistryStore registry;
  private OnlineStore direct;
  private CachingOnlineStore served;
  private AsofServer server;
  private AsofPushClient client;

  @BeforeAll
  void start(TestStack stack, @TempDir Path state) throws IOException {
    Optional<Path> warehouse = stack.localWarehouse();
    assumeTrue(
        warehouse.isPresent(),
        "push commits need a directory both this JVM and Trino read: a stack of local processes");
    StackEndpoints endpoints = stack.endpoints();
    String catalog = endpoints.catalog();
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(
                endpoints.trinoJdbcUrl() + "/" + catalog, endpoints.trinoUser()));
    new NewsWarehouse(NewsWarehouseSpec.defaults(), catalog, "dwh").load(engine, step -> {});
    engine.execute("DROP TABLE IF EXISTS " + TABLE);
    registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
    Repositories.apply(engine, registry, REPO, catalog);
    direct =
        DynamoDbOnlineStore.connectLocal(endpoints.dynamoDbEndpoint(), endpoints.dynamoDbRegion());
    OnlineService online =
        new OnlineService(
            engine, new TrinoDialect(), registry, REPO, catalog, direct, Clock.systemUTC());
    direct.drop(OnlineTables.table(registry.view("article_live").orElseThrow()));
    online.enable(
        "article_live",
        OnlineGroup.Mode.DYNAMODB,
        Duration.ofSeconds(30),
        OnlineService.LoadListener.NONE);
    served =
        new CachingOnlineStore(
            DynamoDbOnlineStore.connectLocal(
                endpoints.dynamoDbEndpoint(), endpoints.dynamoDbRegion()),
            Clock.systemUTC());
    pushLog = state.resolve("push-log");
    faulty = new FaultInjectingQueryEngine(engine);
    config =
        PushConfig.defaults(
                pushLog,
                warehouse.get().resolve("push_test_staging"),
                URI.create("local:///push_test_staging"))
            // commits only when a test flushes (or the buffer's rows reach the threshold)
            .withCommits(Duration.ofHours(1), MAX_BUFFERED)
            .withMaxBufferedRows(MAX_BUFFERED)
            .withCompactEvery(3);
    server =
        new AsofServer(
                new TrainingSetService(engine, new TrinoDialect(), registry, REPO, catalog),
                REPO,
                Optional.of(new AsofServer.Online(registry, served)),
                // the pipeline's statements go through the fault injector, the tests' do not
                Optional.of(new AsofServer.Push(config, faulty, catalog, new TrinoDialect())),
                Optional.of(
                    ApiTokens.of("trainer", Role.READ, READER).and("pipeline", Role.WRITE, WRITER)),
                "127.0.0.1",
                0,
                Clock.systemUTC())
            .start();
    client = AsofPushClient.builder(server.uri()).token(WRITER).attempts(1).build();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {server, served, direct, registry, engine}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  @Test
  @Order(1)
  void pushedRowsAreOnlineWithinASecondAndCommittedInOneSnapshotExactlyOnce() throws Exception {
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    long snapshotsBefore = count("SELECT * FROM features.\"article_live__v1$snapshots\"");
    long started = System.nanoTime();
    Reply reply =
        post(
            "/v1/push/article_live",
            "application/x-ndjson",
            """
            {"article_id": 1, "updated_at": "%s", "reads_5m": 10, "likes_5m": 1, "shares_5m": 0}
            {"article_id": 1, "updated_at": "%s", "reads_5m": 12, "likes_5m": 2, "shares_5m": 1}
            {"article_id": 2, "updated_at": "%s", "reads_5m": 5, "likes_5m": null, "shares_5m": 0}
            """
                .formatted(now.minusSeconds(30), now.minusSeconds(5), now.minusSeconds(1)),
            WRITER);
    assertThat(reply.status).as(reply.body).isEqualTo(200);
    JsonNode ack = reply.json();
    assertThat(ack.get("rows").asInt()).isEqualTo(3);
    assertThat(ack.get("version").asInt()).isEqualTo(1);
    assertThat(ack.get("online").asText()).isEqualTo("queued");
    assertThat(ack.get("sequence").asLong()).isPositive();

    // online: each key's newest row, served within a second
    JsonNode values = null;
    while (System.nanoTime() - started < Duration.ofSeconds(5).toNanos()) {
      Reply online =
          post(
              "/v1/online-features",
              "application/json",
              """
              {"entities": [{"article_id": 1}, {"article_id": 2}], "features": ["article_live:reads_5m", "article_live:likes_5m"]}""",
              READER);
      assertThat(online.status).as(online.body).isEqualTo(200);
      JsonNode results = online.json().get("results");
      if (results.get(0).get("statuses").get(0).asText().equals("PRESENT")
          && results.get(1).get("statuses").get(0).asText().equals("PRESENT")) {
        values = results;
        break;
      }
      Thread.sleep(20);
    }
    Duration toOnline = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf(
        "pushed rows were online %d ms after the push was sent%n", toOnline.toMillis());
    assertThat(values).as("served online within 5 s, took %s", toOnline).isNotNull();
    assertThat(values.get(0).get("values").get(0).asLong()).isEqualTo(12);
    assertThat(values.get(0).get("values").get(1).asLong()).isEqualTo(2);
    assertThat(values.get(1).get("values").get(1).isNull()).isTrue();

    // offline: nothing before the commit, everything after it, in one snapshot
    assertThat(count("SELECT * FROM " + TABLE)).isZero();
    assertThat(server.flushPushes(Duration.ofSeconds(60))).isTrue();
    assertThat(
            engine
                .query(
                    "SELECT article_id, reads_5m, likes_5m, __asof_push_seq FROM %s ORDER BY updated_at"
                        .formatted(TABLE))
                .rows())
        .containsExactly(
            List.of(1L, 10L, 1L, ack.get("sequence").asLong()),
            List.of(1L, 12L, 2L, ack.get("sequence").asLong()),
            java.util.Arrays.asList(2L, 5L, null, ack.get("sequence").asLong()));
    assertThat(count("SELECT * FROM features.\"article_live__v1$snapshots\""))
        .isEqualTo(snapshotsBefore + 1);
    // the published view reads the table
    assertThat(count("SELECT * FROM features.article_live")).isEqualTo(3);
  }

  @Test
  @Order(2)
  void aBatchWithOneBadRowIsRefusedWholeWithTheRowAndField() throws Exception {
    long before = count("SELECT * FROM " + TABLE);
    Reply reply =
        post(
            "/v1/push/article_live",
            "application/json",
            """
            [{"article_id": 3, "updated_at": "2026-12-04T10:00:00", "reads_5m": 1},
             {"article_id": 4, "updated_at": "2026-12-04T10:00:00", "reads_5m": "many"},
             {"article_id": 5, "reads_5m": 1}]""",
            WRITER);
    assertThat(reply.status).as(reply.body).isEqualTo(400);
    JsonNode problems = reply.json().get("problems");
    assertThat(problems.get(0).get("row").asInt()).isEqualTo(1);
    assertThat(problems.get(0).get("field").asText()).isEqualTo("reads_5m");
    assertThat(problems.get(0).get("message").asText())
        .isEqualTo("expected bigint (a JSON integer), got the string \"many\"");
    assertThat(problems.get(1).get("row").asInt()).isEqualTo(2);
    assertThat(problems.get(1).get("field").asText()).isEqualTo("updated_at");
    assertThat(reply.json().get("error").asText()).contains("nothing applied");
    server.flushPushes(Duration.ofSeconds(60));
    assertThat(count("SELECT * FROM " + TABLE)).isEqualTo(before);
  }

  @Test
  @Order(3)
  void badRequestsAreAnsweredWithWhatToDo() throws Exception {
    Reply unknown = post("/v1/push/article_liv", "application/json", "[]", WRITER);
    assertThat(unknown.status).isEqualTo(404);
    assertThat(unknown.json().get("error").asText())
        .contains("unknown view article_liv")
        .contains("did you mean article_live?");
    Reply notPush = post("/v1/push/user_profile", "application/json", "[{\"user_id\": 1}]", WRITER);
    assertThat(notPush.status).isEqualTo(400);
    assertThat(notPush.json().get("error").asText())
        .contains("only push views (declared with -- push: true) take pushed rows");
    Reply malformed =
        post("/v1/push/article_live", "application/json", "[{\"article_id\": 1,]", WRITER);
    assertThat(malformed.status).isEqualTo(400);
    assertThat(malformed.json().get("error").asText())
        .isEqualTo(
            "the body is not valid JSON at line 1, column 19, in row 0: expected a column name in double quotes, got ']'");
    // an empty timestamp was a 500 with the exception's class in the reply
    Reply empty =
        post(
            "/v1/push/article_live",
            "application/x-ndjson",
            "{\"article_id\": 1, \"updated_at\": \"\"}",
            WRITER);
    assertThat(empty.status).as(empty.body).isEqualTo(400);
    assertThat(empty.json().get("problems").get(0).get("row").asInt()).isZero();
    assertThat(empty.json().get("problems").get(0).get("field").asText()).isEqualTo("updated_at");
    assertThat(empty.body).doesNotContain("Exception");
    assertThat(post("/v1/push/article_live", "application/json", "[]", READER).status)
        .isEqualTo(403);
    assertThat(post("/v1/push/article_live", "application/json", "[]", null).status).isEqualTo(401);
  }

  @Test
  @Order(3)
  void aPushSaysItsFormatAndSizeAndComesFromNoOtherSite() throws Exception {
    String row = "{\"article_id\": 1, \"updated_at\": \"2026-01-01T00:00:00\"}";
    // a browser's text/plain or form post is refused before anything is parsed
    Reply textPlain = post("/v1/push/article_live", "text/plain", row, WRITER);
    assertThat(textPlain.status).as(textPlain.body).isEqualTo(415);
    assertThat(textPlain.json().get("error").asText())
        .isEqualTo(
            "POST /v1/push/{view} takes application/json or application/x-ndjson, not text/plain: send the header 'Content-Type: application/json'");
    // the format is the Content-Type's: a JSON push is an array, not sniffed NDJSON
    Reply object = post("/v1/push/article_live", "application/json", row, WRITER);
    assertThat(object.status).as(object.body).isEqualTo(400);
    assertThat(object.json().get("error").asText())
        .contains("a push sent as application/json is a JSON array of rows");
    HttpResponse<String> foreign =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/v1/push/article_live?dry_run=true"))
                .header("Content-Type", "application/x-ndjson")
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(row))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
    // over the push log's batch limit: refused by its length, before a byte of it is read
    long limit = AsofServer.pushBodyLimit(config);
    assertThat(limit).isEqualTo(16L * 1024 * 1024 - 1);
    try (java.net.Socket socket =
        new java.net.Socket(
            java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /v1/push/article_live HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                      + WRITER
                      + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: "
                      + (limit + 1)
                      + "\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      byte[] head = new byte[4096];
      int n = socket.getInputStream().read(head);
      String answer = new String(head, 0, n, java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 413 ").contains("takes at most 16,777,215");
    }
  }

  @Test
  @Order(4)
  void aFullBufferAnswers429WithRetryAfterAndTakesNothing() throws Exception {
    server.flushPushes(Duration.ofSeconds(60));
    LocalDateTime at = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    List<Map<String, Object>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < MAX_BUFFERED - 5; i++) {
      rows.add(Map.of("article_id", 100L + i, "updated_at", at, "reads_5m", (long) i));
    }
    assertThat(client.push("article_live", rows).rows()).isEqualTo(MAX_BUFFERED - 5);
    StringBuilder ten = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      ten.append("{\"article_id\": %d, \"updated_at\": \"%s\"}\n".formatted(200 + i, at));
    }
    HttpResponse<String> busy =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/v1/push/article_live"))
                .header("Authorization", "Bearer " + WRITER)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ten.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(busy.statusCode()).as(busy.body()).isEqualTo(429);
    assertThat(busy.headers().firstValue("Retry-After")).isPresent();
    assertThat(mapper.readTree(busy.body()).get("error").asText())
        .contains("rows waiting for their commit, its limit is 50");
    // the client gives up after its one attempt, saying so
    try {
      AsofPushClient.builder(server.uri())
          .token(WRITER)
          .attempts(1)
          .build()
          .pushNdJson(
              "article_live",
              ten.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
              10,
              false);
      throw new AssertionError("not refused");
    } catch (PushFailedException e) {
      assertThat(e.status()).isEqualTo(429);
    }
    assertThat(server.flushPushes(Duration.ofSeconds(60))).isTrue();
    assertThat(count("SELECT * FROM " + TABLE + " WHERE article_id >= 200")).isZero();
    assertThat(count("SELECT * FROM " + TABLE + " WHERE article_id BETWEEN 100 AND 199"))
        .isEqualTo(MAX_BUFFERED - 5);
  }

  @Test
  @Order(5)
  void everyFewCommitsTheRecentPartitionsAreCompacted() throws Exception {
    LocalDateTime at = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    // push and commit until a commit is a compacting one (every third)
    long commits;
    int pushed = 0;
    do {
      client.push(
          "article_live",
          List.of(Map.of("article_id", 300L + pushed++, "updated_at", at, "reads_5m", 1L)));
      assertThat(server.flushPushes(Duration.ofSeconds(60))).isTrue();
      commits = server.pushStatus().orElseThrow().views().getFirst().commits();
    } while (commits % 3 != 0 || pushed < 2);
    // after the last commit its committer rewrites each recent partition's files into one
    long partitions = count("SELECT * FROM features.\"article_live__v1$partitions\"");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long files = count("SELECT * FROM features.\"article_live__v1$files\"");
    while (files > partitions && System.nanoTime() < deadline) {
      Thread.sleep(200);
      files = count("SELECT * FROM features.\"article_live__v1$files\"");
    }
    assertThat(files).isEqualTo(partitions);
    assertThat(count("SELECT * FROM " + TABLE + " WHERE article_id >= 300")).isEqualTo(pushed);
  }

  @Test
  @Order(6)
  void metricsShowBuffersCommitsAndRows() throws Exception {
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/metrics"))
                .header("Authorization", "Bearer " + READER)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .contains("asof_push_buffered_rows{version=\"1\",view=\"article_live\"} 0.0")
        .contains("asof_push_rows_total{view=\"article_live\"}")
        .contains("asof_push_commit_seconds_count{view=\"article_live\"}")
        .contains("asof_push_online_lag_seconds_count{view=\"article_live\"}")
        .contains("asof_push_log_bytes");
  }

  @Test
  @Order(7)
  void aCommitThatFailsAfterItsInsertIsTriedAgainAloneAndEveryRowLandsOnce() throws Exception {
    assertThat(server.flushPushes(Duration.ofSeconds(60))).isTrue();
    LocalDateTime at = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    // the commit's INSERT commits, then its answer is lost
    FaultInjectingQueryEngine.Fault fault =
        faulty.failAfter(sql -> sql.startsWith("INSERT INTO") && sql.contains("article_live__v1"));
    Reply first = post("/v1/push/article_live", "application/x-ndjson", rows(500, 3, at), WRITER);
    assertThat(first.status).as(first.body).isEqualTo(200);
    CompletableFuture<Boolean> flushed =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return server.flushPushes(Duration.ofSeconds(60));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            });
    assertThat(fault.reached(Duration.ofSeconds(60))).isTrue();
    // while the commit fails, more rows come: the next try must not take them for its check
    Reply second = post("/v1/push/article_live", "application/x-ndjson", rows(510, 2, at), WRITER);
    assertThat(second.status).as(second.body).isEqualTo(200);
    fault.release();

    assertThat(flushed.get(90, TimeUnit.SECONDS))
        .as("the pipeline commits by itself: %s", server.pushStatus())
        .isTrue();
    long firstSequence = first.json().get("sequence").asLong();
    long secondSequence = second.json().get("sequence").asLong();
    assertThat(
            engine
                .query(
                    "SELECT article_id, __asof_push_seq FROM %s WHERE article_id >= 500 ORDER BY article_id"
                        .formatted(TABLE))
                .rows())
        .containsExactly(
            List.of(500L, firstSequence),
            List.of(501L, firstSequence),
            List.of(502L, firstSequence),
            List.of(510L, secondSequence),
            List.of(511L, secondSequence));
    PushService.ViewStatus status = server.pushStatus().orElseThrow().views().getFirst();
    assertThat(status.bufferedRows()).isZero();
    assertThat(status.lastError()).isEmpty();
    // the log is released through the last push: a restart replays nothing of it
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long released = 0;
    while (released < secondSequence && System.nanoTime() < deadline) {
      Path mark = pushLog.resolve("released");
      released = Files.exists(mark) ? Long.parseLong(Files.readString(mark).strip()) : 0;
      Thread.sleep(50);
    }
    assertThat(released).isEqualTo(secondSequence);
  }

  /** {@code count} NDJSON rows of article ids from {@code firstId} on. */
  private static String rows(int firstId, int count, LocalDateTime at) {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < count; i++) {
      rows.append(
          "{\"article_id\": %d, \"updated_at\": \"%s\", \"reads_5m\": %d}\n"
              .formatted(firstId + i, at, i));
    }
    return rows.toString();
  }

  private long count(String query) {
    return ((Number) engine.query("SELECT count(*) FROM (" + query + ")").onlyValue()).longValue();
  }

  private record Reply(int status, String body, ObjectMapper mapper) {
    JsonNode json() throws IOException {
      return mapper.readTree(body);
    }
  }

  private Reply post(String path, String contentType, String body, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri().resolve(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    // its reply must be what the OpenAPI document says of its route
    assertThat(document.replyProblems(response)).as("the OpenAPI document's word").isEmpty();
    return new Reply(response.statusCode(), response.body(), mapper);
  }
}
