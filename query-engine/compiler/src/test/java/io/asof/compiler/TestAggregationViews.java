package io.asof.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.compiler.pit.PitRequest;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.compiler.window.WindowSql;
import io.asof.compiler.window.WindowTiles;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.repository.RepositoryLoader;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.model.FeatureRepository;
import io.asof.model.RepositoryException;
import io.asof.model.TrainingSetSpec;
import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.Kind;
import io.asof.model.window.WindowedAggregation.State;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aggregation views ({@code -- windows:}) on Trino 476, over tables of Trino's memory catalog: what
 * the compiler makes of them (golden statements), what it refuses and where, and the published "as
 * of now" statement run against events placed relative to the current time.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestAggregationViews {
  private static final String SCHEMA = "aggviews";
  private static final String ENTITIES =
      """
      entities:
        user:
          keys: [user_id]
        user_category:
          keys: [user_id, category]
      """;
  private static final String USER_ACTIVITY =
      """
      -- entity: user
      -- event_time: reacted_at
      -- created_time: ingested_at
      -- windows: 1h, 1d, 7d
      SELECT r.user_id,
        count(*) AS read_count,
        count(dwell_seconds) AS timed_reads,
        count_if(liked) * 1e0 / count(*) AS like_rate,
        sum(dwell_seconds) AS dwell_seconds,
        avg(dwell_seconds) AS avg_dwell
      FROM aggviews.reactions r
      WHERE r.dwell_seconds IS NULL OR r.dwell_seconds >= 0
      GROUP BY r.user_id
      """;
  private static final String CATEGORY_ACTIVITY =
      """
      -- entity: user_category
      -- event_time: reacted_at
      -- windows: 90m, 7d
      SELECT user_id, category, count_if(liked) AS likes, nullif(count(*), 0) AS read_count,
        max(dwell_seconds) AS longest, count(DISTINCT article_id) AS articles
      FROM aggviews.reactions
      GROUP BY category, user_id
      """;
  private static final String USER_EXTREMES =
      """
      -- entity: user
      -- event_time: reacted_at
      -- created_time: ingested_at
      -- windows: 5m, 30d
      SELECT user_id, min(dwell_seconds) AS shortest,
        max(dwell_seconds) - min(dwell_seconds) AS dwell_range,
        count(DISTINCT article_id) * 1e0 / count(DISTINCT category) AS articles_per_category
      FROM aggviews.reactions
      GROUP BY user_id
      """;

  private QueryEngine engine;
  private FeatureViewCompiler compiler;
  private TrainingSetCompiler trainingSets;

  @TempDir Path repository;

  @BeforeAll
  void createTables(StackEndpoints stack) {
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/memory", stack.trinoUser()));
    engine.execute("DROP SCHEMA IF EXISTS memory.%s CASCADE".formatted(SCHEMA));
    engine.execute("CREATE SCHEMA memory.%s".formatted(SCHEMA));
    engine.execute(
        """
        CREATE TABLE memory.aggviews.reactions (
          user_id bigint, article_id bigint, category varchar, reacted_at timestamp(6),
          ingested_at timestamp(6), dwell_seconds integer, liked boolean, day date)""");
    engine.execute(
        """
        CREATE TABLE memory.aggviews.impressions (
          impression_id bigint, user_id bigint, category varchar, shown_at timestamp(6),
          clicked boolean)""");
    compiler =
        new FeatureViewCompiler(
            new EngineWarehouseCatalog(engine, new TrinoDialect()), engine, "memory");
    trainingSets =
        new TrainingSetCompiler(
            engine, new EngineWarehouseCatalog(engine, new TrinoDialect()), "memory");
  }

  @AfterAll
  void close() {
    engine.execute("DROP SCHEMA IF EXISTS memory.%s CASCADE".formatted(SCHEMA));
    engine.close();
  }

  // ---- what an aggregation view compiles to

  @Test
  void aggregatesBecomeRunningStatesAndOutputsPerWindow() throws IOException {
    CompiledView view = compileOne("user_activity", USER_ACTIVITY);
    WindowedAggregation aggregation = view.aggregation().orElseThrow();
    assertThat(aggregation.keys()).containsExactly("user_id");
    assertThat(aggregation.eventTimeType()).isEqualTo("timestamp(6)");
    assertThat(aggregation.createdTimeType()).contains("timestamp(6)");
    assertThat(aggregation.windows())
        .containsExactly(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7));
    // count(dwell_seconds), sum and avg share one argument and its count of values
    assertThat(aggregation.states())
        .containsExactly(
            new State(Kind.ROWS, Optional.empty(), "bigint"),
            new State(Kind.NON_NULL, Optional.of("__asof_x0"), "integer"),
            new State(Kind.TRUE, Optional.of("__asof_x1"), "boolean"),
            new State(Kind.SUM, Optional.of("__asof_x0"), "integer"));
    assertThat(view.columns())
        .containsExactly(
            new Column("user_id", "bigint"),
            new Column("read_count_1h", "bigint"),
            new Column("read_count_1d", "bigint"),
            new Column("read_count_7d", "bigint"),
            new Column("timed_reads_1h", "bigint"),
            new Column("timed_reads_1d", "bigint"),
            new Column("timed_reads_7d", "bigint"),
            new Column("like_rate_1h", "double"),
            new Column("like_rate_1d", "double"),
            new Column("like_rate_7d", "double"),
            new Column("dwell_seconds_1h", "bigint"),
            new Column("dwell_seconds_1d", "bigint"),
            new Column("dwell_seconds_7d", "bigint"),
            new Column("avg_dwell_1h", "double"),
            new Column("avg_dwell_1d", "double"),
            new Column("avg_dwell_7d", "double"));
    Map<String, String> perWindow = new LinkedHashMap<>();
    aggregation.outputs().forEach(o -> perWindow.put(o.column(), o.perWindow().get(2)));
    assertThat(perWindow)
        .containsExactly(
            Map.entry("read_count", "\"__asof_s0_w2\""),
            Map.entry("timed_reads", "\"__asof_s1_w2\""),
            Map.entry("like_rate", "\"__asof_s2_w2\" * 1E0 / \"__asof_s0_w2\""),
            Map.entry(
                "dwell_seconds",
                "CASE WHEN \"__asof_s1_w2\" > 0 THEN \"__asof_s3_w2\" ELSE NULL END"),
            Map.entry(
                "avg_dwell",
                "CASE WHEN \"__asof_s1_w2\" > 0 THEN CAST(\"__asof_s3_w2\" AS DOUBLE) / \"__asof_s1_w2\" ELSE NULL END"));
  }

  @Test
  void trainingSetOverAggregationViewsMatchesItsGoldenFile() throws IOException {
    reset();
    write("entities.yaml", ENTITIES);
    write("views/user_activity.sql", USER_ACTIVITY);
    write("views/category_activity.sql", CATEGORY_ACTIVITY);
    write("views/user_extremes.sql", USER_EXTREMES);
    // no created time and no distinct count: prefix differences, over buckets of keys when exact
    write(
        "views/user_reads.sql",
        """
        -- entity: user
        -- event_time: reacted_at
        -- windows: 1h, 30d
        SELECT user_id, count(*) AS read_total, sum(dwell_seconds) AS dwell
        FROM aggviews.reactions
        GROUP BY user_id
        """);
    // ... and partitioned by key when a sum is floating-point, with extremes beside
    write(
        "views/user_dwell.sql",
        """
        -- entity: user
        -- event_time: reacted_at
        -- windows: 1h
        SELECT user_id, avg(dwell_seconds * 1e0) AS avg_dwell, max(dwell_seconds) AS longest
        FROM aggviews.reactions
        GROUP BY user_id
        """);
    write(
        "views/user_profile.sql",
        """
        -- entity: user
        -- event_time: reacted_at
        SELECT user_id, reacted_at, article_id AS last_article FROM aggviews.reactions
        """);
    write(
        "training_sets/clicks.sql",
        """
        -- training_set: clicks
        -- timestamp: shown_at
        -- label: clicked
        -- features: user_activity:read_count_1h, user_activity:like_rate_7d, user_activity:avg_dwell_1d,
        --   category_activity:*, user_profile:last_article, user_extremes:dwell_range_30d,
        --   user_extremes:shortest_5m, user_extremes:articles_per_category_30d,
        --   user_reads:*, user_dwell:*
        SELECT impression_id, user_id, category, shown_at, clicked FROM aggviews.impressions
        """);
    FeatureRepository loaded = RepositoryLoader.load(repository);
    List<CompiledView> views = compiler.compileAll(loaded);
    TrainingSetSpec spec = loaded.trainingSets().getFirst();
    CompiledTrainingSet set =
        trainingSets.compile(spec, loaded, views, v -> ViewRows.of(v.spec().sql()));
    TrinoSql.assertParses(set.sql());
    GoldenFiles.assertMatches("training/clicks.windows.sql", set.sql() + "\n");
    assertThat(set.columns())
        .extracting(Column::name)
        .containsExactly(
            "impression_id",
            "user_id",
            "category",
            "shown_at",
            "clicked",
            "read_count_1h",
            "like_rate_7d",
            "avg_dwell_1d",
            "likes_90m",
            "likes_7d",
            "read_count_90m",
            "read_count_7d",
            "longest_90m",
            "longest_7d",
            "articles_90m",
            "articles_7d",
            "last_article",
            "dwell_range_30d",
            "shortest_5m",
            "articles_per_category_30d",
            "read_total_1h",
            "read_total_30d",
            "dwell_1h",
            "dwell_30d",
            "avg_dwell_1h",
            "longest_1h");
    // and Trino runs it
    assertThat(engine.query(set.sql()).rows()).isEmpty();
  }

  @Test
  void asOfNowMatchesItsGoldenFiles() throws IOException {
    WindowedAggregation held =
        compileOne("user_activity", USER_ACTIVITY).aggregation().orElseThrow();
    String withCreated = WindowSql.asOfNow(held);
    TrinoSql.assertParses(withCreated);
    GoldenFiles.assertMatches("window/as-of-now.created.sql", withCreated + "\n");
    WindowedAggregation plain =
        compileOne("category_activity", CATEGORY_ACTIVITY).aggregation().orElseThrow();
    String withoutCreated = WindowSql.asOfNow(plain);
    TrinoSql.assertParses(withoutCreated);
    GoldenFiles.assertMatches("window/as-of-now.sql", withoutCreated + "\n");
  }

  @Test
  void asOfNowCountsTheEventsOfEachWindowUpToNow() throws IOException {
    engine.execute(
        """
        CREATE TABLE memory.aggviews.recent (
          user_id bigint, happened timestamp(6), known_at timestamp(6), x bigint)""");
    try {
      Instant now = Instant.now();
      List<String> rows = new ArrayList<>();
      // user 1: one event per window and one outside all of them
      rows.add(row(1, now.minus(30, ChronoUnit.MINUTES), null, 1));
      rows.add(row(1, now.minus(2, ChronoUnit.HOURS), null, 10));
      rows.add(row(1, now.minus(3, ChronoUnit.DAYS), null, 100));
      rows.add(row(1, now.minus(10, ChronoUnit.DAYS), null, 1000));
      // user 2: a late event created in the future (not yet known), one created on time, one
      // without a value
      rows.add(row(2, now.minus(30, ChronoUnit.MINUTES), now.plus(1, ChronoUnit.HOURS), 5));
      rows.add(row(2, now.minus(2, ChronoUnit.HOURS), now.minus(1, ChronoUnit.HOURS), 7));
      rows.add(row(2, now.minus(20, ChronoUnit.MINUTES), null, null));
      // user 3: only an old event, so every window is empty; user 4: no event time at all;
      // user 5: an event in the future
      rows.add(row(3, now.minus(8, ChronoUnit.DAYS), null, 3));
      rows.add(row(4, null, null, 4));
      rows.add(row(5, now.plus(2, ChronoUnit.HOURS), null, 9));
      engine.execute("INSERT INTO memory.aggviews.recent VALUES\n" + String.join(",\n", rows));
      String body =
          """
          SELECT user_id, count(*) AS n, sum(x) AS sx, count(x) AS nx, min(x) AS lo,
            max(x) - min(x) AS spread, count(DISTINCT x) AS dx
          FROM aggviews.recent
          GROUP BY user_id
          """;
      String header = "-- entity: user\n-- event_time: happened\n-- windows: 1h, 1d, 7d\n";
      WindowedAggregation held =
          compileOne("recent_held", header + "-- created_time: known_at\n" + body)
              .aggregation()
              .orElseThrow();
      WindowedAggregation plain = compileOne("recent", header + body).aggregation().orElseThrow();

      // user: n_1h n_1d n_7d sx_1h sx_1d sx_7d nx_1h nx_1d nx_7d lo_1h lo_1d lo_7d
      // spread_1h spread_1d spread_7d dx_1h dx_1d dx_7d
      assertThat(asOfNow(held))
          .containsExactlyInAnyOrder(
              "1: 1 2 3 1 11 111 1 2 3 1 1 1 0 9 99 1 2 3",
              "2: 1 2 2 null 7 7 0 1 1 null 7 7 null 0 0 0 1 1",
              "3: 0 0 0 null null null 0 0 0 null null null null null null 0 0 0",
              "5: 0 0 0 null null null 0 0 0 null null null null null null 0 0 0");
      assertThat(asOfNow(plain))
          .containsExactlyInAnyOrder(
              "1: 1 2 3 1 11 111 1 2 3 1 1 1 0 9 99 1 2 3",
              "2: 2 3 3 5 12 12 1 2 2 5 5 5 0 2 2 1 2 2",
              "3: 0 0 0 null null null 0 0 0 null null null null null null 0 0 0",
              "5: 0 0 0 null null null 0 0 0 null null null null null null 0 0 0");
    } finally {
      engine.execute("DROP TABLE memory.aggviews.recent");
    }
  }

  private List<String> asOfNow(WindowedAggregation aggregation) {
    List<String> rows = new ArrayList<>();
    for (List<Object> row : engine.query(WindowSql.asOfNow(aggregation)).rows()) {
      List<String> values = new ArrayList<>();
      for (int i = 1; i < row.size(); i++) {
        values.add(String.valueOf(row.get(i)));
      }
      rows.add(row.getFirst() + ": " + String.join(" ", values));
    }
    return rows;
  }

  private static String row(long user, Instant at, Instant made, Integer x) {
    return "(%d, %s, %s, %s)".formatted(user, time(at), time(made), x == null ? "NULL" : x);
  }

  private static String time(Instant instant) {
    if (instant == null) {
      return "CAST(NULL AS timestamp(6))";
    }
    return "TIMESTAMP '%s'"
        .formatted(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                .format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)));
  }

  // ---- what cannot be windowed, refused where it is written

  @Test
  void nonAggregatedColumn() throws IOException {
    assertRefused(
        "SELECT user_id, dwell_seconds, count(*) AS read_count\nFROM aggviews.reactions\nGROUP BY user_id, dwell_seconds",
        "views/v.sql:4:17: non-aggregated column dwell_seconds: an aggregation view outputs its keys (user_id) and aggregates only; aggregate it (e.g. count_if(dwell_seconds), sum(dwell_seconds)), or move it to a view without windows",
        "views/v.sql:6:19: an aggregation view groups by exactly the entity's keys (user_id), and '-- windows:' groups by time: remove this from GROUP BY, or make it a key of the entity in entities.yaml");
  }

  @Test
  void nonAggregatedColumnInsideAnOutput() throws IOException {
    assertRefused(
        "SELECT user_id, count(*) + article_id AS read_count\nFROM aggviews.reactions\nGROUP BY user_id, article_id",
        "views/v.sql:4:28: non-aggregated column article_id: an aggregation view outputs its keys (user_id) and aggregates only; aggregate it (e.g. count_if(article_id), sum(article_id)), or move it to a view without windows",
        "views/v.sql:6:19: an aggregation view groups by exactly the entity's keys (user_id), and '-- windows:' groups by time: remove this from GROUP BY, or make it a key of the entity in entities.yaml");
  }

  @Test
  void groupByOtherThanTheKeys() throws IOException {
    assertRefused(
        "SELECT user_id, count(*) AS read_count\nFROM aggviews.reactions\nGROUP BY user_id, article_id",
        "views/v.sql:6:19: an aggregation view groups by exactly the entity's keys (user_id), and '-- windows:' groups by time: remove this from GROUP BY, or make it a key of the entity in entities.yaml");
  }

  @Test
  void groupByMissingAKey() throws IOException {
    assertRefusedFile(
        """
        -- entity: user_category
        -- event_time: reacted_at
        -- windows: 1h
        SELECT user_id, count(*) AS read_count
        FROM aggviews.reactions
        GROUP BY user_id
        """,
        "views/v.sql:4:8: missing key column category: an aggregation view of entity user_category outputs its keys user_id, category and groups by them",
        "views/v.sql:6:1: GROUP BY misses key category: group by user_id, category");
  }

  @Test
  void missingGroupBy() throws IOException {
    assertRefused(
        "SELECT count(*) AS read_count\nFROM aggviews.reactions",
        "views/v.sql:4:1: an aggregation view groups by the entity's keys: add GROUP BY user_id",
        "views/v.sql:4:8: missing key column user_id: an aggregation view of entity user outputs its keys user_id and groups by them");
  }

  @Test
  void having() throws IOException {
    assertRefused(
        "SELECT user_id, count(*) AS read_count\nFROM aggviews.reactions\nGROUP BY user_id\nHAVING count(*) > 2",
        "views/v.sql:7:8: HAVING is not allowed in an aggregation view: each window's aggregate exists for every key and time; filter events in WHERE, or compute a flag as an expression over the aggregates");
  }

  @Test
  void windowFunction() throws IOException {
    assertRefused(
        "SELECT user_id, count(*) OVER (PARTITION BY user_id) AS read_count\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:17: window functions are not allowed in an aggregation view: '-- windows:' evaluates each aggregate over each window at every time; write the plain aggregate");
  }

  @Test
  void windowClause() throws IOException {
    assertRefused(
        "SELECT user_id, count(*) AS read_count\nFROM aggviews.reactions\nGROUP BY user_id\nWINDOW w AS (PARTITION BY user_id)",
        "views/v.sql:7:1: window functions are not allowed in an aggregation view: '-- windows:' evaluates each aggregate over each window at every time; write plain aggregates");
  }

  @Test
  void aggregatesThatCannotBeWindowedYet() throws IOException {
    String supported =
        "an aggregation view supports count(*), count(x), count_if(condition), sum(x), avg(x), min(x) and max(x) (of numbers), count(DISTINCT x), and expressions over them";
    assertRefused(
        "SELECT user_id, stddev(dwell_seconds) AS spread, max(dwell_seconds) + 1 AS longest,\n  approx_distinct(article_id) AS articles\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:17: stddev cannot be evaluated over a sliding window yet: " + supported,
        "views/v.sql:5:3: approx_distinct cannot be evaluated over a sliding window yet: "
            + supported);
  }

  @Test
  void minMaxAndDistinctCountsBecomeStatesOfTheirArgument() throws IOException {
    CompiledView view = compileOne("user_extremes", USER_EXTREMES);
    WindowedAggregation aggregation = view.aggregation().orElseThrow();
    assertThat(aggregation.states())
        .containsExactly(
            new State(Kind.MIN, Optional.of("__asof_x0"), "integer"),
            new State(Kind.MAX, Optional.of("__asof_x0"), "integer"),
            new State(Kind.DISTINCT, Optional.of("__asof_x1"), "bigint"),
            new State(Kind.DISTINCT, Optional.of("__asof_x2"), "varchar"));
    assertThat(aggregation.outputs().get(1).perWindow())
        .containsExactly(
            "\"__asof_s1_w0\" - \"__asof_s0_w0\"", "\"__asof_s1_w1\" - \"__asof_s0_w1\"");
    assertThat(view.features())
        .containsExactly(
            new Column("shortest_5m", "integer"),
            new Column("shortest_30d", "integer"),
            new Column("dwell_range_5m", "integer"),
            new Column("dwell_range_30d", "integer"),
            new Column("articles_per_category_5m", "double"),
            new Column("articles_per_category_30d", "double"));
  }

  /**
   * The tiles the offline statement combines for min and max at a time are those online reads at
   * that moment ({@code WindowTiles.window}): the statement's {@code covers} against the Java
   * cover, for times on and off minute, hour and day boundaries, over windows from 5 minutes to 30
   * days.
   */
  @Test
  void offlineMinAndMaxReadTheTilesOnlineReads() throws IOException {
    CompiledView view =
        compileOne(
            "spans",
            """
            -- entity: user
            -- event_time: reacted_at
            -- windows: 5m, 90m, 1d, 7d, 30d
            SELECT user_id, max(dwell_seconds) AS longest
            FROM aggviews.reactions
            GROUP BY user_id
            """);
    WindowedAggregation aggregation = view.aggregation().orElseThrow();
    Instant day = Instant.parse("2026-03-07T00:00:00Z");
    List<Instant> times =
        List.of(
            day,
            day.plusSeconds(17),
            day.minusSeconds(43),
            day.plus(1, ChronoUnit.HOURS),
            day.plus(1, ChronoUnit.HOURS).minusSeconds(1),
            day.plus(5, ChronoUnit.HOURS).plusSeconds(59 * 60 + 59),
            day.plus(23, ChronoUnit.HOURS).plusSeconds(25 * 60),
            day.plus(30, ChronoUnit.DAYS).plusSeconds(61));
    List<String> spine = new ArrayList<>();
    for (Instant time : times) {
      spine.add("(BIGINT '1', %s)".formatted(time(time)));
    }
    PitRequest request =
        new PitRequest(
            "SELECT user_id, ts FROM (VALUES %s) AS t (user_id, ts)"
                .formatted(String.join(", ", spine)),
            List.of(new Column("user_id", "bigint"), new Column("ts", "timestamp(6)")),
            "ts",
            List.of(TrainingSetCompiler.aggregationView(view, aggregation.features(), false)));
    String plan = PointInTimeSql.plan(request).sql();
    String ctes = plan.substring(0, plan.lastIndexOf("\nSELECT\n"));
    List<String> offline = new ArrayList<>();
    for (List<Object> row :
        engine
            .query(
                ctes
                    + "\nSELECT date_diff('second', TIMESTAMP '1970-01-01 00:00:00', __asof_t), __asof_w, __asof_l, __asof_i FROM covers1")
            .rows()) {
      offline.add(
          "%d %s %s %s"
              .formatted(((Number) row.get(0)).longValue(), row.get(1), row.get(2), row.get(3)));
    }
    List<String> online = new ArrayList<>();
    for (Instant time : times) {
      for (int w = 0; w < aggregation.windows().size(); w++) {
        for (WindowTiles.Tile tile : WindowTiles.window(aggregation.windows().get(w), time)) {
          long size =
              switch (tile.level()) {
                case MINUTES -> 1;
                case HOURS -> 60;
                case DAYS -> 1440;
              };
          long number =
              tile.record() * (tile.level() == WindowTiles.Level.HOURS ? 24 : 60) + tile.slot();
          online.add("%d %d %d %d".formatted(time.getEpochSecond(), w, size, number));
        }
      }
    }
    assertThat(online).hasSizeGreaterThan(8 * 5 * 20);
    assertThat(offline).containsExactlyInAnyOrderElementsOf(online);
  }

  @Test
  void minAndMaxOfWhatIsNotANumber() throws IOException {
    assertRefused(
        "SELECT user_id, min(category) AS first_category,\n  max(reacted_at) AS last_read\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:17: min over a window takes a number, not varchar: cast it (e.g. to_unixtime(ts) for a time, or the length of a string), or keep it in a view without windows",
        "views/v.sql:5:3: max over a window takes a number, not timestamp(6): cast it (e.g. to_unixtime(ts) for a time, or the length of a string), or keep it in a view without windows");
  }

  @Test
  void distinctOtherThanACount() throws IOException {
    assertRefused(
        "SELECT user_id, sum(DISTINCT article_id) AS articles\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:17: sum(DISTINCT ...) cannot be evaluated over a sliding window: count(DISTINCT x) can, or keep it in a view without windows");
  }

  @Test
  void distinctCountOfATime() throws IOException {
    assertRefused(
        "SELECT user_id, count(DISTINCT reacted_at) AS moments\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:17: count(DISTINCT x) over a window takes a whole number, a string, a date or a boolean, not timestamp(6): cast it (e.g. CAST(x AS varchar)), or keep it in a view without windows");
  }

  @Test
  void filter() throws IOException {
    assertRefused(
        "SELECT user_id, count(*) FILTER (WHERE liked) AS likes\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:17: FILTER and WITHIN GROUP are not supported over windows: write count_if(condition), or sum(CASE WHEN condition THEN x END)");
  }

  @Test
  void unnamedAggregate() throws IOException {
    assertRefused(
        "SELECT user_id, count(*)\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:17: give this aggregate a name with AS, e.g. count(*) AS read_count: each named output becomes one feature per window (read_count_1h, read_count_7d, ...)");
  }

  @Test
  void outputThatAggregatesNothing() throws IOException {
    assertRefused(
        "SELECT user_id, 1 AS constant, count(*) AS read_count\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:17: output constant aggregates nothing: every output of an aggregation view besides the keys is an aggregate (count(*), count(x), count_if(condition), sum(x), avg(x), min(x) and max(x) (of numbers), count(DISTINCT x), and expressions over them)");
  }

  @Test
  void selectStar() throws IOException {
    assertRefused(
        "SELECT *\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:8: SELECT * is not allowed in an aggregation view: list the keys (user_id) and the aggregates",
        "views/v.sql:4:8: missing key column user_id: an aggregation view of entity user outputs its keys user_id and groups by them");
  }

  @Test
  void orderByAndLimit() throws IOException {
    assertRefused(
        "SELECT user_id, count(*) AS read_count\nFROM aggviews.reactions\nGROUP BY user_id\nORDER BY read_count DESC\nLIMIT 10",
        "views/v.sql:7:1: ORDER BY, LIMIT and OFFSET do not apply to an aggregation view, whose rows are one per key: remove them");
  }

  @Test
  void union() throws IOException {
    assertRefused(
        "SELECT user_id, count(*) AS read_count FROM aggviews.reactions GROUP BY user_id\nUNION ALL\nSELECT user_id, count(*) AS read_count FROM aggviews.impressions GROUP BY user_id",
        "views/v.sql:4:1: an aggregation view is one SELECT of the entity's keys and aggregates, GROUP BY the keys: write it as one SELECT (a UNION can go in a subquery in FROM)");
  }

  @Test
  void limitAlone() throws IOException {
    assertRefused(
        "SELECT user_id, count(*) AS read_count\nFROM aggviews.reactions\nGROUP BY user_id\nLIMIT 10",
        "views/v.sql:7:7: ORDER BY, LIMIT and OFFSET do not apply to an aggregation view, whose rows are one per key: remove them");
  }

  @Test
  void eventAndCreatedTimesNamedByReservedWords() throws IOException {
    // "day" and "timestamp" are columns, not keywords, where the header names them
    engine.execute(
        "CREATE TABLE memory.aggviews.reserved (user_id bigint, \"timestamp\" timestamp(6), \"day\" timestamp(6))");
    try {
      WindowedAggregation aggregation =
          compileOne(
                  "reserved",
                  """
                  -- entity: user
                  -- event_time: timestamp
                  -- created_time: day
                  -- windows: 1h
                  SELECT user_id, count(*) AS n FROM aggviews.reserved GROUP BY user_id
                  """)
              .aggregation()
              .orElseThrow();
      assertThat(aggregation.eventsSql()).contains("\"timestamp\" AS \"__asof_e\"");
      assertThat(engine.query(WindowSql.asOfNow(aggregation)).rows()).isEmpty();
    } finally {
      engine.execute("DROP TABLE memory.aggviews.reserved");
    }
  }

  @Test
  void missingKeyInTheSelect() throws IOException {
    assertRefused(
        "SELECT count(*) AS read_count\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:8: missing key column user_id: an aggregation view of entity user outputs its keys user_id and groups by them");
  }

  @Test
  void eventTimeThatIsNotAColumnOfFrom() throws IOException {
    assertRefusedFile(
        """
        -- entity: user
        -- event_time: read_at
        -- windows: 1h
        SELECT user_id, count(*) AS read_count
        FROM aggviews.reactions
        GROUP BY user_id
        """,
        "views/v.sql:4:1: the event_time column read_at is not a column of the view's FROM: an aggregation view's '-- event_time:' names the column of its events that says when each happened; name one of its tables' timestamp columns");
  }

  @Test
  void eventTimeThatIsNotATimestamp() throws IOException {
    assertRefusedFile(
        """
        -- entity: user
        -- event_time: day
        -- windows: 1h
        SELECT user_id, count(*) AS read_count
        FROM aggviews.reactions
        GROUP BY user_id
        """,
        "views/v.sql:4:1: the event_time column day is date, not a timestamp: name a timestamp column of the view's FROM in '-- event_time:', or CAST it in a subquery");
  }

  @Test
  void nonAggregatedColumnIsRefusedBeforeTheQueryIsValidated() throws IOException {
    // not grouped either: refused as what an aggregation view cannot have, not as invalid SQL
    assertRefused(
        "SELECT user_id, dwell_seconds, count(*) AS read_count\nFROM aggviews.reactions\nGROUP BY user_id",
        "views/v.sql:4:17: non-aggregated column dwell_seconds: an aggregation view outputs its keys (user_id) and aggregates only; aggregate it (e.g. count_if(dwell_seconds), sum(dwell_seconds)), or move it to a view without windows");
  }

  @Test
  void missingGroupByWithTheKeySelected() throws IOException {
    assertRefused(
        "SELECT user_id, count(*) AS read_count\nFROM aggviews.reactions",
        "views/v.sql:4:1: an aggregation view groups by the entity's keys: add GROUP BY user_id");
  }

  @Test
  void theNameAnUnnamedAggregateIsToldToTakeCompiles() throws IOException {
    String message = "";
    try {
      compileOne(
          "v",
          """
          -- entity: user
          -- event_time: reacted_at
          -- windows: 1h, 7d
          SELECT user_id, count(*) FROM aggviews.reactions GROUP BY user_id
          """);
    } catch (RepositoryException e) {
      message = e.getMessage();
    }
    Matcher example = Pattern.compile("e\\.g\\. (count\\(\\*\\) AS \\w+):").matcher(message);
    assertThat(example.find()).as(message).isTrue();
    CompiledView view =
        compileOne(
            "v",
            """
            -- entity: user
            -- event_time: reacted_at
            -- windows: 1h, 7d
            SELECT user_id, %s FROM aggviews.reactions GROUP BY user_id
            """
                .formatted(example.group(1)));
    assertThat(view.features()).hasSize(2);
  }

  @Test
  void asOfNowReadsTimesWithoutAZoneAsUtcWhateverTheSessionZone(StackEndpoints stack)
      throws IOException {
    // a session west of UTC: a time without a zone read in it would lie hours later
    QueryEngine western =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(
                stack.trinoJdbcUrl() + "/memory?timezone=America/Los_Angeles", stack.trinoUser()));
    engine.execute(
        """
        CREATE TABLE memory.aggviews.zoned (
          user_id bigint, happened timestamp(6), known_at timestamp(6) with time zone)""");
    try {
      Instant now = Instant.now();
      // happened 30 minutes ago, written as UTC without a zone; known at once (NULL) or a
      // minute later, written with a zone
      engine.execute(
          "INSERT INTO memory.aggviews.zoned VALUES (1, %s, NULL), (2, %s, %s)"
              .formatted(
                  time(now.minus(30, ChronoUnit.MINUTES)),
                  time(now.minus(30, ChronoUnit.MINUTES)),
                  zoned(now.minus(29, ChronoUnit.MINUTES))));
      WindowedAggregation aggregation =
          compileOne(
                  "zoned",
                  """
                  -- entity: user
                  -- event_time: happened
                  -- created_time: known_at
                  -- windows: 1h
                  SELECT user_id, count(*) AS n FROM aggviews.zoned GROUP BY user_id
                  """)
              .aggregation()
              .orElseThrow();
      List<String> rows = new ArrayList<>();
      for (List<Object> row : western.query(WindowSql.asOfNow(aggregation)).rows()) {
        rows.add(row.get(0) + ": " + row.get(1));
      }
      assertThat(rows).containsExactlyInAnyOrder("1: 1", "2: 1");
    } finally {
      engine.execute("DROP TABLE memory.aggviews.zoned");
      western.close();
    }
  }

  private static String zoned(Instant instant) {
    return "TIMESTAMP '%s Asia/Tokyo'"
        .formatted(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                .format(LocalDateTime.ofInstant(instant, ZoneId.of("Asia/Tokyo"))));
  }

  private CompiledView compileOne(String name, String file) throws IOException {
    reset();
    write("entities.yaml", ENTITIES);
    write("views/" + name + ".sql", file);
    return compiler.compileAll(RepositoryLoader.load(repository)).getFirst();
  }

  // ---- over a push view: each pushed row updates the online aggregates as it comes

  private static final String PAGE_EVENTS =
      """
      -- view: page_events
      -- entity: user
      -- event_time: read_at
      -- push: true
      CREATE TABLE page_events (
        user_id bigint,
        read_at timestamp(6),
        dwell_seconds integer,
        liked boolean,
        category varchar
      )
      """;

  @Test
  void overAPushViewItCompilesFromTheDeclaredColumnsAndRecordsWhichColumnsItReads()
      throws IOException {
    reset();
    write("entities.yaml", ENTITIES);
    write("views/page_events.sql", PAGE_EVENTS);
    write(
        "views/user_reads.sql",
        """
        -- entity: user
        -- event_time: read_at
        -- windows: 5m, 1h
        SELECT e.user_id, count(*) AS n, sum(e.dwell_seconds) AS dwell,
          count_if(liked) * 1e0 / nullif(count(*), 0) AS like_rate
        FROM features.page_events AS e
        GROUP BY e.user_id
        """);
    // the push view is not applied: neither its table nor its published view exists
    CompiledView view =
        compiler.compileAll(RepositoryLoader.load(repository)).stream()
            .filter(v -> v.name().equals("user_reads"))
            .findFirst()
            .orElseThrow();
    WindowedAggregation aggregation = view.aggregation().orElseThrow();
    assertThat(aggregation.pushSource().orElseThrow().view()).isEqualTo("page_events");
    assertThat(aggregation.pushSource().orElseThrow().columns())
        .containsExactly(
            Map.entry("user_id", "user_id"),
            Map.entry(WindowedAggregation.EVENT_TIME, "read_at"),
            Map.entry("__asof_x0", "dwell_seconds"),
            Map.entry("__asof_x1", "liked"));
    assertThat(view.columns())
        .containsExactly(
            new Column("user_id", "bigint"),
            new Column("n_5m", "bigint"),
            new Column("n_1h", "bigint"),
            new Column("dwell_5m", "bigint"),
            new Column("dwell_1h", "bigint"),
            new Column("like_rate_5m", "double"),
            new Column("like_rate_1h", "double"));
    String load =
        WindowSql.minuteTiles(
            aggregation.withEventsSql(
                WindowSql.pushEvents(
                    aggregation, "\"memory\".\"features\".\"page_events__v1\"", 42)),
            29_000_000);
    String golden =
        "-- events\n"
            + aggregation.eventsSql()
            + "\n\n-- online load, through push sequence 42\n"
            + load
            + "\n\n-- as of now\n"
            + WindowSql.asOfNow(aggregation)
            + "\n";
    TrinoSql.assertParses(aggregation.eventsSql());
    TrinoSql.assertParses(load);
    GoldenFiles.assertMatches("window/over-push-view.sql", golden);
    // and Trino runs the load's statement over a table shaped like the push view's
    engine.execute("CREATE SCHEMA IF NOT EXISTS memory.features");
    try {
      engine.execute(
          """
          CREATE TABLE memory.features.page_events__v1 (user_id bigint, read_at timestamp(6),
            dwell_seconds integer, liked boolean, category varchar, __asof_push_seq bigint)""");
      engine.execute(
          """
          INSERT INTO memory.features.page_events__v1 VALUES
            (1, TIMESTAMP '2025-02-20 10:00:10', 5, true, 'a', 41),
            (1, TIMESTAMP '2025-02-20 10:00:50', NULL, false, 'a', 42),
            (1, TIMESTAMP '2025-02-20 10:00:55', 7, true, 'a', 43)""");
      assertThat(engine.query(load).rows())
          .containsExactly(List.of(1L, 29_000_760L, 2L, 1L, 5L, 1L));
    } finally {
      engine.execute("DROP TABLE IF EXISTS memory.features.page_events__v1");
    }
  }

  @Test
  void overAPushViewAJoinIsRefused() throws IOException {
    assertRefusedOverPushView(
        "SELECT e.user_id, count(*) AS n\nFROM features.page_events e JOIN aggviews.impressions i ON i.user_id = e.user_id\nGROUP BY e.user_id",
        "views/v.sql:5:29: an aggregation view over push view page_events reads it alone, as FROM features.page_events, so that each pushed row updates the online aggregates as it comes: no join or subquery; join in the training set instead (its spine, or another view's features)");
  }

  @Test
  void overAPushViewASubqueryIsRefused() throws IOException {
    assertRefusedOverPushView(
        "SELECT user_id, count(*) AS n\nFROM (SELECT * FROM features.page_events) e\nGROUP BY user_id",
        "views/v.sql:5:7: an aggregation view over push view page_events reads it alone, as FROM features.page_events, so that each pushed row updates the online aggregates as it comes: no join or subquery; join in the training set instead (its spine, or another view's features)");
  }

  @Test
  void overAPushViewWhereIsRefused() throws IOException {
    assertRefusedOverPushView(
        "SELECT user_id, count(*) AS n\nFROM features.page_events\nWHERE category = 'news'\nGROUP BY user_id",
        "views/v.sql:6:7: an aggregation view over push view page_events reads it alone, as FROM features.page_events, so that each pushed row updates the online aggregates as it comes: no WHERE; push only the events to count, or count them with count_if(<boolean column of page_events>)");
  }

  @Test
  void overAPushViewAComputedArgumentIsRefused() throws IOException {
    assertRefusedOverPushView(
        "SELECT user_id, sum(dwell_seconds * 2) AS dwell, count_if(category = 'news') AS news\nFROM features.page_events\nGROUP BY user_id",
        "views/v.sql:4:21: an aggregate over push view page_events takes one of its columns as it is (user_id, read_at, dwell_seconds, liked, category), since online each pushed row is counted as it comes: push what this computes as a column of its own",
        "views/v.sql:4:59: an aggregate over push view page_events takes one of its columns as it is (user_id, read_at, dwell_seconds, liked, category), since online each pushed row is counted as it comes: push what this computes as a column of its own");
  }

  @Test
  void overAPushViewMinMaxAndDistinctCountsAreRefused() throws IOException {
    assertRefusedOverPushView(
        "SELECT user_id, max(dwell_seconds) AS longest, count(DISTINCT category) AS categories\nFROM features.page_events\nGROUP BY user_id",
        "views/v.sql:4:17: min, max and count(DISTINCT x) over push view page_events are not updated by each push (a push adds to the online aggregates; these need every value): count(*), count(x), count_if, sum and avg are; read the push view's table in another view for these",
        "views/v.sql:4:48: min, max and count(DISTINCT x) over push view page_events are not updated by each push (a push adds to the online aggregates; these need every value): count(*), count(x), count_if, sum and avg are; read the push view's table in another view for these");
  }

  @Test
  void overAPushViewWithIsRefused() throws IOException {
    assertRefusedOverPushView(
        "WITH e AS (SELECT * FROM features.page_events)\nSELECT user_id, count(*) AS n\nFROM e\nGROUP BY user_id",
        "views/v.sql:4:1: an aggregation view over push view page_events reads it alone, as FROM features.page_events, so that each pushed row updates the online aggregates as it comes: no WITH; compute what the CTE computes before pushing (a column of page_events), or read the push view's table in a view without windows",
        "views/v.sql:6:6: an aggregation view over push view page_events reads it alone, as FROM features.page_events, so that each pushed row updates the online aggregates as it comes: no join or subquery; join in the training set instead (its spine, or another view's features)");
  }

  private void assertRefusedOverPushView(String sql, String... expected) throws IOException {
    assertRefusedFiles(
        Map.of(
            "views/page_events.sql",
            PAGE_EVENTS,
            "views/v.sql",
            "-- entity: user\n-- event_time: read_at\n-- windows: 1h, 1d\n" + sql + "\n"),
        expected);
  }

  /** Empties the repository: each test writes the files it needs. */
  private void reset() throws IOException {
    try (Stream<Path> files = Files.walk(repository)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!file.equals(repository)) {
          Files.delete(file);
        }
      }
    }
  }

  private void assertRefused(String sql, String... expected) throws IOException {
    assertRefusedFile(
        "-- entity: user\n-- event_time: reacted_at\n-- windows: 1h, 1d\n" + sql + "\n", expected);
  }

  private void assertRefusedFile(String file, String... expected) throws IOException {
    assertRefusedFiles(Map.of("views/v.sql", file), expected);
  }

  /** The repository of {@code files} (and the entities) is refused with exactly these problems. */
  private void assertRefusedFiles(Map<String, String> files, String... expected)
      throws IOException {
    reset();
    write("entities.yaml", ENTITIES);
    for (Map.Entry<String, String> file : files.entrySet()) {
      write(file.getKey(), file.getValue());
    }
    FeatureRepository loaded = RepositoryLoader.load(repository);
    assertThatThrownBy(() -> compiler.compileAll(loaded))
        .isInstanceOfSatisfying(
            RepositoryException.class,
            e ->
                assertThat(
                        e.diagnostics().stream()
                            .map(
                                d ->
                                    repository.relativize(d.position().file())
                                        + ":"
                                        + d.position().line()
                                        + ":"
                                        + d.position().column()
                                        + ": "
                                        + d.message())
                            .toList())
                    .containsExactly(expected));
  }

  private void write(String name, String text) throws IOException {
    Path file = repository.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
