package io.asof.cli;

import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.repository.RepositoryLoader;
import io.asof.model.Entity;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureViewSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code asof bench}: benchmarks that are run by hand, not by the test suite. */
@Command(
    name = "bench",
    description = "Benchmarks (run by hand; not part of the tests).",
    subcommands = {
      BenchCommand.Compile.class,
      PitBenchCommand.class,
      BackfillBenchCommand.class,
      OnlineBenchCommand.class,
      PushBenchCommand.class,
      WindowsBenchCommand.class,
      QueryBenchCommand.class
    })
final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Keeps the in-process server's access log (a line per request) out of a benchmark's output;
   * before the server starts. SLF4J's simple logger reads a logger's level when it is created.
   */
  static void quietAccessLog() {
    System.setProperty("org.slf4j.simpleLogger.log.io.asof.server.access", "warn");
  }

  @Command(
      name = "compile",
      description =
          "Compile time per feature view, warm: after a warm-up round (JIT, metadata cache), each view is compiled N times; prints the median and the mean.")
  static final class Compile implements Runnable {
    @Mixin StackOptions stackOptions;
    @Mixin TrinoOptions trinoOptions;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--repo",
        paramLabel = "DIR",
        defaultValue = "sql-features/examples/news",
        description = "The repository (default: ${DEFAULT-VALUE}).")
    Path repo;

    @Option(
        names = "--iterations",
        paramLabel = "N",
        defaultValue = "20",
        description = "Compilations per view (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      String jdbcUrl = trinoOptions.jdbcUrl(stackOptions, out);
      String sessionUrl = trinoOptions.sessionUrl(jdbcUrl);
      FeatureRepository repository = RepositoryLoader.load(repo);
      try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(sessionUrl))) {
        FeatureViewCompiler compiler =
            new FeatureViewCompiler(
                new EngineWarehouseCatalog(engine, trinoOptions.dialect()),
                engine,
                trinoOptions.catalog());
        compiler.compileAll(repository); // warm-up: JIT, warehouse metadata cache
        out.printf(
            "Compile time per view, warm (%d iterations each; Calcite validation + Trino DESCRIBE OUTPUT):%n",
            iterations);
        out.printf("  %-26s %10s %10s%n", "view", "median ms", "mean ms");
        double total = 0;
        for (FeatureViewSpec view : repository.views()) {
          Entity entity = repository.entity(view.entity()).orElseThrow();
          double[] millis = new double[iterations];
          for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            compiler.compile(view, entity);
            millis[i] = (System.nanoTime() - start) / 1e6;
          }
          Arrays.sort(millis);
          double mean = Arrays.stream(millis).average().orElse(0);
          total += mean;
          out.printf("  %-26s %10.1f %10.1f%n", view.name(), millis[iterations / 2], mean);
        }
        out.printf("  %-26s %10s %10.1f%n", "all views (sum of means)", "", total);
      }
    }
  }
}
