package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.TrainingSetCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.compiler.pit.PitPlan;
import io.asof.compiler.pit.PitRequest;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.repository.RepositoryLoader;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.model.window.WindowedAggregation;
import io.asof.online.KeyRead;
import io.asof.online.OnlineStore;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
import io.asof.registry.ApplyPlan;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An aggregation view online equals offline at now, on Trino and DynamoDB Local: events over the
 * last 40 days (some exactly on a window's far edge, one a microsecond before it, some at now;
 * counts, sums, least and greatest values, distinct counts and expressions over them), a load of
 * its tiles, a read at several instants after it, and the point-in-time statement at the same
 * instants; every value of every key compared (doubles to 1e-9 relative: offline subtracts running
 * sums, online adds tiles).
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestWindowedOnline {
  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  /**
   * The moment the tiles are loaded and read at: the real clock's when the class starts, so that
   * DynamoDB Local's TTL (on the real clock) does not delete tiles a read at it still needs.
   */
  private Instant now;

  private QueryEngine trino;
  private Path repository;
  private String catalog;
  private OnlineStore store;
  private CompiledView view;
  private WindowedOnline online;

  @BeforeAll
  void start(StackEndpoints stack, @TempDir Path repo) throws IOException {
    repository = repo;
    now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    catalog = stack.catalog();
    trino =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/" + catalog, stack.trinoUser()));
    trino.execute("CREATE SCHEMA IF NOT EXISTS %s.win_src".formatted(catalog));
    trino.execute("DROP TABLE IF EXISTS %s.win_src.read_events".formatted(catalog));
    Random random = new Random(20261207);
    List<String> rows = new ArrayList<>();
    long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    long floorMinute = Math.floorDiv(now.getEpochSecond(), 60) * 60 * 1_000_000;
    for (int i = 0; i < 400; i++) {
      long user = 1L + random.nextInt(4);
      long micros =
          switch (i % 10) {
            // far edges of 1h and 1d exactly, and a microsecond before
            case 0 -> floorMinute - 3_600_000_000L;
            case 1 -> floorMinute - 3_600_000_000L - 1;
            case 2 -> floorMinute - 86_400_000_000L;
            case 3 -> nowMicros;
            case 4 -> nowMicros - random.nextInt(120) * 1_000_000L;
            default -> nowMicros - (long) (random.nextDouble() * 40 * 86_400_000_000L);
          };
      String dwell = random.nextInt(5) == 0 ? "NULL" : Integer.toString(random.nextInt(300));
      String liked = random.nextBoolean() ? "true" : "false";
      rows.add("(BIGINT '%d', TIMESTAMP '%s', %s, %s)".formatted(user, time(micros), dwell, liked));
    }
    rows.add("(BIGINT '9', NULL, 5, true)");
    trino.execute(
        """
        CREATE TABLE %s.win_src.read_events AS
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
        -- windows: 5m, 1h, 1d, 7d, 30d
        SELECT user_id,
               count(*) AS n,
               count(dwell_seconds) AS dwell_n,
               sum(dwell_seconds) AS dwell,
               avg(dwell_seconds) AS avg_dwell,
               count_if(liked) AS likes,
               count_if(liked) * 1e0 / nullif(count(*), 0) AS like_rate,
               min(dwell_seconds) AS shortest,
               max(dwell_seconds) - min(dwell_seconds) AS dwell_range,
               count(DISTINCT dwell_seconds / 10) AS dwell_buckets
        FROM win_src.read_events
        GROUP BY user_id
        """);
    view =
        new FeatureViewCompiler(
                new EngineWarehouseCatalog(trino, new TrinoDialect()), trino, catalog)
            .compileAll(RepositoryLoader.load(repo))
            .getFirst();
    store = DynamoDbOnlineStore.connectLocal(stack.dynamoDbEndpoint(), stack.dynamoDbRegion());
    online =
        new WindowedOnline(
            "user_reads",
            1,
            List.of(new Column("user_id", "bigint")),
            view.aggregation().orElseThrow());
    store.drop(online.table());
    store.create(online.table());
    WindowedOnline.Loaded loaded = online.load(trino, store, now, true);
    assertThat(loaded.minutes()).isGreaterThan(100);
  }

  @AfterAll
  void stop() {
    if (online != null) {
      store.drop(online.table());
    }
    if (store != null) {
      store.close();
    }
    trino.close();
  }

  @Test
  void onlineEqualsOfflineAtNowAndAfter() {
    List<List<Object>> keys = new ArrayList<>();
    for (long user = 1; user <= 5; user++) {
      keys.add(List.of(user));
    }
    int compared = 0;
    // at the load, later in the same minute, and minutes later: windows slide without a reload
    for (Duration later : List.of(Duration.ZERO, Duration.ofSeconds(2), Duration.ofMinutes(7))) {
      Instant at = now.plus(later);
      List<KeyRead> reads = online.read(store, keys, at);
      List<List<Object>> offline = offline(at);
      List<String> features = view.aggregation().orElseThrow().features();
      for (int k = 0; k < keys.size(); k++) {
        List<Object> values = reads.get(k).record().orElseThrow().values();
        List<Object> row = offline.get(k);
        for (int f = 0; f < features.size(); f++) {
          Object expected = row.get(f + 1);
          Object actual = values.get(f);
          String what = "user %s %s at %s".formatted(keys.get(k), features.get(f), at);
          if (expected instanceof Double d && actual instanceof Double a && !d.isNaN()) {
            assertThat(a)
                .as(what)
                .isCloseTo(d, org.assertj.core.data.Offset.offset(Math.abs(d) * 1e-9 + 1e-12));
          } else {
            // an integer min or max is an integer online and offline
            assertThat(actual).as(what).isEqualTo(expected);
          }
          compared++;
        }
      }
      // the cases must find values, not only empty windows: n_30d, and at the load n_5m
      assertThat(
              reads.stream().mapToLong(r -> (Long) r.record().orElseThrow().values().get(4)).sum())
          .isGreaterThan(100);
      if (later.isZero()) {
        assertThat(
                reads.stream()
                    .mapToLong(r -> (Long) r.record().orElseThrow().values().get(0))
                    .sum())
            .isGreaterThan(0);
      }
    }
    assertThat(compared).isEqualTo(3 * 5 * 45);
  }

  @Test
  void onlineEnableAndCheckThroughTheService(@TempDir Path state) {
    RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
    ApplyPlan plan = ApplyPlanner.plan(List.of(view), registry.views());
    registry.apply(ApplyPlanner.applied(plan, List.of(view), now), List.of());
    OnlineService service =
        new OnlineService(
            trino,
            new TrinoDialect(),
            registry,
            repository,
            catalog,
            store,
            Clock.fixed(now, ZoneOffset.UTC));
    OnlineService.LoadSummary loaded =
        service.enable(
            "user_reads",
            OnlineGroup.Mode.DYNAMODB,
            OnlineService.DEFAULT_CACHE_REFRESH,
            OnlineService.LoadListener.NONE);
    assertThat(loaded.written().written()).isGreaterThan(10);
    OnlineCheck.CheckReport report = service.check("user_reads", 10, 1);
    assertThat(report.checked()).isEqualTo(4);
    assertThat(report.mismatches()).isEmpty();
    service.disable("user_reads", false);
  }

  /** Every feature of users 1 to 5 at {@code at}, by the point-in-time statement. */
  private List<List<Object>> offline(Instant at) {
    WindowedAggregation aggregation = view.aggregation().orElseThrow();
    String spine =
        "SELECT user_id, TIMESTAMP '%s' AS ts FROM UNNEST(sequence(BIGINT '1', BIGINT '5')) AS u (user_id)"
            .formatted(time(at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000));
    PitRequest request =
        new PitRequest(
            spine,
            List.of(new Column("user_id", "bigint"), new Column("ts", "timestamp(6)")),
            "ts",
            List.of(TrainingSetCompiler.aggregationView(view, aggregation.features(), false)));
    PitPlan plan = PointInTimeSql.plan(request);
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> row : trino.query(plan.sql() + "\nORDER BY 1").rows()) {
      List<Object> values = new ArrayList<>(row);
      values.remove(1); // ts
      rows.add(values);
    }
    return rows;
  }

  private static String time(long micros) {
    return LocalDateTime.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000),
            Math.floorMod(micros, 1_000_000) * 1_000,
            ZoneOffset.UTC)
        .format(LITERAL);
  }
}
