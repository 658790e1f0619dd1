package io.asof.compiler.pit;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.compiler.pit.PitView.Lookup;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.testing.AsofStackExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The point-in-time statement on Trino 476 against {@link PitOracle}, row for row, on generated
 * cases: few keys and few distinct times, so that ties, events exactly at the spine time and
 * exactly at {@code t - ttl}, NULL keys, NULL values, late rows and duplicate spine rows all occur.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestPointInTimeOracle {
  private static final int BASELINE_CASES = 50;
  private static final long HOUR = 3_600_000_000L;
  private static final long BASE =
      LocalDateTime.of(2026, 3, 1, 0, 0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
  private static final List<String> ZONES =
      List.of("UTC", "America/New_York", "Asia/Kolkata", "+05:30", "-08:00", "Europe/Berlin");
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private QueryEngine engine;

  @BeforeAll
  void connect(StackEndpoints stack) {
    engine = open(stack);
  }

  /** The engine the cases run on. */
  QueryEngine open(StackEndpoints stack) {
    return new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
  }

  /** How many generated cases to run. */
  int cases() {
    return 200;
  }

  @AfterAll
  void close() {
    engine.close();
  }

  @Test
  void trinoMatchesTheOracleOnGeneratedCases() throws Exception {
    Random random = new Random(20261123);
    List<GeneratedCase> cases = new ArrayList<>();
    int total = cases();
    for (int n = 0; n < total; n++) {
      cases.add(generate(random, n));
    }
    // Trino spends most of a small query planning it: run a few at once
    List<Future<List<String>>> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (GeneratedCase generated : cases) {
        results.add(pool.submit(() -> generated.run(engine)));
      }
      int withValues = 0;
      for (int n = 0; n < total; n++) {
        List<String> expected = cases.get(n).expected();
        assertThat(results.get(n).get())
            .as("case %d (seed 20261123)%n%s", n, cases.get(n).plan().sql())
            .containsExactlyInAnyOrderElementsOf(expected);
        if (expected.stream()
            .anyMatch(row -> Pattern.compile("\\.[fg]=[^n]").matcher(row).find())) {
          withValues++;
        }
      }
      // the cases must find values, not only NULLs
      assertThat(withValues).isGreaterThan(total / 2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theJoinThenRowNumberBaselineMatchesTheOracleToo() throws Exception {
    // the benchmark compares Asof's statement with this one: it must be right as well
    Random random = new Random(7);
    List<GeneratedCase> cases = new ArrayList<>();
    for (int n = 0; n < BASELINE_CASES; n++) {
      cases.add(generate(random, n));
    }
    List<Future<List<String>>> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (GeneratedCase generated : cases) {
        results.add(pool.submit(() -> generated.run(engine, generated.baseline())));
      }
      for (int n = 0; n < BASELINE_CASES; n++) {
        assertThat(results.get(n).get())
            .as("case %d (seed 7)%n%s", n, cases.get(n).baseline().sql())
            .containsExactlyInAnyOrderElementsOf(cases.get(n).expected());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** One generated request: spine, views, what the oracle says, and the statement. */
  private record GeneratedCase(
      List<Map<String, Object>> spine,
      String spineZone,
      List<PitOracle.View> views,
      List<String> viewZones,
      PitPlan plan,
      PitPlan baseline,
      List<PitView> pitViews) {

    List<String> expected() {
      List<List<Optional<Map<String, Object>>>> found = PitOracle.join(spine, "ts", views);
      List<String> rows = new ArrayList<>();
      for (int i = 0; i < spine.size(); i++) {
        List<String> values = new ArrayList<>();
        values.add("id=" + spine.get(i).get("id"));
        for (int v = 0; v < views.size(); v++) {
          PitOracle.View view = views.get(v);
          Optional<Map<String, Object>> row = found.get(i).get(v);
          for (String feature : view.features()) {
            values.add(render(view.name(), feature, row.map(r -> r.get(feature)).orElse(null)));
          }
          if (pitViews.get(v).withEventTime()) {
            values.add("e=" + row.map(r -> timeText((Long) r.get("e"), null)).orElse("null"));
          }
        }
        rows.add(String.join(" ", values));
      }
      return rows;
    }

    List<String> run(QueryEngine engine) {
      return run(engine, plan);
    }

    List<String> run(QueryEngine engine, PitPlan statement) {
      List<String> rows = new ArrayList<>();
      List<Column> columns = statement.columns();
      for (List<Object> row : engine.query(statement.sql()).rows()) {
        List<String> values = new ArrayList<>();
        values.add("id=" + row.get(columnIndex(columns, "id")));
        int index = columnIndex(columns, "label") + 1;
        for (int v = 0; v < pitViews.size(); v++) {
          PitView view = pitViews.get(v);
          for (String feature : view.features()) {
            values.add(render(view.name(), feature, normalize(row.get(index++))));
          }
          if (view.withEventTime()) {
            Object e = row.get(index++);
            values.add("e=" + (e == null ? "null" : timeText(e, viewZones.get(v) != null)));
          }
        }
        rows.add(String.join(" ", values));
      }
      return rows;
    }

    private static String render(String view, String feature, Object value) {
      return view + "." + feature + "=" + value;
    }

    private static Object normalize(Object value) {
      return value instanceof Integer i ? Long.valueOf(i) : value;
    }
  }

  private static int columnIndex(List<Column> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(name);
  }

  /**
   * A timestamp from Trino's JDBC driver, which gives both kinds as {@link java.sql.Timestamp}: one
   * with a zone as the instant it stands for (written in UTC), one without as its wall-clock time.
   */
  private static String timeText(Object value, boolean zoned) {
    java.sql.Timestamp timestamp = (java.sql.Timestamp) value;
    return FORMAT.format(
        zoned
            ? LocalDateTime.ofInstant(timestamp.toInstant(), ZoneOffset.UTC)
            : timestamp.toLocalDateTime());
  }

  private static String timeText(long micros, String zone) {
    Instant instant = Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L);
    if (zone == null) {
      return FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
    return FORMAT.format(LocalDateTime.ofInstant(instant, ZoneId.of(zone))) + " " + zone;
  }

  private static String timeLiteral(Long micros, String zone) {
    String type = zone == null ? "timestamp(6)" : "timestamp(6) with time zone";
    if (micros == null) {
      return "CAST(NULL AS %s)".formatted(type);
    }
    return "TIMESTAMP '%s'".formatted(timeText(micros, zone));
  }

  private static GeneratedCase generate(Random random, int n) {
    int hours = 6 + random.nextInt(20);
    // the spine: ids, keys from small domains, times on the hour; some NULLs and duplicates
    String spineZone = random.nextInt(4) == 0 ? ZONES.get(random.nextInt(ZONES.size())) : null;
    List<Map<String, Object>> spine = new ArrayList<>();
    int spineRows = n % 25 == 7 ? 0 : 1 + random.nextInt(12);
    for (int i = 0; i < spineRows; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", (long) i);
      row.put("user_id", random.nextInt(12) == 0 ? null : (long) random.nextInt(3));
      row.put(
          "cat", random.nextInt(12) == 0 ? null : String.valueOf((char) ('a' + random.nextInt(2))));
      row.put("ts", random.nextInt(15) == 0 ? null : BASE + random.nextInt(hours) * HOUR);
      row.put("label", random.nextBoolean());
      spine.add(row);
      if (random.nextInt(6) == 0) {
        spine.add(new LinkedHashMap<>(row));
      }
    }
    // one to three views, over the user, the (user, category) pair or the category
    List<List<String>> entityKeys =
        List.of(List.of("user_id"), List.of("user_id", "cat"), List.of("cat"));
    int viewCount = 1 + random.nextInt(3);
    List<PitOracle.View> views = new ArrayList<>();
    List<String> viewZones = new ArrayList<>();
    List<PitView> pitViews = new ArrayList<>();
    for (int v = 0; v < viewCount; v++) {
      String name = "v" + v;
      List<String> keys = entityKeys.get(random.nextInt(entityKeys.size()));
      boolean created = random.nextBoolean();
      boolean holdBack = created && random.nextBoolean();
      Optional<Long> ttl =
          switch (random.nextInt(4)) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(HOUR);
            case 2 -> Optional.of(3 * HOUR);
            default -> Optional.of(24 * HOUR);
          };
      String zone = random.nextInt(4) == 0 ? ZONES.get(random.nextInt(ZONES.size())) : null;
      List<Map<String, Object>> rows = new ArrayList<>();
      int viewRows = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(20);
      for (int i = 0; i < viewRows; i++) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String key : keys) {
          Object value =
              key.equals("user_id")
                  ? (Object) (long) random.nextInt(3)
                  : String.valueOf((char) ('a' + random.nextInt(2)));
          row.put(key, random.nextInt(15) == 0 ? null : value);
        }
        long e = BASE + random.nextInt(hours) * HOUR;
        row.put("e", e);
        if (created) {
          row.put("c", random.nextInt(8) == 0 ? null : e + random.nextInt(4) * HOUR);
        }
        row.put("f", random.nextInt(5) == 0 ? null : (long) random.nextInt(4));
        row.put(
            "g", random.nextInt(5) == 0 ? null : String.valueOf((char) ('p' + random.nextInt(3))));
        rows.add(row);
      }
      List<String> columns = new ArrayList<>(keys);
      columns.add("e");
      if (created) {
        columns.add("c");
      }
      columns.add("f");
      columns.add("g");
      List<String> features = random.nextBoolean() ? List.of("f", "g") : List.of("g");
      views.add(
          new PitOracle.View(
              name,
              keys,
              "e",
              created ? Optional.of("c") : Optional.empty(),
              ttl,
              columns,
              features,
              holdBack,
              rows));
      viewZones.add(zone);
      List<Column> typed = new ArrayList<>();
      for (String column : columns) {
        typed.add(new Column(column, type(column, zone)));
      }
      // some views read stored range ends, as from a backfilled table, instead of computing them
      boolean stored = !holdBack && random.nextBoolean();
      String source = valuesSql(rows, columns, zone);
      if (stored) {
        source =
            "SELECT *, lead(e) OVER (PARTITION BY %s ORDER BY %s) AS valid_until FROM (%s)"
                .formatted(
                    String.join(", ", keys),
                    PointInTimeSql.rowOrder(
                        keys, "e", created ? Optional.of("c") : Optional.empty(), typed),
                    source);
      }
      pitViews.add(
          new PitView(
              name,
              source,
              keys,
              "e",
              created ? Optional.of("c") : Optional.empty(),
              ttl.map(micros -> Duration.ofNanos(micros * 1_000L)),
              typed,
              features,
              holdBack,
              random.nextBoolean(),
              random.nextBoolean(),
              holdBack || random.nextBoolean() ? Lookup.DISTINCT_PAIRS : Lookup.SPINE_ROWS,
              stored ? Optional.of("valid_until") : Optional.empty()));
    }
    // f and g repeat across views: the planner must name them view__feature
    List<String> spineColumns = List.of("id", "user_id", "cat", "ts", "label");
    List<Column> spineTyped = new ArrayList<>();
    for (String column : spineColumns) {
      spineTyped.add(new Column(column, type(column, spineZone)));
    }
    PitRequest request =
        new PitRequest(valuesSql(spine, spineColumns, spineZone), spineTyped, "ts", pitViews);
    return new GeneratedCase(
        spine,
        spineZone,
        views,
        viewZones,
        PointInTimeSql.plan(request),
        JoinThenRowNumberSql.plan(request),
        pitViews);
  }

  private static String type(String column, String zone) {
    return switch (column) {
      case "id", "user_id", "f" -> "bigint";
      case "cat", "g" -> "varchar";
      case "label" -> "boolean";
      case "ts", "e", "c" -> zone == null ? "timestamp(6)" : "timestamp(6) with time zone";
      default -> throw new IllegalArgumentException(column);
    };
  }

  private static String valuesSql(
      List<Map<String, Object>> rows, List<String> columns, String zone) {
    String names = String.join(", ", columns);
    if (rows.isEmpty()) {
      String nulls =
          columns.stream()
              .map(c -> "CAST(NULL AS %s) AS %s".formatted(type(c, zone), c))
              .collect(Collectors.joining(", "));
      return "SELECT " + nulls + " WHERE false";
    }
    List<String> tuples = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      List<String> values = new ArrayList<>();
      for (String column : columns) {
        Object value = row.get(column);
        values.add(
            switch (type(column, zone)) {
              case "bigint" -> "CAST(%s AS bigint)".formatted(value == null ? "NULL" : value);
              case "varchar" ->
                  value == null
                      ? "CAST(NULL AS varchar)"
                      : "CAST('%s' AS varchar)".formatted(value);
              case "boolean" -> String.valueOf(value);
              default -> timeLiteral((Long) value, zone);
            });
      }
      tuples.add("(" + String.join(", ", values) + ")");
    }
    return "SELECT %s FROM (VALUES\n  %s) AS t(%s)"
        .formatted(names, String.join(",\n  ", tuples), names);
  }
}
