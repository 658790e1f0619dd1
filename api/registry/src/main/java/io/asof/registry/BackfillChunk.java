package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One time range of a backfill job, committed to the view's table in one Iceberg commit or not at
 * all.
 *
 * @param from the first event time of the chunk, inclusive
 * @param to the end of the chunk, exclusive
 * @param rows the rows committed (0 until committed)
 * @param snapshotId the Iceberg snapshot of the commit
 * @param files the data files the commit added
 * @param bytes the bytes of those files
 * @param took how long staging, checking and committing took
 * @param error why the chunk failed, when it did
 */
public record BackfillChunk(
    int index,
    Instant from,
    Instant to,
    Status status,
    long rows,
    OptionalLong snapshotId,
    long files,
    long bytes,
    Duration took,
    Optional<Instant> committedAt,
    Optional<String> error) {
  /** Where a chunk is. */
  public enum Status {
    /** Not committed yet: a resumed job runs it. */
    PENDING,
    /** In the table. */
    COMMITTED,
    /** Tried and not committed; a resumed job runs it again. */
    FAILED
  }

  public BackfillChunk {
    if (index < 0) {
      throw new IllegalArgumentException("chunk index is negative: " + index);
    }
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("chunk " + index + " is empty: " + from + " to " + to);
    }
    requireNonNull(status, "status is null");
    requireNonNull(snapshotId, "snapshotId is null");
    requireNonNull(took, "took is null");
    requireNonNull(committedAt, "committedAt is null");
    requireNonNull(error, "error is null");
  }

  /** A chunk not run yet. */
  public static BackfillChunk pending(int index, Instant from, Instant to) {
    return new BackfillChunk(
        index,
        from,
        to,
        Status.PENDING,
        0,
        OptionalLong.empty(),
        0,
        0,
        Duration.ZERO,
        Optional.empty(),
        Optional.empty());
  }
}
