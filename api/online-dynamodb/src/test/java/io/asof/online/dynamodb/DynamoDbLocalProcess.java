package io.asof.online.dynamodb;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * DynamoDB Local as a process of the test, from the distribution the build unpacks ({@code
 * asof.dist}), on a free loopback port, tables in memory. The tests that need it are skipped, with
 * the reason, when the distribution is absent.
 */
final class DynamoDbLocalProcess implements AutoCloseable {
  private final Path dist;
  private final Path tmp;
  private final int port;
  private Process process;

  private DynamoDbLocalProcess(Path dist, Path tmp, int port) {
    this.dist = dist;
    this.tmp = tmp;
    this.port = port;
  }

  /** Starts one, or skips the calling test when the distribution is not there. */
  static DynamoDbLocalProcess start() throws IOException {
    String property = System.getProperty("asof.dist");
    assumeTrue(property != null, "no -Dasof.dist: the DynamoDB Local distribution is not known");
    Path dist = Path.of(property).resolve("dynamodb-local");
    assumeTrue(
        Files.isRegularFile(dist.resolve("asof-dynamodb-local-launcher.jar")),
        "DynamoDB Local is not unpacked at " + dist + " (build api/local-stack-dist first)");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    DynamoDbLocalProcess local =
        new DynamoDbLocalProcess(dist, Files.createTempDirectory("asof-dynamodb-local"), port);
    local.restart();
    return local;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Kills it (as an outage would); its in-memory tables are gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts it again on the same port, and waits until it takes connections. */
  void restart() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    process =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx512M",
                    "-XX:+UseParallelGC",
                    "-Djava.io.tmpdir=" + tmp,
                    "-cp",
                    dist.resolve("asof-dynamodb-local-launcher.jar")
                        + ":"
                        + dist.resolve("lib")
                        + "/*",
                    "io.asof.local.dist.LoopbackDynamoDbLocal",
                    Integer.toString(port),
                    "-inMemory"))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("dynamodb-local.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return;
      } catch (IOException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IOException(
              "DynamoDB Local did not start on port %d: %s"
                  .formatted(port, Files.readString(tmp.resolve("dynamodb-local.log"))),
              e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", interrupted);
        }
      }
    }
  }

  @Override
  public void close() {
    if (process != null) {
      kill();
    }
  }
}
