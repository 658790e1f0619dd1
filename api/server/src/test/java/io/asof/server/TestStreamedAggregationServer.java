package io.asof.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.repository.RepositoryLoader;
import io.asof.jobs.OnlineService;
import io.asof.jobs.OnlineTables;
import io.asof.jobs.Repositories;
import io.asof.jobs.TrainingSetService;
import io.asof.local.StackEndpoints;
import io.asof.online.CachingOnlineStore;
import io.asof.online.OnlineStore;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
import io.asof.push.PushConfig;
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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
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
 * An aggregation view over a push view, on Trino and DynamoDB Local: rows pushed through the server
 * are in the view's online aggregates at once (no load after the push), agree with the view built
 * offline from the push view's table once the micro-batch is committed, and are not counted twice
 * when a restarted server replays its log. The server's clock is fixed at the real time the test
 * starts (DynamoDB Local's TTL runs on the real clock).
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestStreamedAggregationServer {
  private static final String READER = "reader-token-0123456789";
  private static final String WRITER = "writer-token-0123456789";

  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Instant now;
  private Clock clock;
  private Path repo;
  private String catalog;
  private Path pushLog;
  private PushConfig config;
  private QueryEngine engine;
  private RegistryStore registry;
  private OnlineStore store;
  private OnlineService online;
  private StackEndpoints endpoints;
  private AsofServer server;
  private CompiledView view;

  @BeforeAll
  void start(TestStack stack, @TempDir Path repository, @TempDir Path state) throws IOException {
    Optional<Path> warehouse = stack.localWarehouse();
    assumeTrue(
        warehouse.isPresent(),
        "push commits need a directory both this JVM and Trino read: a stack of local processes");
    now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    clock = Clock.fixed(now, ZoneOffset.UTC);
    repo = repository;
    endpoints = stack.endpoints();
    catalog = endpoints.catalog();
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(
                endpoints.trinoJdbcUrl() + "/" + catalog, endpoints.trinoUser()));
    engine.execute("DROP TABLE IF EXISTS features.page_events__v1");
    Files.writeString(
        repo.resolve("entities.yaml"),
        """
        entities:
          user:
            keys: [user_id]
        """);
    Files.createDirectories(repo.resolve("views"));
    Files.writeString(
        repo.resolve("views/page_events.sql"),
        """
        -- view: page_events
        -- entity: user
        -- event_time: read_at
        -- push: true
        CREATE TABLE page_events (
          user_id bigint,
          read_at timestamp(6),
          dwell_seconds integer,
          liked boolean
        )
        """);
    Files.writeString(
        repo.resolve("views/user_reads.sql"),
        """
        -- view: user_reads
        -- entity: user
        -- event_time: read_at
        -- windows: 5m, 1h, 1d
        SELECT user_id,
               count(*) AS n,
               sum(dwell_seconds) AS dwell,
               avg(dwell_seconds) AS avg_dwell,
               count_if(liked) * 1e0 / nullif(count(*), 0) AS like_rate
        FROM features.page_events
        GROUP BY user_id
        """);
    registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
    Repositories.apply(engine, registry, repo, catalog);
    view =
        new FeatureViewCompiler(
                new EngineWarehouseCatalog(engine, new TrinoDialect()), engine, catalog)
            .compileAll(RepositoryLoader.load(repo)).stream()
                .filter(v -> v.name().equals("user_reads"))
                .findFirst()
                .orElseThrow();
    assertThat(view.aggregation().orElseThrow().pushSource()).isPresent();
    store =
        DynamoDbOnlineStore.connectLocal(endpoints.dynamoDbEndpoint(), endpoints.dynamoDbRegion());
    online = new OnlineService(engine, new TrinoDialect(), registry, repo, catalog, store, clock);
    store.drop(OnlineTables.tableOf(registry.view("user_reads").orElseThrow()));
    pushLog = state.resolve("push-log");
    config =
        PushConfig.defaults(
                pushLog,
                warehouse.get().resolve("stream_test_staging"),
                URI.create("local:///stream_test_staging"))
            .withCommits(Duration.ofHours(1), 1_000_000);
    server = server();
  }

  private AsofServer server() {
    return new AsofServer(
            new TrainingSetService(engine, new TrinoDialect(), registry, repo, catalog),
            repo,
            Optional.of(
                new AsofServer.Online(
                    registry,
                    new CachingOnlineStore(
                        DynamoDbOnlineStore.connectLocal(
                            endpoints.dynamoDbEndpoint(), endpoints.dynamoDbRegion()),
                        clock))),
            Optional.of(new AsofServer.Push(config, engine, catalog, new TrinoDialect())),
            Optional.of(
                ApiTokens.of("trainer", Role.READ, READER).and("pipeline", Role.WRITE, WRITER)),
            "127.0.0.1",
            0,
            clock)
        .start();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {server, store, registry, engine}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  @Test
  @Order(1)
  void pushedEventsAreInTheAggregatesAtOnceAndAgreeWithOfflineOnceCommitted() throws Exception {
    // pushed and committed before the view goes online: its load reads them
    push(
        "off",
        event(1, 3 * 3600, 10, true),
        event(2, 2 * 86_400, 20, false),
        event(1, 600, null, true),
        event(4, 30, 8, true));
    assertThat(server.flushPushes(Duration.ofSeconds(60))).isTrue();
    online.enable(
        "user_reads",
        OnlineGroup.Mode.DYNAMODB,
        Duration.ofSeconds(30),
        OnlineService.LoadListener.NONE);
    server.refreshOnline();
    assertThat(features(List.of(1L)).get(0).get("values").get(0).asLong())
        .as("user 1's reads in the last 5 minutes, as loaded")
        .isZero();

    // pushed while the view is online: no load after them
    long started = System.nanoTime();
    push(
        "queued",
        event(1, 30, 5, false),
        event(1, 120, 3, null),
        event(3, 60, 7, true),
        event(4, 40, 2, false));
    JsonNode results = null;
    while (System.nanoTime() - started < Duration.ofSeconds(10).toNanos()) {
      JsonNode read = features(List.of(1L, 3L, 4L));
      if (read.get(0).get("values").get(0).asLong() == 2
          && read.get(1).get("values").get(0).asLong() == 1
          && read.get(2).get("values").get(0).asLong() == 2) {
        results = read;
        break;
      }
      Thread.sleep(10);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf(
        "pushed events were in the aggregates %d ms after the push%n", took.toMillis());
    assertThat(results).as("in the aggregates within 10 s (took %s)", took).isNotNull();
    // not committed yet: the view's table, so offline, does not have them
    assertThat(count("SELECT * FROM features.page_events__v1")).isEqualTo(4);

    assertThat(server.flushPushes(Duration.ofSeconds(60))).isTrue();
    assertThat(count("SELECT * FROM features.page_events__v1")).isEqualTo(8);
    assertAgreesWithOffline();
  }

  @Test
  @Order(2)
  void aRestartReplayingTheLogCountsNothingTwice() throws Exception {
    List<JsonNode> before = new ArrayList<>();
    features(List.of(1L, 2L, 3L, 4L)).forEach(before::add);
    server.close();
    // as after a crash before the log was released: every push is replayed, and the catch-up of
    // the view's tiles from the table runs again
    Files.writeString(pushLog.resolve("released"), "0");
    try (Stream<Path> markers = Files.walk(pushLog.resolve("tiles"))) {
      for (Path marker : markers.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(marker);
      }
    }
    server = server();
    assertThat(server.flushPushes(Duration.ofSeconds(60))).isTrue();
    List<JsonNode> after = new ArrayList<>();
    features(List.of(1L, 2L, 3L, 4L)).forEach(after::add);
    assertThat(after.toString()).isEqualTo(before.toString());
    assertAgreesWithOffline();

    // a push after the restart still counts once
    push("queued", event(2, 90, 4, true));
    JsonNode user2 = null;
    for (int i = 0; i < 500; i++) {
      user2 = features(List.of(2L)).get(0);
      if (user2.get("values").get(0).asLong() == 1) {
        break;
      }
      Thread.sleep(10);
    }
    assertThat(user2.get("values").get(0).asLong()).isEqualTo(1);
    assertThat(server.flushPushes(Duration.ofSeconds(60))).isTrue();
    assertAgreesWithOffline();
  }

  /** Every feature of users 1 to 4 and 77 online at {@code now} equals the offline value then. */
  private void assertAgreesWithOffline() throws Exception {
    List<Long> users = List.of(1L, 2L, 3L, 4L, 77L);
    JsonNode results = features(users);
    List<String> features = view.aggregation().orElseThrow().features();
    List<List<Object>> offline = offline(users);
    for (int k = 0; k < users.size(); k++) {
      for (int f = 0; f < features.size(); f++) {
        WindowedOffline.assertValue(
            results.get(k),
            f,
            offline.get(k).get(f + 1),
            "user %s %s".formatted(users.get(k), features.get(f)));
      }
    }
  }

  /** Each user's features at {@code now}, offline: user id, features. */
  private List<List<Object>> offline(List<Long> users) {
    return WindowedOffline.values(engine, view, now, users);
  }

  /** One pushed row: a user's read {@code ago} seconds before {@code now}. */
  private String event(long user, long ago, Integer dwell, Boolean liked) {
    return "{\"user_id\": %d, \"read_at\": \"%s\", \"dwell_seconds\": %s, \"liked\": %s}"
        .formatted(
            user, LocalDateTime.ofInstant(now.minusSeconds(ago), ZoneOffset.UTC), dwell, liked);
  }

  /**
   * Pushes rows; {@code online} is what the answer says of them ("off" before any view is online).
   */
  private void push(String online, String... rows) throws Exception {
    HttpResponse<String> reply =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/v1/push/page_events"))
                .header("Content-Type", "application/x-ndjson")
                .header("Authorization", "Bearer " + WRITER)
                .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", rows) + "\n"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    assertThat(mapper.readTree(reply.body()).get("online").asText()).isEqualTo(online);
  }

  /** The users' results of {@code user_reads:*} read online now. */
  private JsonNode features(List<Long> users) throws Exception {
    HttpResponse<String> reply =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/v1/online-features"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + READER)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"entities\": [%s], \"features\": [\"user_reads:*\"]}"
                            .formatted(
                                String.join(
                                    ", ",
                                    users.stream().map(u -> "{\"user_id\": " + u + "}").toList()))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    return mapper.readTree(reply.body()).get("results");
  }

  private long count(String query) {
    return ((Number) engine.query("SELECT count(*) FROM (" + query + ")").onlyValue()).longValue();
  }
}
