package io.asof.cli;

import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.jobs.TrainingSetService;
import io.asof.registry.PerCallRegistryStore;
import io.asof.registry.RegistryStore;
import io.asof.server.AsofServer;
import java.io.PrintWriter;
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
        "Serve the HTTP API (JSON under /v1: training-set queries and builds, health, OpenAPI) until interrupted.")
final class ServeCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin TrinoOptions trinoOptions;
  @Mixin RepositoryOptions repositoryOptions;
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

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String jdbcUrl = trinoOptions.sessionUrl(trinoOptions.jdbcUrl(stackOptions, out));
    CountDownLatch stopped = new CountDownLatch(1);
    try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl));
        // opened per request, so that apply and the other commands can use it while this serves
        RegistryStore registry =
            new PerCallRegistryStore(repositoryOptions.registryConfig(stackOptions))) {
      AsofServer server =
          new AsofServer(
                  new TrainingSetService(
                      engine, registry, repositoryOptions.repo, trinoOptions.catalog),
                  repositoryOptions.repo,
                  host,
                  port)
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
          "Asof serves %s on %s (Trino %s, catalog %s).%n",
          repositoryOptions.repo, server.uri(), jdbcUrl, trinoOptions.catalog);
      out.printf(
          "  Health: %s/v1/health; the API: %s/v1/openapi.yaml. Stop it with Ctrl-C.%n",
          server.uri(), server.uri());
      out.flush();
      stopped.await();
    }
    return 0;
  }
}
