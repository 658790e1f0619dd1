package io.asof.cli;

import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.engine.QueryEngine;
import io.asof.jobs.MaintenanceService;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryStore;
import io.asof.registry.TrainingBuild;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code asof retire VIEW@N}: drops an older version's table, after which nothing reads it. */
@Command(
    name = "retire",
    description =
        "Retire an older version of a view: no training set can read VIEW@N after this, and its table <catalog>.features.VIEW__vN is dropped. Refuses the version applied now and versions a training set of the repository pins. Training sets built from it keep their rows (they are in their own tables).")
final class RetireCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin EngineOptions trinoOptions;
  @Mixin RepositoryOptions repositoryOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "VIEW@N", description = "The view and version to retire.")
  String target;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int at = target.lastIndexOf('@');
    if (at <= 0 || !target.substring(at + 1).matches("[1-9][0-9]{0,8}")) {
      throw new IllegalArgumentException(
          "name the version to retire as VIEW@N, e.g. article_daily_ctr@1; got: " + target);
    }
    String view = target.substring(0, at);
    int version = Integer.parseInt(target.substring(at + 1));
    try (QueryEngine engine = trinoOptions.open(stackOptions, out);
        RegistryStore registry =
            JooqRegistryStore.open(repositoryOptions.registryConfig(stackOptions))) {
      MaintenanceService.Retired retired;
      try {
        retired =
            new MaintenanceService(
                    engine,
                    trinoOptions.dialect(),
                    registry,
                    repositoryOptions.repo,
                    trinoOptions.catalog())
                .retire(view, version);
      } catch (IllegalStateException e) {
        err.println("asof: " + e.getMessage());
        return 1;
      }
      out.printf(
          "Retired %s@%d: %s.%n",
          view,
          version,
          retired
              .droppedTable()
              .map(t -> "dropped " + t)
              .orElse("it had no table (it was never backfilled)"));
      if (!retired.builds().isEmpty()) {
        out.printf(
            "%d recorded training-set build%s read it; their rows stay in their tables:%n",
            retired.builds().size(), retired.builds().size() == 1 ? "" : "s");
        for (TrainingBuild build : retired.builds()) {
          out.printf(
              "  %s  snapshot %d  built %s%n", build.table(), build.snapshotId(), build.builtAt());
        }
      }
      return 0;
    }
  }
}
