package io.asof.push.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.push.log.PushLog.Entry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending, replaying, releasing, locking and closing the push log, on real files. */
class TestPushLog {
  @TempDir Path dir;

  @Test
  void appendsAreReplayedInOrderAndTheSequenceGoesOnAfterReopen() throws IOException {
    Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(log.lastSequence()).isZero();
      assertThat(log.append("clicks", 1, bytes("a"))).isEqualTo(1);
      assertThat(log.append("user_profile", 3, bytes("bb"))).isEqualTo(2);
      assertThat(log.append("clicks", 2, new byte[0])).isEqualTo(3);
      assertThat(log.lastSequence()).isEqualTo(3);
      assertThat(log.stats())
          .satisfies(s -> assertThat(s.entries()).isEqualTo(3))
          .satisfies(s -> assertThat(s.segments()).isEqualTo(1))
          .satisfies(s -> assertThat(s.appends()).isEqualTo(3))
          .satisfies(s -> assertThat(s.bytes()).isEqualTo(Files.size(onlySegment())));

      List<Entry> entries = replay(log, 0);
      assertThat(entries)
          .extracting(Entry::sequence, Entry::view, Entry::version)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1L, "clicks", 1),
              org.assertj.core.groups.Tuple.tuple(2L, "user_profile", 3),
              org.assertj.core.groups.Tuple.tuple(3L, "clicks", 2));
      assertThat(entries)
          .extracting(e -> new String(e.payload(), UTF_8))
          .containsExactly("a", "bb", "");
      assertThat(entries)
          .extracting(Entry::appendedAt)
          .allSatisfy(t -> assertThat(t).isBetween(before, Instant.now()));
      assertThat(replay(log, 2)).extracting(Entry::sequence).containsExactly(3L);
      assertThat(replay(log, 3)).isEmpty();
      assertThat(log.truncation()).isEmpty();
    }

    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(log.lastSequence()).isEqualTo(3);
      assertThat(replay(log, 0)).extracting(Entry::sequence).containsExactly(1L, 2L, 3L);
      assertThat(log.append("clicks", 1, bytes("d"))).isEqualTo(4);
      assertThat(log.stats().entries()).isEqualTo(4);
    }
    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(replay(log, 0))
          .extracting(e -> new String(e.payload(), UTF_8))
          .containsExactly("a", "bb", "", "d");
    }
  }

  @Test
  void aBatchLargerThanTheLimitIsRefused() throws IOException {
    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults().withMaxBatchBytes(1000))) {
      assertThat(log.append("clicks", 1, new byte[1000])).isEqualTo(1);
      assertThatThrownBy(() -> log.append("clicks", 1, new byte[1001]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a batch of 1001 bytes is larger than the push log takes (1000 bytes)");
      assertThatThrownBy(() -> log.append("", 1, new byte[1]))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(log.append("clicks", 1, new byte[1])).isEqualTo(2);
    }
  }

  @Test
  void releaseDeletesOnlyWholeSegmentsBeforeTheOneBeingWritten() throws IOException {
    // 300-byte payloads make 342-byte records: two to a 1 KiB segment
    PushLogConfig config = PushLogConfig.defaults().withSegmentBytes(1024);
    try (PushLog log = PushLog.open(dir, config)) {
      for (int i = 1; i <= 9; i++) {
        log.append("clicks", 1, payload(300, i));
      }
      assertThat(segmentNames())
          .containsExactly(
              "push-00000000000000000001.wal",
              "push-00000000000000000003.wal",
              "push-00000000000000000005.wal",
              "push-00000000000000000007.wal",
              "push-00000000000000000009.wal");
      assertThat(log.stats().segments()).isEqualTo(5);

      log.release(3); // 3 is in the segment holding 3 and 4, which stays
      assertThat(segmentNames()).first().isEqualTo("push-00000000000000000003.wal");
      assertThat(log.stats())
          .satisfies(s -> assertThat(s.segments()).isEqualTo(4))
          .satisfies(s -> assertThat(s.entries()).isEqualTo(7));
      assertThat(replay(log, 0))
          .extracting(Entry::sequence)
          .containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(replay(log, 5)).extracting(Entry::sequence).containsExactly(6L, 7L, 8L, 9L);

      log.release(5);
      assertThat(segmentNames()).first().isEqualTo("push-00000000000000000005.wal");
      log.release(1_000); // never the segment being written
      assertThat(segmentNames()).containsExactly("push-00000000000000000009.wal");
      assertThat(replay(log, 0))
          .singleElement()
          .satisfies(e -> assertThat(e.payload()).isEqualTo(payload(300, 9)));
      assertThat(log.append("clicks", 1, payload(300, 10))).isEqualTo(10);
    }

    try (PushLog log = PushLog.open(dir, config)) {
      assertThat(log.lastSequence()).isEqualTo(10);
      assertThat(replay(log, 0)).extracting(Entry::sequence).containsExactly(9L, 10L);
      log.append("clicks", 1, payload(300, 11));
      log.release(10);
      assertThat(replay(log, 0)).extracting(Entry::sequence).containsExactly(11L);
      assertThat(log.stats().entries()).isEqualTo(1);
    }
    try (PushLog log = PushLog.open(dir, config)) {
      // everything before the segment being written was released: the sequence still goes on
      assertThat(log.lastSequence()).isEqualTo(11);
      assertThat(log.append("clicks", 1, payload(300, 12))).isEqualTo(12);
    }
  }

  @Test
  void aSecondOpenOfTheDirectoryFailsUntilTheFirstIsClosed() throws IOException {
    PushLog first = PushLog.open(dir, PushLogConfig.defaults());
    first.append("clicks", 1, bytes("a"));
    assertThatThrownBy(() -> PushLog.open(dir, PushLogConfig.defaults()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the push log directory " + dir.toAbsolutePath())
        .hasMessageContaining(
            "is in use by another asof serve (process " + ProcessHandle.current().pid() + ")");
    first.close();
    try (PushLog second = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(second.append("clicks", 1, bytes("b"))).isEqualTo(2);
    }
  }

  @Test
  void aClosedLogRefusesEverythingButClose() throws IOException {
    PushLog log = PushLog.open(dir, PushLogConfig.defaults());
    log.append("clicks", 1, bytes("a"));
    log.close();
    log.close();
    String closed = "the push log in " + dir.toAbsolutePath() + " is closed";
    assertThatThrownBy(() -> log.append("clicks", 1, bytes("b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(closed);
    assertThatThrownBy(() -> log.replay(0, e -> {})).hasMessage(closed);
    assertThatThrownBy(() -> log.release(1)).hasMessage(closed);
    assertThatThrownBy(log::lastSequence).hasMessage(closed);
    assertThatThrownBy(log::stats).hasMessage(closed);
  }

  @Test
  void closeWritesTheAppendsWaitingAndRefusesLaterOnes() throws Exception {
    PushLog log = PushLog.open(dir, PushLogConfig.defaults());
    List<Long> acknowledged = new ArrayList<>();
    List<Throwable> refused = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(
            threads.submit(
                () -> {
                  List<Long> sequences = new ArrayList<>();
                  for (int i = 0; ; i++) {
                    try {
                      sequences.add(log.append("clicks", thread, payload(2_000, i)));
                    } catch (IllegalStateException e) {
                      synchronized (refused) {
                        refused.add(e);
                      }
                      return sequences;
                    }
                  }
                }));
      }
      while (log.lastSequence() < 200) {
        Thread.sleep(1);
      }
      log.close();
      for (Future<List<Long>> result : results) {
        acknowledged.addAll(result.get());
      }
    }
    assertThat(refused).hasSize(8).allSatisfy(e -> assertThat(e).hasMessageContaining("is closed"));
    try (PushLog reopened = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(replay(reopened, 0))
          .extracting(Entry::sequence)
          .containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(reopened.lastSequence()).isEqualTo(acknowledged.size());
    }
  }

  @Test
  void aFailedForceFailsItsWriteAndTheNextAppendIsTakenOnceWritesSucceed() throws Exception {
    AtomicBoolean failing = new AtomicBoolean();
    PushLog log =
        PushLog.open(
            dir,
            PushLogConfig.defaults(),
            (file, options) -> new FaultyFileChannel(FileChannel.open(file, options), failing));
    assertThat(log.append("clicks", 1, bytes("a"))).isEqualTo(1);
    failing.set(true);
    List<Throwable> failures = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(threads.submit(() -> log.append("clicks", 1, payload(1_000, 7))));
      }
      for (Future<?> result : results) {
        try {
          result.get();
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add(e.getCause());
        }
      }
    }
    assertThat(failures)
        .hasSize(8)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Input/output error (a fault of the test)"));
    // the disk is back: the next append is taken, no reopen needed
    failing.set(false);
    assertThat(log.append("clicks", 1, bytes("b"))).isEqualTo(2);
    assertThat(log.lastSequence()).isEqualTo(2);
    log.close();

    try (PushLog reopened = PushLog.open(dir, PushLogConfig.defaults())) {
      // the failed writes were cut off; nothing of them comes back, nothing was torn
      assertThat(reopened.truncation()).isEmpty();
      assertThat(replay(reopened, 0))
          .extracting(e -> e.sequence() + " " + new String(e.payload(), UTF_8))
          .containsExactly("1 a", "2 b");
      assertThat(reopened.append("clicks", 1, bytes("c"))).isEqualTo(3);
    }
  }

  @Test
  void aFullDiskFailsWritesUntilThereIsRoomAgainThenAppendsGoOnWithoutAReopen() throws Exception {
    AtomicBoolean full = new AtomicBoolean();
    PushLogConfig config = PushLogConfig.defaults().withSegmentBytes(1024);
    PushLog log =
        PushLog.open(
            dir,
            config,
            (file, options) ->
                new FaultyFileChannel(FileChannel.open(file, options), new AtomicBoolean(), full));
    assertThat(log.append("clicks", 1, payload(100, 1))).isEqualTo(1);
    // a write into the segment being written fails halfway, twice
    full.set(true);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> log.append("clicks", 1, payload(100, 2)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("No space left on device (a fault of the test)")
          .hasMessageContaining("the next append tries again");
    }
    full.set(false);
    assertThat(log.append("clicks", 1, payload(100, 3))).isEqualTo(2);
    // a write that starts a new segment fails halfway, and again
    full.set(true);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> log.append("clicks", 1, payload(2_000, 4)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("No space left on device");
    }
    full.set(false);
    assertThat(log.append("clicks", 1, payload(2_000, 5))).isEqualTo(3);
    assertThat(log.append("clicks", 1, payload(100, 6))).isEqualTo(4);
    assertThat(replay(log, 0)).extracting(Entry::sequence).containsExactly(1L, 2L, 3L, 4L);
    log.close();

    try (PushLog reopened = PushLog.open(dir, config)) {
      assertThat(reopened.truncation()).isEmpty();
      assertThat(replay(reopened, 0))
          .extracting(Entry::payload)
          .containsExactly(payload(100, 1), payload(100, 3), payload(2_000, 5), payload(100, 6));
      assertThat(reopened.append("clicks", 1, bytes("e"))).isEqualTo(5);
    }
  }

  static List<Entry> replay(PushLog log, long after) throws IOException {
    List<Entry> entries = new ArrayList<>();
    log.replay(after, entries::add);
    return entries;
  }

  static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  /** {@code size} bytes that differ with {@code seed}. */
  static byte[] payload(int size, long seed) {
    byte[] bytes = new byte[size];
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      bytes[i] = (byte) x;
    }
    return bytes;
  }

  private List<String> segmentNames() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".wal"))
          .sorted()
          .toList();
    }
  }

  private Path onlySegment() throws IOException {
    return dir.resolve(segmentNames().getFirst());
  }
}
