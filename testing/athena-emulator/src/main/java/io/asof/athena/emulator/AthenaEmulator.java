package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test fixture: a local emulator of the Amazon Athena and AWS Glue APIs that runs Athena's SQL on
 * a local Trino. It speaks the AWS JSON 1.1 protocol on one loopback port, so the real AWS SDK v2
 * {@code AthenaClient} and {@code GlueClient} talk to it through {@code endpointOverride}.
 *
 * <p>Queries run asynchronously (QUEUED, RUNNING, then SUCCEEDED, FAILED or CANCELLED), results
 * come in pages with Athena's header row and string values, Glue lists schemas and tables of the
 * mapped Trino catalog, and errors carry the exception names the SDK maps to its exception classes.
 * Athena's SQL is translated to Trino's, and Trino-only SQL is refused as Athena would refuse it
 * (see {@code docs/athena-emulator.md}). Faults can be injected: throttling, failed queries, a
 * concurrency limit. Not a product feature: nothing outside tests should start it.
 */
public final class AthenaEmulator implements AutoCloseable {
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String ATHENA_PREFIX = "AmazonAthena.";
  private static final String GLUE_PREFIX = "AWSGlue.";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ExecutorService queries;
  private final AthenaOperations athena;
  private final GlueOperations glue;
  private final AtomicInteger throttledCalls = new AtomicInteger();

  private AthenaEmulator(
      HttpServer server,
      ExecutorService handlers,
      ExecutorService queries,
      AthenaOperations athena,
      GlueOperations glue) {
    this.server = server;
    this.handlers = handlers;
    this.queries = queries;
    this.athena = athena;
    this.glue = glue;
  }

  /**
   * Starts an emulator on 127.0.0.1 at a free port.
   *
   * @param trinoJdbcUrl the Trino queries run on, e.g. {@code jdbc:trino://127.0.0.1:18080}
   * @param trinoUser the user they run as
   * @param athenaCatalog the catalog name Athena requests and SQL use, e.g. {@code awsdatacatalog}
   *     (any case)
   * @param trinoCatalog the Trino catalog it maps to, e.g. {@code iceberg}
   */
  public static AthenaEmulator start(
      String trinoJdbcUrl, String trinoUser, String athenaCatalog, String trinoCatalog) {
    requireNonNull(trinoJdbcUrl, "trinoJdbcUrl is null");
    requireNonNull(trinoUser, "trinoUser is null");
    requireNonNull(athenaCatalog, "athenaCatalog is null");
    requireNonNull(trinoCatalog, "trinoCatalog is null");
    TrinoSession trino = new TrinoSession(trinoJdbcUrl, trinoUser);
    ExecutorService queries = Executors.newCachedThreadPool(daemonThreads("athena-emulator-query"));
    ExecutorService handlers = Executors.newCachedThreadPool(daemonThreads("athena-emulator-http"));
    AthenaOperations athena = new AthenaOperations(trino, athenaCatalog, trinoCatalog, queries);
    GlueOperations glue = new GlueOperations(trino, athenaCatalog, trinoCatalog, queries);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      queries.shutdownNow();
      handlers.shutdownNow();
      throw new UncheckedIOException("the Athena emulator could not listen on 127.0.0.1", e);
    }
    AthenaEmulator emulator = new AthenaEmulator(server, handlers, queries, athena, glue);
    server.createContext("/", emulator::handle);
    server.setExecutor(handlers);
    server.start();
    return emulator;
  }

  /**
   * {@code http://127.0.0.1:PORT}: the {@code endpointOverride} of both AthenaClient and
   * GlueClient.
   */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Makes the next {@code calls} Athena API calls, of any operation, fail with
   * TooManyRequestsException, instead of what was asked before ({@code 0} stops throttling).
   */
  public void throttleNext(int calls) {
    checkCount(calls);
    throttledCalls.set(calls);
  }

  /**
   * Makes the next {@code queries} started queries end FAILED with the given AthenaError instead of
   * running: {@code INTERNAL_ERROR} (category 1 system, type 200, retryable), {@code
   * EXHAUSTED_RESOURCES} (system, type 0, not retryable) or {@code USER_ERROR} (category 2 user,
   * type 1000, not retryable); replaces what was asked before ({@code 0} stops failing queries).
   */
  public void failNextQueries(int queries, String errorType) {
    checkCount(queries);
    athena.failNextQueries(queries, requireNonNull(errorType, "errorType is null"));
  }

  /**
   * How many queries may be queued or running at once (20 unless set); StartQueryExecution beyond
   * that fails with TooManyRequestsException, Reason CONCURRENT_QUERY_LIMIT_EXCEEDED.
   */
  public void setConcurrencyLimit(int queries) {
    athena.setConcurrencyLimit(queries);
  }

  /**
   * Adds a workgroup queries may name. A query that scans more than {@code
   * bytesScannedCutoffPerQuery} bytes is cancelled, as Athena's data usage control does; a cutoff
   * of 0 or less means no limit. The workgroup {@code primary} always exists, without a limit.
   */
  public void addWorkGroup(String name, long bytesScannedCutoffPerQuery) {
    requireNonNull(name, "name is null");
    athena.addWorkGroup(
        name,
        bytesScannedCutoffPerQuery > 0
            ? OptionalLong.of(bytesScannedCutoffPerQuery)
            : OptionalLong.empty());
  }

  /**
   * Lets {@code UNLOAD (query) TO 's3://bucket/prefix/' WITH (format = 'PARQUET')} write its files
   * to the S3-compatible store at {@code s3Endpoint} (path-style requests, any credentials), {@code
   * fileRows} rows a file (Athena writes several files for one query); replaces what was given
   * before. Without a store, UNLOAD fails as a user error saying so. Buckets are created as needed.
   */
  public void unloadTo(URI s3Endpoint, int fileRows) {
    athena.unloadTo(new UnloadStore(requireNonNull(s3Endpoint, "s3Endpoint is null")), fileRows);
  }

  /** How many UNLOAD statements have written their files. */
  public long unloads() {
    return athena.unloads();
  }

  /** How many queries StartQueryExecution has started (an idempotent repeat starts none). */
  public long queriesStarted() {
    return athena.queriesStarted();
  }

  /** Stops the HTTP server and cancels the queries still running on Trino. */
  @Override
  public void close() {
    server.stop(0);
    athena.stopAll();
    athena.unloadTo(null, AthenaOperations.DEFAULT_UNLOAD_FILE_ROWS);
    handlers.shutdownNow();
    queries.shutdown();
    try {
      if (!queries.awaitTermination(10, TimeUnit.SECONDS)) {
        queries.shutdownNow();
      }
    } catch (InterruptedException e) {
      queries.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "AthenaEmulator[" + endpoint() + "]";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      ObjectNode response;
      try {
        response = answer(exchange);
      } catch (AwsErrorException e) {
        respondError(exchange, e);
        return;
      } catch (RuntimeException e) {
        respondError(
            exchange,
            new AwsErrorException(
                500, "InternalServerException", "the emulator failed: " + e, Map.of()));
        return;
      }
      respond(exchange, 200, response);
    }
  }

  private ObjectNode answer(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      throw new AwsErrorException(
          405, "UnknownOperationException", "AWS JSON 1.1 takes POST requests", Map.of());
    }
    // SigV4 is not checked, but a request without any signature is refused, as AWS would
    if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
      throw new AwsErrorException(
          403,
          "UnrecognizedClientException",
          "The security token included in the request is invalid.",
          Map.of());
    }
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    JsonNode request = body(exchange.getRequestBody());
    if (target != null && target.startsWith(ATHENA_PREFIX)) {
      if (throttledCalls.getAndUpdate(calls -> Math.max(calls - 1, 0)) > 0) {
        throw AwsErrorException.tooManyRequests("Rate exceeded", null);
      }
      return athena.handle(target.substring(ATHENA_PREFIX.length()), request);
    }
    if (target != null && target.startsWith(GLUE_PREFIX)) {
      return glue.handle(target.substring(GLUE_PREFIX.length()), request);
    }
    throw new AwsErrorException(
        400,
        "UnknownOperationException",
        "X-Amz-Target must name an AmazonAthena or AWSGlue operation, not " + target,
        Map.of());
  }

  private static JsonNode body(InputStream in) throws IOException {
    byte[] bytes = in.readAllBytes();
    if (bytes.length == 0) {
      return MAPPER.createObjectNode();
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new AwsErrorException(
            400, "SerializationException", "the request body is not a JSON object", Map.of());
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AwsErrorException(
          400,
          "SerializationException",
          "the request body is not JSON: " + e.getOriginalMessage(),
          Map.of());
    }
  }

  private static void respondError(HttpExchange exchange, AwsErrorException error)
      throws IOException {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("__type", error.type());
    body.put("Message", error.getMessage());
    error.members().forEach(body::put);
    exchange.getResponseHeaders().set("x-amzn-ErrorType", error.type());
    respond(exchange, error.status(), body);
  }

  private static void respond(HttpExchange exchange, int status, ObjectNode body)
      throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void checkCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("a count must not be negative: " + count);
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger number = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
