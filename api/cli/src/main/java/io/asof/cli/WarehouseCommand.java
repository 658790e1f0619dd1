package io.asof.cli;

import io.asof.engine.QueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code asof warehouse load}: the demo news warehouse at any scale. */
@Command(
    name = "warehouse",
    description = "The demo news-service warehouse.",
    subcommands = {WarehouseCommand.Load.class})
final class WarehouseCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "load",
      description =
          "Generate the demo warehouse (users, articles, impressions, reactions) into an Iceberg schema; a no-op when the same seed and scale are already there.")
  static final class Load implements Runnable {
    @Mixin StackOptions stackOptions;
    @Mixin TrinoOptions trinoOptions;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--impressions",
        paramLabel = "N",
        description = "How many impressions (default: ${DEFAULT-VALUE}).",
        defaultValue = "" + NewsWarehouseSpec.DEFAULT_IMPRESSIONS)
    long impressions;

    @Option(
        names = "--seed",
        description = "Random seed (default: ${DEFAULT-VALUE}).",
        defaultValue = "" + NewsWarehouseSpec.DEFAULT_SEED)
    long seed;

    @Option(
        names = "--schema",
        description = "Target schema (default: ${DEFAULT-VALUE}).",
        defaultValue = "dwh")
    String schema;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      String jdbcUrl = trinoOptions.jdbcUrl(stackOptions, out);
      try (QueryEngine engine = WarehouseSession.engine(trinoOptions, jdbcUrl)) {
        WarehouseSession.load(
            engine,
            new NewsWarehouse(
                new NewsWarehouseSpec(seed, impressions), trinoOptions.catalog(), schema),
            out);
      }
    }
  }
}
