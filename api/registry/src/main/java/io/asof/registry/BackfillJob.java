package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A backfill of one view version's table over a time range, in chunks: the journal that makes a
 * crashed or failed backfill resumable ({@code asof backfill --resume ID}).
 *
 * @param id the job's id, as the user types it to resume
 * @param table the Iceberg table filled, {@code catalog.schema.name}
 * @param from the first event time filled, inclusive
 * @param to the end of the range, exclusive
 * @param chunk the length of a chunk (the last may be shorter)
 * @param fingerprint the view definition's fingerprint when the job started: a resumed job refuses
 *     to run once the view has changed
 * @param chunks every chunk, in time order
 */
public record BackfillJob(
    String id,
    String view,
    int version,
    String fingerprint,
    String table,
    Instant from,
    Instant to,
    Duration chunk,
    Status status,
    Instant startedAt,
    Optional<Instant> finishedAt,
    Optional<String> error,
    List<BackfillChunk> chunks) {
  /** Where a job is. */
  public enum Status {
    RUNNING,
    FAILED,
    SUCCEEDED
  }

  public BackfillJob {
    requireNonNull(id, "id is null");
    requireNonNull(view, "view is null");
    requireNonNull(fingerprint, "fingerprint is null");
    requireNonNull(table, "table is null");
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    requireNonNull(chunk, "chunk is null");
    requireNonNull(status, "status is null");
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(finishedAt, "finishedAt is null");
    requireNonNull(error, "error is null");
    chunks = List.copyOf(requireNonNull(chunks, "chunks is null"));
    for (int i = 0; i < chunks.size(); i++) {
      if (chunks.get(i).index() != i) {
        throw new IllegalArgumentException("chunk " + i + " has index " + chunks.get(i).index());
      }
    }
  }
}
