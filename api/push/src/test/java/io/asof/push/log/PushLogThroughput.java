package io.asof.push.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * A measurement, not a test: 1, 4 and 16 threads appending 50 KB batches to a fresh log for a few
 * seconds each (after one second of warm-up), printing appends/s, MB/s, p50/p99/max append latency
 * and forces. Run with the test class path: {@code java -cp ... io.asof.push.log.PushLogThroughput
 * [directory on the disk to measure] [seconds]}.
 */
public final class PushLogThroughput {
  private static final int PAYLOAD_BYTES = 50_000;

  private PushLogThroughput() {}

  public static void main(String[] args) throws Exception {
    Path base =
        args.length > 0
            ? Files.createDirectories(Path.of(args[0]))
            : Files.createTempDirectory("asof-push-log-throughput");
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    System.out.printf(
        "%d-byte payloads, %s s per run, in %s (%s)%n",
        PAYLOAD_BYTES, seconds, base, Files.getFileStore(base).type());
    System.out.printf(
        "%7s %10s %8s %9s %9s %9s %8s %13s%n",
        "threads", "appends/s", "MB/s", "p50 ms", "p99 ms", "max ms", "syncs", "appends/sync");
    for (int threads : new int[] {1, 4, 16}) {
      Path dir = base.resolve("threads-" + threads);
      try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
        run(log, threads, 1);
        PushLog.Stats before = log.stats();
        long start = System.nanoTime();
        long[] nanos = run(log, threads, seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        PushLog.Stats after = log.stats();
        Arrays.sort(nanos);
        long syncs = after.syncs() - before.syncs();
        System.out.printf(
            "%7d %10.0f %8.1f %9.2f %9.2f %9.2f %8d %13.1f%n",
            threads,
            nanos.length / elapsed,
            nanos.length * (double) PAYLOAD_BYTES / elapsed / 1e6,
            nanos[nanos.length / 2] / 1e6,
            nanos[(int) (nanos.length * 0.99)] / 1e6,
            nanos[nanos.length - 1] / 1e6,
            syncs,
            nanos.length / (double) syncs);
      }
      delete(dir);
    }
    if (args.length == 0) {
      delete(base);
    }
  }

  /** Appends from {@code threads} threads for {@code seconds}; the latency of every append. */
  private static long[] run(PushLog log, int threads, double seconds) throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Future<long[]>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        byte[] payload = TestPushLog.payload(PAYLOAD_BYTES, t);
        results.add(
            pool.submit(
                () -> {
                  long[] nanos = new long[1024];
                  int count = 0;
                  for (long now = System.nanoTime(); now < end; ) {
                    log.append("throughput", 1, payload);
                    long done = System.nanoTime();
                    if (count == nanos.length) {
                      nanos = Arrays.copyOf(nanos, 2 * count);
                    }
                    nanos[count++] = done - now;
                    now = done;
                  }
                  return Arrays.copyOf(nanos, count);
                }));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> result : results) {
        all.add(result.get());
      }
      return all.stream().flatMapToLong(Arrays::stream).toArray();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
