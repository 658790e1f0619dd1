package io.asof.push.log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process {@link TestPushLogCrash} kills: appends from several threads in a loop, and prints
 * {@code ack <sequence> <key>} for each acknowledged append. Arguments: the log directory, the
 * round (part of every key) and the number of threads.
 */
public final class PushLogCrashChild {
  /** Small segments, so that a kill may fall while a new one is begun. */
  static final PushLogConfig CONFIG = PushLogConfig.defaults().withSegmentBytes(256 * 1024);

  private PushLogCrashChild() {}

  /** The batch of {@code key}: 100 to 30,000 bytes. */
  static byte[] payload(long key) {
    return TestPushLog.payload((int) (100 + key * 7_919 % 30_000), key);
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    PushLog log = PushLog.open(dir, CONFIG);
    System.out.println("opened " + log.lastSequence());
    System.out.flush();
    List<Thread> appenders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      appenders.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (long i = 0; ; i++) {
                      long key = round * 10_000_000L + thread * 1_000_000L + i;
                      try {
                        long sequence = log.append("crash", thread, payload(key));
                        synchronized (System.out) {
                          System.out.println("ack " + sequence + " " + key);
                          System.out.flush();
                        }
                      } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    }
                  }));
    }
    for (Thread appender : appenders) {
      appender.join();
    }
  }
}
