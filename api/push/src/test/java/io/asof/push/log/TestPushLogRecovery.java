package io.asof.push.log;

import static io.asof.push.log.TestPushLog.payload;
import static io.asof.push.log.TestPushLog.replay;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.push.log.PushLog.Entry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a log whose files a crash or the disk damaged: a torn last write is cut off, any other
 * damage stops the open with the file and the byte offset.
 */
class TestPushLogRecovery {
  /** A record of view "clicks" (6 bytes) and a 1000-byte payload. */
  private static final int RECORD = RecordFormat.recordBytes(6, 1_000);

  @TempDir Path dir;

  @Test
  void aRecordTornOffTheEndIsCutOffAndAppendsGoOn() throws IOException {
    Path file = appendFive();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(start(5) + 500);
    }

    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(log.truncation())
          .hasValueSatisfying(
              t -> {
                assertThat(t.file()).isEqualTo(file);
                assertThat(t.offset()).isEqualTo(start(5));
                assertThat(t.bytes()).isEqualTo(500);
                assertThat(t.problem())
                    .isEqualTo("a record of 1044 bytes, but the file ends 500 bytes on");
              });
      assertThat(Files.size(file)).isEqualTo(start(5));
      assertThat(replay(log, 0)).extracting(Entry::sequence).containsExactly(1L, 2L, 3L, 4L);
      assertThat(log.lastSequence()).isEqualTo(4);
      assertThat(log.append("clicks", 1, payload(1_000, 55))).isEqualTo(5);
    }
    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(log.truncation()).isEmpty();
      assertThat(replay(log, 4))
          .singleElement()
          .satisfies(e -> assertThat(e.payload()).isEqualTo(payload(1_000, 55)));
    }
  }

  @Test
  void bytesAfterTheLastRecordAreCutOff() throws IOException {
    Path file = appendFive();
    byte[] garbage = new byte[777];
    new Random(7).nextBytes(garbage);
    for (byte[] tail : new byte[][] {garbage, new byte[4096], new byte[3]}) {
      long end = Files.size(file);
      Files.write(file, tail, StandardOpenOption.APPEND);
      try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
        assertThat(log.truncation())
            .hasValueSatisfying(
                t -> {
                  assertThat(t.offset()).isEqualTo(end);
                  assertThat(t.bytes()).isEqualTo(tail.length);
                });
        long next = log.lastSequence() + 1;
        assertThat(replay(log, 0))
            .extracting(Entry::sequence)
            .hasSize((int) next - 1)
            .last()
            .isEqualTo(next - 1);
        assertThat(log.append("clicks", 1, payload(1_000, next))).isEqualTo(next);
      }
    }
    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(log.truncation()).isEmpty();
      assertThat(replay(log, 0))
          .extracting(Entry::payload)
          .containsExactly(
              payload(1_000, 1),
              payload(1_000, 2),
              payload(1_000, 3),
              payload(1_000, 4),
              payload(1_000, 5),
              payload(1_000, 6),
              payload(1_000, 7),
              payload(1_000, 8));
    }
  }

  @Test
  void aNewSegmentWithATornHeaderIsWrittenAgain() throws IOException {
    appendFive();
    Path torn = dir.resolve("push-00000000000000000006.wal");
    Files.write(torn, "asof".getBytes(UTF_8));
    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(log.truncation()).hasValueSatisfying(t -> assertThat(t.file()).isEqualTo(torn));
      assertThat(log.lastSequence()).isEqualTo(5);
      assertThat(log.append("clicks", 1, payload(1_000, 6))).isEqualTo(6);
      assertThat(log.stats().segments()).isEqualTo(2);
    }
    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(log.truncation()).isEmpty();
      assertThat(replay(log, 4)).extracting(Entry::sequence).containsExactly(5L, 6L);
    }
  }

  @Test
  void aDamagedByteInAnEarlierRecordStopsTheOpenWithFileAndOffset() throws IOException {
    Path file = appendFive();
    flip(file, start(2) + 100);
    for (int attempt = 0; attempt < 2; attempt++) { // a failed open leaves the directory unlocked
      assertThatThrownBy(() -> PushLog.open(dir, PushLogConfig.defaults()))
          .isInstanceOfSatisfying(
              PushLogCorruptionException.class,
              e -> {
                assertThat(e.file()).isEqualTo(file);
                assertThat(e.offset()).isEqualTo(start(2));
              })
          .hasMessageStartingWith(
              "the push log segment %s is corrupt at byte %d: the record's checksum does not match; a record of a later write (sequence 3) follows at byte %d."
                  .formatted(file, start(2), start(3)));
    }
    assertThat(Files.size(file)).isEqualTo(start(6));
  }

  @Test
  void aDamagedByteInAnEarlierSegmentStopsTheOpen() throws IOException {
    // 300-byte payloads make 342-byte records: two to a 1 KiB segment
    PushLogConfig config = PushLogConfig.defaults().withSegmentBytes(1024);
    try (PushLog log = PushLog.open(dir, config)) {
      for (int i = 1; i <= 6; i++) {
        log.append("clicks", 1, payload(300, i));
      }
    }
    Path first = dir.resolve("push-00000000000000000001.wal");
    long second = (long) RecordFormat.SEGMENT_HEADER_BYTES + RecordFormat.recordBytes(6, 300);
    flip(first, Files.size(first) - 1); // the CRC of its last record
    assertThatThrownBy(() -> PushLog.open(dir, config))
        .isInstanceOfSatisfying(
            PushLogCorruptionException.class,
            e -> {
              assertThat(e.file()).isEqualTo(first);
              assertThat(e.offset()).isEqualTo(second);
            })
        .hasMessageContaining("push-00000000000000000001.wal is corrupt at byte " + second);
    flip(first, Files.size(first) - 1);

    Files.delete(dir.resolve("push-00000000000000000003.wal"));
    assertThatThrownBy(() -> PushLog.open(dir, config))
        .isInstanceOfSatisfying(
            PushLogCorruptionException.class,
            e -> {
              assertThat(e.file()).isEqualTo(dir.resolve("push-00000000000000000005.wal"));
              assertThat(e.offset()).isZero();
            })
        .hasMessageContaining(
            "it starts at sequence 5, but the segment before it ends at 2: a segment file is missing or misnamed");
  }

  @Test
  void damageToTheLastWriteIsTakenForATornWrite() throws IOException {
    // a write forced and acknowledged looks on disk like one torn by a crash when it is the last
    Path file = appendFive();
    flip(file, start(5) + 100);
    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(log.truncation())
          .hasValueSatisfying(t -> assertThat(t.offset()).isEqualTo(start(5)));
      assertThat(replay(log, 0)).extracting(Entry::sequence).containsExactly(1L, 2L, 3L, 4L);
    }
  }

  @Test
  void damageFollowedOnlyByRecordsOfItsOwnWriteIsATornWrite() throws IOException {
    // sequences 1 and 2 in one write, 3 to 5 in the next; then 3 to 5 in three writes
    Path file = dir.resolve(Segment.fileName(1));
    writeSegment(file, new long[] {1, 1, 3, 3, 3});
    flip(file, start(4) + 100);
    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      assertThat(log.truncation())
          .hasValueSatisfying(t -> assertThat(t.offset()).isEqualTo(start(4)));
      assertThat(replay(log, 0)).extracting(Entry::sequence).containsExactly(1L, 2L, 3L);
    }

    writeSegment(file, new long[] {1, 1, 3, 4, 5});
    flip(file, start(4) + 100);
    assertThatThrownBy(() -> PushLog.open(dir, PushLogConfig.defaults()))
        .isInstanceOfSatisfying(
            PushLogCorruptionException.class, e -> assertThat(e.offset()).isEqualTo(start(4)))
        .hasMessageContaining("a record of a later write (sequence 5) follows at byte " + start(5));
  }

  /** Five 1000-byte batches of view "clicks", one write each; the segment they are in. */
  private Path appendFive() throws IOException {
    try (PushLog log = PushLog.open(dir, PushLogConfig.defaults())) {
      for (int i = 1; i <= 5; i++) {
        log.append("clicks", 1, payload(1_000, i));
      }
    }
    Path file = dir.resolve("push-00000000000000000001.wal");
    assertThat(Files.size(file)).isEqualTo(start(6));
    return file;
  }

  /** A segment written by hand: a record a sequence, each naming the first of its write. */
  private static void writeSegment(Path file, long[] groupFirsts) throws IOException {
    ByteBuffer out = ByteBuffer.allocate((int) start(groupFirsts.length + 1));
    RecordFormat.writeSegmentHeader(out, 1);
    for (int i = 0; i < groupFirsts.length; i++) {
      RecordFormat.writeRecord(
          out, i + 1, groupFirsts[i], 0, 1, "clicks".getBytes(UTF_8), payload(1_000, i + 1));
    }
    Files.write(file, out.array());
  }

  /** Where the record of sequence {@code k} starts. */
  private static long start(int k) {
    return RecordFormat.SEGMENT_HEADER_BYTES + (long) (k - 1) * RECORD;
  }

  private static void flip(Path file, long offset) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, offset);
      one.put(0, (byte) ~one.get(0));
      channel.write(one.rewind(), offset);
    }
  }
}
