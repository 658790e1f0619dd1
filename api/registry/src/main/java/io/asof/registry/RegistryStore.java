package io.asof.registry;

import io.asof.compiler.backfill.FeatureStatistics;
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

  /**
   * Every version of every view ever applied, current or not, retired or not: by name, then newest
   * version first. {@link #apply} records each applied view's version here (replacing the
   * definition recorded for the same name and version); removing a view from the repository keeps
   * its versions.
   */
  List<ViewVersion> versions();

  /** The recorded versions of a view, newest first; empty when it was never applied. */
  List<ViewVersion> versions(String name);

  Optional<ViewVersion> version(String name, int version);

  /**
   * Records that a view's version was retired at {@code at}.
   *
   * @throws RegistryException when there is no such version, or it is already retired
   */
  void retire(String name, int version, Instant at);

  /** Records a training-set build. */
  void recordBuild(TrainingBuild build);

  /** The builds of a training set, newest first. */
  List<TrainingBuild> builds(String name);

  /** Every training-set build, newest first. */
  List<TrainingBuild> builds();

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

  /**
   * Records the statistics of chunk {@code chunkIndex} of job {@code jobId}, one per feature in
   * column order, replacing those recorded before, in one transaction: on any failure (a feature
   * twice, say) nothing is changed. Top values longer than 4000 characters are cut to 4000.
   *
   * @throws RegistryException when the job has no such chunk
   */
  void recordStatistics(String jobId, int chunkIndex, List<FeatureStatistics> statistics);

  /** Every online group, by view name. */
  List<OnlineGroup> onlineGroups();

  /** The online group of a view; empty when it was never switched online (or was purged). */
  Optional<OnlineGroup> onlineGroup(String view);

  /**
   * Records a view's online group, replacing the one recorded for the same view.
   *
   * @throws IllegalArgumentException when its cache refresh is not a positive whole number of
   *     milliseconds
   */
  void saveOnlineGroup(OnlineGroup group);

  /** Forgets a view's online group; nothing when there is none. */
  void removeOnlineGroup(String view);

  /**
   * The statistics recorded for a chunk, in the order they were recorded (quantiles by fraction);
   * empty when there are none, or no such chunk.
   */
  List<FeatureStatistics> statistics(String jobId, int chunkIndex);

  /**
   * The statistics of {@code feature} over every committed chunk of every backfill job of a view
   * version, by the chunks' start, then by the jobs' (a range backfilled twice appears twice).
   * Chunks not committed, and chunks without statistics of the feature, are left out.
   */
  List<ChunkStatistics> statistics(String view, int version, String feature);

  /**
   * Records what a job's queries cost.
   *
   * @throws IllegalArgumentException when its kind or engine is longer than 40 characters, or its
   *     job longer than 400
   * @throws RegistryException when a cost of the same kind and job is recorded at the same moment
   */
  void recordCost(JobCost cost);

  /** The costs recorded for one job of a kind, oldest first; empty when there are none. */
  List<JobCost> costs(String kind, String job);

  /** The costs recorded for every job, newest first (then by kind and job). */
  List<JobCost> costs();

  /** The schema version the store's tables are migrated to. */
  int schemaVersion();

  @Override
  void close();
}
