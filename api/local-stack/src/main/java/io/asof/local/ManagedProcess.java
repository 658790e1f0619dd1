package io.asof.local;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One server process of the stack, known by a pid file and a marker on its command line.
 *
 * <p>The marker ({@code -Dasof.stack=<state dir>}) is how {@link #stop} makes sure it signals only
 * the stack's own processes, even if the pid in the file has since been reused by another program.
 * Processes run detached (in their own session where {@code setsid} exists), with output in a log
 * file, so they outlive the command that started them.
 */
final class ManagedProcess {
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private final String name;
  private final Path pidFile;
  private final Path logFile;
  private final String marker;

  ManagedProcess(String name, Path directory, String marker) {
    this.name = requireNonNull(name, "name is null");
    this.pidFile = directory.resolve(name + ".pid");
    this.logFile = directory.resolve(name + ".log");
    this.marker = requireNonNull(marker, "marker is null");
  }

  String name() {
    return name;
  }

  Path logFile() {
    return logFile;
  }

  /** The JVM option that marks a process as this stack's. */
  String markerOption() {
    return "-Dasof.stack=" + marker;
  }

  /** Starts the command (whose arguments must include {@link #markerOption()}). */
  Process start(List<String> command, Path workingDirectory) {
    if (!command.contains(markerOption())) {
      throw new IllegalArgumentException("command lacks the stack marker " + markerOption());
    }
    List<String> full = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      full.add(SETSID.toString());
    }
    full.addAll(command);
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder =
          new ProcessBuilder(full)
              .directory(workingDirectory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Process process = builder.start();
      Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.UTF_8);
      return process;
    } catch (IOException e) {
      throw new StackException("could not start " + name + ": " + e.getMessage(), e);
    }
  }

  /** The running process of this stack, if there is one. */
  Optional<ProcessHandle> running() {
    OptionalLong pid = pid();
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid.getAsLong())
        .filter(ProcessHandle::isAlive)
        .filter(
            handle ->
                handle
                    .info()
                    .commandLine()
                    .or(() -> commandLineFromProc(handle.pid()))
                    .map(line -> line.contains(markerOption()))
                    .orElse(false));
  }

  /** Stops the process if it runs: SIGTERM, then SIGKILL after {@code grace}. */
  boolean stop(Duration grace) {
    Optional<ProcessHandle> handle = running();
    if (handle.isEmpty()) {
      deletePidFile();
      return false;
    }
    ProcessHandle process = handle.get();
    process.destroy();
    if (!waitForExit(process, grace)) {
      process.destroyForcibly();
      waitForExit(process, Duration.ofSeconds(10));
    }
    deletePidFile();
    return true;
  }

  /** The last lines of the log that say why a process failed: the first ERROR and what follows. */
  String failureSummary() {
    if (!Files.exists(logFile)) {
      return "no log was written";
    }
    try {
      return failureSummary(Files.readAllLines(logFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The reason a server gave for dying, read from its log.
   *
   * <p>Trino logs {@code time<TAB>LEVEL<TAB>thread<TAB>logger<TAB>message}; its fatal start-up
   * error comes from the {@code main} thread, while request threads may log unrelated errors first
   * (a client that hung up on a readiness probe, for one). So the last error of the main thread
   * wins; failing that, the first error line of any kind (a JVM that did not start prints {@code
   * Error: ...} or {@code Exception ...}); failing that, the last line.
   */
  static String failureSummary(List<String> lines) {
    int chosen = -1;
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = lines.get(i).split("\t", 5);
      if (fields.length == 5 && fields[1].equals("ERROR") && fields[2].equals("main")) {
        chosen = i;
      }
    }
    for (int i = 0; chosen < 0 && i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.contains("\tERROR\t")
          || line.startsWith("Exception")
          || line.startsWith("ERROR")
          || line.startsWith("Error")) {
        chosen = i;
      }
    }
    if (chosen < 0) {
      return lines.isEmpty() ? "the log is empty" : lines.getLast().strip();
    }
    String line = lines.get(chosen);
    String cause = line.substring(line.lastIndexOf('\t') + 1).strip();
    // Trino prints the real reason on the lines after "Configuration is invalid"/"Errors:"
    for (int j = chosen + 1; j < Math.min(lines.size(), chosen + 8); j++) {
      String next = lines.get(j).strip();
      if (!next.isEmpty()
          && !next.equals("Errors:")
          && !next.startsWith("at ")
          && !next.chars().allMatch(c -> c == '=')) {
        return cause + " " + next;
      }
    }
    return cause;
  }

  private OptionalLong pid() {
    if (!Files.exists(pidFile)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(pidFile).strip()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private void deletePidFile() {
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<String> commandLineFromProc(long pid) {
    // ProcessHandle.Info leaves the command line out when it is long (Trino's classpath is)
    Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
    try {
      return Optional.of(Files.readString(cmdline, StandardCharsets.UTF_8).replace('\0', ' '));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean waitForExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
