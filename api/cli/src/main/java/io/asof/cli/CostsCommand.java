package io.asof.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.registry.JobCost;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code asof costs}: what each job's statements scanned and cost, as the registry recorded it. */
@Command(
    name = "costs",
    description =
        "List what each job's statements scanned and cost (backfills, training-set builds, online loads), newest first, as the registry recorded them; dollars where the engine bills by use (Athena).")
final class CostsCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin RepositoryOptions repositoryOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--kind",
      paramLabel = "KIND",
      description = "Only jobs of this kind: backfill, training-set or online.")
  String kind;

  @Option(
      names = "--last",
      paramLabel = "N",
      defaultValue = "20",
      description = "How many to list (default: ${DEFAULT-VALUE}).")
  int last;

  @Option(
      names = "--json",
      description = "Print the costs as one JSON object (see docs/cli.md) instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (last < 1) {
      throw new IllegalArgumentException("--last must be at least 1, not " + last);
    }
    try (RegistryStore registry =
        JooqRegistryStore.open(repositoryOptions.registryConfig(stackOptions))) {
      List<JobCost> costs =
          registry.costs().stream()
              .filter(c -> kind == null || c.kind().equals(kind))
              .limit(last)
              .toList();
      if (json) {
        json(out, costs);
        return 0;
      }
      if (costs.isEmpty()) {
        out.println(
            "No job costs recorded"
                + (kind == null ? "" : " for kind " + kind)
                + ": backfills, training-set builds and online loads record theirs.");
        return 0;
      }
      out.printf(
          "%-24s %-12s %-36s %-7s %10s %12s %10s %9s%n",
          "recorded", "kind", "job", "engine", "statements", "scanned", "cost", "time");
      double total = 0;
      for (JobCost cost : costs) {
        total += cost.costUsd().orElse(0);
        out.printf(
            "%-24s %-12s %-36s %-7s %,10d %12s %10s %8.1fs%n",
            cost.recordedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            cost.kind(),
            cost.job(),
            cost.engine(),
            cost.statements(),
            JobCosts.bytes(cost.bytesScanned()),
            cost.costUsd().isPresent()
                ? String.format(Locale.ROOT, "$%.4f", cost.costUsd().getAsDouble())
                : "-",
            cost.elapsed().toMillis() / 1000.0);
      }
      out.printf(Locale.ROOT, "%d jobs listed, $%.4f in all where priced.%n", costs.size(), total);
      return 0;
    }
  }

  private static void json(PrintWriter out, List<JobCost> costs) {
    JsonOutput output = new JsonOutput();
    ObjectNode json =
        output.list(
            "costs",
            costs,
            (one, cost) -> {
              one.put("recorded_at", cost.recordedAt().toString());
              one.put("kind", cost.kind());
              one.put("job", cost.job());
              one.put("engine", cost.engine());
              one.put("statements", cost.statements());
              one.put("bytes_scanned", cost.bytesScanned());
              if (cost.costUsd().isPresent()) {
                one.put("cost_usd", cost.costUsd().getAsDouble());
              } else {
                one.putNull("cost_usd");
              }
              one.put("elapsed_ms", cost.elapsed().toMillis());
            });
    json.put("total_cost_usd", costs.stream().mapToDouble(c -> c.costUsd().orElse(0)).sum());
    output.print(out, json);
  }
}
