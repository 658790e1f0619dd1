package io.asof.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The embedded stack: Trino 476 with an Iceberg catalog and DynamoDB Local, each a process on
 * loopback with its data, logs and pid under {@link LocalStackConfig#stateDir()}.
 *
 * <p>{@link #up()} is idempotent: what already runs is reported, not started again. {@link #down()}
 * stops only processes that carry this state directory's marker.
 */
public final class LocalStack {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final String ENDPOINTS_FILE = "endpoints.json";

  private final LocalStackConfig config;
  private final Consumer<String> progress;
  private final ManagedProcess trinoProcess;
  private final ManagedProcess dynamoDbProcess;
  private final TrinoServer trino;
  private final DynamoDbLocalServer dynamoDb;

  public LocalStack(LocalStackConfig config, Consumer<String> progress) {
    this.config = requireNonNull(config, "config is null");
    this.progress = requireNonNull(progress, "progress is null");
    Path logs = config.stateDir().resolve("logs");
    String marker = config.stateDir().toString();
    this.trinoProcess = new ManagedProcess("trino", logs, marker);
    this.dynamoDbProcess = new ManagedProcess("dynamodb-local", logs, marker);
    this.trino = new TrinoServer(config, trinoProcess);
    this.dynamoDb = new DynamoDbLocalServer(config, dynamoDbProcess);
  }

  /** Starts what does not run yet and returns once Trino takes writes and DynamoDB answers. */
  public StackStatus up() {
    checkLayout();
    checkJava();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    StackEndpoints endpoints = endpointsOfRunningStack().orElseGet(this::configuredEndpoints);

    Optional<ProcessHandle> runningTrino = trinoProcess.running();
    Process startedTrino = null;
    if (runningTrino.isPresent()) {
      progress.accept(
          "Trino already runs (pid %d) at %s"
              .formatted(runningTrino.get().pid(), endpoints.trinoJdbcUrl()));
    } else {
      int port = endpoints.trinoHttpUrl().getPort();
      checkPortFree(port, "Trino", "--trino-port");
      trino.writeConfiguration(endpoints);
      progress.accept("Starting Trino 476 on 127.0.0.1:" + port + " ...");
      startedTrino = trinoProcess.start(trino.command(), trino.home());
    }

    Optional<ProcessHandle> runningDynamoDb = dynamoDbProcess.running();
    Process startedDynamoDb = null;
    if (runningDynamoDb.isPresent()) {
      progress.accept(
          "DynamoDB Local already runs (pid %d) at %s"
              .formatted(runningDynamoDb.get().pid(), endpoints.dynamoDbEndpoint()));
    } else {
      int port = endpoints.dynamoDbEndpoint().getPort();
      try {
        checkPortFree(port, "DynamoDB Local", "--dynamodb-port");
      } catch (StackException e) {
        stopStarted(startedTrino);
        throw e;
      }
      progress.accept("Starting DynamoDB Local on 127.0.0.1:" + port + " ...");
      startedDynamoDb = dynamoDbProcess.start(dynamoDb.command(port), dynamoDb.home());
    }
    writeEndpoints(endpoints);

    try {
      dynamoDb.awaitReady(endpoints, startedDynamoDb, deadline);
      if (startedDynamoDb != null) {
        progress.accept("DynamoDB Local is ready at " + endpoints.dynamoDbEndpoint());
      }
      trino.awaitReady(endpoints, startedTrino, deadline);
      if (startedTrino != null) {
        progress.accept("Trino is ready for writes at " + endpoints.trinoJdbcUrl());
      }
    } catch (RuntimeException e) {
      // a half-started stack helps nobody: stop what this call started
      stopStarted(startedTrino);
      stopStarted(startedDynamoDb);
      throw e;
    }
    return status();
  }

  /** Stops the stack's processes; returns whether any was running. */
  public boolean down() {
    boolean stoppedTrino = trinoProcess.stop(STOP_GRACE);
    if (stoppedTrino) {
      progress.accept("Stopped Trino");
    }
    boolean stoppedDynamoDb = dynamoDbProcess.stop(STOP_GRACE);
    if (stoppedDynamoDb) {
      progress.accept("Stopped DynamoDB Local");
    }
    return stoppedTrino || stoppedDynamoDb;
  }

  /** What runs now and where; the endpoints are those of the last {@code up}. */
  public StackStatus status() {
    StackEndpoints endpoints = endpointsOfRunningStack().orElseGet(this::configuredEndpoints);
    return new StackStatus(
        config.stateDir(),
        endpoints,
        pid(trinoProcess),
        trinoProcess.logFile(),
        pid(dynamoDbProcess),
        dynamoDbProcess.logFile());
  }

  public LocalStackConfig config() {
    return config;
  }

  private static OptionalLong pid(ManagedProcess process) {
    return process.running().map(h -> OptionalLong.of(h.pid())).orElse(OptionalLong.empty());
  }

  private StackEndpoints configuredEndpoints() {
    return StackEndpoints.loopback(config.trinoPort(), config.dynamoDbPort());
  }

  /** The endpoints recorded by the last {@code up}, while one of its processes still runs. */
  private Optional<StackEndpoints> endpointsOfRunningStack() {
    Path file = config.stateDir().resolve(ENDPOINTS_FILE);
    if (!Files.exists(file)
        || (trinoProcess.running().isEmpty() && dynamoDbProcess.running().isEmpty())) {
      return Optional.empty();
    }
    try {
      JsonNode node = new ObjectMapper().readTree(file.toFile());
      return Optional.of(
          StackEndpoints.loopback(
              node.path("trinoPort").asInt(), node.path("dynamoDbPort").asInt()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void writeEndpoints(StackEndpoints endpoints) {
    String json =
        "{\"trinoPort\": %d, \"dynamoDbPort\": %d}\n"
            .formatted(endpoints.trinoHttpUrl().getPort(), endpoints.dynamoDbEndpoint().getPort());
    try {
      Files.writeString(config.stateDir().resolve(ENDPOINTS_FILE), json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stopStarted(Process process) {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(STOP_GRACE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  private void checkLayout() {
    for (String part :
        new String[] {
          "trino-server/lib",
          "trino-plugins/iceberg",
          "dynamodb-local/asof-dynamodb-local-launcher.jar"
        }) {
      if (!Files.exists(config.distDir().resolve(part))) {
        throw new StackException(
            "the local stack is not laid out in %s (missing %s): run ./mvnw -pl api/local-stack-dist package, or use ./asof, which does"
                .formatted(config.distDir(), part));
      }
    }
  }

  private void checkJava() {
    Path java = config.javaHome().resolve("bin/java");
    if (!Files.isExecutable(java)) {
      throw new StackException("no java at " + java + ": point JAVA_HOME at a JDK 25");
    }
    int feature = javaFeatureVersion(config.javaHome());
    if (feature < 22) {
      throw new StackException(
          "Trino 476 needs Java 22 or newer, and %s is Java %d: install a JDK 25 and point JAVA_HOME at it"
              .formatted(config.javaHome(), feature));
    }
  }

  private static int javaFeatureVersion(Path javaHome) {
    if (javaHome.equals(Path.of(System.getProperty("java.home")))) {
      return Runtime.version().feature();
    }
    try {
      for (String line : Files.readAllLines(javaHome.resolve("release"))) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          return Runtime.Version.parse(version).feature();
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // fall through: unknown version
    }
    return 0;
  }

  private static void checkPortFree(int port, String server, String option) {
    try (ServerSocket socket = new ServerSocket()) {
      // as the servers themselves do: connections of a stopped server in TIME_WAIT do not count
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new StackException(
          "port %d for %s is taken by another program: stop it, or choose another port with %s"
              .formatted(port, server, option));
    }
  }

  /** A port on loopback that is free now; for tests that run their own stack. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
