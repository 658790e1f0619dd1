package io.asof.push.log;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A segment file of the log as the log knows it: its first sequence (also in its name), how many
 * records it holds and how many of its bytes are durable.
 */
record Segment(Path file, long firstSequence, long entries, long bytes) {
  private static final Pattern NAME = Pattern.compile("push-(\\d{20})\\.wal");

  Segment {
    if (firstSequence < 1 || entries < 0 || bytes < 0) {
      throw new IllegalArgumentException(
          "bad segment %s: first %d, %d entries, %d bytes"
              .formatted(file, firstSequence, entries, bytes));
    }
  }

  static String fileName(long firstSequence) {
    return "push-%020d.wal".formatted(firstSequence);
  }

  /** The first sequence a segment file's name gives, when it is one; 0 when it is out of range. */
  static Optional<Long> firstSequenceOf(Path file) {
    Matcher matcher = NAME.matcher(file.getFileName().toString());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(matcher.group(1)));
    } catch (NumberFormatException e) {
      return Optional.of(0L);
    }
  }

  /** The sequence after its last record. */
  long nextSequence() {
    return firstSequence + entries;
  }

  Segment plus(long moreEntries, long moreBytes) {
    return new Segment(file, firstSequence, entries + moreEntries, bytes + moreBytes);
  }
}
