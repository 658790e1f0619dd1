package io.asof.push.log;

import static io.asof.push.log.TestPushLog.payload;
import static io.asof.push.log.TestPushLog.replay;
import static org.assertj.core.api.Assertions.assertThat;

import io.asof.push.log.PushLog.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads appending at once: distinct sequences, every entry replayed once, forces shared. */
class TestPushLogConcurrency {
  private static final int THREADS = 16;
  private static final int EACH = 200;

  @TempDir Path dir;

  @Test
  void concurrentAppendsGetDistinctIncreasingSequencesAndShareForces() throws Exception {
    // small segments, so that writes roll over to new ones while threads wait
    PushLogConfig config = PushLogConfig.defaults().withSegmentBytes(256 * 1024);
    Map<Long, Integer> keys = new ConcurrentHashMap<>();
    try (PushLog log = PushLog.open(dir, config)) {
      List<List<Long>> sequences = appendConcurrently(log, keys);
      for (List<Long> ofThread : sequences) {
        assertThat(ofThread).hasSize(EACH).isSorted().doesNotHaveDuplicates();
      }
      List<Long> all = sequences.stream().flatMap(List::stream).sorted().toList();
      assertThat(all).isEqualTo(LongStream.rangeClosed(1, THREADS * EACH).boxed().toList());
      assertThat(log.lastSequence()).isEqualTo(THREADS * EACH);

      List<Entry> entries = replay(log, 0);
      assertThat(entries).extracting(Entry::sequence).isEqualTo(all);
      for (Entry entry : entries) {
        int key = keys.get(entry.sequence());
        assertThat(entry.version()).isEqualTo(key / EACH);
        assertThat(entry.view()).isEqualTo("view_" + key % 3);
        assertThat(entry.payload()).isEqualTo(payload(size(key), key));
      }

      PushLog.Stats stats = log.stats();
      assertThat(stats.appends()).isEqualTo(THREADS * EACH);
      assertThat(stats.entries()).isEqualTo(THREADS * EACH);
      assertThat(stats.segments()).isGreaterThan(5);
      // group commit: appends waiting while the disk forces a write go together in the next one
      assertThat(stats.syncs()).isLessThan(stats.appends() / 2);
    }
  }

  @Test
  void aCommitterReplaysAndReleasesWhileThreadsAppend() throws Exception {
    PushLogConfig config = PushLogConfig.defaults().withSegmentBytes(64 * 1024);
    Map<Long, Integer> keys = new ConcurrentHashMap<>();
    Map<Long, Integer> replayed = new HashMap<>();
    try (PushLog log = PushLog.open(dir, config)) {
      AtomicBoolean appending = new AtomicBoolean(true);
      try (ExecutorService thread = Executors.newSingleThreadExecutor()) {
        // a committer's loop, every few milliseconds instead of every ten seconds
        Future<?> committer =
            thread.submit(
                () -> {
                  long committed = 0;
                  while (appending.get() || committed < log.lastSequence()) {
                    for (Entry entry : replay(log, committed)) {
                      assertThat(entry.sequence()).isEqualTo(committed + 1);
                      replayed.merge(entry.sequence(), 1, Integer::sum);
                      committed = entry.sequence();
                    }
                    log.release(committed);
                    Thread.sleep(5);
                  }
                  return null;
                });
        appendConcurrently(log, keys);
        appending.set(false);
        committer.get();
      }
      assertThat(replayed)
          .hasSize(THREADS * EACH)
          .allSatisfy((sequence, times) -> assertThat(times).isOne());
      assertThat(log.stats().segments()).isLessThan(3);
    }
  }

  /** Every thread's sequences, in the order it got them; the key of each sequence in keys. */
  private static List<List<Long>> appendConcurrently(PushLog log, Map<Long, Integer> keys)
      throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<List<Long>>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(THREADS)) {
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(
            threads.submit(
                () -> {
                  start.await();
                  List<Long> sequences = new ArrayList<>();
                  for (int i = 0; i < EACH; i++) {
                    int key = thread * EACH + i;
                    long sequence = log.append("view_" + key % 3, thread, payload(size(key), key));
                    keys.put(sequence, key);
                    sequences.add(sequence);
                  }
                  return sequences;
                }));
      }
      List<List<Long>> sequences = new ArrayList<>();
      for (Future<List<Long>> result : results) {
        sequences.add(result.get());
      }
      return sequences;
    }
  }

  private static int size(int key) {
    return 100 + key * 37 % 4_000;
  }
}
