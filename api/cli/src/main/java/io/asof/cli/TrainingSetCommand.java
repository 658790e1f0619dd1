package io.asof.cli;

import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.catalog.MetadataSql;
import io.asof.engine.MeteredQueryEngine;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryProgress;
import io.asof.export.ExportFormat;
import io.asof.export.RowWriter;
import io.asof.jobs.AdHocTrainingSet;
import io.asof.jobs.BuildListener;
import io.asof.jobs.SpineCsv;
import io.asof.jobs.TrainingSetService;
import io.asof.jobs.UnknownTrainingSetException;
import io.asof.model.Column;
import io.asof.model.Diagnostic;
import io.asof.model.RepositoryException;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryStore;
import io.asof.registry.TrainingBuild;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code asof training-set sql|build|publish|export|builds}: point-in-time training sets, from the
 * repository's {@code training_sets/*.sql} or ad hoc from the command line.
 */
@Command(
    name = "training-set",
    description =
        "Point-in-time training sets: print their SQL, build them into Iceberg tables, publish them as views, export builds.",
    subcommands = {
      TrainingSetCommand.SqlCommand.class,
      TrainingSetCommand.BuildCommand.class,
      TrainingSetCommand.PublishCommand.class,
      TrainingSetCommand.ExportCommand.class,
      TrainingSetCommand.BuildsCommand.class
    })
final class TrainingSetCommand implements Runnable {
  /** Where training sets are built and published, beside the features schema. */
  static final String TRAINING_SCHEMA = TrainingSetService.TRAINING_SCHEMA;

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A training set given on the command line instead of in the repository. */
  static final class AdHoc {
    @Option(
        names = "--spine",
        paramLabel = "SQL",
        description = "The spine query: entity keys, a timestamp, labels.")
    String spineSql;

    @Option(
        names = "--spine-csv",
        paramLabel = "FILE",
        description =
            "The spine as CSV rows with a header line (at most 50,000 rows); types are inferred.")
    Path spineCsv;

    @Option(
        names = "--timestamp",
        paramLabel = "COLUMN",
        description = "The spine column each row's features are taken as of.")
    String timestamp;

    @Option(
        names = "--features",
        paramLabel = "REFS",
        split = ",",
        description = "Features to attach: view:feature or view:*, comma-separated.")
    List<String> features = new ArrayList<>();

    @Option(
        names = "--feature-service",
        paramLabel = "NAME",
        description = "A feature service whose features to attach.")
    String featureService;

    @Option(names = "--label", paramLabel = "COLUMN", description = "The spine's label column.")
    String label;

    @Option(
        names = "--event-times",
        description = "Also output each view's event time (of the row a value came from).")
    boolean eventTimes;

    boolean given() {
      return spineSql != null || spineCsv != null;
    }
  }

  /** What every subcommand shares: which Trino, which repository and registry, which set. */
  abstract static class Base implements Callable<Integer> {
    @Mixin StackOptions stackOptions;
    @Mixin EngineOptions trinoOptions;
    @Mixin RepositoryOptions repositoryOptions;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description =
            "The training set: training_sets/NAME.sql in the repository, or the name for an ad-hoc one (--spine/--spine-csv).")
    String name;

    PrintWriter out;
    PrintWriter err;
    QueryEngine engine;
    MeteredQueryEngine metered;
    RegistryStore registry;

    @Override
    public Integer call() throws IOException {
      out = spec.commandLine().getOut();
      err = spec.commandLine().getErr();
      TrainingSetService.checkName(name);
      try (MeteredQueryEngine opened =
              new MeteredQueryEngine(trinoOptions.open(stackOptions, out));
          RegistryStore openedRegistry =
              JooqRegistryStore.open(repositoryOptions.registryConfig(stackOptions))) {
        engine = opened;
        metered = opened;
        registry = openedRegistry;
        return run(
            new TrainingSetService(
                engine,
                trinoOptions.dialect(),
                registry,
                repositoryOptions.repo,
                trinoOptions.catalog()));
      }
    }

    abstract int run(TrainingSetService service) throws IOException;

    String table() {
      return trinoOptions.catalog() + "." + TRAINING_SCHEMA + "." + name;
    }
  }

  /** The subcommands that compile the set: sql, build, publish. */
  abstract static class Compiling extends Base {
    @ArgGroup(exclusive = false, heading = "Ad-hoc training set (instead of the repository's):%n")
    AdHoc adHoc;

    @Option(
        names = "--views-as-of",
        paramLabel = "TIME",
        description =
            "Read each backfilled view's table as it was at this time (Iceberg time travel), e.g. 2026-03-01T12:00 (UTC); views not backfilled are computed as of now.")
    String viewsAsOf;

    @Option(
        names = "--view-snapshot",
        paramLabel = "VIEW=SNAPSHOT_ID",
        description =
            "Read this backfilled view's table at this Iceberg snapshot (FOR VERSION AS OF; ./asof backfill prints each chunk's), instead of now or --views-as-of. Repeatable.")
    Map<String, Long> viewSnapshots = new LinkedHashMap<>();

    @Override
    int run(TrainingSetService service) throws IOException {
      Optional<AdHocTrainingSet> request =
          adHoc != null && adHoc.given() ? Optional.of(adHocRequest()) : Optional.empty();
      CompiledTrainingSet set;
      try {
        set =
            service.compile(
                name,
                request,
                Optional.ofNullable(viewsAsOf).map(BackfillCommand::time),
                viewSnapshots);
      } catch (UnknownTrainingSetException e) {
        throw new IllegalArgumentException(e.message("--spine or --spine-csv"), e);
      } catch (RepositoryException e) {
        for (Diagnostic diagnostic : e.diagnostics()) {
          err.println(diagnostic.relativeTo(Path.of("").toAbsolutePath()));
        }
        err.printf(
            "%d problem%s; nothing was written.%n",
            e.diagnostics().size(), e.diagnostics().size() == 1 ? "" : "s");
        return 1;
      }
      return run(set, service);
    }

    abstract int run(CompiledTrainingSet set, TrainingSetService service);

    private AdHocTrainingSet adHocRequest() {
      if (adHoc.spineSql != null && adHoc.spineCsv != null) {
        throw new IllegalArgumentException("give the spine once: --spine or --spine-csv, not both");
      }
      if (adHoc.timestamp == null) {
        throw new IllegalArgumentException(
            "an ad-hoc training set needs --timestamp COLUMN: the spine column features are taken as of");
      }
      if (adHoc.features.isEmpty() && adHoc.featureService == null) {
        throw new IllegalArgumentException(
            "an ad-hoc training set needs --features view:feature,... or --feature-service NAME");
      }
      String spineSql = adHoc.spineSql;
      Path spineCsv = adHoc.spineCsv;
      return new AdHocTrainingSet(
          "Ad hoc, from the command line.",
          () -> spineSql != null ? spineSql : SpineCsv.toSql(spineCsv),
          spineCsv != null ? spineCsv.toAbsolutePath() : Path.of("--spine"),
          adHoc.timestamp,
          adHoc.features,
          Path.of("--features"),
          Optional.ofNullable(adHoc.featureService),
          Optional.ofNullable(adHoc.label),
          adHoc.eventTimes);
    }
  }

  @Command(name = "sql", description = "Print the one SQL statement that yields the training rows.")
  static final class SqlCommand extends Compiling {
    @Override
    int run(CompiledTrainingSet set, TrainingSetService service) {
      out.println(set.sql() + ";");
      return 0;
    }
  }

  @Command(
      name = "build",
      description =
          "Build the training set into the Iceberg table <catalog>.training.<name> (a new snapshot per build) and record the build in the registry.")
  static final class BuildCommand extends Compiling {
    @Override
    int run(CompiledTrainingSet set, TrainingSetService service) {
      Consumer<QueryProgress> progress = progress(out);
      TrainingBuild build =
          service.build(
              set,
              new BuildListener() {
                @Override
                public void starting(CompiledTrainingSet set, String table) {
                  out.printf(
                      "Building %s: %d features from %d views, as of each spine row's %s ...%n",
                      table,
                      set.columns().size() - set.request().spineColumns().size(),
                      set.views().size(),
                      set.request().timestamp());
                  out.flush();
                }

                @Override
                public void progress(QueryProgress state) {
                  progress.accept(state);
                }
              });
      out.printf(
          "Built %s: %,d rows, %s, in %.1f s (snapshot %d).%n",
          build.table(),
          build.rows(),
          size(build.bytes()),
          build.took().toMillis() / 1000.0,
          build.snapshotId());
      JobCosts.record(
          registry,
          "training-set",
          name + "@" + build.snapshotId(),
          trinoOptions.engineName(),
          metered.usage(),
          out);
      out.printf(
          "  Read this build again later: SELECT * FROM %s FOR VERSION AS OF %d%n",
          build.table(), build.snapshotId());
      out.printf(
          "  Export it: ./asof training-set export %s --format parquet --out %s.parquet%n",
          name, name);
      return 0;
    }
  }

  @Command(
      name = "publish",
      description =
          "Publish the training set as the view <catalog>.training.<name>: always current, nothing stored.")
  static final class PublishCommand extends Compiling {
    @Override
    int run(CompiledTrainingSet set, TrainingSetService service) {
      service.publish(set);
      out.printf(
          "Published %s as a view: %d columns, computed when read.%n",
          table(), set.columns().size());
      return 0;
    }
  }

  @Command(
      name = "export",
      description =
          "Stream a build of the training set into a CSV or Parquet file, with progress: over JDBC on Trino; on Athena unloaded to Parquet on S3 and read back (rows in no particular order).")
  static final class ExportCommand extends Base {
    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        defaultValue = "parquet",
        description = "csv or parquet (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        required = true,
        description = "The file to write.")
    Path file;

    @Option(
        names = "--snapshot",
        paramLabel = "ID",
        description =
            "An earlier build's snapshot id (see ./asof training-set builds NAME); default: the latest build.")
    Long snapshot;

    @Override
    int run(TrainingSetService service) throws IOException {
      ExportFormat exportFormat = ExportFormat.parse(format);
      if (service.existing(name).isEmpty()) {
        throw new IllegalArgumentException(
            "%s is not built: run ./asof training-set build %s first".formatted(table(), name));
      }
      String sql =
          snapshot == null ? "SELECT * FROM " + table() : MetadataSql.atSnapshot(table(), snapshot);
      List<Column> columns = engine.describe(sql);
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      long start = System.nanoTime();
      AtomicReference<Long> lastReport = new AtomicReference<>(start);
      RowWriter writer = exportFormat.open(file, columns);
      try {
        // a table has no order: Athena may unload it to Parquet rather than page it
        engine.streamUnordered(
            sql,
            (rowColumns, values) -> {
              writer.write(values);
              long now = System.nanoTime();
              if (now - lastReport.get() > PROGRESS_EVERY.toNanos()) {
                lastReport.set(now);
                double seconds = (now - start) / 1e9;
                out.printf(
                    "  %,d rows, %.0f rows/s, %.0f s%n",
                    writer.rows(), writer.rows() / seconds, seconds);
                out.flush();
              }
            });
        writer.close();
      } catch (RuntimeException | IOException e) {
        writer.abort();
        throw e;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(
          "Exported %,d rows of %s%s to %s (%s, %s) in %.1f s: %,.0f rows/s.%n",
          writer.rows(),
          table(),
          snapshot == null ? "" : " (snapshot " + snapshot + ")",
          file,
          exportFormat.name().toLowerCase(java.util.Locale.ROOT),
          size(Files.size(file)),
          seconds,
          writer.rows() / Math.max(seconds, 1e-9));
      return 0;
    }
  }

  @Command(
      name = "builds",
      description = "List the recorded builds of a training set, newest first.")
  static final class BuildsCommand extends Base {
    @Override
    int run(TrainingSetService service) {
      List<TrainingBuild> builds = service.builds(name);
      if (builds.isEmpty()) {
        out.printf("No builds of %s yet: ./asof training-set build %s%n", name, name);
        return 0;
      }
      out.printf(
          "%-22s %-24s %12s %10s %8s  %s%n",
          "snapshot", "built", "rows", "size", "took", "feature versions");
      for (TrainingBuild build : builds) {
        out.printf(
            "%-22d %-24s %,12d %10s %7.1fs  %s%n",
            build.snapshotId(),
            build.builtAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            build.rows(),
            size(build.bytes()),
            build.took().toMillis() / 1000.0,
            build.featureVersions().entrySet().stream()
                .map(e -> e.getKey() + " v" + e.getValue())
                .collect(java.util.stream.Collectors.joining(", ")));
      }
      return 0;
    }
  }

  /** Prints a progress line at most every two seconds while a statement runs. */
  static Consumer<QueryProgress> progress(PrintWriter out) {
    AtomicReference<Long> last = new AtomicReference<>(System.nanoTime());
    return progress -> {
      long now = System.nanoTime();
      if (now - last.get() < PROGRESS_EVERY.toNanos() || !progress.state().equals("RUNNING")) {
        return;
      }
      last.set(now);
      out.printf(
          "  %s %,d rows read, %s, %.0f s%n",
          progress.percent().isPresent()
              ? "%3.0f%%".formatted(progress.percent().getAsDouble())
              : "    ",
          progress.processedRows(),
          size(progress.processedBytes()),
          progress.elapsed().toMillis() / 1000.0);
      out.flush();
    };
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return "%.1f KB".formatted(bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return "%.1f MB".formatted(bytes / (1024.0 * 1024));
    }
    return "%.2f GB".formatted(bytes / (1024.0 * 1024 * 1024));
  }
}
