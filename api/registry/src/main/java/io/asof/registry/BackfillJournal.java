package io.asof.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Backfill jobs and where each chunk is. One role of the {@link RegistryStore}. */
public interface BackfillJournal {
  /** Records a new backfill job with its chunks, all pending. */
  void startBackfill(BackfillJob job);

  /** Records where a chunk of job {@code jobId} is now. */
  void recordChunk(String jobId, BackfillChunk chunk);

  /**
   * Records a job's status: {@code RUNNING} again when it is resumed (clearing its end and error),
   * or how it ended.
   */
  void updateBackfill(
      String jobId,
      BackfillJob.Status status,
      Optional<Instant> finishedAt,
      Optional<String> error);

  /** A backfill job with its chunks. */
  Optional<BackfillJob> backfill(String jobId);

  /** The backfill jobs of a view (every version), newest first. */
  List<BackfillJob> backfills(String view);
}
