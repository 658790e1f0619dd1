package io.asof.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.jobs.TrainingSetService;
import io.asof.model.Suggestions;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.server.ApiTokens.Role;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's guards, tried as an attacker would, without the stack (the engine is a fake that
 * fails): each role against each route, browser-shaped cross-site and rebinding requests, body
 * limits, slow bodies, the bound on engine requests, and what a 500 gives away.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestServerSecurity {
  private static final Path REPO = Path.of("../../sql-features/examples/news");
  private static final String SECRET = "password=hunter2";
  private static final InetAddress LOOPBACK = loopback();

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private RegistryStore registry;

  @BeforeAll
  void start(@TempDir Path stateDir) {
    registry = JooqRegistryStore.open(RegistryConfig.embedded(stateDir));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable closeable : closeables.reversed()) {
      closeable.close();
    }
    registry.close();
  }

  /** A route, a request to it, and the permission it needs. */
  private record Route(String method, String path, String body, Permission needs) {}

  private static final List<Route> ROUTES =
      List.of(
          new Route("POST", "/v1/online-features", "{}", Permission.ONLINE),
          new Route("GET", "/v1/catalog/views", null, Permission.READ),
          new Route("GET", "/v1/catalog/training-sets/click_model", null, Permission.READ),
          new Route("GET", "/v1/training-sets/click_model/drift", null, Permission.READ),
          new Route("GET", "/v1/training-sets/click_model/builds", null, Permission.READ),
          new Route("GET", "/metrics", null, Permission.READ),
          new Route("POST", "/v1/training-sets/query", "{}", Permission.QUERY),
          new Route("POST", "/v1/training-sets/click_model/builds", "", Permission.BUILD),
          new Route("POST", "/v1/push/article_live", "[]", Permission.PUSH));

  private static final Map<Role, Set<Permission>> ALLOWED =
      Map.of(
          Role.ONLINE, EnumSet.of(Permission.ONLINE),
          Role.READ, EnumSet.of(Permission.ONLINE, Permission.READ),
          Role.QUERY, EnumSet.of(Permission.ONLINE, Permission.READ, Permission.QUERY),
          Role.BUILD, EnumSet.of(Permission.ONLINE, Permission.READ, Permission.BUILD),
          Role.PUSH, EnumSet.of(Permission.PUSH),
          Role.WRITE,
              EnumSet.of(Permission.ONLINE, Permission.READ, Permission.BUILD, Permission.PUSH),
          Role.ADMIN, EnumSet.allOf(Permission.class));

  private static String token(Role role) {
    return role.fileName() + "-token-0123456789";
  }

  @Test
  void eachRoleIsRefusedOnEachRouteItDoesNotAllowAndLetInWhereItDoes() throws Exception {
    ApiTokens tokens = null;
    for (Role role : Role.values()) {
      tokens =
          tokens == null
              ? ApiTokens.of(role.fileName(), role, token(role))
              : tokens.and(role.fileName(), role, token(role));
    }
    AsofServer server = server(failing(), Optional.of(tokens), ServerOptions.defaults());
    assertThat(ALLOWED).hasSize(Role.values().length);
    for (Role role : Role.values()) {
      assertThat(role.permissions()).as(role.name()).isEqualTo(ALLOWED.get(role));
      for (Route route : ROUTES) {
        Reply reply = send(server, route, token(role));
        String what = role.fileName() + " on " + route.method() + " " + route.path();
        if (ALLOWED.get(role).contains(route.needs())) {
          assertThat(reply.status).as(what + ": " + reply.body).isNotIn(401, 403);
        } else {
          assertThat(reply.status).as(what + ": " + reply.body).isEqualTo(403);
          assertThat(reply.json().get("error").asText())
              .as(what)
              .contains(
                  "token " + role.fileName(),
                  "needs the permission " + route.needs().name().toLowerCase(Locale.ROOT));
        }
      }
      // a read token no longer runs ad-hoc SQL: that is the point of the query role
      if (role == Role.READ) {
        assertThat(send(server, ROUTES.get(6), token(role)).status).isEqualTo(403);
      }
    }
    // no token at all: 401 on every route that needs one
    for (Route route : ROUTES) {
      assertThat(send(server, route, null).status).as(route.path()).isEqualTo(401);
    }
    // an ad-hoc build is SQL over the warehouse: build alone may not send it, query too may
    Route adHocBuild =
        new Route(
            "POST",
            "/v1/training-sets/mine/builds",
            "{\"spine_rows\": [{\"user_id\": 1, \"t\": \"2026-01-01 00:00:00\"}], \"timestamp\": \"t\", \"features\": [\"user_profile:*\"]}",
            Permission.BUILD);
    Reply buildOnly = send(server, adHocBuild, token(Role.BUILD));
    assertThat(buildOnly.status).as(buildOnly.body).isEqualTo(403);
    assertThat(buildOnly.json().get("error").asText())
        .contains("token build", "lacks the permission query");
    assertThat(send(server, adHocBuild, token(Role.ADMIN)).status).isNotIn(401, 403);
  }

  @Test
  void aTokenWithSeveralRolesHasEveryPermissionOfThem() {
    ApiTokens.Token build = new ApiTokens.Token("trainer", Role.BUILD);
    assertThat(build.allows(Permission.BUILD)).isTrue();
    assertThat(build.allows(Permission.QUERY)).isFalse();
    assertThat(new ApiTokens.Token("both", EnumSet.of(Role.BUILD, Role.QUERY)).rolesText())
        .isEqualTo("query,build");
  }

  @Test
  void aHandlerDemandsAnotherPermissionNamingTheTokenAndWhatItLacks() throws Exception {
    ApiTokens tokens =
        ApiTokens.of("trainer", Role.BUILD, token(Role.BUILD))
            .and("analyst", EnumSet.of(Role.BUILD, Role.QUERY), "analyst-token-0123456789");
    for (Optional<ApiTokens> auth : List.of(Optional.of(tokens), Optional.<ApiTokens>empty())) {
      Security security =
          new Security(
              auth,
              new ErrorResponses(REPO, new Json()),
              new Metrics(),
              new RequestGuard("127.0.0.1", ServerOptions.defaults()));
      // a route like a build given ad-hoc SQL: it needs build, and query for the SQL
      Javalin app =
          Javalin.create(
                  config -> {
                    config.startup.showJavalinBanner = false;
                    config.jetty.host = "127.0.0.1";
                    config.jetty.port = 0;
                    config.routes.post(
                        "/adhoc",
                        security.require(
                            Permission.BUILD,
                            "/adhoc",
                            Security.Body.json(1000),
                            ctx -> {
                              Security.demand(ctx, Permission.QUERY);
                              ctx.result("built");
                            }));
                  })
              .start();
      try {
        URI uri = URI.create("http://127.0.0.1:" + app.port() + "/adhoc");
        Map<String, Integer> expected =
            auth.isPresent()
                ? Map.of(token(Role.BUILD), 403, "analyst-token-0123456789", 200)
                : Map.of("", 200);
        for (Map.Entry<String, Integer> entry : expected.entrySet()) {
          HttpRequest.Builder request =
              HttpRequest.newBuilder(uri)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{}"));
          if (!entry.getKey().isEmpty()) {
            request.header("Authorization", "Bearer " + entry.getKey());
          }
          Reply reply = send(request.build());
          assertThat(reply.status).as(reply.body).isEqualTo(entry.getValue());
          if (entry.getValue() == 403) {
            assertThat(reply.json().get("error").asText())
                .startsWith(
                    "token trainer (role build) lacks the permission query that this request needs (POST /adhoc)");
          }
        }
      } finally {
        app.stop();
      }
    }
  }

  @Test
  void theAccessLogHasALinePerRequestWithTheTokensNameNeverTheToken() throws Exception {
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    String secret = token(Role.READ);
    Security security =
        new Security(
            Optional.of(ApiTokens.of("trainer", Role.READ, secret)),
            new ErrorResponses(REPO, new Json()),
            new Metrics(),
            new RequestGuard("127.0.0.1", ServerOptions.defaults()),
            lines::add);
    Javalin app =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.jetty.host = "127.0.0.1";
                  config.jetty.port = 0;
                  config.routes.post(
                      "/v1/training-sets/{name}/builds",
                      security.require(
                          Permission.BUILD,
                          "/v1/training-sets/{name}/builds",
                          Security.Body.json(1000),
                          ctx -> ctx.result("built")));
                  config.routes.get(
                      "/metrics",
                      security.require(Permission.READ, "/metrics", ctx -> ctx.result("m")));
                })
            .start();
    try {
      String base = "http://127.0.0.1:" + app.port();
      send(
          HttpRequest.newBuilder(URI.create(base + "/v1/training-sets/click_model/builds"))
              .header("Authorization", "Bearer " + secret)
              .POST(HttpRequest.BodyPublishers.noBody())
              .build());
      send(
          HttpRequest.newBuilder(URI.create(base + "/metrics?token=" + secret))
              .header("Authorization", "Bearer " + secret)
              .build());
      send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build());
    } finally {
      app.stop();
    }
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .matches("POST /v1/training-sets/\\{name\\}/builds 403 \\d+ms token=trainer");
    assertThat(lines.get(1)).matches("GET /metrics 200 \\d+ms token=trainer");
    assertThat(lines.get(2)).matches("GET /metrics 401 \\d+ms token=-");
    assertThat(String.join("\n", lines)).doesNotContain(secret, "click_model");
  }

  @Test
  void aForeignHostHeaderIsRefusedWith421AndAConfiguredNameIsTaken() throws Exception {
    AsofServer server =
        server(
            failing(),
            Optional.empty(),
            ServerOptions.defaults().withAllowed(Set.of("features.example.com"), Set.of()));
    // DNS rebinding: evil.example resolves to 127.0.0.1, the browser still sends its own name
    assertThat(raw(server, "GET /v1/health HTTP/1.1\r\nHost: evil.example\r\n\r\n"))
        .startsWith("HTTP/1.1 421 ")
        .contains("--allowed-host evil.example");
    assertThat(
            raw(
                server,
                "GET /v1/catalog/views HTTP/1.1\r\nHost: evil.example:%d\r\n\r\n"
                    .formatted(server.port())))
        .startsWith("HTTP/1.1 421 ");
    for (String host :
        List.of(
            "localhost:" + server.port(),
            "127.0.0.1:" + server.port(),
            "features.example.com",
            "FEATURES.example.com:443")) {
      assertThat(raw(server, "GET /v1/health HTTP/1.1\r\nHost: " + host + "\r\n\r\n"))
          .as(host)
          .startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void browserShapedCrossSiteRequestsAreRefused() throws Exception {
    AsofServer server =
        server(
            failing(),
            Optional.empty(),
            ServerOptions.defaults()
                .withAllowed(Set.of(), Set.of("https://notebooks.example.com")));
    String query =
        "{\"spine_sql\": \"SELECT 1 AS a, current_timestamp AS t\", \"timestamp\": \"t\", \"features\": [\"user_engagement:*\"]}";
    // a form or fetch with text/plain needs no preflight: the server must not take it
    Reply textPlain = post(server, "/v1/training-sets/query", "text/plain", query, Map.of());
    assertThat(textPlain.status).as(textPlain.body).isEqualTo(415);
    assertThat(textPlain.json().get("error").asText())
        .isEqualTo(
            "POST /v1/training-sets/query takes application/json, not text/plain: send the header 'Content-Type: application/json'");
    assertThat(post(server, "/v1/online-features", "text/plain", "{}", Map.of()).status)
        .isEqualTo(415);
    assertThat(
            post(
                    server,
                    "/v1/push/article_live",
                    "application/x-www-form-urlencoded",
                    "a=b",
                    Map.of())
                .status)
        .isEqualTo(415);
    assertThat(
            post(server, "/v1/training-sets/click_model/builds", "text/plain", "", Map.of()).status)
        .isEqualTo(415);
    // a body without a Content-Type is not JSON either
    assertThat(post(server, "/v1/training-sets/query", null, query, Map.of()).status)
        .isEqualTo(415);
    // another site's page, even with the right Content-Type
    Reply foreign =
        post(
            server,
            "/v1/training-sets/query",
            "application/json",
            query,
            Map.of("Origin", "http://evil.example"));
    assertThat(foreign.status).as(foreign.body).isEqualTo(403);
    assertThat(foreign.json().get("error").asText())
        .contains("a page from http://evil.example may not send POST /v1/training-sets/query");
    assertThat(
            post(
                    server,
                    "/v1/push/article_live",
                    "application/x-ndjson",
                    "{}",
                    Map.of("Origin", "null"))
                .status)
        .isEqualTo(403);
    // the server's own pages and a configured origin are taken (the fake engine then fails: 500)
    for (String origin : List.of(server.uri().toString(), "https://notebooks.example.com")) {
      Reply own =
          post(
              server,
              "/v1/training-sets/query",
              "application/json; charset=utf-8",
              query,
              Map.of("Origin", origin));
      assertThat(own.status).as(origin + ": " + own.body).isEqualTo(500);
    }
  }

  @Test
  void anInternalErrorSaysOnlyItsIdAndNeverTheExceptionOrACredential() throws Exception {
    AsofServer server =
        server(
            new FailingEngine(
                () ->
                    new IllegalStateException(
                        "cannot reach jdbc:postgresql://db:5432/asof?user=asof&" + SECRET),
                false),
            Optional.empty(),
            ServerOptions.defaults());
    Reply reply =
        post(server, "/v1/training-sets/click_model/builds", "application/json", "", Map.of());
    assertThat(reply.status).as(reply.body).isEqualTo(500);
    String id = reply.json().get("error_id").asText();
    assertThat(id).matches("[0-9a-f]{12}");
    assertThat(reply.json().get("error").asText())
        .isEqualTo(
            "internal error (error id %s): the server's log has the detail under this id"
                .formatted(id));
    assertThat(reply.body).doesNotContain("hunter2", "IllegalStateException", "jdbc:");
  }

  @Test
  void anOutOfMemoryErrorInOneRequestIs503AndTheServerStaysUp() throws Exception {
    AsofServer server =
        server(
            new FailingEngine(() -> new OutOfMemoryError("Java heap space"), false),
            Optional.empty(),
            ServerOptions.defaults());
    Reply reply =
        post(server, "/v1/training-sets/click_model/builds", "application/json", "", Map.of());
    assertThat(reply.status).as(reply.body).isEqualTo(503);
    assertThat(reply.json().get("error").asText())
        .startsWith("the server ran short of memory answering this request (error id ");
    assertThat(get(server, "/v1/health").status).isEqualTo(200);
  }

  @Test
  void engineRequestsBeyondTheBoundWaitBrieflyThenGet503WithRetryAfter() throws Exception {
    FailingEngine engine = new FailingEngine(() -> new IllegalStateException("released"), true);
    AsofServer server =
        server(
            engine,
            Optional.empty(),
            ServerOptions.defaults().withEngineConcurrency(1, Duration.ofMillis(300)));
    CompletableFuture<Reply> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return post(
                    server,
                    "/v1/training-sets/click_model/builds",
                    "application/json",
                    "",
                    Map.of());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(engine.awaitEntered()).isTrue();
    long start = System.nanoTime();
    HttpResponse<String> second =
        http.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/v1/training-sets/query"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"spine_sql\": \"SELECT 1 AS a, current_timestamp AS t\", \"timestamp\": \"t\", \"features\": [\"user_engagement:*\"]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(250));
    assertThat(second.statusCode()).as(second.body()).isEqualTo(503);
    assertThat(second.headers().firstValue("Retry-After")).contains("1");
    assertThat(second.body()).contains("runs 1 engine request at once and all are busy");
    engine.release();
    assertThat(first.get().status).isEqualTo(500);
    // the slot is free again
    assertThat(
            post(server, "/v1/training-sets/click_model/builds", "application/json", "", Map.of())
                .status)
        .isEqualTo(500);
  }

  @Test
  void aBodyThatStopsArrivingEndsItsRequestAfterTheIdleTimeout() throws Exception {
    AsofServer server =
        server(
            failing(),
            Optional.empty(),
            ServerOptions.defaults().withBodyLimits(Duration.ofSeconds(1), 1024));
    try (Socket socket = new Socket(LOOPBACK, server.port())) {
      socket.setSoTimeout(8_000);
      OutputStream out = socket.getOutputStream();
      String head =
          "POST /v1/training-sets/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"spine_sql\": ";
      out.write(head.getBytes(UTF_8));
      out.flush();
      long start = System.nanoTime();
      // a slowloris client sends nothing more: the server gives up on it instead of waiting
      String answer = new String(socket.getInputStream().readAllBytes(), UTF_8);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isLessThan(Duration.ofSeconds(6));
      assertThat(answer).as(answer).startsWith("HTTP/1.1 408 ");
    }
    assertThat(get(server, "/v1/health").status).isEqualTo(200);
  }

  @Test
  void anAnswerCarriesAContentSecurityPolicyAndNoSniff() throws Exception {
    AsofServer server = server(failing(), Optional.empty(), ServerOptions.defaults());
    HttpResponse<String> ui =
        http.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/ui/")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ui.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-eval");
    assertThat(ui.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    HttpResponse<String> api =
        http.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/v1/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(api.headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("default-src 'none'")
        .contains("frame-ancestors 'none'");
    assertThat(api.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }

  @Test
  void readinessIsCheckedAtMostOncePerSecond() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    ReadyCheck check =
        new ReadyCheck(
            () -> {
              checks.incrementAndGet();
              return List.of();
            },
            Duration.ofMillis(500));
    for (int i = 0; i < 100; i++) {
      check.get();
    }
    assertThat(checks.get()).isEqualTo(1);
    Thread.sleep(600);
    check.get();
    assertThat(checks.get()).isEqualTo(2);
    assertThat(AsofServer.READY_CACHE).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void credentialsAreRedactedFromMessages() {
    assertThat(
            Redaction.redact(
                "cannot open jdbc:postgresql://db:5432/asof?user=asof&password=hunter2&ssl=true"))
        .isEqualTo("cannot open jdbc:postgresql://db:5432/asof?user=asof&password=***&ssl=true");
    assertThat(Redaction.redact("GET https://bob:s3cret@host.example/x failed"))
        .isEqualTo("GET https://bob:***@host.example/x failed");
    assertThat(Redaction.redact("jdbc:trino://h:8443/c;Password=abc;SSL=true"))
        .isEqualTo("jdbc:trino://h:8443/c;Password=***;SSL=true");
    assertThat(Redaction.redact("view user_profile has 3 features"))
        .isEqualTo("view user_profile has 3 features");
    assertThat(Redaction.redact("password:hunter2 and secret = abc"))
        .isEqualTo("password:*** and secret = ***");
    // the server's own words about tokens are prose, not credentials
    String prose =
        "this server needs an API token: send the header 'Authorization: Bearer <token>'";
    assertThat(Redaction.redact(prose)).isEqualTo(prose);
    Throwable logged =
        Redaction.redact(new IllegalStateException("x", new RuntimeException("pwd=abc")));
    assertThat(logged.getMessage()).isEqualTo("java.lang.IllegalStateException: x");
    assertThat(logged.getCause().getMessage()).isEqualTo("java.lang.RuntimeException: pwd=***");
  }

  @Test
  void noSuggestionIsSoughtForAWordLongerThan64Characters() {
    String long90 = "a".repeat(90);
    assertThat(Suggestions.nearest(long90, List.of("a".repeat(60)))).isEmpty();
    assertThat(Suggestions.nearest("user_engagment", List.of("user_engagement")))
        .contains("user_engagement");
  }

  private FailingEngine failing() {
    return new FailingEngine(
        () -> new IllegalStateException("the fake engine runs nothing"), false);
  }

  private AsofServer server(QueryEngine engine, Optional<ApiTokens> tokens, ServerOptions options) {
    AsofServer server =
        new AsofServer(
                new TrainingSetService(engine, new TrinoDialect(), registry, REPO, "memory"),
                REPO,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                tokens,
                "127.0.0.1",
                0,
                Clock.systemUTC(),
                options)
            .start();
    closeables.add(server);
    return server;
  }

  private Reply send(AsofServer server, Route route, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri() + route.path()));
    if (route.method().equals("POST")) {
      request
          .header(
              "Content-Type",
              route.path().startsWith("/v1/push") ? "application/x-ndjson" : "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(route.body()));
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request.build());
  }

  private Reply get(AsofServer server, String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(server.uri() + path)).build());
  }

  private Reply post(
      AsofServer server, String path, String contentType, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.uri() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    headers.forEach(request::header);
    return send(request.build());
  }

  private Reply send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body(), mapper);
  }

  /** A request written as bytes on a socket: the JDK's client will not send a foreign Host. */
  private static String raw(AsofServer server, String request) throws IOException {
    try (Socket socket = new Socket(LOOPBACK, server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  private record Reply(int status, String body, ObjectMapper mapper) {
    JsonNode json() throws IOException {
      return mapper.readTree(body);
    }
  }
}
