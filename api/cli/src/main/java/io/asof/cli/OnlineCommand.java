package io.asof.cli;

import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.MeteredQueryEngine;
import io.asof.engine.QueryEngine;
import io.asof.jobs.OnlineCheck;
import io.asof.jobs.OnlineService;
import io.asof.model.Durations;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineTable;
import io.asof.online.WriteSummary;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code asof online enable|disable|check|status}: the per-view online switch. */
@Command(
    name = "online",
    description =
        "Switch views online (their latest value per entity kept in DynamoDB, served by ./asof serve), off again, check them against offline, list them.",
    subcommands = {
      OnlineCommand.Enable.class,
      OnlineCommand.Disable.class,
      OnlineCommand.Check.class,
      OnlineCommand.Status.class
    })
final class OnlineCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name what to do: enable, disable, check or status");
  }

  /** What every online subcommand connects to. */
  abstract static class Connected implements Callable<Integer> {
    @Mixin StackOptions stackOptions;
    @Mixin EngineOptions trinoOptions;
    @Mixin RepositoryOptions repositoryOptions;
    @Mixin OnlineOptions onlineOptions;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      // what starting the local stack prints stays out of a result a script reads
      PrintWriter progress = resultOnly() ? spec.commandLine().getErr() : out;
      try (MeteredQueryEngine engine =
              new MeteredQueryEngine(trinoOptions.open(stackOptions, progress));
          RegistryStore registry =
              JooqRegistryStore.open(repositoryOptions.registryConfig(stackOptions));
          OnlineStore store = onlineOptions.store(stackOptions, progress)) {
        OnlineService service =
            new OnlineService(
                engine,
                trinoOptions.dialect(),
                registry,
                repositoryOptions.repo,
                trinoOptions.catalog(),
                store,
                Clock.systemUTC());
        int exit = run(service, out);
        if (recordsCost()) {
          JobCosts.record(
              registry,
              "online",
              String.join(",", jobName()),
              trinoOptions.engineName(),
              engine.usage(),
              out);
        }
        return exit;
      }
    }

    abstract int run(OnlineService service, PrintWriter out);

    /** Whether stdout carries the result alone (as JSON), and progress goes to stderr. */
    boolean resultOnly() {
      return false;
    }

    /** Whether the subcommand's statements are a job worth recording the cost of (a load). */
    boolean recordsCost() {
      return false;
    }

    /** The name the cost is recorded under. */
    List<String> jobName() {
      return List.of();
    }
  }

  @Command(
      name = "enable",
      description =
          "Switch views online: create each one's DynamoDB table and load the latest value per entity at now (within the view's TTL); a view online already loads only what changed since its last load.")
  static final class Enable extends Connected {
    @Parameters(arity = "1..*", paramLabel = "VIEW", description = "The views to switch online.")
    List<String> views;

    @Option(
        names = "--cache",
        description =
            "Also serve the view from memory in ./asof serve (for small, hot views), reloaded every --refresh.")
    boolean cache;

    @Option(
        names = "--refresh",
        paramLabel = "DURATION",
        defaultValue = "30s",
        description = "How often a --cache view is reloaded (default: ${DEFAULT-VALUE}).")
    String refresh;

    @Override
    boolean recordsCost() {
      return true;
    }

    @Override
    List<String> jobName() {
      return views;
    }

    @Override
    int run(OnlineService service, PrintWriter out) {
      Duration every = ChunkOptions.duration("--refresh", refresh);
      if (every.toMillis() < 1000) {
        throw new IllegalArgumentException(
            "--refresh: " + refresh + " is under a second; reload at most once a second");
      }
      OnlineGroup.Mode mode = cache ? OnlineGroup.Mode.CACHE : OnlineGroup.Mode.DYNAMODB;
      for (String view : views) {
        OnlineService.LoadSummary summary = service.enable(view, mode, every, new Progress(out));
        summary(out, summary);
        if (!service.declaredOnline(view)) {
          out.printf(
              "  one-off: its file does not say -- online: true, so the next ./asof apply switches it off again; add that line to its header to keep it online.%n");
        }
      }
      return 0;
    }
  }

  /**
   * After a view's data changed (a backfill, a materialization): catches its online values up when
   * it is online and enabled; connects to the online store only then.
   */
  static void update(
      QueryEngine engine,
      EngineDialect dialect,
      RegistryStore registry,
      RepositoryOptions repositoryOptions,
      String catalog,
      StackOptions stackOptions,
      OnlineOptions onlineOptions,
      String view,
      Instant changedFrom,
      PrintWriter out) {
    Optional<OnlineGroup> group = registry.onlineGroup(view);
    if (group.isEmpty() || group.get().state() != OnlineGroup.State.ENABLED) {
      return;
    }
    try (OnlineStore store = onlineOptions.store(stackOptions, out)) {
      OnlineService service =
          new OnlineService(
              engine, dialect, registry, repositoryOptions.repo, catalog, store, Clock.systemUTC());
      service
          .update(view, changedFrom, new Progress(out))
          .ifPresent(summary -> summary(out, summary));
    }
  }

  /** Prints a load's summary. */
  static void summary(PrintWriter out, OnlineService.LoadSummary summary) {
    OnlineGroup group = summary.group();
    WriteSummary written = summary.written();
    out.printf(
        "%s is online (version %d, table %s%s): %s %,d entities with a value at now, %,d written, %,d kept (online newer), %,d past their TTL not written; %s (query %s), %,.0f items/s%n",
        group.view(),
        group.version(),
        group.table(),
        group.mode() == OnlineGroup.Mode.CACHE
            ? ", served from memory, reloaded every " + Durations.format(group.cacheRefresh())
            : "",
        summary.full() ? "loaded" : "caught up",
        summary.rows(),
        written.written(),
        written.skippedOlder(),
        summary.expired(),
        BackfillCommand.clock(summary.took()),
        BackfillCommand.clock(summary.queryTime()),
        summary.itemsPerSecond());
    if (written.retried() > 0) {
      out.printf(
          "  %,d items were sent again (left unprocessed by the store)%n", written.retried());
    }
    out.flush();
  }

  /** Prints a load's progress, at most about once a second. */
  static final class Progress implements OnlineService.LoadListener {
    private final PrintWriter out;
    private long lastNanos;

    Progress(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void starting(OnlineTable table, String source, boolean full) {
      out.printf(
          "%s %s into %s from %s ...%n",
          full ? "Loading" : "Catching up", table.view(), table.name(), source);
      out.flush();
    }

    @Override
    public synchronized void progress(long rowsRead, WriteSummary written, Duration elapsed) {
      long now = System.nanoTime();
      if (now - lastNanos < 1_000_000_000L) {
        return;
      }
      lastNanos = now;
      double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-9);
      out.printf(
          "  %,d entities written, %,d kept  %s elapsed  %,.0f items/s%n",
          written.written(),
          written.skippedOlder(),
          BackfillCommand.clock(elapsed),
          (written.written() + written.skippedOlder()) / seconds);
      out.flush();
    }
  }

  @Command(
      name = "disable",
      description =
          "Stop updating views online (./asof serve stops serving them); --purge also deletes their DynamoDB tables.")
  static final class Disable extends Connected {
    @Parameters(arity = "1..*", paramLabel = "VIEW", description = "The views to switch off.")
    List<String> views;

    @Option(names = "--purge", description = "Delete the view's online table and items too.")
    boolean purge;

    @Override
    int run(OnlineService service, PrintWriter out) {
      for (String view : views) {
        Optional<OnlineGroup> after = service.disable(view, purge);
        if (after.isEmpty()) {
          out.printf("%s is offline only: its online table was deleted.%n", view);
        } else {
          out.printf(
              "%s is disabled online (its table %s is kept; ./asof online enable %s catches it up, --purge deletes it).%n",
              view, after.get().table(), view);
        }
        if (service.declaredOnline(view)) {
          out.printf(
              "  one-off: its file says -- online: true, so the next ./asof apply switches it on again; remove that line to keep it offline.%n");
        }
      }
      return 0;
    }
  }

  @Command(
      name = "check",
      description =
          "Compare a sample of a view's online values with its offline point-in-time values at now; exits 1 on a mismatch.")
  static final class Check extends Connected {
    @Parameters(index = "0", paramLabel = "VIEW", description = "The online view to check.")
    String view;

    @Option(
        names = "--sample",
        paramLabel = "N",
        defaultValue = "100",
        description = "How many entities to compare (default: ${DEFAULT-VALUE}).")
    int sample;

    @Option(
        names = "--seed",
        paramLabel = "SEED",
        defaultValue = "1",
        description = "The sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    int run(OnlineService service, PrintWriter out) {
      OnlineCheck.CheckReport report = service.check(view, sample, seed);
      out.printf(
          "%s: %,d entities compared at %s (%,d online, %,d expired online): %s%n",
          view,
          report.checked(),
          report.at(),
          report.present(),
          report.expired(),
          report.mismatches().isEmpty()
              ? "online matches offline"
              : "%,d mismatch%s"
                  .formatted(
                      report.mismatches().size(), report.mismatches().size() == 1 ? "" : "es"));
      for (OnlineCheck.Mismatch mismatch : report.mismatches().stream().limit(20).toList()) {
        out.printf("  key %s: %s%n", mismatch.key(), mismatch.problem());
      }
      if (report.mismatches().size() > 20) {
        out.printf("  ... and %,d more%n", report.mismatches().size() - 20);
      }
      return report.mismatches().isEmpty() ? 0 : 1;
    }
  }

  @Command(name = "status", description = "List the online views: state, mode, version, last load.")
  static final class Status extends Connected {
    @Option(
        names = "--json",
        description = "Print the views as one JSON object (see docs/cli.md) instead of a table.")
    boolean json;

    @Override
    boolean resultOnly() {
      return json;
    }

    @Override
    int run(OnlineService service, PrintWriter out) {
      List<OnlineGroup> groups = service.groups();
      if (json) {
        json(out, groups);
        return 0;
      }
      if (groups.isEmpty()) {
        out.println("No view is online. Switch one on with ./asof online enable VIEW.");
        return 0;
      }
      out.printf(
          "%-28s %-9s %-9s %8s %12s  %-28s %s%n",
          "view", "state", "mode", "version", "items", "loaded through", "table");
      for (OnlineGroup group : groups) {
        out.printf(
            "%-28s %-9s %-9s %8d %,12d  %-28s %s%n",
            group.view(),
            group.state().name().toLowerCase(Locale.ROOT),
            group.mode().name().toLowerCase(Locale.ROOT),
            group.version(),
            group.items(),
            group.loadedThrough().map(Object::toString).orElse("-"),
            group.table());
      }
      return 0;
    }

    private static void json(PrintWriter out, List<OnlineGroup> groups) {
      JsonOutput output = new JsonOutput();
      output.print(
          out,
          output.list(
              "views",
              groups,
              (one, group) -> {
                one.put("view", group.view());
                one.put("state", group.state().name().toLowerCase(Locale.ROOT));
                one.put("mode", group.mode().name().toLowerCase(Locale.ROOT));
                one.put("version", group.version());
                one.put("table", group.table());
                one.put("items", group.items());
                JsonOutput.putTime(one, "loaded_through", group.loadedThrough());
                if (group.mode() == OnlineGroup.Mode.CACHE) {
                  one.put("cache_refresh_ms", group.cacheRefresh().toMillis());
                } else {
                  one.putNull("cache_refresh_ms");
                }
                one.put("enabled_at", group.enabledAt().toString());
                one.put("updated_at", group.updatedAt().toString());
              }));
    }
  }
}
