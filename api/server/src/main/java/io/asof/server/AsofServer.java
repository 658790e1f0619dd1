package io.asof.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.QueryEngine;
import io.asof.jobs.DriftService;
import io.asof.jobs.TrainingSetService;
import io.asof.online.CachingOnlineStore;
import io.asof.online.OnlineStoreException;
import io.asof.push.PushConfig;
import io.asof.push.PushService;
import io.asof.push.PushViewCatalog;
import io.asof.push.log.PushLogConfig;
import io.asof.registry.RegistryStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * The Asof HTTP server: JSON under {@code /v1} on Javalin, each request on a virtual thread. It is
 * handed what it serves (constructor injection) and owns only the HTTP side: routes, auth, errors
 * and metrics.
 */
public final class AsofServer implements AutoCloseable {
  /** The most a request body may hold: 50,000 spine rows fit with room to spare. */
  static final long MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  private static final String OPENAPI = "openapi.yaml";

  /**
   * What push ingestion needs beside {@link Online} (whose registry and store it uses): its
   * configuration, the engine its micro-batches are committed with, the engine's catalog, and its
   * dialect (push ingestion refuses to start on an engine it cannot commit to: Athena).
   */
  public record Push(PushConfig config, QueryEngine engine, String catalog, EngineDialect dialect) {
    public Push {
      requireNonNull(config, "config is null");
      requireNonNull(engine, "engine is null");
      requireNonNull(catalog, "catalog is null");
      requireNonNull(dialect, "dialect is null");
    }
  }

  /**
   * What online serving needs: the registry (the online groups) and the store, wrapped in its
   * in-process cache (a group in cache mode is served from memory, the others pass through).
   */
  public record Online(RegistryStore registry, CachingOnlineStore store) {
    public Online {
      requireNonNull(registry, "registry is null");
      requireNonNull(store, "store is null");
    }
  }

  /**
   * What the catalog (the web UI and {@code /v1/catalog/...}) reads: the registry, and the drift
   * reports' service.
   */
  public record Catalog(RegistryStore registry, DriftService drift) {
    public Catalog {
      requireNonNull(registry, "registry is null");
      requireNonNull(drift, "drift is null");
    }
  }

  private final Javalin app;
  private final String host;
  private final Optional<OnlineCatalog> onlineCatalog;
  private final Optional<Push> push;
  private final Optional<io.asof.online.OnlineStore> onlineStoreOf;
  private final Optional<PushViewCatalog> pushViews;
  private final PushMetrics pushMetrics;
  private final Clock clock;
  private volatile PushService pushService;

  /** A server without online serving or auth. */
  public AsofServer(TrainingSetService trainingSets, Path repository, String host, int port) {
    this(
        trainingSets,
        repository,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        host,
        port,
        Clock.systemUTC());
  }

  /**
   * @param repository the feature repository directory the service reads, for naming files in
   *     errors and for its feature services
   * @param online what serves {@code POST /v1/online-features}; without it that endpoint answers
   *     503
   * @param push push ingestion ({@code POST /v1/push/{view}}); needs {@code online}; without it
   *     that endpoint answers 503
   * @param tokens the API tokens; without them every request is let in
   * @param host the address to listen on; loopback unless the server is meant to be reached from
   *     elsewhere
   * @param port the port, or 0 for any free one
   * @param clock what "now" is for online values (their expiry)
   */
  public AsofServer(
      TrainingSetService trainingSets,
      Path repository,
      Optional<Online> online,
      Optional<Push> push,
      Optional<ApiTokens> tokens,
      String host,
      int port,
      Clock clock) {
    this(trainingSets, repository, online, push, Optional.empty(), tokens, host, port, clock);
  }

  /**
   * A server with everything: as above, and the catalog the web UI reads; without it the UI's pages
   * say the catalog is off and {@code /v1/catalog/...} answers 503.
   */
  public AsofServer(
      TrainingSetService trainingSets,
      Path repository,
      Optional<Online> online,
      Optional<Push> push,
      Optional<Catalog> catalog,
      Optional<ApiTokens> tokens,
      String host,
      int port,
      Clock clock) {
    this(
        trainingSets,
        repository,
        online,
        push,
        catalog,
        tokens,
        host,
        port,
        clock,
        ServerOptions.defaults());
  }

  /** As above, with how the server guards itself (allowed names and origins, limits). */
  public AsofServer(
      TrainingSetService trainingSets,
      Path repository,
      Optional<Online> online,
      Optional<Push> push,
      Optional<Catalog> catalog,
      Optional<ApiTokens> tokens,
      String host,
      int port,
      Clock clock,
      ServerOptions options) {
    requireNonNull(catalog, "catalog is null");
    requireNonNull(options, "options is null");
    requireNonNull(trainingSets, "trainingSets is null");
    requireNonNull(push, "push is null");
    if (push.isPresent() && online.isEmpty()) {
      throw new IllegalArgumentException(
          "push ingestion needs the registry and online store of online serving");
    }
    this.push = push;
    this.clock = clock;
    this.onlineStoreOf = online.map(Online::store);
    requireNonNull(repository, "repository is null");
    requireNonNull(online, "online is null");
    requireNonNull(tokens, "tokens is null");
    requireNonNull(clock, "clock is null");
    this.host = requireNonNull(host, "host is null");
    Json json = new Json();
    byte[] openApi = openApi();
    Metrics metrics = new Metrics();
    // callers of the API may not run SQL of their own: their spines are checked, whatever the
    // service was built with
    TrainingSetRoutes routes = new TrainingSetRoutes(trainingSets.guardingSpines(), json);
    ErrorResponses errors = new ErrorResponses(repository, json);
    Security security = new Security(tokens, errors, metrics, new RequestGuard(host, options));
    EngineGate engineGate = new EngineGate(options.engineConcurrency(), options.engineQueueWait());
    long pushBodyLimit = push.map(p -> pushBodyLimit(p.config())).orElse(MAX_REQUEST_BYTES);
    this.onlineCatalog =
        online.map(
            o ->
                new OnlineCatalog(o.registry(), repository, Optional.of(o.store()), clock).start());
    Handler onlineFeatures =
        onlineCatalog
            .<Handler>map(
                served ->
                    new OnlineRoutes(
                            new OnlineFeatureReader(served, online.get().store(), metrics, clock),
                            json)
                        ::features)
            .orElse(
                ctx -> {
                  throw new ApiException(
                      503,
                      "online serving is off in this server: start it with a DynamoDB endpoint (./asof serve)");
                });
    online.ifPresent(o -> metrics.gauges(() -> cacheGauges(o.store())));
    this.pushMetrics = new PushMetrics(metrics);
    metrics.gauges(PushMetrics.gauges(() -> pushService));
    this.pushViews =
        push.map(
            p ->
                new PushViewCatalog(
                    onlineCatalog.orElseThrow(), online.get().registry(), p.engine(), p.catalog()));
    PushRoutes pushRoutes = new PushRoutes(json);
    Handler pushHandler =
        ctx -> {
          PushService service = pushService;
          if (service == null) {
            throw new ApiException(
                503,
                "push ingestion is off in this server: start it with ./asof serve on the local stack, or give --push-staging-dir and --push-staging-uri");
          }
          pushRoutes.push(ctx, service, pushMetrics, pushBodyLimit);
        };
    ReadyCheck readyCheck = new ReadyCheck(() -> readiness(online), READY_CACHE);
    Handler ready = ctx -> ready(ctx, json, readyCheck.get(), security.may(ctx, Permission.READ));
    WebUi ui = new WebUi();
    Optional<CatalogRoutes> catalogRoutes =
        catalog.map(c -> new CatalogRoutes(c.registry(), c.drift(), repository, json));
    Map<String, Handler> catalogHandlers = new LinkedHashMap<>();
    catalogHandlers.put("/v1/catalog/views", ctx -> catalog(catalogRoutes).views(ctx));
    catalogHandlers.put("/v1/catalog/views/{name}", ctx -> catalog(catalogRoutes).view(ctx));
    catalogHandlers.put(
        "/v1/catalog/views/{name}/statistics", ctx -> catalog(catalogRoutes).statistics(ctx));
    catalogHandlers.put(
        "/v1/catalog/training-sets", ctx -> catalog(catalogRoutes).trainingSets(ctx));
    catalogHandlers.put(
        "/v1/catalog/training-sets/{name}", ctx -> catalog(catalogRoutes).trainingSet(ctx));
    catalogHandlers.put("/v1/training-sets/{name}/drift", ctx -> catalog(catalogRoutes).drift(ctx));
    this.app =
        Javalin.create(
            config -> {
              config.concurrency.useVirtualThreads = true;
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.maxRequestSize = MAX_REQUEST_BYTES;
              config.jetty.host = host;
              config.jetty.port = port;
              // slow bodies (slowloris): a pause or a crawl ends the request instead of holding it
              config.jetty.modifyHttpConfiguration(http -> limitBodies(http, options));
              config.routes.before(AsofServer::securityHeaders);
              config.routes.get(
                  "/v1/health",
                  security.open(
                      "/v1/health",
                      ctx ->
                          ctx.contentType("application/json")
                              .result(json.write(new Health("ok")))));
              config.routes.get("/v1/ready", security.open("/v1/ready", ready));
              config.routes.get("/", security.open("/", ui::home));
              config.routes.get("/ui/", security.open("/ui/", ui::file));
              config.routes.get("/ui/{file}", security.open("/ui/{file}", ui::file));
              catalogHandlers.forEach(
                  (route, handler) ->
                      config.routes.get(route, security.require(Permission.READ, route, handler)));
              config.routes.get(
                  "/v1/openapi.yaml",
                  security.open(
                      "/v1/openapi.yaml",
                      ctx -> ctx.contentType("application/yaml").result(openApi)));
              config.routes.get(
                  "/metrics",
                  security.require(
                      Permission.READ,
                      "/metrics",
                      ctx ->
                          ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                              .result(metrics.scrape())));
              config.routes.post(
                  OnlineRoutes.ROUTE,
                  security.require(
                      Permission.ONLINE,
                      OnlineRoutes.ROUTE,
                      Security.Body.json(OnlineRoutes.MAX_BODY_BYTES),
                      onlineFeatures));
              config.routes.post(
                  PushRoutes.ROUTE,
                  security.require(
                      Permission.PUSH,
                      PushRoutes.ROUTE,
                      new Security.Body(Set.of(PushRoutes.JSON, PushRoutes.NDJSON), pushBodyLimit),
                      pushHandler));
              config.routes.post(
                  "/v1/training-sets/query",
                  security.require(
                      Permission.QUERY,
                      "/v1/training-sets/query",
                      Security.Body.json(MAX_REQUEST_BYTES),
                      engineGate.guard(routes::query)));
              config.routes.post(
                  "/v1/training-sets/{name}/builds",
                  security.require(
                      Permission.BUILD,
                      "/v1/training-sets/{name}/builds",
                      Security.Body.json(MAX_REQUEST_BYTES),
                      engineGate.guard(routes::build)));
              config.routes.get(
                  "/v1/training-sets/{name}/builds",
                  security.require(
                      Permission.READ, "/v1/training-sets/{name}/builds", routes::builds));
              config.routes.exception(Exception.class, errors::handle);
              // a path no endpoint serves: a JSON error too, unless a handler already answered
              config.routes.error(
                  404,
                  ctx -> {
                    if (!ErrorResponses.answered(ctx)) {
                      errors.handle(
                          new ApiException(
                              404,
                              "no endpoint %s %s: see GET /v1/openapi.yaml for what there is"
                                  .formatted(ctx.method(), ctx.path())),
                          ctx);
                    }
                  });
            });
  }

  /**
   * How long a readiness answer is reused: a probe every few ms must not reach the store each time.
   */
  static final Duration READY_CACHE = Duration.ofSeconds(1);

  /**
   * How slowly a request may come: a body that pauses longer than the idle timeout, or arrives
   * slower than the rate floor, ends its request (Jetty answers 408 or closes the connection).
   */
  @SuppressWarnings("removal") // the rate floor moves to a handler in Jetty 13; it works in 12
  private static void limitBodies(HttpConfiguration http, ServerOptions options) {
    http.setIdleTimeout(options.bodyIdleTimeout().toMillis());
    http.setMinRequestDataRate(options.minBodyBytesPerSecond());
    http.setSendServerVersion(false);
  }

  /**
   * The headers every answer carries: no sniffing, no framing, scripts and styles from here only.
   */
  private static void securityHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header(
        "Content-Security-Policy",
        ctx.path().equals("/") || ctx.path().startsWith("/ui/")
            ? WebUi.CONTENT_SECURITY_POLICY
            : "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  }

  /** The problems that keep the server from answering: none when it is ready. */
  private List<String> readiness(Optional<Online> online) {
    List<String> problems = new ArrayList<>();
    if (online.isPresent()) {
      OnlineCatalog catalog = onlineCatalog.orElseThrow();
      OnlineCatalog.Snapshot snapshot = catalog.snapshot();
      snapshot.problem().ifPresent(p -> problems.add("the registry could not be read: " + p));
      for (OnlineCatalog.Served served : snapshot.online().values()) {
        if (!served.enabled()) {
          continue;
        }
        try {
          if (!online.get().store().exists(served.table())) {
            problems.add(
                "the online table %s of view %s does not exist: run ./asof online enable %s"
                    .formatted(
                        served.table().name(), served.group().view(), served.group().view()));
          }
        } catch (OnlineStoreException e) {
          problems.add("the online store could not be reached: " + e.getMessage());
        }
        break; // one table tells whether the store answers
      }
    }
    return problems;
  }

  /**
   * 200 when the server can answer: the online groups were read from the registry and the online
   * store answers; else 503. Only a caller who may read the catalog is told why (the causes name
   * tables and hosts).
   */
  private void ready(Context ctx, Json json, List<String> problems, boolean detail) {
    Readiness body =
        new Readiness(
            detail && online() ? onlineCatalog.orElseThrow().snapshot().online().size() : null,
            problems.isEmpty() ? "ready" : "unavailable",
            detail && !problems.isEmpty() ? Redaction.redact(String.join("; ", problems)) : null);
    ctx.status(problems.isEmpty() ? 200 : 503)
        .contentType("application/json")
        .result(json.write(body));
  }

  /** {@code GET /v1/health}'s reply: the server answers. */
  record Health(String status) {}

  /**
   * {@code GET /v1/ready}'s reply: ready or unavailable; the online views served and the causes
   * only for a caller who may read the catalog.
   */
  record Readiness(
      @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("online_views") Integer onlineViews,
      String status,
      @JsonInclude(JsonInclude.Include.NON_NULL) String error) {}

  private boolean online() {
    return onlineCatalog.isPresent();
  }

  /**
   * The largest push body: what the push log takes as one batch (it opens with its defaults), less
   * the byte that records the body's format.
   */
  static long pushBodyLimit(PushConfig config) {
    requireNonNull(config, "config is null");
    return PushLogConfig.defaults().maxBatchBytes() - 1L;
  }

  private static CatalogRoutes catalog(Optional<CatalogRoutes> routes) {
    return routes.orElseThrow(
        () ->
            new ApiException(
                503,
                "the catalog is off in this server: start it with ./asof serve, which reads the registry"));
  }

  private static List<Metrics.Gauge> cacheGauges(CachingOnlineStore store) {
    List<Metrics.Gauge> gauges = new ArrayList<>();
    Instant now = Instant.now();
    for (CachingOnlineStore.CacheStatus status : store.status()) {
      Tags labels = Tags.of("table", status.table());
      gauges.add(
          new Metrics.Gauge(
              "asof.online.cache.records",
              "Records held by the in-process cache, per online table.",
              labels,
              status.records()));
      gauges.add(
          new Metrics.Gauge(
              "asof.online.cache.stale",
              "1 when the cache's last refresh failed and it serves the last good copy.",
              labels,
              status.stale() ? 1 : 0));
      gauges.add(
          new Metrics.Gauge(
              "asof.online.cache.age",
              "Seconds since the cached copy was loaded.",
              "seconds",
              labels,
              status
                  .loadedAt()
                  .map(at -> Duration.between(at, now).toMillis() / 1000.0)
                  .orElse(Double.NaN)));
      gauges.add(
          new Metrics.Gauge(
              "asof.online.cache.failed.refreshes",
              "Cache refreshes that failed since the server started.",
              labels,
              status.failedRefreshes()));
    }
    return gauges;
  }

  /** Reads the online groups again now instead of at the next background refresh (tests). */
  void refreshOnline() {
    onlineCatalog.ifPresent(OnlineCatalog::refresh);
  }

  /**
   * Opens push ingestion (replaying its log: what was acknowledged and not yet committed is
   * committed again), then starts listening; returns once requests are taken.
   */
  public AsofServer start() {
    push.ifPresent(
        p ->
            pushService =
                PushService.open(
                    p.config(),
                    p.engine(),
                    p.dialect(),
                    Optional.of(onlineStore()),
                    pushViews.orElseThrow(),
                    pushMetrics,
                    clock));
    try {
      app.start();
    } catch (RuntimeException e) {
      closePush();
      throw e;
    }
    return this;
  }

  /** Commits and writes online what push ingestion holds now (tests, benchmarks). */
  public boolean flushPushes(Duration timeout) throws InterruptedException {
    PushService service = pushService;
    return service == null || service.flush(timeout);
  }

  /** Push ingestion's state, when it is on. */
  public Optional<PushService.Status> pushStatus() {
    return Optional.ofNullable(pushService).map(PushService::status);
  }

  private io.asof.online.OnlineStore onlineStore() {
    return onlineStoreOf.orElseThrow();
  }

  private void closePush() {
    PushService service = pushService;
    pushService = null;
    if (service != null) {
      service.close();
    }
  }

  /** The port it listens on (the one chosen when 0 was asked for). */
  public int port() {
    return app.port();
  }

  /** Where to reach it: {@code http://host:port}. */
  public URI uri() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + shown + ":" + port());
  }

  /** Stops taking requests, then commits what push ingestion holds and closes its log. */
  @Override
  public void close() {
    app.stop();
    closePush();
    onlineCatalog.ifPresent(OnlineCatalog::close);
  }

  private static byte[] openApi() {
    try (InputStream in = AsofServer.class.getResourceAsStream(OPENAPI)) {
      if (in == null) {
        throw new IllegalStateException(
            "the OpenAPI document " + OPENAPI + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
