package io.asof.cli;

import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.engine.QueryEngine;
import io.asof.jobs.DriftService;
import io.asof.jobs.TrainingSetService;
import io.asof.online.CachingOnlineStore;
import io.asof.push.PushConfig;
import io.asof.registry.PerCallRegistryStore;
import io.asof.registry.RegistryStore;
import io.asof.server.ApiTokens;
import io.asof.server.AsofServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code asof serve}: the HTTP API over one repository, until interrupted. */
@Command(
    name = "serve",
    description =
        "Serve the feature catalog web UI (/ui/) and the HTTP API (JSON under /v1: catalog, statistics and drift, online features, training-set queries and builds, health, readiness, metrics, OpenAPI) until interrupted.")
final class ServeCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin EngineOptions trinoOptions;
  @Mixin RepositoryOptions repositoryOptions;
  @Mixin OnlineOptions onlineOptions;
  @Mixin PushOptions pushOptions;
  @Mixin AdHocQueryOptions adHocOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "18081",
      description = "The port to listen on (default: ${DEFAULT-VALUE}; 0 for any free one).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description =
          "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface).")
  String host;

  @Option(
      names = "--tokens",
      paramLabel = "FILE",
      description =
          "Turn auth on: API tokens, one 'name role token' per line (roles: read, write, admin); requests then need 'Authorization: Bearer <token>' (default: $ASOF_TOKENS_FILE, else no auth).")
  Path tokens;

  @Override
  public Integer call() throws InterruptedException, IOException {
    PrintWriter out = spec.commandLine().getOut();
    Optional<ApiTokens> apiTokens = tokens();
    // push ingestion commits with Iceberg's add_files, which Athena has not: it serves on Trino
    Optional<PushConfig> pushConfig =
        trinoOptions.athena()
            ? Optional.empty()
            : pushOptions.config(stackOptions, trinoOptions.externalUrl() == null);
    CountDownLatch stopped = new CountDownLatch(1);
    try (QueryEngine engine = trinoOptions.open(stackOptions, out);
        // opened per request, so that apply and the other commands can use it while this serves
        RegistryStore registry =
            new PerCallRegistryStore(repositoryOptions.registryConfig(stackOptions));
        CachingOnlineStore store =
            new CachingOnlineStore(onlineOptions.store(stackOptions, out), Clock.systemUTC());
        QueryEngine adHocEngine = adHocOptions.engine(trinoOptions, stackOptions, out, engine)) {
      AsofServer server =
          new AsofServer(
                  new TrainingSetService(
                          engine,
                          trinoOptions.dialect(),
                          registry,
                          repositoryOptions.repo,
                          trinoOptions.catalog())
                      .guardingSpines(adHocOptions.access(adHocEngine)),
                  repositoryOptions.repo,
                  Optional.of(new AsofServer.Online(registry, store)),
                  pushConfig.map(c -> new AsofServer.Push(c, engine, trinoOptions.catalog())),
                  Optional.of(new AsofServer.Catalog(registry, new DriftService(engine, registry))),
                  apiTokens,
                  host,
                  port,
                  Clock.systemUTC())
              .start();
      // on Ctrl-C the JVM runs its shutdown hooks and then halts: stop serving in the hook
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    stopped.countDown();
                  },
                  "asof-serve-stop"));
      out.printf(
          "Asof serves %s on %s (%s, catalog %s).%n",
          repositoryOptions.repo, server.uri(), engine, trinoOptions.catalog());
      out.printf("  Feature catalog: %s/ui/ (search, lineage, statistics, drift).%n", server.uri());
      out.printf(
          "  Online features: POST %s/v1/online-features (online store: %s); auth %s.%n",
          server.uri(),
          onlineOptions.describe(),
          apiTokens
              .map(t -> "on (%d tokens from %s)".formatted(t.size(), tokensFile()))
              .orElse("off"));
      out.println(
          pushConfig
              .map(
                  c ->
                      "  Push: POST %s/v1/push/VIEW (log %s; commits every %s or %,d rows, staged in %s)."
                          .formatted(
                              server.uri(),
                              c.logDir(),
                              io.asof.features.repository.Durations.format(c.commitInterval()),
                              c.commitRows(),
                              c.stagingUri()))
              .orElse(
                  "  Push: off (an external Trino: give --push-staging-dir and --push-staging-uri to take pushes)."));
      out.printf(
          "  Health: %s/v1/health, readiness: %s/v1/ready, metrics: %s/metrics; the API: %s/v1/openapi.yaml. Stop it with Ctrl-C.%n",
          server.uri(), server.uri(), server.uri(), server.uri());
      out.flush();
      stopped.await();
    }
    return 0;
  }

  private Path tokensFile() {
    if (tokens != null) {
      return tokens;
    }
    String fromEnvironment = System.getenv("ASOF_TOKENS_FILE");
    return fromEnvironment == null || fromEnvironment.isBlank() ? null : Path.of(fromEnvironment);
  }

  private Optional<ApiTokens> tokens() throws IOException {
    Path file = tokensFile();
    if (file == null) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--tokens: no such file: " + file);
    }
    return Optional.of(ApiTokens.load(file));
  }
}
