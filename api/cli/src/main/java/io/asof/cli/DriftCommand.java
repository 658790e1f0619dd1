package io.asof.cli;

import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.engine.QueryEngine;
import io.asof.jobs.DriftReport;
import io.asof.jobs.DriftReport.FeatureDrift;
import io.asof.jobs.DriftReport.Source;
import io.asof.jobs.DriftService;
import io.asof.jobs.TrainingSetService;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryStore;
import io.asof.server.DriftJson;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code asof drift}: a training set's latest build against its views' latest windows. */
@Command(
    name = "drift",
    description =
        "Compare the feature distributions of a training set's latest build with the most recent backfilled window of each view it reads (of an aggregation view, its features evaluated over the last 30 days of its events): PSI per feature (below 0.1 stable, 0.1 to 0.25 moderate, above 0.25 significant), bins from the window's recorded statistics (computed over the evaluated values of an aggregation view).")
final class DriftCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin EngineOptions trinoOptions;
  @Mixin RepositoryOptions repositoryOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TRAINING_SET", description = "The training set built.")
  String name;

  @Option(
      names = "--feature",
      paramLabel = "FEATURE",
      description = "Only this feature: view:feature, or the training set's column.")
  String feature;

  @Option(
      names = "--json",
      description = "Print the report as JSON, as GET /v1/training-sets/NAME/drift gives it.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TrainingSetService.checkName(name);
    try (QueryEngine engine =
            // nothing but the JSON on stdout
            trinoOptions.open(stackOptions, json ? spec.commandLine().getErr() : out);
        RegistryStore registry =
            JooqRegistryStore.open(repositoryOptions.registryConfig(stackOptions))) {
      DriftReport report =
          new DriftService(engine, registry).report(name, Optional.ofNullable(feature));
      if (json) {
        out.println(DriftJson.text(report));
      } else {
        print(report, out);
      }
    }
    return 0;
  }

  private static void print(DriftReport report, PrintWriter out) {
    out.printf(
        "Drift of %s (%s, snapshot %d, built %s) against each view's most recent backfilled window (of an aggregation view, its features evaluated over the last %d days of its events):%n",
        report.trainingSet(),
        report.table(),
        report.snapshotId(),
        report.builtAt().truncatedTo(ChronoUnit.SECONDS),
        DriftReport.REFERENCE_PERIOD.toDays());
    int width = "feature".length();
    for (FeatureDrift f : report.features()) {
      width = Math.max(width, f.reference().length());
    }
    out.printf(
        "  %-" + width + "s  %-11s  %8s  %-11s  %s%n", "feature", "kind", "PSI", "drift", "window");
    for (FeatureDrift f : report.features()) {
      String psi =
          f.psi().isPresent() ? String.format(Locale.ROOT, "%.4f", f.psi().getAsDouble()) : "-";
      String window =
          f.reason()
              .orElseGet(
                  () ->
                      f.window()
                          .map(
                              w ->
                                  w.source() == Source.EVALUATED
                                      ? "%s to %s (evaluated from its events)"
                                          .formatted(w.from(), w.to())
                                      : "%s to %s (backfill %s, chunk %d)"
                                          .formatted(
                                              w.from(),
                                              w.to(),
                                              w.jobId().orElseThrow(),
                                              w.chunk().orElseThrow()))
                          .orElse(""));
      out.printf(
          "  %-" + width + "s  %-11s  %8s  %-11s  %s%n",
          f.reference(),
          f.psi().isPresent() ? f.kind().name().toLowerCase(Locale.ROOT) : "-",
          psi,
          f.level().name().toLowerCase(Locale.ROOT),
          window);
    }
    out.printf(
        Locale.ROOT,
        "PSI below %.2f is stable, %.2f to %.2f moderate, above %.2f significant; bins are the window's quantiles (numeric) or top values (categorical). The web UI draws them: ./asof serve, then /ui/.%n",
        DriftReport.STABLE_BELOW,
        DriftReport.STABLE_BELOW,
        DriftReport.SIGNIFICANT_ABOVE,
        DriftReport.SIGNIFICANT_ABOVE);
  }
}
