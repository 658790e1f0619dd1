package io.asof.cli;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.TrainingSetCompiler;
import io.asof.compiler.ViewRows;
import io.asof.compiler.backfill.BackfillSql;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.catalog.MetadataSql;
import io.asof.compiler.pit.JoinThenRowNumberSql;
import io.asof.compiler.pit.PitPlan;
import io.asof.compiler.pit.PitRequest;
import io.asof.compiler.pit.PitView;
import io.asof.compiler.pit.PitView.Lookup;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.QueryStats;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.repository.RepositoryLoader;
import io.asof.jobs.BackfillService;
import io.asof.jobs.TrainingSetService;
import io.asof.model.Column;
import io.asof.model.FeatureRepository;
import io.asof.model.TrainingSetSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code asof bench training-set}: Asof's point-in-time statement against join-then-ROW_NUMBER on
 * TPC-H sf1, side by side on the same Trino, with identical results required.
 */
@Command(
    name = "training-set",
    description =
        "Point-in-time joins on tpch.sf1 (spine: all 1.5M orders): Asof's sort-merge statement and the join-then-ROW_NUMBER formulation of the same request, run one after the other on the same Trino; checks both give identical rows (count and checksum) and reports time and peak memory of each. Then builds the full three-view training set.")
final class PitBenchCommand implements Runnable {
  private static final String BENCH_SCHEMA = "bench_tpch";

  private static final String ORDERS_BY_NATION =
      """
      SELECT o.orderkey, c.nationkey, CAST(o.orderdate AS timestamp(6)) AS ordered_at
      FROM tpch.sf1.orders o
      JOIN tpch.sf1.customer c ON c.custkey = o.custkey""";
  private static final String ORDERS_BY_CUSTOMER =
      """
      SELECT orderkey, custkey, CAST(orderdate AS timestamp(6)) AS ordered_at
      FROM tpch.sf1.orders""";
  private static final String ORDERS_BY_SUPPLIER =
      """
      SELECT o.orderkey, l.suppkey, CAST(o.orderdate AS timestamp(6)) AS ordered_at
      FROM tpch.sf1.orders o
      JOIN tpch.sf1.lineitem l ON l.orderkey = o.orderkey AND l.linenumber = 1""";

  /** One side-by-side measurement: a spine, one view, its TTL, and the speed-up required. */
  private record Case(
      String name,
      String spineSql,
      String view,
      Optional<Duration> ttl,
      List<String> features,
      double target) {}

  private static final List<Case> CASES =
      List.of(
          new Case(
              "nation-365d",
              ORDERS_BY_NATION,
              "nation_daily",
              Optional.of(Duration.ofDays(365)),
              List.of("revenue_1d"),
              10.0),
          new Case(
              "nation-30d",
              ORDERS_BY_NATION,
              "nation_daily",
              Optional.of(Duration.ofDays(30)),
              List.of("revenue_1d"),
              2.5),
          new Case(
              "customer",
              ORDERS_BY_CUSTOMER,
              "customer_orders",
              Optional.empty(),
              List.of("orders_90d", "spend_90d", "avg_order_value_365d"),
              1.2),
          new Case(
              "supplier",
              ORDERS_BY_SUPPLIER,
              "supplier_monthly",
              Optional.empty(),
              List.of("lines_1m", "quantity_1m", "late_share_1m"),
              0.0));

  @Mixin StackOptions stackOptions;
  @Mixin TrinoOptions trinoOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      defaultValue = "sql-features/examples/tpch",
      description = "The TPC-H example repository (default: ${DEFAULT-VALUE}).")
  Path repo;

  @Option(
      names = "--cases",
      paramLabel = "NAMES",
      split = ",",
      description =
          "Which side-by-side cases to run: nation-365d, nation-30d, customer, supplier (default: all).")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "3",
      description =
          "How often to run each formulation of a case, alternating; the medians are reported (default: ${DEFAULT-VALUE}).")
  int rounds;

  /** Where the views' rows come from in a run. */
  enum ViewSource {
    /**
     * Each view's table, backfilled once as {@code asof backfill} fills a {@code materialize: true}
     * view, with stored range ends.
     */
    materialized,
    /** Each view's SQL, computed inside every statement. */
    virtual
  }

  @Option(
      names = "--views",
      paramLabel = "SOURCE",
      defaultValue = "materialized",
      description =
          "Read each view from its table (materialized: backfilled once into <catalog>.bench_tpch and reused, as the repository's views are declared materialize: true) or compute its SQL inside every statement (virtual). Default: ${DEFAULT-VALUE}.")
  ViewSource viewSource;

  @Option(
      names = "--computed-range-ends",
      description =
          "With materialized views, ignore the range ends stored in their tables and compute them in each statement (lead), as for a view read from its SQL.")
  boolean computedRangeEnds;

  @Option(
      names = "--skip-full",
      description = "Do not build the full three-view training set afterwards.")
  boolean skipFull;

  @Override
  public void run() {
    if (rounds < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--rounds must be at least 1, not " + rounds);
    }
    PrintWriter out = spec.commandLine().getOut();
    String jdbcUrl = trinoOptions.sessionUrl(trinoOptions.jdbcUrl(stackOptions, out));
    FeatureRepository repository = RepositoryLoader.load(repo);
    try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl))) {
      Map<String, CompiledView> views =
          new FeatureViewCompiler(
                  new EngineWarehouseCatalog(engine, trinoOptions.dialect()),
                  engine,
                  trinoOptions.catalog())
              .compileAll(repository).stream()
                  .collect(Collectors.toMap(CompiledView::name, Function.identity()));
      List<Case> cases =
          CASES.stream().filter(c -> only.isEmpty() || only.contains(c.name())).toList();
      // only the views the run reads are backfilled (or looked up): those of its cases, and all
      // three for the full training set
      Map<String, ViewRows> sources = new HashMap<>();
      for (CompiledView view : views.values()) {
        if (!skipFull || cases.stream().anyMatch(c -> c.view().equals(view.name()))) {
          sources.put(view.name(), source(view, engine, out));
        }
      }
      out.printf(
          "Point-in-time joins on tpch.sf1 at %s, views %s; each statement is wrapped in SELECT count(*), checksum(ROW(...)) so both formulations do the same final work; each runs %d times, alternating with the other, and the median is shown.%n",
          jdbcUrl,
          viewSource == ViewSource.materialized
              ? "read from their tables in " + trinoOptions.catalog() + "." + BENCH_SCHEMA
              : "computed from their SQL in every statement",
          rounds);
      out.printf(
          "%-12s %10s %10s %12s %12s %9s %8s  %s%n",
          "case", "asof s", "asof MB", "baseline s", "baseline MB", "speed-up", "target", "rows");
      out.flush();
      // one untimed run first, so that no case pays for Trino's JIT warming up
      boolean allMet = true;
      if (!cases.isEmpty()) {
        measure(PointInTimeSql.plan(request(cases.getFirst(), views, sources, engine)), engine);
      }
      for (Case benchCase : cases) {
        allMet &= runCase(benchCase, views, sources, engine, out);
      }
      if (!skipFull) {
        allMet &= buildFull(repository, views, sources, engine, out);
      }
      out.println(allMet ? "All targets met." : "Some targets were NOT met (see above).");
    }
  }

  private boolean runCase(
      Case benchCase,
      Map<String, CompiledView> views,
      Map<String, ViewRows> sources,
      QueryEngine engine,
      PrintWriter out) {
    PitRequest request = request(benchCase, views, sources, engine);
    PitPlan asofPlan = PointInTimeSql.plan(request);
    PitPlan baselinePlan = JoinThenRowNumberSql.plan(request);
    // alternate the two, so that a slow spell of the machine falls on both; report the medians
    List<Measured> asof = new ArrayList<>();
    List<Measured> baseline = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      asof.add(measure(asofPlan, engine));
      baseline.add(measure(baselinePlan, engine));
    }
    return report(benchCase, median(asof), median(baseline), out);
  }

  private static PitRequest request(
      Case benchCase,
      Map<String, CompiledView> views,
      Map<String, ViewRows> sources,
      QueryEngine engine) {
    CompiledView view = views.get(benchCase.view());
    ViewRows rows = sources.get(view.name());
    String viewSql = rows.sql();
    OptionalLong spineRows = TrainingSetCompiler.estimatedRows(engine, benchCase.spineSql());
    boolean prune =
        TrainingSetCompiler.shouldPrune(
            spineRows, TrainingSetCompiler.estimatedRows(engine, viewSql));
    Lookup lookup =
        TrainingSetCompiler.lookup(
            spineRows,
            TrainingSetCompiler.distinctPairs(
                engine, benchCase.spineSql(), view.entity().keyColumns(), "ordered_at"));
    return new PitRequest(
        benchCase.spineSql(),
        engine.describe(benchCase.spineSql()),
        "ordered_at",
        List.of(
            new PitView(
                view.name(),
                viewSql,
                view.entity().keyColumns(),
                view.spec().eventTime(),
                view.spec().createdTime(),
                benchCase.ttl().isPresent() ? benchCase.ttl() : view.spec().ttl(),
                view.columns(),
                benchCase.features(),
                false,
                false,
                prune,
                lookup,
                TrainingSetCompiler.rangeEnds(lookup, rows))));
  }

  private static boolean report(Case benchCase, Measured asof, Measured baseline, PrintWriter out) {
    if (asof.failure().isPresent() || baseline.failure().isPresent()) {
      out.printf(
          "%-12s %s%n",
          benchCase.name(),
          asof.failure().map(f -> "asof FAILED: " + f).orElse("")
              + baseline.failure().map(f -> " baseline FAILED: " + f).orElse(""));
      return false;
    }
    boolean identical =
        asof.rows() == baseline.rows() && asof.checksum().equals(baseline.checksum());
    double speedUp = baseline.seconds() / asof.seconds();
    // a case without a target (0) is measured and must be identical, nothing more
    boolean met = identical && speedUp >= benchCase.target();
    out.printf(
        "%-12s %10.1f %10.0f %12.1f %12.0f %8.1fx %8s  %,d %s%s%n",
        benchCase.name(),
        asof.seconds(),
        asof.peakMb(),
        baseline.seconds(),
        baseline.peakMb(),
        speedUp,
        benchCase.target() > 0 ? "%.1fx".formatted(benchCase.target()) : "-",
        asof.rows(),
        identical
            ? "identical"
            : "DIFFERENT (" + asof.checksum() + " vs " + baseline.checksum() + ")",
        met ? "" : "  <- target not met");
    out.flush();
    return met;
  }

  /** Builds the urgent_orders training set (three views) into a table, as the CLI's build does. */
  private boolean buildFull(
      FeatureRepository repository,
      Map<String, CompiledView> views,
      Map<String, ViewRows> sources,
      QueryEngine engine,
      PrintWriter out) {
    TrainingSetSpec urgent =
        repository.trainingSets().stream()
            .filter(t -> t.name().equals("urgent_orders"))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no urgent_orders in " + repo));
    CompiledTrainingSet set =
        new TrainingSetCompiler(
                engine,
                new EngineWarehouseCatalog(engine, trinoOptions.dialect()),
                trinoOptions.catalog())
            .compile(urgent, repository, List.copyOf(views.values()), v -> sources.get(v.name()));
    String table =
        trinoOptions.catalog() + "." + TrainingSetCommand.TRAINING_SCHEMA + ".bench_urgent_orders";
    engine.execute(
        "CREATE SCHEMA IF NOT EXISTS %s.%s"
            .formatted(trinoOptions.catalog(), TrainingSetCommand.TRAINING_SCHEMA));
    out.printf(
        "Full training set urgent_orders (%d views, %d features) into %s ...%n",
        set.views().size(), set.columns().size() - set.request().spineColumns().size(), table);
    out.flush();
    try {
      QueryStats stats =
          engine.execute(
              "CREATE OR REPLACE TABLE %s AS\n%s".formatted(table, set.sql()),
              TrainingSetCommand.progress(out));
      out.printf(
          "%-12s %10.1f %10.0f  %,d rows built without running out of memory%n",
          "full",
          stats.elapsed().toMillis() / 1000.0,
          stats.peakMemoryBytes().orElse(0) / 1e6,
          stats.rows());
      return true;
    } catch (QueryEngineException e) {
      out.printf("%-12s FAILED: %s%n", "full", e.getMessage());
      return false;
    }
  }

  /**
   * The run of median time; a failed or differing run wins, so that it is never hidden by others.
   */
  private static Measured median(List<Measured> runs) {
    for (Measured run : runs) {
      if (run.failure().isPresent() || !run.checksum().equals(runs.getFirst().checksum())) {
        return run;
      }
    }
    List<Measured> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(Measured::seconds));
    return sorted.get(sorted.size() / 2);
  }

  /**
   * Where a view's rows are read from: its SQL, or its table, backfilled (as {@code asof backfill}
   * does, in one chunk) unless a table of the same SQL (by fingerprint in its name) is there
   * already; a table's rows carry their stored range ends.
   */
  private ViewRows source(CompiledView view, QueryEngine engine, PrintWriter out) {
    if (viewSource == ViewSource.virtual) {
      return ViewRows.of(view.spec().sql());
    }
    String schema = trinoOptions.catalog() + "." + BENCH_SCHEMA;
    String name =
        view.name()
            + "__"
            + TrainingSetService.fingerprint(view.spec().sql()).substring(0, 12)
            + "_bf";
    String table = schema + "." + name;
    BackfillSql backfill = BackfillService.statements(view, trinoOptions.dialect());
    engine.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    boolean exists =
        !engine
            .query(MetadataSql.tableExists(trinoOptions.catalog(), BENCH_SCHEMA, name))
            .rows()
            .isEmpty();
    if (!exists) {
      out.printf("Backfilling view %s into %s (once) ...%n", view.name(), table);
      out.flush();
      // The table holds what a backfill of the whole range gives (TestBackfillSql checks that
      // chunked commits give the same rows and range ends as one sort of the whole view); it is
      // filled here in one CTAS, unpartitioned, as a chunked MERGE into day partitions would write
      // into every day that holds a key's previous row (thousands, for sparse keys).
      Instant from = Instant.parse("1900-01-01T00:00:00Z");
      Instant to = Instant.parse("2200-01-01T00:00:00Z");
      long started = System.nanoTime();
      String staging = table + "__staging";
      String building = table + "__building";
      engine.execute("DROP TABLE IF EXISTS " + staging);
      engine.execute("DROP TABLE IF EXISTS " + building);
      engine.execute(backfill.stage(staging, view.spec().sql(), from, to));
      List<String> keys = view.entity().keyColumns();
      String quotedKeys =
          keys.stream().map(PointInTimeSql::quote).collect(Collectors.joining(", "));
      long rows =
          engine
              .execute(
                  "CREATE TABLE %s AS SELECT s.*, lead(%s) OVER (PARTITION BY %s ORDER BY %s) AS %s FROM %s s WHERE %s"
                      .formatted(
                          building,
                          PointInTimeSql.quote(view.spec().eventTime()),
                          quotedKeys,
                          PointInTimeSql.rowOrder(
                              keys,
                              view.spec().eventTime(),
                              view.spec().createdTime(),
                              view.columns()),
                          BackfillSql.VALID_UNTIL,
                          staging,
                          keys.stream()
                              .map(k -> PointInTimeSql.quote(k) + " IS NOT NULL")
                              .collect(Collectors.joining(" AND "))))
              .rows();
      engine.execute("DROP TABLE " + staging);
      engine.execute("ALTER TABLE %s RENAME TO %s".formatted(building, table));
      out.printf("  %,d rows in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
    }
    return computedRangeEnds
        ? ViewRows.of(backfill.read(table, false))
        : new ViewRows(backfill.read(table, true), Optional.of(BackfillSql.VALID_UNTIL));
  }

  private record Measured(
      long rows, String checksum, double seconds, double peakMb, Optional<String> failure) {}

  private static Measured measure(PitPlan plan, QueryEngine engine) {
    String row =
        plan.columns().stream()
            .map(Column::name)
            .map(c -> "\"" + c + "\"")
            .collect(Collectors.joining(", "));
    String sql =
        "SELECT count(*), to_hex(checksum(ROW(%s))) FROM (\n%s\n)".formatted(row, plan.sql());
    AtomicReference<List<Object>> result = new AtomicReference<>();
    try {
      QueryStats stats = engine.stream(sql, (columns, values) -> result.set(values));
      return new Measured(
          (Long) result.get().get(0),
          String.valueOf(result.get().get(1)),
          stats.elapsed().toMillis() / 1000.0,
          stats.peakMemoryBytes().orElse(0) / 1e6,
          Optional.empty());
    } catch (QueryEngineException e) {
      return new Measured(0, "", 0, 0, Optional.of(e.getMessage()));
    }
  }
}
