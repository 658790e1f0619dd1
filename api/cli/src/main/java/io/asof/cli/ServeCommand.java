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
import io.asof.server.ServerOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
          "Turn auth on: API tokens, one 'name role[,role...] token' per line (roles: online, read, query, build, push, admin; write is deprecated); requests then need 'Authorization: Bearer <token>' (default: $ASOF_TOKENS_FILE, else no auth).")
  Path tokens;

  @Option(
      names = "--insecure-no-auth",
      description =
          "Serve without tokens on an address other machines can reach (--host other than loopback): anyone who reaches the port can push, build and query. Only behind something that authenticates for it.")
  boolean insecureNoAuth;

  @Option(
      names = "--allowed-host",
      paramLabel = "NAME",
      description =
          "A name clients may reach the server by (the Host header) besides localhost and the --host address, e.g. a reverse proxy's features.example.com; repeat for several.")
  List<String> allowedHosts = new ArrayList<>();

  @Option(
      names = "--allowed-origin",
      paramLabel = "ORIGIN",
      description =
          "A web origin whose pages may POST to the server besides its own, e.g. https://notebooks.example.com; repeat for several.")
  List<String> allowedOrigins = new ArrayList<>();

  @Option(
      names = "--max-engine-requests",
      paramLabel = "N",
      defaultValue = "" + ServerOptions.DEFAULT_ENGINE_CONCURRENCY,
      description =
          "How many ad-hoc queries and builds run at once (default: ${DEFAULT-VALUE}); more wait up to 2 s, then get 503 with Retry-After.")
  int maxEngineRequests;

  @Override
  public Integer call() throws InterruptedException, IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<ApiTokens> apiTokens = tokens(err);
    checkBind(host, apiTokens.isPresent(), insecureNoAuth, err);
    ServerOptions serverOptions =
        ServerOptions.defaults()
            .withAllowed(Set.copyOf(allowedHosts), Set.copyOf(allowedOrigins))
            .withEngineConcurrency(maxEngineRequests, ServerOptions.DEFAULT_ENGINE_QUEUE_WAIT);
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
                  pushConfig.map(
                      c ->
                          new AsofServer.Push(
                              c, engine, trinoOptions.catalog(), trinoOptions.dialect())),
                  Optional.of(new AsofServer.Catalog(registry, new DriftService(engine, registry))),
                  apiTokens,
                  host,
                  port,
                  Clock.systemUTC(),
                  serverOptions)
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
                              io.asof.model.Durations.format(c.commitInterval()),
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

  private Optional<ApiTokens> tokens(PrintWriter err) throws IOException {
    Path file = tokensFile();
    if (file == null) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--tokens: no such file: " + file);
    }
    ApiTokens tokens = ApiTokens.load(file);
    ApiTokens.permissionWarning(file).ifPresent(err::println);
    List<String> deprecated = tokens.withDeprecatedRoles();
    if (!deprecated.isEmpty()) {
      err.printf(
          "note: %s: the role write (builds and pushes) is deprecated: give %s the roles it needs, e.g. build,push or push%n",
          file, String.join(", ", deprecated));
    }
    err.flush();
    return Optional.of(tokens);
  }

  /**
   * Refuses to serve without tokens on an address other machines can reach, unless {@code insecure}
   * says so knowingly (then warns loudly): an open port would take pushes, builds and SQL from
   * anyone who reaches it.
   */
  static void checkBind(String host, boolean tokens, boolean insecure, PrintWriter err) {
    if (tokens || isLoopback(host)) {
      return;
    }
    if (!insecure) {
      throw new IllegalArgumentException(
          ("--host %s can be reached from other machines, and auth is off: give --tokens FILE (lines 'name role token'), "
                  + "or --host 127.0.0.1 for this machine only, or --insecure-no-auth if something in front of the server authenticates for it")
              .formatted(host));
    }
    err.printf(
        "WARNING: serving WITHOUT AUTH on %s (--insecure-no-auth): anyone who reaches this port can push rows, build training sets and run SQL on the warehouse.%n",
        host);
    err.flush();
  }

  /** Whether every address {@code host} names is a loopback address. */
  static boolean isLoopback(String host) {
    String name =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      InetAddress[] addresses = InetAddress.getAllByName(name);
      for (InetAddress address : addresses) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return addresses.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
