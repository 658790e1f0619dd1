package io.asof.registry;

import io.asof.model.statistics.FeatureStatistics;
import java.util.List;

/** The feature statistics of backfilled chunks. One role of the {@link RegistryStore}. */
public interface StatisticsRecords {
  /**
   * Records the statistics of chunk {@code chunkIndex} of job {@code jobId}, one per feature in
   * column order, replacing those recorded before, in one transaction: on any failure (a feature
   * twice, say) nothing is changed. Top values longer than 4000 characters are cut to 4000.
   *
   * @throws RegistryException when the job has no such chunk
   */
  void recordStatistics(String jobId, int chunkIndex, List<FeatureStatistics> statistics);

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
}
