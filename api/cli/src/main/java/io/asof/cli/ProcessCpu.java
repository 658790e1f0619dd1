package io.asof.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time another process has used, in all and in its busiest thread of a given name, read from
 * Linux's {@code /proc}: what a benchmark needs to tell a server's ceiling apart from the client's.
 * Empty where there is no {@code /proc} (macOS) or the process is gone.
 *
 * @param totalNanos user and system time of every thread
 * @param threadNanos user and system time of the busiest thread whose name starts with the prefix
 *     asked for (0 when none has that name)
 */
record ProcessCpu(long totalNanos, long threadNanos) {
  /** Clock ticks per second of {@code /proc}'s times: 100 on every Linux this runs on. */
  private static final long TICK_NANOS = 10_000_000L;

  static Optional<ProcessCpu> read(OptionalLong pid, String threadPrefix) {
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    Path proc = Path.of("/proc", Long.toString(pid.getAsLong()));
    try {
      long total = ticks(Files.readString(proc.resolve("stat")));
      long busiest = 0;
      try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
        for (Path task : tasks.toList()) {
          try {
            if (Files.readString(task.resolve("comm")).startsWith(threadPrefix)) {
              busiest = Math.max(busiest, ticks(Files.readString(task.resolve("stat"))));
            }
          } catch (IOException e) {
            // the thread ended while we looked
          }
        }
      }
      return Optional.of(new ProcessCpu(total * TICK_NANOS, busiest * TICK_NANOS));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** utime + stime, the 14th and 15th fields, counted after the command name in parentheses. */
  private static long ticks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +", -1);
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  ProcessCpu minus(ProcessCpu earlier) {
    return new ProcessCpu(totalNanos - earlier.totalNanos, threadNanos - earlier.threadNanos);
  }
}
