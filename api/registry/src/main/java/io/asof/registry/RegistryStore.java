package io.asof.registry;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Where the registry lives. Implementations: an embedded H2 file, PostgreSQL. */
public interface RegistryStore extends AutoCloseable {
  /** Every applied view, by name. */
  List<AppliedView> views();

  Optional<AppliedView> view(String name);

  /**
   * Records views (replacing those of the same name, columns included) and removes others, all in
   * one transaction: on any failure nothing is changed.
   */
  void apply(Collection<AppliedView> upserts, Collection<String> removals);

  /** Records a training-set build. */
  void recordBuild(TrainingBuild build);

  /** The builds of a training set, newest first. */
  List<TrainingBuild> builds(String name);

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

  /** The schema version the store's tables are migrated to. */
  int schemaVersion();

  @Override
  void close();
}
