package io.asof.cli;

import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.TrainingSetCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.engine.Column;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryProgress;
import io.asof.engine.QueryStats;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.export.ExportFormat;
import io.asof.export.RowWriter;
import io.asof.features.repository.RepositoryLoader;
import io.asof.model.Diagnostic;
import io.asof.model.FeatureRef;
import io.asof.model.FeatureRepository;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import io.asof.model.Suggestions;
import io.asof.model.TrainingSetSpec;
import io.asof.registry.AppliedView;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.Planner;
import io.asof.registry.RegistryStore;
import io.asof.registry.TrainingBuild;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
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
  static final String TRAINING_SCHEMA = "training";

  private static final String FEATURE_SCHEMA = "features";
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
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
    @Mixin TrinoOptions trinoOptions;
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

    @Override
    public Integer call() throws IOException {
      out = spec.commandLine().getOut();
      err = spec.commandLine().getErr();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "training set name '%s' is not a plain SQL name: lower-case letters, digits and _"
                .formatted(name));
      }
      String jdbcUrl = trinoOptions.sessionUrl(trinoOptions.jdbcUrl(stackOptions, out));
      try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl));
          RegistryStore registry =
              JooqRegistryStore.open(repositoryOptions.registryConfig(stackOptions))) {
        return run(engine, registry);
      }
    }

    abstract int run(QueryEngine engine, RegistryStore registry) throws IOException;

    String table() {
      return trinoOptions.catalog + "." + TRAINING_SCHEMA + "." + name;
    }

    /** What Trino holds under the set's name in the training schema: a table, a view, nothing. */
    Optional<String> existing(QueryEngine engine) {
      List<List<Object>> rows =
          engine
              .query(
                  "SELECT table_type FROM %s.information_schema.tables WHERE table_schema = '%s' AND table_name = '%s'"
                      .formatted(trinoOptions.catalog, TRAINING_SCHEMA, name))
              .rows();
      return rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.getFirst().getFirst());
    }
  }

  /** The subcommands that compile the set: sql, build, publish. */
  abstract static class Compiling extends Base {
    @ArgGroup(exclusive = false, heading = "Ad-hoc training set (instead of the repository's):%n")
    AdHoc adHoc;

    @Override
    int run(QueryEngine engine, RegistryStore registry) throws IOException {
      Optional<CompiledTrainingSet> compiled = compile(engine, registry);
      if (compiled.isEmpty()) {
        return 1;
      }
      return run(compiled.get(), engine, registry);
    }

    abstract int run(CompiledTrainingSet set, QueryEngine engine, RegistryStore registry);

    private Optional<CompiledTrainingSet> compile(QueryEngine engine, RegistryStore registry)
        throws IOException {
      try {
        FeatureRepository repository = RepositoryLoader.load(repositoryOptions.repo);
        List<CompiledView> views =
            new FeatureViewCompiler(
                    new EngineWarehouseCatalog(engine), engine, trinoOptions.catalog)
                .compileAll(repository);
        TrainingSetSpec trainingSet = trainingSet(repository);
        String catalog = trinoOptions.catalog;
        CompiledTrainingSet set =
            new TrainingSetCompiler(engine)
                .compile(
                    trainingSet,
                    repository,
                    views,
                    view ->
                        "SELECT * FROM %s.%s.%s".formatted(catalog, FEATURE_SCHEMA, view.name()));
        checkApplied(set, registry);
        return Optional.of(set);
      } catch (RepositoryException e) {
        for (Diagnostic diagnostic : e.diagnostics()) {
          err.println(diagnostic.relativeTo(Path.of("").toAbsolutePath()));
        }
        err.printf(
            "%d problem%s; nothing was written.%n",
            e.diagnostics().size(), e.diagnostics().size() == 1 ? "" : "s");
        return Optional.empty();
      }
    }

    private TrainingSetSpec trainingSet(FeatureRepository repository) throws IOException {
      if (adHoc != null && adHoc.given()) {
        return adHocSpec(repository);
      }
      return repository.trainingSets().stream()
          .filter(t -> t.name().equals(name))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "no training set %s in %s%s: training sets are training_sets/<name>.sql; or give an ad-hoc one with --spine or --spine-csv"
                          .formatted(
                              name,
                              repositoryOptions.repo,
                              Suggestions.didYouMean(
                                  name,
                                  repository.trainingSets().stream()
                                      .map(TrainingSetSpec::name)
                                      .toList()))));
    }

    private TrainingSetSpec adHocSpec(FeatureRepository repository) throws IOException {
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
      if (adHoc.featureService != null
          && repository.services().stream().noneMatch(s -> s.name().equals(adHoc.featureService))) {
        throw new IllegalArgumentException(
            "unknown feature service %s%s"
                .formatted(
                    adHoc.featureService,
                    Suggestions.didYouMean(
                        adHoc.featureService,
                        repository.services().stream().map(s -> s.name()).toList())));
      }
      String spineSql = adHoc.spineSql != null ? adHoc.spineSql : SpineCsv.toSql(adHoc.spineCsv);
      SourcePosition where =
          SourcePosition.start(
              adHoc.spineCsv != null ? adHoc.spineCsv.toAbsolutePath() : Path.of("--spine"));
      List<FeatureRef> refs = new ArrayList<>();
      List<SourcePosition> positions = new ArrayList<>();
      for (String text : adHoc.features) {
        if (text.isBlank()) {
          continue;
        }
        FeatureRef ref = FeatureRef.parse(text.strip());
        if (repository.view(ref.view()).isEmpty()) {
          throw new IllegalArgumentException(
              "unknown feature view %s%s"
                  .formatted(
                      ref.view(),
                      Suggestions.didYouMean(
                          ref.view(), repository.views().stream().map(v -> v.name()).toList())));
        }
        refs.add(ref);
        positions.add(SourcePosition.start(Path.of("--features")));
      }
      return new TrainingSetSpec(
          name,
          "Ad hoc, from the command line.",
          spineSql,
          adHoc.timestamp,
          Optional.ofNullable(adHoc.label),
          refs,
          positions,
          Optional.ofNullable(adHoc.featureService),
          adHoc.eventTimes,
          true,
          where,
          where);
    }

    /** The set reads the published views: each must be applied, as the repository has it now. */
    private void checkApplied(CompiledTrainingSet set, RegistryStore registry) {
      List<Diagnostic> problems = new ArrayList<>();
      for (CompiledView view : set.views()) {
        Optional<AppliedView> applied = registry.view(view.name());
        if (applied.isEmpty()) {
          problems.add(
              new Diagnostic(
                  view.spec().position(),
                  "view %s is not applied, so there is nothing to read its features from: run ./asof apply --repo %s first"
                      .formatted(view.name(), repositoryOptions.repo)));
        } else if (!applied.get().fingerprint().equals(Planner.fingerprint(view))) {
          problems.add(
              new Diagnostic(
                  view.spec().position(),
                  "view %s changed since it was applied (v%d): run ./asof apply --repo %s, so the training set reads what the repository says"
                      .formatted(view.name(), applied.get().version(), repositoryOptions.repo)));
        }
      }
      if (!problems.isEmpty()) {
        throw new RepositoryException(problems);
      }
    }

    Map<String, Integer> versions(CompiledTrainingSet set, RegistryStore registry) {
      Map<String, Integer> versions = new LinkedHashMap<>();
      for (CompiledView view : set.views()) {
        versions.put(view.name(), registry.view(view.name()).orElseThrow().version());
      }
      return versions;
    }
  }

  @Command(name = "sql", description = "Print the one SQL statement that yields the training rows.")
  static final class SqlCommand extends Compiling {
    @Override
    int run(CompiledTrainingSet set, QueryEngine engine, RegistryStore registry) {
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
    int run(CompiledTrainingSet set, QueryEngine engine, RegistryStore registry) {
      if (existing(engine).filter("VIEW"::equals).isPresent()) {
        throw new IllegalArgumentException(
            "%s is published as a view; drop it (DROP VIEW %s) to build it as a table instead"
                .formatted(table(), table()));
      }
      engine.execute(
          "CREATE SCHEMA IF NOT EXISTS %s.%s".formatted(trinoOptions.catalog, TRAINING_SCHEMA));
      Instant started = Instant.now();
      out.printf(
          "Building %s: %d features from %d views, as of each spine row's %s ...%n",
          table(),
          set.columns().size() - set.request().spineColumns().size(),
          set.views().size(),
          set.request().timestamp());
      out.flush();
      QueryStats stats =
          engine.execute(
              "CREATE OR REPLACE TABLE %s\nCOMMENT %s\nAS\n%s"
                  .formatted(table(), literal(comment(set)), set.sql()),
              progress(out));
      for (Column column : set.columns()) {
        engine.execute(
            "COMMENT ON COLUMN %s.%s IS %s"
                .formatted(table(), column.name(), literal(columnComment(set, column))));
      }
      String snapshots =
          "%s.%s.\"%s$snapshots\"".formatted(trinoOptions.catalog, TRAINING_SCHEMA, name);
      long snapshot =
          (Long)
              engine
                  .query(
                      "SELECT snapshot_id FROM %s ORDER BY committed_at DESC LIMIT 1"
                          .formatted(snapshots))
                  .onlyValue();
      long bytes =
          ((Number)
                  engine
                      .query(
                          "SELECT coalesce(sum(file_size_in_bytes), 0) FROM %s.%s.\"%s$files\""
                              .formatted(trinoOptions.catalog, TRAINING_SCHEMA, name))
                      .onlyValue())
              .longValue();
      Duration took = Duration.between(started, Instant.now());
      registry.recordBuild(
          new TrainingBuild(
              name,
              table(),
              snapshot,
              fingerprint(set.sql()),
              set.spec().spineSql(),
              versions(set, registry),
              stats.rows(),
              bytes,
              started,
              took));
      out.printf(
          "Built %s: %,d rows, %s, in %.1f s (snapshot %d).%n",
          table(), stats.rows(), size(bytes), took.toMillis() / 1000.0, snapshot);
      out.printf(
          "  Read this build again later: SELECT * FROM %s FOR VERSION AS OF %d%n",
          table(), snapshot);
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
    int run(CompiledTrainingSet set, QueryEngine engine, RegistryStore registry) {
      if (existing(engine).filter(type -> !type.equals("VIEW")).isPresent()) {
        throw new IllegalArgumentException(
            "%s holds builds of this training set (a table); publish it under another name, or drop the table first"
                .formatted(table()));
      }
      engine.execute(
          "CREATE SCHEMA IF NOT EXISTS %s.%s".formatted(trinoOptions.catalog, TRAINING_SCHEMA));
      engine.execute(
          "CREATE OR REPLACE VIEW %s\nCOMMENT %s\nAS\n%s"
              .formatted(table(), literal(comment(set)), set.sql()));
      out.printf(
          "Published %s as a view: %d columns, computed when read.%n",
          table(), set.columns().size());
      return 0;
    }
  }

  @Command(
      name = "export",
      description =
          "Stream a build of the training set over JDBC into a CSV or Parquet file, with progress.")
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
    int run(QueryEngine engine, RegistryStore registry) throws IOException {
      ExportFormat exportFormat = ExportFormat.parse(format);
      if (existing(engine).isEmpty()) {
        throw new IllegalArgumentException(
            "%s is not built: run ./asof training-set build %s first".formatted(table(), name));
      }
      String sql =
          "SELECT * FROM " + table() + (snapshot == null ? "" : " FOR VERSION AS OF " + snapshot);
      List<Column> columns = engine.describe(sql);
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      long start = System.nanoTime();
      AtomicReference<Long> lastReport = new AtomicReference<>(start);
      RowWriter writer = exportFormat.open(file, columns);
      try {
        engine.stream(
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
    int run(QueryEngine engine, RegistryStore registry) {
      List<TrainingBuild> builds = registry.builds(name);
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

  private static String comment(CompiledTrainingSet set) {
    TrainingSetSpec spec = set.spec();
    String description = spec.description().isEmpty() ? "" : spec.description() + " ";
    return description
        + "[training set %s; as of %s%s; features from %s]"
            .formatted(
                spec.name(),
                spec.timestamp(),
                spec.label().map(l -> "; label " + l).orElse(""),
                String.join(", ", set.views().stream().map(CompiledView::name).toList()));
  }

  private static String columnComment(CompiledTrainingSet set, Column column) {
    for (CompiledView view : set.views()) {
      for (Column feature : view.features()) {
        if (column.name().equals(feature.name())
            || column.name().equals(view.name() + "__" + feature.name())) {
          return "Feature %s:%s as of %s."
              .formatted(view.name(), feature.name(), set.spec().timestamp());
        }
      }
      if (column.name().equals(view.name() + "__event_time")) {
        return "Event time of the %s row the features came from.".formatted(view.name());
      }
    }
    if (set.spec().label().filter(column.name()::equals).isPresent()) {
      return "Label, from the spine.";
    }
    return column.name().equals(set.spec().timestamp())
        ? "Spine time: features are as of this moment."
        : "From the spine.";
  }

  static String fingerprint(String sql) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
