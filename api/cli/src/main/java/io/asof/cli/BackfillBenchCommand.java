package io.asof.cli;

import io.asof.compiler.pit.PointInTimeSql;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.features.repository.RepositoryLoader;
import io.asof.jobs.BackfillService;
import io.asof.model.Column;
import io.asof.model.Durations;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.Suggestions;
import io.asof.registry.AppliedView;
import io.asof.registry.BackfillChunk;
import io.asof.registry.BackfillJob;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code asof bench backfill}: backfills of the example materialized views with the real {@link
 * BackfillService}, into empty tables and then over the same range again, with what they leave in
 * Iceberg (snapshots, files per partition, bytes).
 */
@Command(
    name = "backfill",
    description =
        "Backfill the example materialized views with the real backfill service: the news views over a demo warehouse of --scale impressions (replacing <catalog>.dwh), and TPC-H views over tpch.sf1. Each view's table is dropped first, filled, then filled again over the same range; reports rows, time, rows/s, chunks, snapshots, files per partition and bytes, the re-run's time against the first fill, and whether the re-run left identical rows (count and checksum).")
final class BackfillBenchCommand implements Callable<Integer> {
  /** The benchmark's warehouse scale: a run of a few minutes on 2 cores. */
  static final long DEFAULT_SCALE = 3_000_000;

  @Mixin StackOptions stackOptions;
  @Mixin TrinoOptions trinoOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--scale",
      paramLabel = "IMPRESSIONS",
      defaultValue = "" + DEFAULT_SCALE,
      description =
          "Impressions of the news warehouse, generated into <catalog>.dwh as ./asof warehouse load --impressions does (default: ${DEFAULT-VALUE}).")
  long scale;

  @Option(
      names = "--views",
      paramLabel = "NAMES",
      split = ",",
      description =
          "The materialized views to backfill, in this order (default: the news repository's materialized views, then customer_orders and nation_daily).")
  List<String> views = new ArrayList<>();

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description =
          "First event time of every view's range (default: its warehouse's first day: 2026-01-01 for news, 1992-01-01 for TPC-H).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description =
          "End of every view's range, exclusive (default: 2026-04-02 for news, past its last row; 1993-01-01 for TPC-H, its first year: 1998-08-04 covers all of it, ~15 min for nation_daily alone on 2 cores).")
  String to;

  @Option(
      names = "--chunk",
      paramLabel = "DURATION",
      description =
          "The chunk of every view (default: 14d for news, 90d for TPC-H; ./asof backfill's 7d makes the default run take ~11 minutes on 2 cores, and TPC-H's 6.6 years would be 344 chunks of 7d).")
  String chunk;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "2",
      description = "Chunks staged at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--news-repo",
      paramLabel = "DIR",
      defaultValue = "sql-features/examples/news",
      description = "The news example repository (default: ${DEFAULT-VALUE}).")
  Path newsRepo;

  @Option(
      names = "--tpch-repo",
      paramLabel = "DIR",
      defaultValue = "sql-features/examples/tpch",
      description = "The TPC-H example repository (default: ${DEFAULT-VALUE}).")
  Path tpchRepo;

  /** One example warehouse: its repository and the range and chunk its views are filled with. */
  private record Warehouse(String name, Path repo, Instant from, Instant to, Duration chunk) {}

  /** What a table holds after a backfill, from its {@code $snapshots} and {@code $files}. */
  private record TableState(
      long snapshots,
      long rows,
      String checksum,
      long dataFiles,
      long deleteFiles,
      long bytes,
      List<Long> filesPerPartition) {
    long partitions() {
      return filesPerPartition.size();
    }

    String perPartition() {
      if (filesPerPartition.isEmpty()) {
        return "-";
      }
      return "%d / %d / %d"
          .formatted(
              filesPerPartition.getFirst(),
              filesPerPartition.get(filesPerPartition.size() / 2),
              filesPerPartition.getLast());
    }
  }

  /** One backfill job's run and the table after it. */
  private record Run(BackfillJob job, Duration wall, TableState after, long snapshotsAdded) {
    long rows() {
      return job.chunks().stream().mapToLong(BackfillChunk::rows).sum();
    }

    boolean succeeded() {
      return job.status() == BackfillJob.Status.SUCCEEDED;
    }

    long committed() {
      return job.chunks().stream()
          .filter(c -> c.status() == BackfillChunk.Status.COMMITTED)
          .count();
    }
  }

  /** A view's two runs: the first fill of its empty table, and the same range again. */
  private record Result(String view, Warehouse warehouse, Run fill, Optional<Run> rerun) {}

  @Override
  public Integer call() {
    if (parallel < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--parallel must be at least 1, not " + parallel);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Warehouse news = warehouse("news", newsRepo, "2026-01-01", "2026-04-02", Duration.ofDays(14));
    Warehouse tpch = warehouse("tpch", tpchRepo, "1992-01-01", "1993-01-01", Duration.ofDays(90));
    Map<String, Warehouse> selected = select(news, tpch);

    String jdbcUrl = trinoOptions.sessionUrl(trinoOptions.jdbcUrl(stackOptions, out));
    List<Result> results = new ArrayList<>();
    try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl))) {
      out.printf(
          "Backfill benchmark at %s: %d view%s, up to %d chunk%s staged at once.%n",
          jdbcUrl,
          selected.size(),
          selected.size() == 1 ? "" : "s",
          parallel,
          parallel == 1 ? "" : "s");
      out.flush();
      if (selected.containsValue(news)) {
        WarehouseSession.load(
            engine,
            new NewsWarehouse(
                new NewsWarehouseSpec(NewsWarehouseSpec.DEFAULT_SEED, scale),
                trinoOptions.catalog(),
                "dwh"),
            out);
      }
      for (Warehouse warehouse : List.of(news, tpch)) {
        if (selected.containsValue(warehouse)
            && RepositoryCommand.applyForBench(
                    warehouse.repo(), stackOptions, trinoOptions, out, err)
                != 0) {
          return 1;
        }
      }
      try (RegistryStore registry =
          JooqRegistryStore.open(RegistryConfig.embedded(stackOptions.stateDir()))) {
        for (Map.Entry<String, Warehouse> entry : selected.entrySet()) {
          results.add(benchmark(entry.getKey(), entry.getValue(), engine, registry, out));
        }
      }
    }
    report(results, out);
    return results.stream().allMatch(r -> r.fill().succeeded() && identical(r)) ? 0 : 1;
  }

  private Warehouse warehouse(
      String name, Path repo, String defaultFrom, String defaultTo, Duration defaultChunk) {
    return new Warehouse(
        name,
        repo,
        BackfillService.parseTime(from != null ? from : defaultFrom),
        BackfillCommand.time(to != null ? to : defaultTo),
        chunk != null ? ChunkOptions.duration("--chunk", chunk) : defaultChunk);
  }

  /** The views to run, in order, each with its warehouse. */
  private Map<String, Warehouse> select(Warehouse news, Warehouse tpch) {
    Map<String, Warehouse> materialized = new LinkedHashMap<>();
    for (Warehouse warehouse : List.of(news, tpch)) {
      for (FeatureViewSpec view : RepositoryLoader.load(warehouse.repo()).views()) {
        if (view.materialization() == Materialization.MATERIALIZED) {
          materialized.put(view.name(), warehouse);
        }
      }
    }
    List<String> names = new ArrayList<>(views);
    if (names.isEmpty()) {
      materialized.forEach(
          (name, warehouse) -> {
            if (warehouse.equals(news)) {
              names.add(name);
            }
          });
      names.add("customer_orders");
      names.add("nation_daily");
    }
    Map<String, Warehouse> selected = new LinkedHashMap<>();
    for (String name : names) {
      Warehouse warehouse = materialized.get(name);
      if (warehouse == null) {
        throw new IllegalArgumentException(
            "--views: %s is not a materialized view of %s or %s%s"
                .formatted(
                    name,
                    news.repo(),
                    tpch.repo(),
                    Suggestions.didYouMean(name, materialized.keySet())));
      }
      selected.put(name, warehouse);
    }
    return selected;
  }

  private Result benchmark(
      String view,
      Warehouse warehouse,
      QueryEngine engine,
      RegistryStore registry,
      PrintWriter out) {
    BackfillService service =
        new BackfillService(
            engine, trinoOptions.dialect(), registry, warehouse.repo(), trinoOptions.catalog());
    AppliedView applied =
        registry
            .view(view)
            .orElseThrow(() -> new IllegalStateException("view " + view + " was just applied"));
    String table = BackfillService.table(trinoOptions.catalog(), view, applied.version());
    out.printf("%n== %s: first fill of an empty %s%n", view, table);
    out.flush();
    // a first fill starts from nothing: an earlier run's (or anyone's) rows would make it a re-run
    engine.execute("DROP TABLE IF EXISTS " + table);
    Run fill = run(service, view, warehouse, engine, table, 0, out);
    if (!fill.succeeded()) {
      return new Result(view, warehouse, fill, Optional.empty());
    }
    out.printf("== %s: the same range again (every chunk already filled)%n", view);
    out.flush();
    Run rerun = run(service, view, warehouse, engine, table, fill.after().snapshots(), out);
    return new Result(view, warehouse, fill, Optional.of(rerun));
  }

  private Run run(
      BackfillService service,
      String view,
      Warehouse warehouse,
      QueryEngine engine,
      String table,
      long snapshotsBefore,
      PrintWriter out) {
    BackfillJob job = service.start(view, warehouse.from(), warehouse.to(), warehouse.chunk());
    long started = System.nanoTime();
    BackfillJob after = service.run(job, parallel, new BackfillCommand.Progress(out, parallel));
    Duration wall = Duration.ofNanos(System.nanoTime() - started);
    if (after.status() != BackfillJob.Status.SUCCEEDED) {
      out.printf("  FAILED after %.1f s: %s%n", wall.toMillis() / 1000.0, after.error().orElse(""));
    }
    TableState state = state(engine, table);
    out.flush();
    return new Run(after, wall, state, state.snapshots() - snapshotsBefore);
  }

  /** The table's snapshots, rows, checksum of all its columns, and live files. */
  private static TableState state(QueryEngine engine, String table) {
    int dot = table.lastIndexOf('.');
    String schema = table.substring(0, dot);
    String name = table.substring(dot + 1);
    try {
      long snapshots =
          count(engine.query("SELECT count(*) FROM %s.\"%s$snapshots\"".formatted(schema, name)));
      String row =
          engine.describe("SELECT * FROM " + table).stream()
              .map(Column::name)
              .map(PointInTimeSql::quote)
              .collect(Collectors.joining(", "));
      List<Object> content =
          engine
              .query("SELECT count(*), to_hex(checksum(ROW(%s))) FROM %s".formatted(row, table))
              .rows()
              .getFirst();
      long dataFiles = 0;
      long deleteFiles = 0;
      long bytes = 0;
      for (List<Object> files :
          engine
              .query(
                  "SELECT content, count(*), sum(file_size_in_bytes) FROM %s.\"%s$files\" GROUP BY content"
                      .formatted(schema, name))
              .rows()) {
        long count = ((Number) files.get(1)).longValue();
        if (((Number) files.get(0)).intValue() == 0) {
          dataFiles += count;
        } else {
          deleteFiles += count;
        }
        bytes += ((Number) files.get(2)).longValue();
      }
      List<Long> perPartition =
          engine
              .query(
                  "SELECT count(*) FROM %s.\"%s$files\" WHERE content = 0 GROUP BY partition ORDER BY 1"
                      .formatted(schema, name))
              .rows()
              .stream()
              .map(r -> ((Number) r.getFirst()).longValue())
              .toList();
      return new TableState(
          snapshots,
          ((Number) content.get(0)).longValue(),
          String.valueOf(content.get(1)),
          dataFiles,
          deleteFiles,
          bytes,
          perPartition);
    } catch (QueryEngineException e) {
      // no table: the job failed before it was created
      return new TableState(0, 0, "", 0, 0, 0, List.of());
    }
  }

  private static long count(io.asof.engine.QueryResult result) {
    return ((Number) result.onlyValue()).longValue();
  }

  private static boolean identical(Result result) {
    return result
        .rerun()
        .map(
            rerun ->
                rerun.succeeded()
                    && rerun.after().rows() == result.fill().after().rows()
                    && rerun.after().checksum().equals(result.fill().after().checksum()))
        .orElse(true);
  }

  private static void report(List<Result> results, PrintWriter out) {
    out.println();
    out.println(
        "First fill: each view's table dropped, then backfilled over its range (rows: rows stored; snapshots: added, the empty table's own included; files and size: live files of the table after, from $files; files/partition: data files per day partition, min / median / max):");
    List<List<String>> fills = new ArrayList<>();
    for (Result result : results) {
      Run fill = result.fill();
      TableState after = fill.after();
      double seconds = fill.wall().toMillis() / 1000.0;
      fills.add(
          List.of(
              result.view(),
              result.warehouse().from().toString().substring(0, 10)
                  + " to "
                  + result.warehouse().to().toString().substring(0, 10),
              Durations.format(result.warehouse().chunk()),
              fill.succeeded()
                  ? String.valueOf(fill.job().chunks().size())
                  : fill.committed() + "/" + fill.job().chunks().size(),
              "%,d".formatted(fill.rows()),
              "%.1f".formatted(seconds),
              fill.succeeded() ? "%,.0f".formatted(fill.rows() / Math.max(seconds, 0.001)) : "-",
              String.valueOf(fill.snapshotsAdded()),
              "%,d".formatted(after.dataFiles()),
              "%,d".formatted(after.partitions()),
              after.perPartition(),
              "%,d".formatted(after.deleteFiles()),
              TrainingSetCommand.size(after.bytes()),
              fill.succeeded()
                  ? (after.rows() == fill.rows() ? "ok" : "%,d in table".formatted(after.rows()))
                  : "FAILED"));
    }
    out.print(
        TablePrinter.render(
            List.of(
                "view",
                "range",
                "chunk",
                "chunks",
                "rows",
                "time s",
                "rows/s",
                "snapshots",
                "data files",
                "partitions",
                "files/partition",
                "delete files",
                "size",
                "status"),
            fills,
            "  "));
    out.println();
    out.println(
        "Re-run: the same range again over the filled table (identical: same row count and checksum of every column, range ends included, as after the first fill):");
    List<List<String>> reruns = new ArrayList<>();
    for (Result result : results) {
      if (result.rerun().isEmpty()) {
        reruns.add(
            List.of(result.view(), "-", "-", "-", "-", "-", "-", "-", "-", "first fill failed"));
        continue;
      }
      Run rerun = result.rerun().get();
      TableState after = rerun.after();
      double seconds = rerun.wall().toMillis() / 1000.0;
      reruns.add(
          List.of(
              result.view(),
              "%.1f".formatted(seconds),
              "%.2f".formatted(seconds / Math.max(result.fill().wall().toMillis() / 1000.0, 0.001)),
              String.valueOf(rerun.snapshotsAdded()),
              "%,d".formatted(after.dataFiles()),
              "%,d".formatted(after.partitions()),
              after.perPartition(),
              "%,d".formatted(after.deleteFiles()),
              TrainingSetCommand.size(after.bytes()),
              !rerun.succeeded()
                  ? "FAILED"
                  : identical(result)
                      ? "identical (%,d rows)".formatted(after.rows())
                      : "DIFFERENT (%,d rows, checksum %s; first fill %,d rows, %s)"
                          .formatted(
                              after.rows(),
                              after.checksum(),
                              result.fill().after().rows(),
                              result.fill().after().checksum())));
    }
    out.print(
        TablePrinter.render(
            List.of(
                "view",
                "time s",
                "re-run/fill",
                "snapshots",
                "data files",
                "partitions",
                "files/partition",
                "delete files",
                "size",
                "rows"),
            reruns,
            "  "));
    List<Result> failed =
        results.stream()
            .filter(
                r ->
                    !r.fill().succeeded()
                        || r.rerun().map(rerun -> !rerun.succeeded()).orElse(false))
            .toList();
    if (!failed.isEmpty()) {
      out.println();
      out.println("Failures:");
      for (Result result : failed) {
        Run run = result.fill().succeeded() ? result.rerun().orElseThrow() : result.fill();
        out.printf(
            "  %s (%s): %d of %d chunks committed, then: %s%n",
            result.view(),
            result.fill().succeeded() ? "re-run" : "first fill",
            run.committed(),
            run.job().chunks().size(),
            run.job().error().orElse("(no error recorded)").replace("\n", "\n    "));
      }
    }
    out.flush();
  }
}
