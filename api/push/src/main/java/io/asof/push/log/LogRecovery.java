package io.asof.push.log;

import io.asof.push.log.PushLog.Truncation;
import io.asof.push.log.RecordFormat.BadRecordException;
import io.asof.push.log.RecordFormat.StoredRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads every segment of a log directory when it is opened: checks each record, and cuts a torn
 * last write off the last segment.
 *
 * <p>The log writes one group of records at a time and forces it before it writes the next, so at a
 * crash at most the last write is unfinished, all of it at the end of the last segment. A damaged
 * header or record there is such a write unless a record of a later write (a group whose first
 * sequence is later than the damaged record's) follows it, or more bytes follow it than one write
 * makes. Damage anywhere else is corruption.
 */
final class LogRecovery {
  private LogRecovery() {}

  /** The segments of {@code dir}, oldest first, and what was cut off the last one. */
  record Recovered(List<Segment> segments, Optional<Truncation> truncation) {
    Recovered {
      segments = List.copyOf(segments);
    }

    /** The sequence the next append gets. */
    long nextSequence() {
      return segments.isEmpty() ? 1 : segments.getLast().nextSequence();
    }
  }

  static Recovered recover(Path dir, PushLogConfig config) throws IOException {
    List<Map.Entry<Long, Path>> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Segment.firstSequenceOf(file)
            .filter(first -> Files.isRegularFile(file))
            .ifPresent(first -> found.add(Map.entry(first, file)));
      }
    }
    found.sort(Map.Entry.comparingByKey(Comparator.naturalOrder()));

    List<Segment> segments = new ArrayList<>();
    Optional<Truncation> truncation = Optional.empty();
    for (int i = 0; i < found.size(); i++) {
      long first = found.get(i).getKey();
      Path file = found.get(i).getValue();
      if (first < 1) {
        throw new PushLogCorruptionException(file, 0, "its name gives no valid first sequence");
      }
      if (!segments.isEmpty() && first != segments.getLast().nextSequence()) {
        throw new PushLogCorruptionException(
            file,
            0,
            "it starts at sequence %d, but the segment before it ends at %d: a segment file is"
                    .formatted(first, segments.getLast().nextSequence() - 1)
                + " missing or misnamed");
      }
      boolean last = i == found.size() - 1;
      long size = Files.size(file);
      long expected = first;
      long badOffset = -1;
      String problem = "";
      try (SegmentReader reader = SegmentReader.open(file, size)) {
        try {
          reader.readHeader(first);
          while (!reader.atEnd()) {
            long at = reader.position();
            StoredRecord record = reader.next();
            if (record.sequence() != expected) {
              badOffset = at;
              problem =
                  "a record of sequence %d where %d was expected"
                      .formatted(record.sequence(), expected);
              break;
            }
            expected++;
          }
        } catch (BadRecordException e) {
          badOffset = reader.position();
          problem = e.getMessage();
        }
        if (badOffset >= 0) {
          if (!last) {
            throw new PushLogCorruptionException(file, badOffset, problem);
          }
          Optional<String> forced = forcedAfter(reader, badOffset, expected, size, config);
          if (forced.isPresent()) {
            throw new PushLogCorruptionException(file, badOffset, problem + "; " + forced.get());
          }
        }
      }
      if (badOffset >= 0) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.truncate(badOffset);
          channel.force(false);
        }
        truncation = Optional.of(new Truncation(file, badOffset, size - badOffset, problem));
        size = badOffset;
      }
      segments.add(new Segment(file, first, expected - first, size));
    }
    return new Recovered(segments, truncation);
  }

  /**
   * Why the damaged bytes at {@code offset} of the last segment cannot be a torn last write, if
   * they cannot: more follows than one write makes, or a record of a later write.
   */
  private static Optional<String> forcedAfter(
      SegmentReader reader, long offset, long expected, long size, PushLogConfig config)
      throws IOException {
    long oneWrite =
        (long) RecordFormat.SEGMENT_HEADER_BYTES
            + Math.max(
                PushLog.GROUP_BYTES,
                RecordFormat.recordBytes(RecordFormat.MAX_VIEW_BYTES, config.maxBatchBytes()));
    if (size - offset > oneWrite) {
      return Optional.of(
          "%d bytes follow, more than one unfinished write leaves".formatted(size - offset));
    }
    ByteBuffer rest;
    try {
      rest = reader.rest(offset);
    } catch (BadRecordException e) {
      return Optional.of(e.getMessage());
    }
    for (int at = 1; at + RecordFormat.MIN_RECORD_BYTES <= rest.limit(); at++) {
      int length = rest.getInt(at);
      if (length < RecordFormat.MIN_RECORD_BYTES || length > rest.limit() - at) {
        continue;
      }
      long sequence = rest.getLong(at + 4);
      long groupFirst = rest.getLong(at + 12);
      // only a record of a later write proves this one was forced before it
      if (groupFirst <= expected || sequence < groupFirst) {
        continue;
      }
      try {
        RecordFormat.readRecord(rest.position(at));
        return Optional.of(
            "a record of a later write (sequence %d) follows at byte %d"
                .formatted(sequence, offset + at));
      } catch (BadRecordException e) {
        // not a record: look on
      }
    }
    return Optional.empty();
  }
}
