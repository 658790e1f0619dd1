package io.asof.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.compiler.window.WindowTiles;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/online-features} of an aggregation view on Trino and DynamoDB Local: the server
 * reads the view's tiles at the moment of the request (a fixed clock here, the load's) and answers
 * every feature of every key with the value the point-in-time statement computes at that moment.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestWindowedOnlineServer {
  private static final String READER = "reader-token-0123456789";
  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  /** The windows of the view's header below. */
  private static final List<Duration> WINDOWS =
      List.of(
          Duration.ofMinutes(5),
          Duration.ofHours(1),
          Duration.ofDays(1),
          Duration.ofDays(7),
          Duration.ofDays(30),
          Duration.ofDays(90));

  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private Instant now;
  private QueryEngine engine;
  private RegistryStore registry;
  private OnlineStore store;
  private AsofServer server;
  private CompiledView view;

  @BeforeAll
  void start(StackEndpoints stack, @TempDir Path repo, @TempDir Path state) throws IOException {
    // near the real clock's, so that DynamoDB Local's TTL (on the real clock) keeps the tiles read;
    // half past an hour whose windows cover more than ten tile items per key, so that the item
    // limit below is reached: just after a full hour, or at 23:30 (the day's edge), they cover
    // fewer (9 at 23:30: a fresh-clone CI run between midnight and 1 am failed so)
    Instant candidate =
        Instant.now()
            .truncatedTo(ChronoUnit.HOURS)
            .minus(Duration.ofMinutes(30))
            .plusSeconds(17)
            .plusNanos(123_456_000);
    while (WindowTiles.buckets(WINDOWS, candidate).size() <= 10) {
      candidate = candidate.minus(Duration.ofHours(1));
    }
    now = candidate;
    String catalog = stack.catalog();
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/" + catalog, stack.trinoUser()));
    engine.execute("CREATE SCHEMA IF NOT EXISTS %s.win_http".formatted(catalog));
    engine.execute("DROP TABLE IF EXISTS %s.win_http.read_events".formatted(catalog));
    List<String> rows = new ArrayList<>();
    // user 1: events 30 s, 10 min, 3 h and 3 days ago; user 2: 2 days ago only; user 3: 9 days ago
    long[][] ago = {{1, 30}, {1, 600}, {1, 10_800}, {1, 259_200}, {2, 172_800}, {3, 777_600}};
    for (int i = 0; i < ago.length; i++) {
      rows.add(
          "(BIGINT '%d', TIMESTAMP '%s', %d, %s)"
              .formatted(
                  ago[i][0],
                  LocalDateTime.ofInstant(now.minusSeconds(ago[i][1]), ZoneOffset.UTC)
                      .format(LITERAL),
                  10 * (i + 1),
                  i % 2 == 0 ? "true" : "false"));
    }
    engine.execute(
        """
        CREATE TABLE %s.win_http.read_events AS
        SELECT user_id, CAST(reacted_at AS timestamp(6)) AS reacted_at,
          CAST(dwell AS integer) AS dwell_seconds, liked
        FROM (VALUES %s) AS t (user_id, reacted_at, dwell, liked)"""
            .formatted(catalog, String.join(",\n", rows)));
    Files.writeString(
        repo.resolve("entities.yaml"),
        """
        entities:
          user:
            keys: [user_id]
            description: A reader.
        """);
    Files.createDirectories(repo.resolve("views"));
    Files.writeString(
        repo.resolve("views/user_reads.sql"),
        """
        -- view: user_reads
        -- entity: user
        -- event_time: reacted_at
        -- windows: 5m, 1h, 1d, 7d, 30d, 90d
        SELECT user_id,
               count(*) AS n,
               sum(dwell_seconds) AS dwell,
               count_if(liked) * 1e0 / nullif(count(*), 0) AS like_rate
        FROM win_http.read_events
        GROUP BY user_id
        """);
    registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
    Repositories.apply(engine, registry, repo, catalog);
    view =
        new FeatureViewCompiler(
                new EngineWarehouseCatalog(engine, new TrinoDialect()), engine, catalog)
            .compileAll(RepositoryLoader.load(repo))
            .getFirst();
    store = DynamoDbOnlineStore.connectLocal(stack.dynamoDbEndpoint(), stack.dynamoDbRegion());
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    OnlineService online =
        new OnlineService(engine, new TrinoDialect(), registry, repo, catalog, store, clock);
    // the stack's DynamoDB Local may hold the table from an earlier run
    store.drop(OnlineTables.tableOf(registry.view("user_reads").orElseThrow()));
    online.enable(
        "user_reads",
        OnlineGroup.Mode.DYNAMODB,
        Duration.ofSeconds(30),
        OnlineService.LoadListener.NONE);
    server =
        new AsofServer(
                new TrainingSetService(engine, new TrinoDialect(), registry, repo, catalog),
                repo,
                Optional.of(
                    new AsofServer.Online(
                        registry,
                        new CachingOnlineStore(
                            DynamoDbOnlineStore.connectLocal(
                                stack.dynamoDbEndpoint(), stack.dynamoDbRegion()),
                            clock))),
                Optional.empty(),
                Optional.of(ApiTokens.of("trainer", Role.READ, READER)),
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
  void servesEveryWindowAsOfflineComputesItAtTheMomentOfTheRequest() throws Exception {
    HttpResponse<String> reply =
        onlineFeatures(
            """
            {"entities": [{"user_id": 1}, {"user_id": 2}, {"user_id": 3},
                          {"user_id": 77}, {"user_id": null}],
             "features": ["user_reads:*"]}""");
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    JsonNode json = mapper.readTree(reply.body());
    List<String> features = view.aggregation().orElseThrow().features();
    List<String> named = new ArrayList<>();
    json.get("features").forEach(f -> named.add(f.asText()));
    assertThat(named)
        .containsExactlyElementsOf(features.stream().map(f -> "user_reads:" + f).toList());
    List<List<Object>> offline = offline(List.of(1L, 2L, 3L, 77L));
    for (int k = 0; k < 4; k++) {
      JsonNode result = json.get("results").get(k);
      List<String> statuses = new ArrayList<>();
      result.get("statuses").forEach(s -> statuses.add(s.asText()));
      assertThat(statuses).containsOnly("PRESENT");
      for (int f = 0; f < features.size(); f++) {
        Object expected = offline.get(k).get(f + 1);
        String what = "user %s %s".formatted(offline.get(k).get(0), features.get(f));
        WindowedOffline.assertValue(result, f, expected, what);
      }
    }
    // user 1 has two events in the last hour, user 77 none at all: counts 2 and 0, sums 30 and NULL
    JsonNode user1 = json.get("results").get(0).get("values");
    assertThat(user1.get(features.indexOf("n_1h")).asLong()).isEqualTo(2);
    assertThat(user1.get(features.indexOf("dwell_1h")).asLong()).isEqualTo(30);
    JsonNode user77 = json.get("results").get(3).get("values");
    assertThat(user77.get(features.indexOf("n_7d")).asLong()).isZero();
    assertThat(user77.get(features.indexOf("dwell_7d")).isNull()).isTrue();
    List<String> nullKey = new ArrayList<>();
    json.get("results").get(4).get("statuses").forEach(s -> nullKey.add(s.asText()));
    assertThat(nullKey).containsOnly("NOT_FOUND");
  }

  @Test
  void aRequestReadingTooManyTileItemsIsRefusedBeforeAnythingIsRead() throws Exception {
    // six windows cover more than ten tile items per key: 1,000 keys would fan out to over 10,000
    StringBuilder entities = new StringBuilder();
    for (int u = 1; u <= 1_000; u++) {
      entities.append(u == 1 ? "" : ", ").append("{\"user_id\": ").append(u).append('}');
    }
    HttpResponse<String> reply =
        onlineFeatures(
            "{\"entities\": [%s], \"features\": [\"user_reads:n_5m\"]}".formatted(entities));
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(413);
    assertThat(mapper.readTree(reply.body()).get("error").asText())
        .startsWith("1,000 entity rows would read ")
        .contains("online items (user_reads (")
        .endsWith("a request reads at most 10,000; ask for fewer entity rows per request");
  }

  /** {@code POST /v1/online-features} with {@code body}, as a reader. */
  private HttpResponse<String> onlineFeatures(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.uri() + "/v1/online-features"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + READER)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Each user's features at {@code now}, offline: user id, features. */
  private List<List<Object>> offline(List<Long> users) {
    return WindowedOffline.values(engine, view, now, users);
  }
}
