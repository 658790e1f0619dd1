package io.asof.compiler.pit;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.TrainingSetCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.compiler.pit.PitView.Lookup;
import io.asof.compiler.pit.WindowOracle.Aggregate;
import io.asof.compiler.pit.WindowOracle.Event;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.model.Entity;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.SourcePosition;
import io.asof.testing.AsofStackExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Aggregation views on Trino 476 against {@link WindowOracle}, row for row, on generated cases.
 * Each case's views are real view SQL ({@code SELECT keys, aggregates ... GROUP BY keys} with
 * {@code -- windows:}) over a table of events in Trino's memory catalog, compiled by {@link
 * FeatureViewCompiler} and joined to a spine by {@link PointInTimeSql}, sometimes together with a
 * view without windows (checked against {@link PitOracle}). Keys and times come from small domains,
 * and events are placed on purpose exactly at the spine time, at {@code floor_minute(t) - w} and
 * one unit (a microsecond, or a millisecond for {@code timestamp(3)}) either side of both, so that
 * the edges of every window are exercised; created times sit at, before and after the spine time to
 * exercise late events held back.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestWindowAggregationOracle {
  private static final long SEED = 20260307L;
  private static final long MINUTE = 60_000_000L;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;
  // the weekend New York moves its clocks forward: spine times span the change
  private static final long BASE =
      LocalDateTime.of(2026, 3, 7, 0, 0).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
  private static final int SPINE_HOURS = 48;
  // every offset a whole number of minutes, as WindowOracle assumes
  private static final List<String> ZONES =
      List.of("UTC", "America/New_York", "Asia/Kathmandu", "+05:30", "-08:00", "Europe/Berlin");
  private static final List<Duration> WINDOWS =
      List.of(
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(90),
          Duration.ofDays(1),
          Duration.ofDays(7));
  private static final List<List<String>> ENTITY_KEYS =
      List.of(List.of("user_id"), List.of("user_id", "cat"), List.of("cat"));

  /** The outputs views choose from: SQL, and the same over a window's events in Java. */
  private static final Map<String, OutputCase> OUTPUTS = outputs();

  /**
   * Doubles are compared with a relative tolerance of 1e-9 (and an absolute one of 1e-12 near
   * zero): the statement's running sums add each value when it enters a window and subtract it when
   * it leaves, so a double sum carries rounding the oracle's straight sum does not.
   */
  private static final double RELATIVE_TOLERANCE = 1e-9;

  private static final double ABSOLUTE_TOLERANCE = 1e-12;

  private QueryEngine trino;
  private QueryEngine engine;
  private FeatureViewCompiler compiler;
  private String schema;

  @BeforeAll
  void connect(StackEndpoints stack) {
    trino =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/memory", stack.trinoUser()));
    engine = open(stack);
    compiler =
        new FeatureViewCompiler(
            new EngineWarehouseCatalog(trino, new TrinoDialect()), trino, "memory");
    schema = "window_oracle_" + getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  /** The engine the statements run on. */
  QueryEngine open(StackEndpoints stack) {
    return new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
  }

  /** How many generated cases to run. */
  int cases() {
    return 200;
  }

  @AfterAll
  void close() {
    trino.execute("DROP SCHEMA IF EXISTS memory.%s CASCADE".formatted(schema));
    engine.close();
    trino.close();
  }

  @Test
  void trinoMatchesTheOracleOnGeneratedCases() throws Exception {
    Random random = new Random(SEED);
    List<GeneratedCase> cases = new ArrayList<>();
    for (int n = 0; n < cases(); n++) {
      cases.add(generate(random, n));
    }
    loadEvents(cases);
    Coverage coverage = new Coverage();
    cases.forEach(c -> c.measure(coverage));

    // Trino spends most of a small query planning it: run a few at once
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Ran>> results = new ArrayList<>();
      for (GeneratedCase generated : cases) {
        results.add(pool.submit(() -> generated.run(compiler, engine, schema)));
      }
      int withValues = 0;
      for (int n = 0; n < cases.size(); n++) {
        GeneratedCase generated = cases.get(n);
        Ran ran = results.get(n).get();
        List<List<Object>> expected = generated.expected();
        assertMatches(
            ran.rows(),
            expected,
            "case %d (seed %d)%nviews:%n%s%nstatement:%n%s"
                .formatted(n, SEED, ran.views(), ran.plan().sql()));
        if (expected.stream().anyMatch(TestWindowAggregationOracle::hasNonZeroValue)) {
          withValues++;
        }
      }
      // the cases must find values, not only zeros and NULLs
      assertThat(withValues).isGreaterThan(cases.size() * 3 / 4);
    } finally {
      pool.shutdownNow();
    }
    // and the edges the cases are made for must occur
    assertThat(coverage.counts)
        .as("how often each situation occurs across the cases")
        .allSatisfy(
            (situation, count) -> assertThat(count).as(situation).isGreaterThan(cases() / 40));
    assertThat(coverage.counts.keySet()).containsAll(Coverage.SITUATIONS);
  }

  /** Creates the events table, with every case's events (each case reads its own). */
  private void loadEvents(List<GeneratedCase> cases) {
    trino.execute("DROP SCHEMA IF EXISTS memory.%s CASCADE".formatted(schema));
    trino.execute("CREATE SCHEMA memory.%s".formatted(schema));
    List<String> columns = new ArrayList<>(List.of("case_id bigint", "user_id bigint"));
    columns.add("cat varchar");
    for (TimeType type : TimeType.values()) {
      columns.add("e_%s %s".formatted(type.suffix, type.sql));
    }
    for (TimeType type : TimeType.values()) {
      columns.add("c_%s %s".formatted(type.suffix, type.sql));
    }
    columns.addAll(List.of("x bigint", "d double", "b boolean"));
    trino.execute(
        "CREATE TABLE memory.%s.events (%s)".formatted(schema, String.join(", ", columns)));
    List<String> tuples = new ArrayList<>();
    for (GeneratedCase generated : cases) {
      for (EventRow row : generated.events()) {
        tuples.add(row.tuple(generated.id()));
      }
    }
    for (int from = 0; from < tuples.size(); from += 500) {
      trino.execute(
          "INSERT INTO memory.%s.events VALUES\n%s"
              .formatted(
                  schema,
                  String.join(",\n", tuples.subList(from, Math.min(tuples.size(), from + 500)))));
    }
  }

  private static void assertMatches(
      List<List<Object>> actual, List<List<Object>> expected, String description) {
    Comparator<List<Object>> byId = Comparator.comparing(row -> (Long) row.getFirst());
    List<List<Object>> actualSorted = new ArrayList<>(actual);
    actualSorted.sort(byId);
    List<List<Object>> expectedSorted = new ArrayList<>(expected);
    expectedSorted.sort(byId);
    String both = "%s%nexpected: %s%nactual:   %s".formatted(description, expected, actual);
    assertThat(actualSorted).as(both).hasSameSizeAs(expectedSorted);
    for (int i = 0; i < expectedSorted.size(); i++) {
      List<Object> want = expectedSorted.get(i);
      List<Object> got = actualSorted.get(i);
      assertThat(got).as(both).hasSameSizeAs(want);
      for (int j = 0; j < want.size(); j++) {
        assertThat(same(want.get(j), got.get(j)))
            .as(
                "row %s column %d: expected %s, got %s%n%s",
                want.get(0), j, want.get(j), got.get(j), both)
            .isTrue();
      }
    }
  }

  /** Whether a row has a feature that is neither NULL nor zero. */
  private static boolean hasNonZeroValue(List<Object> row) {
    return row.stream()
        .skip(1)
        .anyMatch(v -> v instanceof Number number && number.doubleValue() != 0);
  }

  private static boolean same(Object expected, Object actual) {
    if (expected instanceof Double want && actual instanceof Double got) {
      if (want.isNaN() || got.isNaN()) {
        return want.isNaN() && got.isNaN();
      }
      return Math.abs(want - got)
          <= Math.max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * Math.abs(want));
    }
    return java.util.Objects.equals(expected, actual);
  }

  /** The types event, created and spine times are generated in. */
  enum TimeType {
    TS3("timestamp(3)", "ts3", false, 3),
    TS6("timestamp(6)", "ts6", false, 6),
    TZ3("timestamp(3) with time zone", "tz3", true, 3),
    TZ6("timestamp(6) with time zone", "tz6", true, 6);

    final String sql;
    final String suffix;
    final boolean zoned;
    final int precision;

    TimeType(String sql, String suffix, boolean zoned, int precision) {
      this.sql = sql;
      this.suffix = suffix;
      this.zoned = zoned;
      this.precision = precision;
    }

    /** The smallest step between two times of this type, in microseconds. */
    long unit() {
      return precision == 3 ? 1_000L : 1L;
    }

    /** A time as this type stores it: cut to its precision. */
    Long stored(Long micros) {
      return micros == null ? null : Math.floorDiv(micros, unit()) * unit();
    }

    String literal(Long micros, String zone) {
      if (micros == null) {
        return "CAST(NULL AS %s)".formatted(sql);
      }
      long stored = stored(micros);
      Instant instant =
          Instant.ofEpochSecond(
              Math.floorDiv(stored, 1_000_000L), Math.floorMod(stored, 1_000_000L) * 1_000L);
      DateTimeFormatter format =
          DateTimeFormatter.ofPattern(
              precision == 3 ? "yyyy-MM-dd HH:mm:ss.SSS" : "yyyy-MM-dd HH:mm:ss.SSSSSS");
      if (!zoned) {
        return "TIMESTAMP '%s'"
            .formatted(format.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)));
      }
      return "TIMESTAMP '%s %s'"
          .formatted(format.format(LocalDateTime.ofInstant(instant, ZoneId.of(zone))), zone);
    }
  }

  /** One output a view can have: its SQL and its value over a window's events. */
  record OutputCase(String sql, Aggregate oracle) {}

  private static Map<String, OutputCase> outputs() {
    Map<String, OutputCase> outputs = new LinkedHashMap<>();
    outputs.put("n", new OutputCase("count(*)", WindowOracle::countRows));
    outputs.put("nx", new OutputCase("count(x)", e -> WindowOracle.count(e, "x")));
    outputs.put("nb", new OutputCase("count_if(b)", e -> WindowOracle.countIf(e, "b")));
    outputs.put("sx", new OutputCase("sum(x)", e -> WindowOracle.sumLong(e, "x")));
    outputs.put("ax", new OutputCase("avg(x)", e -> WindowOracle.avg(e, "x")));
    outputs.put("sd", new OutputCase("sum(d)", e -> WindowOracle.sumDouble(e, "d")));
    outputs.put("ad", new OutputCase("AVG(d)", e -> WindowOracle.avg(e, "d")));
    // over an empty window: 0 * 1e0 / 0, which SQL makes NaN
    outputs.put(
        "ratio",
        new OutputCase(
            "count_if(b) * 1e0 / count(*)",
            e -> WindowOracle.countIf(e, "b") * 1e0 / WindowOracle.countRows(e)));
    // bigint division, as Trino does it: truncated towards zero
    outputs.put(
        "quot",
        new OutputCase(
            "sum(x) / nullif(count(*), 0)",
            e -> {
              Long sum = WindowOracle.sumLong(e, "x");
              long rows = WindowOracle.countRows(e);
              return sum == null || rows == 0 ? null : sum / rows;
            }));
    outputs.put(
        "mix",
        new OutputCase(
            "count(x) - count_if(b) + 2 * count(*)",
            e ->
                WindowOracle.count(e, "x")
                    - WindowOracle.countIf(e, "b")
                    + 2 * WindowOracle.countRows(e)));
    outputs.put(
        "dx",
        new OutputCase(
            "coalesce(sum(d), 0) + coalesce(sum(x), 0)",
            e -> {
              Double d = WindowOracle.sumDouble(e, "d");
              Long x = WindowOracle.sumLong(e, "x");
              return (d == null ? 0.0 : d) + (x == null ? 0L : x);
            }));
    outputs.put("mnx", new OutputCase("min(x)", e -> WindowOracle.extreme(e, "x", false)));
    outputs.put("mxd", new OutputCase("MAX(d)", e -> WindowOracle.extreme(e, "d", true)));
    // an expression over extremes and counts of one window; NULL over an empty window
    outputs.put(
        "rng",
        new OutputCase(
            "max(x) - min(x) + count(*)",
            e -> {
              Object max = WindowOracle.extreme(e, "x", true);
              Object min = WindowOracle.extreme(e, "x", false);
              return max == null ? null : (Long) max - (Long) min + WindowOracle.countRows(e);
            }));
    outputs.put(
        "mnd",
        new OutputCase(
            "coalesce(min(d), -1e0)",
            e -> {
              Object min = WindowOracle.extreme(e, "d", false);
              return min == null ? -1.0 : min;
            }));
    outputs.put(
        "ndx", new OutputCase("count(DISTINCT x)", e -> WindowOracle.countDistinct(e, "x")));
    outputs.put(
        "ndb",
        new OutputCase(
            "count(distinct b) * 100 + count(DISTINCT x) - count(x)",
            e ->
                WindowOracle.countDistinct(e, "b") * 100
                    + WindowOracle.countDistinct(e, "x")
                    - WindowOracle.count(e, "x")));
    return Collections.unmodifiableMap(outputs);
  }

  /** One row of the events table. */
  record EventRow(
      Long userId, String cat, Long time, Long created, String zone, Long x, Double d, Boolean b) {
    String tuple(int caseId) {
      List<String> values = new ArrayList<>();
      values.add(Integer.toString(caseId));
      values.add(userId == null ? "CAST(NULL AS bigint)" : "CAST(%d AS bigint)".formatted(userId));
      values.add(cat == null ? "CAST(NULL AS varchar)" : "CAST('%s' AS varchar)".formatted(cat));
      for (TimeType type : TimeType.values()) {
        values.add(type.literal(time, zone));
      }
      for (TimeType type : TimeType.values()) {
        values.add(type.literal(created, zone));
      }
      values.add(x == null ? "CAST(NULL AS bigint)" : "CAST(%d AS bigint)".formatted(x));
      values.add(d == null ? "CAST(NULL AS double)" : "CAST(%s AS double)".formatted(d));
      values.add(b == null ? "CAST(NULL AS boolean)" : b.toString());
      return "(" + String.join(", ", values) + ")";
    }

    Object key(String column) {
      return column.equals("user_id") ? userId : cat;
    }
  }

  /** One spine row. */
  record SpineRow(long id, Long userId, String cat, Long time, String zone) {
    List<Object> keys(List<String> columns) {
      return Arrays.asList(
          columns.stream().map(c -> c.equals("user_id") ? (Object) userId : cat).toArray());
    }
  }

  /** One aggregation view of a case, as written and as the oracle evaluates it. */
  record ViewCase(
      String name,
      List<String> keys,
      List<Duration> windows,
      List<String> outputs,
      boolean filter,
      boolean holdBackLate,
      List<Feature> features,
      String sql) {}

  /** A feature a case selects: an output over one of its view's windows. */
  record Feature(String output, Duration window) {
    String name() {
      return FeatureViewSpec.featureName(output, window);
    }
  }

  /** A view without windows in a case: its rows, for {@link PitOracle}. */
  record PlainCase(TimeType type, List<Map<String, Object>> rows, List<String> zones) {}

  /** What a case ran: the views' SQL, the statement, and its rows (id, then the features). */
  record Ran(String views, PitPlan plan, List<List<Object>> rows) {}

  /** One generated case. */
  record GeneratedCase(
      int id,
      TimeType eventType,
      Optional<TimeType> createdType,
      TimeType spineType,
      List<EventRow> events,
      List<SpineRow> spine,
      List<ViewCase> views,
      Optional<PlainCase> plain) {

    /** The events as one view sees them: its keys, its time types, its WHERE. */
    List<Event> events(ViewCase view) {
      List<Event> seen = new ArrayList<>();
      for (EventRow row : events) {
        if (view.filter() && Long.valueOf(3).equals(row.x())) {
          continue;
        }
        Map<String, Object> values = new HashMap<>();
        values.put("x", row.x());
        values.put("d", row.d());
        values.put("b", row.b());
        seen.add(
            new Event(
                Arrays.asList(view.keys().stream().map(row::key).toArray()),
                eventType.stored(row.time()),
                createdType.map(t -> t.stored(row.created())).orElse(null),
                values));
      }
      return seen;
    }

    Long spineTime(SpineRow row) {
      return spineType.stored(row.time());
    }

    List<List<Object>> expected() {
      List<List<Optional<Map<String, Object>>>> plainFound = List.of();
      if (plain.isPresent()) {
        List<Map<String, Object>> spineMaps = new ArrayList<>();
        for (SpineRow row : spine) {
          Map<String, Object> map = new HashMap<>();
          map.put("user_id", row.userId());
          map.put("ts", spineTime(row));
          spineMaps.add(map);
        }
        plainFound = PitOracle.join(spineMaps, "ts", List.of(plainOracleView()));
      }
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < spine.size(); i++) {
        SpineRow row = spine.get(i);
        List<Object> values = new ArrayList<>();
        values.add(row.id());
        for (ViewCase view : views) {
          List<Event> seen = events(view);
          for (Feature feature : view.features()) {
            values.add(
                WindowOracle.feature(
                    seen,
                    row.keys(view.keys()),
                    spineTime(row),
                    feature.window(),
                    view.holdBackLate(),
                    OUTPUTS.get(feature.output()).oracle()));
          }
        }
        if (plain.isPresent()) {
          values.add(plainFound.get(i).getFirst().map(r -> r.get("f")).orElse(null));
        }
        rows.add(values);
      }
      return rows;
    }

    private PitOracle.View plainOracleView() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Map<String, Object> row : plain.orElseThrow().rows()) {
        Map<String, Object> stored = new HashMap<>(row);
        stored.put("pe", plain.orElseThrow().type().stored((Long) row.get("pe")));
        rows.add(stored);
      }
      return new PitOracle.View(
          "plain",
          List.of("user_id"),
          "pe",
          Optional.empty(),
          Optional.empty(),
          List.of("user_id", "pe", "f"),
          List.of("f"),
          false,
          rows);
    }

    Ran run(FeatureViewCompiler compiler, QueryEngine engine, String schema) {
      List<PitView> pitViews = new ArrayList<>();
      StringBuilder described = new StringBuilder();
      for (ViewCase view : views) {
        String sql = view.sql().formatted(schema);
        described.append(view.name()).append(" (windows ").append(view.windows()).append(", ");
        described.append(view.holdBackLate() ? "late events held back" : "not held back");
        described.append("):\n").append(sql).append('\n');
        CompiledView compiled = compiler.compile(spec(view, sql), entity(view));
        pitViews.add(
            TrainingSetCompiler.aggregationView(
                compiled,
                view.features().stream().map(Feature::name).toList(),
                view.holdBackLate()));
      }
      plain.ifPresent(p -> pitViews.add(plainPitView(p)));
      List<Column> spineColumns =
          List.of(
              new Column("id", "bigint"),
              new Column("user_id", "bigint"),
              new Column("cat", "varchar"),
              new Column("ts", spineType.sql));
      PitPlan plan = PointInTimeSql.plan(new PitRequest(spineSql(), spineColumns, "ts", pitViews));
      List<List<Object>> rows = new ArrayList<>();
      for (List<Object> row : engine.query(plan.sql()).rows()) {
        List<Object> values = new ArrayList<>();
        values.add(((Number) row.get(0)).longValue());
        for (int i = spineColumns.size(); i < row.size(); i++) {
          Object value = row.get(i);
          values.add(value instanceof Integer n ? Long.valueOf(n) : value);
        }
        rows.add(values);
      }
      return new Ran(described.toString(), plan, rows);
    }

    private FeatureViewSpec spec(ViewCase view, String sql) {
      Path file = Path.of("views", view.name() + ".sql");
      return new FeatureViewSpec(
          view.name(),
          entity(view).name(),
          "e_" + eventType.suffix,
          createdType.map(t -> "c_" + t.suffix),
          Optional.empty(),
          Materialization.VIRTUAL,
          false,
          "",
          "",
          List.of(),
          List.of(),
          sql,
          SourcePosition.start(file),
          new SourcePosition(file, 4, 1),
          List.of(),
          view.windows());
    }

    private static Entity entity(ViewCase view) {
      String name = String.join("_", view.keys());
      return new Entity(name, view.keys(), "", SourcePosition.start(Path.of("entities.yaml")));
    }

    private PitView plainPitView(PlainCase plainCase) {
      List<String> tuples = new ArrayList<>();
      for (int i = 0; i < plainCase.rows().size(); i++) {
        Map<String, Object> row = plainCase.rows().get(i);
        Object user = row.get("user_id");
        Object f = row.get("f");
        tuples.add(
            "(CAST(%s AS bigint), %s, CAST(%s AS bigint))"
                .formatted(
                    user == null ? "NULL" : user,
                    plainCase.type().literal((Long) row.get("pe"), plainCase.zones().get(i)),
                    f == null ? "NULL" : f));
      }
      String source =
          tuples.isEmpty()
              ? "SELECT CAST(NULL AS bigint) AS user_id, CAST(NULL AS %s) AS pe, CAST(NULL AS bigint) AS f WHERE false"
                  .formatted(plainCase.type().sql)
              : "SELECT user_id, pe, f FROM (VALUES\n  %s) AS t(user_id, pe, f)"
                  .formatted(String.join(",\n  ", tuples));
      return new PitView(
          "plain",
          source,
          List.of("user_id"),
          "pe",
          Optional.empty(),
          Optional.empty(),
          List.of(
              new Column("user_id", "bigint"),
              new Column("pe", plainCase.type().sql),
              new Column("f", "bigint")),
          List.of("f"),
          false,
          false,
          id % 2 == 0,
          id % 3 == 0 ? Lookup.SPINE_ROWS : Lookup.DISTINCT_PAIRS,
          Optional.empty());
    }

    private String spineSql() {
      if (spine.isEmpty()) {
        return "SELECT CAST(NULL AS bigint) AS id, CAST(NULL AS bigint) AS user_id, CAST(NULL AS varchar) AS cat, CAST(NULL AS %s) AS ts WHERE false"
            .formatted(spineType.sql);
      }
      List<String> tuples = new ArrayList<>();
      for (SpineRow row : spine) {
        tuples.add(
            "(CAST(%d AS bigint), CAST(%s AS bigint), CAST(%s AS varchar), %s)"
                .formatted(
                    row.id(),
                    row.userId() == null ? "NULL" : row.userId(),
                    row.cat() == null ? "NULL" : "'" + row.cat() + "'",
                    spineType.literal(row.time(), row.zone())));
      }
      return "SELECT id, user_id, cat, ts FROM (VALUES\n  %s) AS t(id, user_id, cat, ts)"
          .formatted(String.join(",\n  ", tuples));
    }

    /** Counts the situations the case puts the statement in, by the oracle. */
    void measure(Coverage coverage) {
      if (spine.stream().anyMatch(r -> r.time() != null && r.time() % MINUTE != 0)) {
        coverage.add("spine time inside a minute");
      }
      if (spine.stream().anyMatch(r -> r.time() != null && r.time() % MINUTE == 0)) {
        coverage.add("spine time on a minute");
      }
      for (ViewCase view : views) {
        List<Event> seen = events(view);
        long unit = eventType.unit();
        for (SpineRow row : spine) {
          Long t = spineTime(row);
          List<Object> keys = row.keys(view.keys());
          if (t == null || keys.contains(null)) {
            coverage.add("spine row with a NULL key or time");
            continue;
          }
          for (Duration window : view.windows()) {
            long edge = WindowOracle.floorMinute(t) - window.toNanos() / 1_000L;
            List<Event> in = WindowOracle.window(seen, keys, t, window, view.holdBackLate());
            if (in.isEmpty()) {
              coverage.add("empty window");
            }
            if (WindowOracle.count(in, "x") < in.size()) {
              coverage.add("NULL argument in a window");
            }
            Object least = WindowOracle.extreme(in, "x", false);
            if (least != null
                && in.stream().filter(ev -> least.equals(ev.values().get("x"))).count() > 1) {
              coverage.add("tie for the least value in a window");
            }
            if (WindowOracle.countDistinct(in, "x") > 0
                && WindowOracle.countDistinct(in, "x") < WindowOracle.count(in, "x")) {
              coverage.add("a value more than once in a window");
            }
            for (Event event : seen) {
              if (!keys.equals(event.keys()) || event.time() == null) {
                continue;
              }
              long e = event.time();
              boolean visible =
                  !view.holdBackLate() || (event.created() == null ? e : event.created()) <= t;
              if (visible && e == t) {
                coverage.add("event exactly at t");
              }
              if (visible && e == t + unit) {
                coverage.add("event just after t");
              }
              if (visible && e == edge) {
                coverage.add("event exactly at floor_minute(t) - w");
              }
              if (visible && e == edge - unit) {
                coverage.add("event just before floor_minute(t) - w");
              }
              if (visible && e == edge + unit) {
                coverage.add("event just after floor_minute(t) - w");
              }
              boolean inRange = e >= edge && e <= t;
              if (inRange && !visible) {
                coverage.add("late event held back");
              }
              if (inRange
                  && view.holdBackLate()
                  && event.created() != null
                  && event.created() == t.longValue()) {
                coverage.add("event created exactly at t");
              }
              if (inRange
                  && !view.holdBackLate()
                  && event.created() != null
                  && event.created() > t) {
                coverage.add("late event not held back");
              }
            }
          }
        }
      }
    }
  }

  /** How often each situation occurs. */
  static final class Coverage {
    static final List<String> SITUATIONS =
        List.of(
            "spine time inside a minute",
            "spine time on a minute",
            "spine row with a NULL key or time",
            "empty window",
            "NULL argument in a window",
            "tie for the least value in a window",
            "a value more than once in a window",
            "event exactly at t",
            "event just after t",
            "event exactly at floor_minute(t) - w",
            "event just before floor_minute(t) - w",
            "event just after floor_minute(t) - w",
            "late event held back",
            "event created exactly at t",
            "late event not held back");

    final Map<String, Integer> counts = new LinkedHashMap<>();

    void add(String situation) {
      counts.merge(situation, 1, Integer::sum);
    }
  }

  private static GeneratedCase generate(Random random, int n) {
    TimeType[] types = TimeType.values();
    TimeType eventType = types[random.nextInt(types.length)];
    Optional<TimeType> createdType =
        random.nextInt(3) == 0
            ? Optional.empty()
            : Optional.of(types[random.nextInt(types.length)]);
    TimeType spineType = types[random.nextInt(types.length)];

    // the spine: keys from small domains, times on the hour, some inside a minute; NULLs,
    // duplicates
    List<SpineRow> spine = new ArrayList<>();
    int spineRows = n % 37 == 5 ? 0 : 1 + random.nextInt(10);
    for (int i = 0; i < spineRows; i++) {
      long t = BASE + random.nextInt(SPINE_HOURS) * HOUR;
      if (random.nextBoolean()) {
        t += random.nextInt(60) * MINUTE;
        if (random.nextBoolean()) {
          t += spineType.stored((long) random.nextInt(60_000_000));
        }
      }
      SpineRow row =
          new SpineRow(
              i,
              random.nextInt(12) == 0 ? null : (long) random.nextInt(3),
              random.nextInt(12) == 0 ? null : String.valueOf((char) ('a' + random.nextInt(2))),
              random.nextInt(15) == 0 ? null : t,
              ZONES.get(random.nextInt(ZONES.size())));
      spine.add(row);
      if (random.nextInt(6) == 0) {
        spine.add(row);
      }
    }

    // one to three aggregation views
    List<ViewCase> views = new ArrayList<>();
    int viewCount = 1 + random.nextInt(3);
    for (int v = 0; v < viewCount; v++) {
      views.add(view(random, n, v, createdType.isPresent()));
    }
    List<Duration> windows = views.stream().flatMap(v -> v.windows().stream()).distinct().toList();

    // events: mostly around the spine's times and at the windows' edges
    List<EventRow> events = new ArrayList<>();
    int eventCount = n % 29 == 3 ? 0 : 5 + random.nextInt(40);
    long unit = eventType.unit();
    for (int i = 0; i < eventCount; i++) {
      SpineRow near = spine.isEmpty() ? null : spine.get(random.nextInt(spine.size()));
      long t =
          near == null || near.time() == null
              ? BASE + random.nextInt(SPINE_HOURS) * HOUR
              : spineType.stored(near.time());
      long w = windows.get(random.nextInt(windows.size())).toNanos() / 1_000L;
      long edge = WindowOracle.floorMinute(t) - w;
      long e =
          switch (random.nextInt(10)) {
            case 0 -> t;
            case 1 -> t - unit;
            case 2 -> t + unit;
            case 3 -> edge;
            case 4 -> edge - unit;
            case 5 -> edge + unit;
            case 6 -> WindowOracle.floorMinute(t);
            case 7 -> t - (long) (random.nextDouble() * (w + HOUR));
            default -> BASE - 8 * DAY + (long) (random.nextDouble() * (10 * DAY));
          };
      e = eventType.stored(e);
      Long created = null;
      if (createdType.isPresent()) {
        long cu = createdType.get().unit();
        created =
            switch (random.nextInt(10)) {
              case 0, 1 -> null;
              case 2 -> e;
              case 3 -> e - 30 * MINUTE;
              case 4, 5 -> e + random.nextInt(180) * MINUTE + random.nextInt(1_000_000);
              case 6 -> t;
              case 7 -> t + cu;
              case 8 -> t - cu;
              default -> t + random.nextInt(3) * HOUR;
            };
      }
      Long userId;
      String cat;
      if (near != null && random.nextInt(4) != 0) {
        userId = near.userId();
        cat = near.cat();
      } else {
        userId = (long) random.nextInt(3);
        cat = String.valueOf((char) ('a' + random.nextInt(2)));
      }
      if (random.nextInt(12) == 0) {
        userId = null;
      }
      if (random.nextInt(12) == 0) {
        cat = null;
      }
      events.add(
          new EventRow(
              userId,
              cat,
              random.nextInt(20) == 0 ? null : e,
              created,
              ZONES.get(random.nextInt(ZONES.size())),
              random.nextInt(4) == 0 ? null : (long) (random.nextInt(13) - 3),
              random.nextInt(4) == 0 ? null : random.nextInt(100) / 10.0,
              random.nextInt(5) == 0 ? null : random.nextBoolean()));
    }

    // sometimes a view without windows alongside
    Optional<PlainCase> plain = Optional.empty();
    if (random.nextInt(3) == 0) {
      TimeType type = types[random.nextInt(types.length)];
      List<Map<String, Object>> rows = new ArrayList<>();
      List<String> zones = new ArrayList<>();
      for (int i = random.nextInt(8); i > 0; i--) {
        Map<String, Object> row = new HashMap<>();
        row.put("user_id", random.nextInt(10) == 0 ? null : (long) random.nextInt(3));
        row.put("pe", BASE + random.nextInt(SPINE_HOURS) * HOUR);
        row.put("f", random.nextInt(5) == 0 ? null : (long) random.nextInt(100));
        rows.add(row);
        zones.add(ZONES.get(random.nextInt(ZONES.size())));
      }
      plain = Optional.of(new PlainCase(type, rows, zones));
    }
    return new GeneratedCase(n, eventType, createdType, spineType, events, spine, views, plain);
  }

  private static ViewCase view(Random random, int n, int v, boolean created) {
    List<String> keys = ENTITY_KEYS.get(random.nextInt(ENTITY_KEYS.size()));
    List<Duration> windows = new ArrayList<>(WINDOWS);
    Collections.shuffle(windows, random);
    windows = List.copyOf(windows.subList(0, 1 + random.nextInt(3)));
    List<String> names = new ArrayList<>(OUTPUTS.keySet());
    Collections.shuffle(names, random);
    List<String> outputs = List.copyOf(names.subList(0, 2 + random.nextInt(4)));
    boolean filter = random.nextInt(4) == 0;
    boolean holdBack = created && random.nextBoolean();
    List<Feature> all = new ArrayList<>();
    for (String output : outputs) {
      for (Duration window : windows) {
        all.add(new Feature(output, window));
      }
    }
    Collections.shuffle(all, random);
    List<Feature> features = List.copyOf(all.subList(0, 1 + random.nextInt(all.size())));
    // keys sometimes qualified by the table's alias, aggregates in mixed case
    boolean qualified = random.nextBoolean();
    String keyList =
        keys.stream().map(k -> qualified ? "ev." + k : k).collect(Collectors.joining(", "));
    String aggregates =
        outputs.stream()
            .map(o -> "%s AS %s".formatted(OUTPUTS.get(o).sql(), o))
            .collect(Collectors.joining(",\n  "));
    String sql =
        """
        SELECT %s,
          %s
        FROM memory.%%s.events ev
        WHERE ev.case_id = %d%s
        GROUP BY %s"""
            .formatted(keyList, aggregates, n, filter ? " AND x IS DISTINCT FROM 3" : "", keyList);
    return new ViewCase("agg" + v, keys, windows, outputs, filter, holdBack, features, sql);
  }
}
