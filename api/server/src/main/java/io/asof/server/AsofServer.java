package io.asof.server;

import static java.util.Objects.requireNonNull;

import io.asof.jobs.TrainingSetService;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Asof HTTP server: JSON under {@code /v1} on Javalin, each request on a virtual thread. It is
 * handed what it serves (constructor injection) and owns only the HTTP side.
 */
public final class AsofServer implements AutoCloseable {
  /** The most a request body may hold: 50,000 spine rows fit with room to spare. */
  static final long MAX_REQUEST_BYTES = 64L * 1024 * 1024;

  private static final String OPENAPI = "openapi.yaml";

  private final Javalin app;
  private final String host;

  /**
   * @param repository the feature repository directory the service reads, for naming files in
   *     errors
   * @param host the address to listen on; loopback unless the server is meant to be reached from
   *     elsewhere
   * @param port the port, or 0 for any free one
   */
  public AsofServer(TrainingSetService trainingSets, Path repository, String host, int port) {
    requireNonNull(trainingSets, "trainingSets is null");
    requireNonNull(repository, "repository is null");
    this.host = requireNonNull(host, "host is null");
    Json json = new Json();
    byte[] openApi = openApi();
    TrainingSetRoutes routes = new TrainingSetRoutes(trainingSets, json);
    ErrorResponses errors = new ErrorResponses(repository, json);
    this.app =
        Javalin.create(
            config -> {
              config.concurrency.useVirtualThreads = true;
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.maxRequestSize = MAX_REQUEST_BYTES;
              config.jetty.host = host;
              config.jetty.port = port;
              config.routes.get(
                  "/v1/health",
                  ctx ->
                      ctx.contentType("application/json")
                          .result(json.write(Map.of("status", "ok"))));
              config.routes.get(
                  "/v1/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi));
              config.routes.post("/v1/training-sets/query", routes::query);
              config.routes.post("/v1/training-sets/{name}/builds", routes::build);
              config.routes.get("/v1/training-sets/{name}/builds", routes::builds);
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

  /** Starts listening; returns once requests are taken. */
  public AsofServer start() {
    app.start();
    return this;
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

  @Override
  public void close() {
    app.stop();
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
