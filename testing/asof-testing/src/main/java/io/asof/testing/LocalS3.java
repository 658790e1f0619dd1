package io.asof.testing;

import io.asof.local.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * An S3-compatible object store for tests: s3proxy (from Maven Central, laid out by {@code
 * asof-local-stack-dist} as {@code s3proxy/s3proxy.jar}) on a free loopback port, keeping objects
 * under {@code target/}, a bucket per directory. One is started per test JVM, on first use, and
 * stopped when the JVM ends. Requests need no signature; signed ones (the AWS SDK's) are accepted.
 */
public final class LocalS3 {
  /** Credentials for SDK clients; s3proxy does not check them. */
  public static final String ACCESS_KEY = "local";

  public static final String SECRET_KEY = "local";

  private static LocalS3 shared;

  private final Process process;
  private final URI endpoint;
  private final Path directory;

  private LocalS3(Process process, URI endpoint, Path directory) {
    this.process = process;
    this.endpoint = endpoint;
    this.directory = directory;
  }

  /**
   * The store of this test JVM, started on first use; aborts the calling test, with the reason,
   * when s3proxy is not laid out here (build {@code asof-local-stack-dist} first).
   */
  public static synchronized LocalS3 shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** Where S3 clients send requests: {@code http://127.0.0.1:<port>}, path-style. */
  public URI endpoint() {
    return endpoint;
  }

  /** The local directory of a bucket, where its objects are files. */
  public Path bucketDirectory(String bucket) {
    return directory.resolve(bucket);
  }

  private static LocalS3 start() {
    Path jar = LocalProcessTestStack.distDir().resolve("s3proxy/s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new TestAbortedException(
          "s3proxy is not laid out at "
              + jar
              + ": build the local stack's layout first (./mvnw -pl api/local-stack-dist package)");
    }
    try {
      Path target = Files.createDirectories(Path.of("target"));
      Path state = Files.createTempDirectory(target, "asof-s3-");
      // absolute: with a relative base directory s3proxy's listings come back empty
      Path objects = Files.createDirectories(state.resolve("objects")).toAbsolutePath();
      int port = LocalStack.freePort();
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      Path properties = state.resolve("s3proxy.properties");
      Files.write(
          properties,
          List.of(
              "s3proxy.endpoint=" + endpoint,
              "s3proxy.authorization=none",
              "s3proxy.ignore-unknown-headers=true",
              "jclouds.provider=filesystem-nio2",
              "jclouds.filesystem.basedir=" + objects),
          StandardCharsets.UTF_8);
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      Process process =
          new ProcessBuilder(
                  java.toString(),
                  "-Xmx256m",
                  "-jar",
                  jar.toString(),
                  "--properties",
                  properties.toString())
              .redirectErrorStream(true)
              .redirectOutput(state.resolve("s3proxy.log").toFile())
              .start();
      LocalS3 store = new LocalS3(process, endpoint, objects);
      Runtime.getRuntime().addShutdownHook(new Thread(store::stop, "asof-s3-stop"));
      store.awaitPort(port, state.resolve("s3proxy.log"), Duration.ofSeconds(60));
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start s3proxy: " + e.getMessage(), e);
    }
  }

  private void awaitPort(int port, Path log, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "s3proxy exited with code " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stop();
          throw new IllegalStateException("interrupted while s3proxy started", e);
        }
      }
    }
    stop();
    throw new IllegalStateException(
        "s3proxy did not listen on port "
            + port
            + " within "
            + timeout
            + ":\n"
            + Files.readString(log));
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "LocalS3[" + endpoint + ", " + directory + "]";
  }
}
