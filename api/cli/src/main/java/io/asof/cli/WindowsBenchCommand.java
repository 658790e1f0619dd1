package io.asof.cli;

import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.TrainingSetCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.pit.PitPlan;
import io.asof.compiler.pit.PitRequest;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.QueryStats;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.features.repository.RepositoryLoader;
import io.asof.model.Durations;
import io.asof.model.FeatureRepository;
import io.asof.model.window.WindowedAggregation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code asof bench windows}: Asof's statement for an aggregation view ({@code -- windows:}, one
 * sort per view with a running sum per state, read at each probe and at its windows' starts)
 * against the straightforward range join with FILTERed aggregates per window, on the news
 * warehouse, for a dense, a medium and a sparse key.
 */
@Command(
    name = "windows",
    description =
        "Aggregation views (-- windows: 1h, 1d, 7d, 30d) over the news warehouse's impressions: impressions and clicks per window at every spine time, for a dense key (article category: 8 keys), a medium one (article_id) and a sparse one (user_id). Asof's statement (the views compiled by the real compiler, the statement built as a training set builds it) runs against the straightforward formulation — each spine row range-joined to its key's events within [floor_minute(t) - 30d, t], grouped by spine row with FILTERed aggregates per window — alternating on the same Trino; checks both give identical rows (count and checksum of every column) and reports median time, peak memory and the speed-up against its target. A run that exceeds --cutoff is cancelled by Trino and its ratio reported as a lower bound.")
final class WindowsBenchCommand implements Callable<Integer> {
  static final String SCHEMA = "dwh";
  static final List<Duration> WINDOWS =
      List.of(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30));

  /** One key of the benchmark: its entity, view, spine column and the events it is counted over. */
  enum Key {
    dense(
        "category",
        "category",
        "article category, 8 keys",
        """
        SELECT a.category, count(*) AS impressions, count_if(i.clicked) AS clicks
        FROM dwh.impressions i
        JOIN dwh.articles a ON a.article_id = i.article_id
        GROUP BY a.category""",
        """
        SELECT a.category AS k, i.shown_at, i.clicked
        FROM dwh.impressions i
        JOIN dwh.articles a ON a.article_id = i.article_id""",
        10.0),
    medium(
        "article",
        "article_id",
        "article_id",
        """
        SELECT article_id, count(*) AS impressions, count_if(clicked) AS clicks
        FROM dwh.impressions
        GROUP BY article_id""",
        "SELECT article_id AS k, shown_at, clicked FROM dwh.impressions",
        2.0),
    sparse(
        "user",
        "user_id",
        "user_id",
        """
        SELECT user_id, count(*) AS impressions, count_if(clicked) AS clicks
        FROM dwh.impressions
        GROUP BY user_id""",
        "SELECT user_id AS k, shown_at, clicked FROM dwh.impressions",
        1.0);

    final String entity;
    final String column;
    final String description;
    final String viewSql;
    final String eventsSql;
    final double target;

    Key(
        String entity,
        String column,
        String description,
        String viewSql,
        String eventsSql,
        double target) {
      this.entity = entity;
      this.column = column;
      this.description = description;
      this.viewSql = viewSql;
      this.eventsSql = eventsSql;
      this.target = target;
    }

    String view() {
      return entity + "_impressions";
    }
  }

  @Mixin StackOptions stackOptions;
  @Mixin TrinoOptions trinoOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "10000000",
      description =
          "Impressions of the news warehouse, the events counted, generated into <catalog>.dwh as ./asof warehouse load --impressions does; replaces a dwh of another size (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--spine",
      paramLabel = "N",
      defaultValue = "1000000",
      description =
          "Spine rows: the impressions with the N lowest ids (spread over the 90 days), each with its user, article and category (default: ${DEFAULT-VALUE}).")
  long spineRows;

  @Option(
      names = "--runs",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "How often to run each formulation of a case, alternating; the medians are reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--keys",
      paramLabel = "KEYS",
      split = ",",
      description = "Which keys: dense, medium, sparse (default: all three).")
  List<Key> keys = new ArrayList<>();

  @Option(
      names = "--windows",
      paramLabel = "SETS",
      split = ",",
      defaultValue = "all,1h,1d",
      description =
          "Which windows each statement evaluates, one case per entry: all (1h, 1d, 7d and 30d at once, the baseline joining 30 days) or one window alone (1h, 1d, 7d, 30d; the baseline joining that window only). Default: ${DEFAULT-VALUE}.")
  List<String> windowSets;

  @Option(
      names = "--cutoff",
      paramLabel = "DURATION",
      defaultValue = "10m",
      description =
          "Trino cancels a run after this long (query_max_run_time); a cancelled baseline is not run again for that case and its speed-up is reported as a lower bound (default: ${DEFAULT-VALUE}).")
  String cutoff;

  @Option(
      names = "--show-sql",
      description = "Print both statements of each case before running it.")
  boolean showSql;

  @Option(
      names = "--explain",
      description =
          "Before the timed runs of each case, run EXPLAIN ANALYZE of both statements (as measured: wrapped in the checksum) and print Trino's plans with the time, rows and memory of each operator.")
  boolean explain;

  /** One side-by-side measurement: a key and the windows evaluated. */
  private record Case(Key key, String windowSet, List<Integer> windows) {
    String name() {
      return key.name() + " " + windowSet;
    }
  }

  /** One run: its rows and checksum, or that it was cut at the cutoff, or its failure. */
  private record Measured(
      long rows,
      String checksum,
      double seconds,
      double peakMb,
      boolean cut,
      Optional<String> failure) {
    boolean ok() {
      return !cut && failure.isEmpty();
    }
  }

  @Override
  public Integer call() {
    if (runs < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--runs must be at least 1, not " + runs);
    }
    if (spineRows < 1 || spineRows > events) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--spine must be between 1 and --events (%,d), not %,d".formatted(events, spineRows));
    }
    Duration limit =
        Durations.parse(cutoff)
            .orElseThrow(
                () ->
                    new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--cutoff '%s' does not parse: %s".formatted(cutoff, Durations.HINT)));
    List<Key> selected = keys.isEmpty() ? List.of(Key.values()) : List.copyOf(keys);
    List<Case> cases = new ArrayList<>();
    for (Key key : selected) {
      for (String set : windowSets) {
        cases.add(new Case(key, set, windows(set)));
      }
    }

    PrintWriter out = spec.commandLine().getOut();
    String jdbcUrl = trinoOptions.sessionUrl(trinoOptions.jdbcUrl(stackOptions, out));
    TrinoConnectionConfig connection =
        trinoOptions
            .connection(jdbcUrl)
            .as(trinoOptions.trinoUser, Map.of("query_max_run_time", limit.toSeconds() + "s"));
    try (QueryEngine engine = new TrinoQueryEngine(connection)) {
      WarehouseSession.load(
          engine,
          new NewsWarehouse(
              new NewsWarehouseSpec(NewsWarehouseSpec.DEFAULT_SEED, events),
              trinoOptions.catalog(),
              SCHEMA),
          out);
      Map<String, CompiledView> views = compile(engine);
      String spineSql = spineSql();
      out.printf(
          "Aggregation views at %s: %,d impressions (events), spine of %,d impressions; each statement is wrapped in SELECT count(*), checksum(ROW(...)) so both formulations do the same final work; each runs %d times, alternating with the other, and the median is shown; runs over %s are cancelled (a cancelled baseline is not run again: its speed-up is a lower bound).%n",
          jdbcUrl, events, spineRows, runs, Durations.format(limit));
      for (Key key : selected) {
        List<Object> stats =
            engine
                .query(
                    "SELECT count(DISTINCT k), count(*) FROM (%s) WHERE k IS NOT NULL"
                        .formatted(key.eventsSql))
                .rows()
                .getFirst();
        long distinct = ((Number) stats.get(0)).longValue();
        long total = ((Number) stats.get(1)).longValue();
        out.printf(
            "  %-6s %s: %,d keys, %,.0f events per key on average%n",
            key.name(), key.description, distinct, total / (double) Math.max(distinct, 1));
      }
      out.flush();
      if (!cases.isEmpty()) {
        // one untimed run first, so that no case pays for Trino's JIT warming up
        Case first = cases.getFirst();
        out.printf("Warm-up: one untimed run of Asof's statement for %s ...%n", first.name());
        out.flush();
        measure(asofSql(first, views.get(first.key().view()), spineSql, engine), engine);
      }
      List<List<String>> table = new ArrayList<>();
      boolean allIdentical = true;
      boolean allMet = true;
      for (Case benchCase : cases) {
        Outcome outcome = run(benchCase, views.get(benchCase.key().view()), spineSql, engine, out);
        table.add(outcome.row());
        allIdentical &= outcome.identical();
        allMet &= outcome.met();
      }
      out.println();
      out.print(
          TablePrinter.render(
              List.of(
                  "key",
                  "windows",
                  "asof s",
                  "asof MB",
                  "baseline s",
                  "baseline MB",
                  "speed-up",
                  "target",
                  "rows",
                  "result"),
              table,
              "  "));
      out.println(
          allMet
              ? "All targets met."
              : allIdentical
                  ? "Some targets were NOT met (see above)."
                  : "Some results DIFFER or failed (see above).");
      out.flush();
      return allIdentical ? 0 : 1;
    }
  }

  /** The window indexes a set names: all four, or one. */
  private List<Integer> windows(String set) {
    if (set.equalsIgnoreCase("all")) {
      return List.of(0, 1, 2, 3);
    }
    Optional<Duration> window = Durations.parse(set);
    int index = window.map(WINDOWS::indexOf).orElse(-1);
    if (index < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--windows: '%s' is not all, 1h, 1d, 7d or 30d: list window sets separated by commas"
              .formatted(set));
    }
    return List.of(index);
  }

  /** The spine: the first --spine impressions by id, with the keys of all three views. */
  private String spineSql() {
    return """
        SELECT i.impression_id, i.user_id, i.article_id, a.category, i.shown_at
        FROM dwh.impressions i
        JOIN dwh.articles a ON a.article_id = i.article_id
        WHERE i.impression_id <= %d"""
        .formatted(spineRows);
  }

  /**
   * The three aggregation views, compiled by the real compiler from a repository written to a
   * temporary directory (entities category, article and user).
   */
  private Map<String, CompiledView> compile(QueryEngine engine) {
    Path root;
    try {
      root = Files.createTempDirectory("asof-bench-windows");
      Files.writeString(
          root.resolve("entities.yaml"),
          """
          entities:
            category:
              keys: [category]
              description: An editorial section.
            article:
              keys: [article_id]
              description: A published story.
            user:
              keys: [user_id]
              description: A reader.
          """);
      Path viewsDir = Files.createDirectories(root.resolve("views"));
      String windowList = WINDOWS.stream().map(Durations::format).collect(Collectors.joining(", "));
      for (Key key : Key.values()) {
        Files.writeString(
            viewsDir.resolve(key.view() + ".sql"),
            """
            -- view: %s
            -- entity: %s
            -- event_time: shown_at
            -- windows: %s
            -- description: Impressions and clicks of the %s over each window.
            %s
            """
                .formatted(key.view(), key.entity, windowList, key.entity, key.viewSql));
      }
      FeatureRepository repository = RepositoryLoader.load(root);
      return new FeatureViewCompiler(
              new EngineWarehouseCatalog(engine, trinoOptions.dialect()),
              engine,
              trinoOptions.catalog())
          .compileAll(repository).stream()
              .collect(Collectors.toMap(CompiledView::name, Function.identity()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the benchmark's repository: " + e, e);
    }
  }

  /** The features a case asks for, in the order both formulations output them. */
  private static List<String> features(Case benchCase) {
    List<String> features = new ArrayList<>();
    for (String output : List.of("impressions", "clicks")) {
      for (int w : benchCase.windows()) {
        features.add(output + "_" + Durations.format(WINDOWS.get(w)));
      }
    }
    return features;
  }

  /** Asof's statement: the view's features at each spine row, as a training set builds it. */
  private static PitPlan asofSql(
      Case benchCase, CompiledView view, String spineSql, QueryEngine engine) {
    WindowedAggregation aggregation = view.aggregation().orElseThrow();
    List<String> features = features(benchCase);
    if (!aggregation.features().containsAll(features)) {
      throw new IllegalStateException(
          "view %s has features %s, not all of %s"
              .formatted(view.name(), aggregation.features(), features));
    }
    return PointInTimeSql.plan(
        new PitRequest(
            spineSql,
            engine.describe(spineSql),
            "shown_at",
            List.of(TrainingSetCompiler.aggregationView(view, features, false))));
  }

  /**
   * The straightforward formulation, written by hand from the view's meaning (not from the
   * compiler's events query): each spine row range-joined to its key's events within the widest
   * window asked for, grouped by spine row, with one FILTERed aggregate per feature.
   */
  private static String baselineSql(Case benchCase, String spineSql) {
    String floor = "date_trunc('minute', s.shown_at)";
    long widest =
        benchCase.windows().stream().mapToLong(w -> WINDOWS.get(w).toMinutes()).max().orElseThrow();
    List<String> aggregates = new ArrayList<>();
    for (String output : List.of("impressions", "clicks")) {
      for (int w : benchCase.windows()) {
        String filter =
            "FILTER (WHERE e.shown_at >= %s - INTERVAL '%d' MINUTE)"
                .formatted(floor, WINDOWS.get(w).toMinutes());
        String aggregate =
            output.equals("impressions") ? "count(e.shown_at)" : "count_if(e.clicked)";
        aggregates.add(
            "%s %s AS %s_%s"
                .formatted(aggregate, filter, output, Durations.format(WINDOWS.get(w))));
      }
    }
    String spineColumns = "s.impression_id, s.user_id, s.article_id, s.category, s.shown_at";
    return """
        WITH
          spine AS (
        %s
          ),
          events AS (
        %s
          )
        SELECT %s,
          %s
        FROM spine s
        LEFT JOIN events e
          ON e.k = s.%s
          AND e.shown_at >= %s - INTERVAL '%d' MINUTE
          AND e.shown_at <= s.shown_at
        GROUP BY %s"""
        .formatted(
            spineSql.indent(4).stripTrailing(),
            benchCase.key().eventsSql.indent(4).stripTrailing(),
            spineColumns,
            String.join(",\n  ", aggregates),
            benchCase.key().column,
            floor,
            widest,
            spineColumns);
  }

  /** The figures of a case and whether it is identical and meets its target. */
  private record Outcome(List<String> row, boolean identical, boolean met) {}

  private Outcome run(
      Case benchCase, CompiledView view, String spineSql, QueryEngine engine, PrintWriter out) {
    List<String> columns =
        Stream.concat(
                Stream.of("impression_id", "user_id", "article_id", "category", "shown_at"),
                features(benchCase).stream())
            .toList();
    PitPlan asofPlan = asofSql(benchCase, view, spineSql, engine);
    List<String> planColumns = asofPlan.columns().stream().map(c -> c.name()).toList();
    if (!planColumns.equals(columns)) {
      throw new IllegalStateException(
          "Asof's statement outputs %s, the baseline %s".formatted(planColumns, columns));
    }
    String asof = asofPlan.sql();
    String baseline = baselineSql(benchCase, spineSql);
    if (showSql) {
      out.printf(
          "-- %s: Asof's statement%n%s%n-- %s: baseline%n%s%n",
          benchCase.name(), asof, benchCase.name(), baseline);
    }
    if (explain) {
      for (Map.Entry<String, String> side :
          List.of(Map.entry("asof", asof), Map.entry("baseline", baseline))) {
        out.printf("-- EXPLAIN ANALYZE, %s, %s:%n", benchCase.name(), side.getKey());
        try {
          engine
              .query("EXPLAIN ANALYZE " + wrapped(columns, side.getValue()))
              .rows()
              .forEach(r -> out.println(r.getFirst()));
        } catch (QueryEngineException e) {
          out.println("  FAILED: " + oneLine(String.valueOf(e.getMessage())));
        }
        out.flush();
      }
    }
    // alternate the two, so that a slow spell of the machine falls on both; report the medians
    List<Measured> asofRuns = new ArrayList<>();
    List<Measured> baselineRuns = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      Measured a = measure(columns, asof, engine);
      asofRuns.add(a);
      progress(benchCase, "asof", run, a, out);
      if (baselineRuns.stream().noneMatch(Measured::cut)) {
        Measured b = measure(columns, baseline, engine);
        baselineRuns.add(b);
        progress(benchCase, "baseline", run, b, out);
      }
    }
    return outcome(benchCase, median(asofRuns), median(baselineRuns));
  }

  private static void progress(
      Case benchCase, String side, int run, Measured measured, PrintWriter out) {
    out.printf(
        "  %-13s %-8s run %d: %s%n",
        benchCase.name(),
        side,
        run,
        measured.cut()
            ? "cancelled at the cutoff"
            : measured
                .failure()
                .map(f -> "FAILED: " + f.lines().findFirst().orElse(f))
                .orElse(
                    "%.1f s, %.0f MB, %,d rows, checksum %s"
                        .formatted(
                            measured.seconds(),
                            measured.peakMb(),
                            measured.rows(),
                            measured.checksum())));
    out.flush();
  }

  private Outcome outcome(Case benchCase, Measured asof, Measured baseline) {
    double limit = Durations.parse(cutoff).orElseThrow().toMillis() / 1000.0;
    String target = "%.0fx".formatted(benchCase.key().target);
    String asofSeconds = asof.ok() ? "%.1f".formatted(asof.seconds()) : asof.cut() ? "cut" : "-";
    String asofMb = asof.ok() ? "%.0f".formatted(asof.peakMb()) : "-";
    String baselineSeconds =
        baseline.ok()
            ? "%.1f".formatted(baseline.seconds())
            : baseline.cut() ? ">%.0f (cut)".formatted(limit) : "-";
    String baselineMb = baseline.ok() ? "%.0f".formatted(baseline.peakMb()) : "-";
    if (!asof.ok()) {
      String why = asof.cut() ? "Asof cut at the cutoff" : "Asof FAILED: " + asof.failure().get();
      return new Outcome(
          List.of(
              benchCase.key().name(),
              benchCase.windowSet(),
              asofSeconds,
              asofMb,
              baselineSeconds,
              baselineMb,
              "-",
              target,
              "-",
              why),
          false,
          false);
    }
    if (baseline.cut()) {
      double lowerBound = limit / asof.seconds();
      return new Outcome(
          List.of(
              benchCase.key().name(),
              benchCase.windowSet(),
              asofSeconds,
              asofMb,
              baselineSeconds,
              baselineMb,
              ">=%.1fx".formatted(lowerBound),
              target,
              "%,d".formatted(asof.rows()),
              "baseline cancelled: not compared"
                  + (lowerBound >= benchCase.key().target ? "" : "  <- target not shown")),
          true,
          lowerBound >= benchCase.key().target);
    }
    if (baseline.failure().isPresent()) {
      return new Outcome(
          List.of(
              benchCase.key().name(),
              benchCase.windowSet(),
              asofSeconds,
              asofMb,
              "-",
              "-",
              "-",
              target,
              "%,d".formatted(asof.rows()),
              "baseline FAILED: " + oneLine(baseline.failure().get())),
          true,
          false);
    }
    boolean identical =
        asof.rows() == baseline.rows() && asof.checksum().equals(baseline.checksum());
    double speedUp = baseline.seconds() / asof.seconds();
    boolean met = identical && speedUp >= benchCase.key().target;
    return new Outcome(
        List.of(
            benchCase.key().name(),
            benchCase.windowSet(),
            asofSeconds,
            asofMb,
            baselineSeconds,
            baselineMb,
            "%.1fx".formatted(speedUp),
            target,
            "%,d".formatted(asof.rows()),
            (identical
                    ? "identical"
                    : "DIFFERENT (" + asof.checksum() + " vs " + baseline.checksum() + ")")
                + (met ? "" : "  <- target not met")),
        identical,
        met);
  }

  private static String oneLine(String text) {
    return text.lines().findFirst().orElse(text);
  }

  /**
   * The run of median time; a cut, failed or differing run wins, so that it is never hidden by
   * others.
   */
  private static Measured median(List<Measured> runs) {
    for (Measured run : runs) {
      if (!run.ok() || !run.checksum().equals(runs.getFirst().checksum())) {
        return run;
      }
    }
    List<Measured> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(Measured::seconds));
    return sorted.get(sorted.size() / 2);
  }

  private static Measured measure(PitPlan plan, QueryEngine engine) {
    return measure(plan.columns().stream().map(c -> c.name()).toList(), plan.sql(), engine);
  }

  /** The statement as measured: its row count and the checksum of every column of every row. */
  private static String wrapped(List<String> columns, String query) {
    String row = columns.stream().map(PointInTimeSql::quote).collect(Collectors.joining(", "));
    return "SELECT count(*), to_hex(checksum(ROW(%s))) FROM (\n%s\n)".formatted(row, query);
  }

  private static Measured measure(List<String> columns, String query, QueryEngine engine) {
    String sql = wrapped(columns, query);
    AtomicReference<List<Object>> result = new AtomicReference<>();
    try {
      QueryStats stats = engine.stream(sql, (names, values) -> result.set(values));
      return new Measured(
          (Long) result.get().get(0),
          String.valueOf(result.get().get(1)),
          stats.elapsed().toMillis() / 1000.0,
          stats.peakMemoryBytes().orElse(0) / 1e6,
          false,
          Optional.empty());
    } catch (QueryEngineException e) {
      boolean cut =
          String.valueOf(e.getMessage())
              .toLowerCase(Locale.ROOT)
              .contains("exceeded maximum time limit");
      return new Measured(0, "", 0, 0, cut, cut ? Optional.empty() : Optional.of(e.getMessage()));
    }
  }
}
