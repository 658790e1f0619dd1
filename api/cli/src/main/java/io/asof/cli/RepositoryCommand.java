package io.asof.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asof.bi.ViewPublisher;
import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.TrainingSetCompiler;
import io.asof.compiler.catalog.WarehouseCatalog;
import io.asof.engine.QueryEngine;
import io.asof.features.repository.RepositoryLoader;
import io.asof.jobs.ApplyPlanner;
import io.asof.jobs.BackfillService;
import io.asof.jobs.OnlineService;
import io.asof.jobs.OnlineSwitches;
import io.asof.model.Diagnostic;
import io.asof.model.FeatureRepository;
import io.asof.model.Materialization;
import io.asof.model.RepositoryException;
import io.asof.model.Schemas;
import io.asof.online.OnlineStore;
import io.asof.registry.AppliedView;
import io.asof.registry.ApplyPlan;
import io.asof.registry.ApplyPlan.Change;
import io.asof.registry.ApplyPlan.Kind;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.Lease;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code asof plan} and {@code asof apply}: a feature repository against the registry. */
final class RepositoryCommand {
  /** Where feature views are published, beside the warehouse's schemas. */
  private RepositoryCommand() {}

  /**
   * Where the repository and the registry are; plan, apply and training-set commands share them.
   */
  static final class RepositoryOptions {
    @Option(
        names = "--repo",
        paramLabel = "DIR",
        description = "The feature repository (default: the current directory).",
        defaultValue = ".")
    Path repo;

    @Option(
        names = "--registry-url",
        paramLabel = "JDBC_URL",
        description =
            "The registry database (default: an H2 file in the state directory; or jdbc:postgresql://...).")
    String registryUrl;

    @Option(
        names = "--registry-user",
        paramLabel = "USER",
        defaultValue = "asof",
        description = "Registry user (default: ${DEFAULT-VALUE}).")
    String registryUser;

    @Option(
        names = "--registry-password",
        paramLabel = "PASSWORD",
        description =
            "Registry password; better $ASOF_REGISTRY_PASSWORD or --registry-password-file, which other users of the machine cannot see in the process list.")
    String registryPassword;

    @Option(
        names = "--registry-password-file",
        paramLabel = "FILE",
        description = "A file whose first line is the registry password.")
    Path registryPasswordFile;

    RegistryConfig registryConfig(StackOptions stack) {
      return registryUrl == null
          ? RegistryConfig.embedded(stack.stateDir())
          : new RegistryConfig(
              registryUrl,
              registryUser,
              registryPassword(
                  registryPassword,
                  registryPasswordFile,
                  System.getenv(REGISTRY_PASSWORD_VARIABLE)));
    }

    /** Where the registry password may come from besides the options. */
    static final String REGISTRY_PASSWORD_VARIABLE = "ASOF_REGISTRY_PASSWORD";

    /**
     * The registry password: from the option, else the file's first line, else the environment;
     * empty without any. Giving both the option and the file is refused: one would be ignored.
     */
    static String registryPassword(String option, Path file, String environment) {
      if (option != null && file != null) {
        throw new IllegalArgumentException(
            "give the registry password once: --registry-password or --registry-password-file");
      }
      if (option != null) {
        return option;
      }
      if (file != null) {
        try {
          List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
          if (lines.isEmpty() || lines.getFirst().isEmpty()) {
            throw new IllegalArgumentException(
                "--registry-password-file %s is empty: write the password on its first line"
                    .formatted(file));
          }
          return lines.getFirst();
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "--registry-password-file %s cannot be read: %s".formatted(file, e.getMessage()), e);
        }
      }
      return environment == null ? "" : environment;
    }
  }

  /** What plan and apply share: their options, and everything but the last step. */
  abstract static class Base implements Callable<Integer> {
    @Mixin StackOptions stackOptions;
    @Mixin EngineOptions trinoOptions;
    @Mixin RepositoryOptions repositoryOptions;
    @Mixin OnlineOptions onlineOptions;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--prune",
        description = "Also remove views that are no longer in the repository.")
    boolean prune;

    /** Whether the command changes anything. */
    abstract boolean applies();

    /** Whether the plan is printed as JSON. */
    boolean json() {
      return false;
    }

    @Override
    public Integer call() {
      return run(
          spec.commandLine().getOut(),
          spec.commandLine().getErr(),
          stackOptions,
          trinoOptions,
          repositoryOptions,
          onlineOptions,
          prune,
          applies(),
          json());
    }
  }

  @Command(
      name = "plan",
      description =
          "Show what apply would change: new, changed (breaking or not) and removed views.")
  static final class PlanCommand extends Base {
    @Option(
        names = "--json",
        description =
            "Print the plan as one JSON object (changes, online switches) instead of its lines.")
    boolean json;

    @Override
    boolean applies() {
      return false;
    }

    @Override
    boolean json() {
      return json;
    }
  }

  @Command(
      name = "apply",
      description =
          "Compile the repository, publish its views in <catalog>.features with comments, and record them in the registry; nothing changes if anything fails.")
  static final class ApplyCommand extends Base {
    @Override
    boolean applies() {
      return true;
    }
  }

  /**
   * {@code asof apply} of {@code repo} for a benchmark, so the registry knows its views: the plan
   * is printed only when applying fails.
   *
   * @return the command's exit status
   */
  static int applyForBench(
      Path repo, StackOptions stack, TrinoOptions trino, PrintWriter out, PrintWriter err) {
    RepositoryOptions options = new RepositoryOptions();
    options.repo = repo;
    StringWriter plan = new StringWriter();
    int status;
    try (PrintWriter planOut = new PrintWriter(plan)) {
      status =
          run(
              planOut,
              err,
              stack,
              EngineOptions.onTrino(trino),
              options,
              new OnlineOptions(),
              false,
              true,
              false);
    }
    if (status != 0) {
      out.print(plan);
      err.printf("asof: applying %s failed; nothing was benchmarked.%n", repo);
    } else {
      out.printf("Applied %s (the registry knows its views).%n", repo);
    }
    out.flush();
    return status;
  }

  @SuppressWarnings("try") // the lease is held, not called
  static int run(
      PrintWriter out,
      PrintWriter err,
      StackOptions stack,
      EngineOptions trino,
      RepositoryOptions options,
      OnlineOptions online,
      boolean prune,
      boolean apply,
      boolean json) {
    RegistryConfig registryConfig = options.registryConfig(stack);
    // two-part names in feature SQL are read in the catalog: the engine's session has it; under
    // --json, what starting the stack prints goes to stderr
    try (QueryEngine engine = trino.open(stack, json ? err : out);
        RegistryStore registry = JooqRegistryStore.open(registryConfig)) {
      List<CompiledView> views;
      WarehouseCatalog warehouse = trino.warehouseCatalog(engine);
      try {
        FeatureRepository repository = RepositoryLoader.load(options.repo);
        views = new FeatureViewCompiler(warehouse, engine, trino.catalog()).compileAll(repository);
        new TrainingSetCompiler(engine, warehouse, trino.catalog())
            .checkRepository(repository, views);
      } catch (RepositoryException e) {
        for (Diagnostic diagnostic : e.diagnostics()) {
          err.println(relative(diagnostic));
        }
        err.printf(
            "%d problem%s; nothing was %s.%n",
            e.diagnostics().size(),
            e.diagnostics().size() == 1 ? "" : "s",
            apply ? "applied" : "planned");
        return 1;
      } finally {
        if (warehouse instanceof AutoCloseable closeable) {
          closeQuietly(closeable);
        }
      }
      // one apply at a time, from the plan it reads to the registry it writes: another apply in
      // between would publish views this one's plan does not know of
      try (Lease lease =
          apply
              ? Lease.acquire(registry, Lease.REPOSITORY, "apply --repo " + options.repo)
              : null) {
        return planAndApply(
            out,
            trino,
            engine,
            registry,
            views,
            prune,
            apply,
            () -> online.store(stack, out),
            options.repo,
            json);
      }
    }
  }

  /** Prints the plan of {@code views} against the registry and, when asked, applies it. */
  private static int planAndApply(
      PrintWriter out,
      EngineOptions trino,
      QueryEngine engine,
      RegistryStore registry,
      List<CompiledView> views,
      boolean prune,
      boolean apply,
      Supplier<OnlineStore> onlineStore,
      Path repository,
      boolean json) {
    List<AppliedView> before = registry.views();
    ApplyPlan plan = ApplyPlanner.plan(views, before, registry.versions(), registry.onlineGroups());
    if (json) {
      printJson(out, plan, prune);
    } else {
      out.print(plan.render(prune));
    }
    out.flush();
    if (!apply || !plan.hasChanges(prune)) {
      return 0;
    }
    List<AppliedView> upserts = ApplyPlanner.applied(plan, views, Instant.now());
    List<String> removals = new ArrayList<>();
    List<AppliedView> undoUpserts = new ArrayList<>();
    List<String> undoRemovals = new ArrayList<>();
    for (Change change : plan.changes()) {
      if (change.kind() == Kind.REMOVE && prune) {
        removals.add(change.view());
      }
      if (change.kind() == Kind.ADD) {
        undoRemovals.add(change.view());
      } else if (change.kind() != Kind.UNCHANGED && (change.kind() != Kind.REMOVE || prune)) {
        change.before().ifPresent(undoUpserts::add);
      }
    }
    List<AppliedView> after = new ArrayList<>(before);
    after.removeIf(
        v ->
            removals.contains(v.name())
                || upserts.stream().anyMatch(u -> u.name().equals(v.name())));
    after.addAll(upserts);
    after.sort(java.util.Comparator.comparing(AppliedView::name));

    // the registry first, in one transaction; if publishing then fails, the publisher puts the
    // views back and the registry is put back too
    registry.apply(upserts, removals);
    // a view whose version is backfilled is published over its table
    Map<String, String> bodies = new HashMap<>();
    for (CompiledView view : views) {
      after.stream()
          .filter(a -> a.name().equals(view.name()))
          .filter(a -> a.materialization() == Materialization.MATERIALIZED)
          .filter(a -> BackfillService.backfilled(registry, a.name(), a.version()))
          .findFirst()
          .ifPresent(
              a ->
                  bodies.put(
                      a.name(),
                      BackfillService.statements(view, trino.dialect())
                          .read(
                              BackfillService.table(trino.catalog(), a.name(), a.version()),
                              false)));
    }
    // the online store only when a view is switched: an apply of offline views needs none
    try (OnlineStore store = plan.online().isEmpty() ? null : onlineStore.get()) {
      Runnable switchOnline =
          store == null
              ? () -> {}
              : () ->
                  new OnlineSwitches(
                          new OnlineService(
                              engine,
                              trino.dialect(),
                              registry,
                              repository,
                              trino.catalog(),
                              store,
                              Clock.systemUTC()))
                      .apply(
                          plan.online(),
                          new OnlineCommand.Progress(out),
                          summary -> OnlineCommand.summary(out, summary),
                          message -> out.println("  " + message));
      new ViewPublisher(engine, trino.dialect(), trino.catalog(), Schemas.FEATURES)
          .publish(
              plan,
              views,
              after,
              prune,
              bodies,
              message -> out.println("  " + message),
              switchOnline);
    } catch (RuntimeException e) {
      registry.apply(undoUpserts, undoRemovals);
      throw e;
    }
    out.printf(
        "Applied: %d views in %s.features%s, registry updated.%n",
        after.size(),
        trino.catalog(),
        plan.online().isEmpty() ? "" : ", %d switched online".formatted(plan.online().size()));
    return 0;
  }

  /**
   * {@code plan --json}: every view's change (unchanged ones too) and every online switch, with
   * whether applying would change anything.
   */
  private static void printJson(PrintWriter out, ApplyPlan plan, boolean prune) {
    JsonOutput output = new JsonOutput();
    ObjectNode json =
        output.list(
            "changes",
            plan.changes(),
            (node, change) -> {
              node.put("view", change.view());
              node.put("kind", change.kind().name().toLowerCase(Locale.ROOT));
              node.put("breaking", change.breaking());
              node.put("version", change.version());
              node.put("reason", change.reason());
            });
    ArrayNode online = json.putArray("online");
    for (ApplyPlan.OnlineSwitch onlineSwitch : plan.online()) {
      ObjectNode node = online.addObject();
      node.put("view", onlineSwitch.view());
      node.put("online", onlineSwitch.on());
      node.put("drift", onlineSwitch.drift());
    }
    json.put("has_changes", plan.hasChanges(prune));
    output.print(out, json);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // a metadata client: nothing of the user's is lost when it does not close cleanly
    }
  }

  private static String relative(Diagnostic diagnostic) {
    return diagnostic.relativeTo(Path.of("").toAbsolutePath());
  }
}
