package io.asof.cli;

import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.engine.QueryEngine;
import io.asof.jobs.MaintenanceService;
import io.asof.jobs.MaintenanceService.Policy;
import io.asof.jobs.MaintenanceService.TableReport;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code asof maintain}: compacts small files and expires old snapshots of every table Asof writes,
 * keeping what recorded training-set builds need.
 */
@Command(
    name = "maintain",
    description =
        "Compact small files and expire old snapshots of every backfilled feature table and every training table. Snapshots younger than --retention are kept, and so is every snapshot a recorded training-set build points to or read (with everything after it).")
final class MaintainCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin EngineOptions trinoOptions;
  @Mixin RepositoryOptions repositoryOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description =
          "Keep snapshots committed within this long before now (default: ${DEFAULT-VALUE}); Trino refuses less than its iceberg.expire-snapshots.min-retention.")
  String retention;

  @Option(
      names = "--small-file-mb",
      paramLabel = "MB",
      defaultValue = "32",
      description =
          "Files smaller than this are compacted, in partitions holding more than one (default: ${DEFAULT-VALUE}).")
  long smallFileMb;

  @Option(
      names = "--dry-run",
      description = "Show what would be compacted and expired; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (smallFileMb < 1) {
      throw new IllegalArgumentException("--small-file-mb must be at least 1, got " + smallFileMb);
    }
    Duration keep = ChunkOptions.duration("--retention", retention);
    Policy policy = new Policy(keep, smallFileMb * 1024 * 1024, dryRun);
    try (QueryEngine engine = trinoOptions.open(stackOptions, out);
        RegistryStore registry =
            JooqRegistryStore.open(repositoryOptions.registryConfig(stackOptions))) {
      MaintenanceService service =
          new MaintenanceService(
              engine,
              trinoOptions.dialect(),
              registry,
              repositoryOptions.repo,
              trinoOptions.catalog());
      List<MaintenanceService.Target> targets = service.targets();
      if (targets.isEmpty()) {
        out.println(
            "Nothing to maintain: no backfilled or push view and no training-set build yet.");
        return 0;
      }
      out.printf(
          "%s %d table%s: compact files under %d MB, expire snapshots older than %s that no recorded build needs.%n",
          dryRun ? "Would maintain" : "Maintaining",
          targets.size(),
          targets.size() == 1 ? "" : "s",
          smallFileMb,
          io.asof.model.Durations.format(keep));
      out.flush();
      Instant started = Instant.now();
      List<List<String>> rows = new ArrayList<>();
      List<TableReport> reports =
          service.maintain(
              policy,
              report -> {
                out.printf(
                    "  %s: %s%n",
                    report.target().table(),
                    report
                        .skipped()
                        .map(why -> "skipped: " + why)
                        .orElse(
                            "files %d -> %d, snapshots %d -> %d"
                                .formatted(
                                    report.filesBefore(),
                                    report.filesAfter(),
                                    report.snapshotsBefore(),
                                    report.snapshotsAfter())));
                out.flush();
              });
      for (TableReport report : reports) {
        rows.add(
            List.of(
                report.target().table(),
                report.target().kind() == MaintenanceService.Target.Kind.FEATURES
                    ? report.target().describe()
                    : "training set " + report.target().describe(),
                report.filesBefore() + " (" + report.smallFilesBefore() + " small)",
                Long.toString(report.filesAfter()),
                Long.toString(report.snapshotsBefore()),
                Long.toString(report.snapshotsAfter()),
                Integer.toString(report.protectedSnapshots()),
                report.skipped().isPresent() ? "skipped" : report.expiredBefore().toString()));
      }
      out.println();
      out.print(
          TablePrinter.render(
              List.of(
                  "table",
                  "of",
                  "files before",
                  "after",
                  "snapshots before",
                  "after",
                  "kept for builds",
                  "expired before"),
              rows,
              ""));
      out.printf(
          "%s in %s.%n",
          dryRun ? "Planned (nothing changed)" : "Done",
          io.asof.model.Durations.format(
              Duration.ofSeconds(Duration.between(started, Instant.now()).toSeconds())));
      return 0;
    }
  }
}
