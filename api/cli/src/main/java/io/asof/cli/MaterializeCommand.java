package io.asof.cli;

import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.engine.QueryEngine;
import io.asof.jobs.BackfillService;
import io.asof.registry.BackfillJob;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.Lease;
import io.asof.registry.LeaseHeldException;
import io.asof.registry.RegistryStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code asof materialize [VIEW]}: catches materialized views up from their watermark to now, the
 * last {@code --lookback} re-processed for late data; a backfill job per view.
 */
@Command(
    name = "materialize",
    description =
        "Catch materialized views up: from each one's watermark (the end of what is backfilled), less --lookback for late data, to now; one backfill job per view.")
final class MaterializeCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin EngineOptions trinoOptions;
  @Mixin RepositoryOptions repositoryOptions;
  @Mixin ChunkOptions chunkOptions;
  @Mixin OnlineOptions onlineOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "VIEW",
      description = "The view to catch up (default: every materialized view backfilled once).")
  String view;

  @Option(
      names = "--lookback",
      paramLabel = "DURATION",
      defaultValue = "1d",
      description =
          "How far before the watermark to recompute, for rows that arrived late (default: ${DEFAULT-VALUE}).")
  String lookback;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      defaultValue = "now",
      description = "Catch up to this time instead of now (default: ${DEFAULT-VALUE}).")
  String to;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration lookbackLength = ChunkOptions.duration("--lookback", lookback);
    Duration chunkLength = chunkOptions.chunk();
    Instant end = BackfillCommand.time(to);
    try (QueryEngine engine = trinoOptions.open(stackOptions, out);
        RegistryStore registry =
            JooqRegistryStore.open(repositoryOptions.registryConfig(stackOptions))) {
      BackfillService service =
          new BackfillService(
              engine,
              trinoOptions.dialect(),
              registry,
              repositoryOptions.repo,
              trinoOptions.catalog());
      List<String> views = view != null ? List.of(view) : service.materializedViews();
      int failed = 0;
      for (String name : views) {
        // one writer of the view version's table at a time, from before the job is recorded
        // until its last commit
        Lease lease;
        Optional<BackfillJob> job;
        try {
          lease = service.lease(name, "materialize");
        } catch (IllegalArgumentException | LeaseHeldException e) {
          if (view != null) {
            throw e;
          }
          if (e instanceof LeaseHeldException) {
            err.println("asof: materializing " + name + " refused: " + e.getMessage());
            failed++;
          } else {
            out.printf("%s: skipped: %s%n", name, e.getMessage());
          }
          continue;
        }
        try (lease) {
          try {
            job = service.startCatchUp(name, lookbackLength, chunkLength, end);
          } catch (IllegalArgumentException e) {
            if (view != null) {
              throw e;
            }
            out.printf("%s: skipped: %s%n", name, e.getMessage());
            continue;
          }
          if (job.isEmpty()) {
            out.printf("%s: up to date (its watermark is past %s)%n", name, end);
            continue;
          }
          Instant started = Instant.now();
          BackfillJob after =
              service.run(
                  lease,
                  job.get(),
                  chunkOptions.parallel,
                  new BackfillCommand.Progress(out, chunkOptions.parallel));
          if (after.status() != BackfillJob.Status.SUCCEEDED) {
            err.println("asof: materializing " + name + " failed: " + after.error().orElse(""));
            failed++;
            continue;
          }
          BackfillCommand.summary(out, after, Duration.between(started, Instant.now()));
          OnlineCommand.update(
              engine,
              trinoOptions.dialect(),
              registry,
              repositoryOptions,
              trinoOptions.catalog(),
              stackOptions,
              onlineOptions,
              name,
              after.from(),
              out);
        }
      }
      return failed == 0 ? 0 : 1;
    }
  }
}
