package io.asof.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code asof serve} in a process of its own, started with the given JVM options: what a
 * benchmark measures when it wants the server's CPU and latency apart from the load generator's,
 * and the JVM options' effect.
 *
 * <p>It runs this JVM's own launcher and class path, with this JVM's options except its heap and
 * garbage-collector ones ({@code -X…}), which are the ones under test.
 */
final class ServeProcess implements AutoCloseable {
  private static final Pattern SERVES = Pattern.compile("Asof serves .* on (http://\\S+) \\(");

  private final Process process;
  private final URI uri;
  private final Path log;

  private ServeProcess(Process process, URI uri, Path log) {
    this.process = process;
    this.uri = uri;
    this.log = log;
  }

  /**
   * Starts {@code asof serve ARGS} with {@code javaOptions}, its output in {@code log}, and waits
   * up to 3 minutes for it to say where it serves.
   */
  static ServeProcess start(List<String> javaOptions, List<String> serveArguments, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!option.startsWith("-X")) {
        command.add(option);
      }
    }
    command.addAll(javaOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Asof.class.getName());
    command.add("serve");
    command.addAll(serveArguments);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // the online store is the one of the stack named in the arguments, not one from the environment
    builder.environment().remove("ASOF_DYNAMODB_ENDPOINT");
    Process process = builder.start();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      Matcher serves = SERVES.matcher(Files.readString(log));
      if (serves.find()) {
        return new ServeProcess(process, URI.create(serves.group(1)), log);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "asof serve exited with %d before serving; its output (%s):%n%s"
                .formatted(process.exitValue(), log, Files.readString(log)));
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("asof serve did not start within 3 minutes; see " + log);
  }

  URI uri() {
    return uri;
  }

  OptionalLong pid() {
    return process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
  }

  Path log() {
    return log;
  }

  /** Stops the server as Ctrl-C would, and kills it after 30 seconds. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
