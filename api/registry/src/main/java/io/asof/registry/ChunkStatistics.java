package io.asof.registry;

import static java.util.Objects.requireNonNull;

import io.asof.model.statistics.FeatureStatistics;
import java.time.Instant;

/**
 * A feature's statistics over one committed backfill chunk: one point of the feature's distribution
 * over time, as a drift report follows it.
 *
 * @param jobId the backfill job the chunk belongs to
 * @param chunkIndex the chunk's index in its job
 * @param from the first event time of the chunk, inclusive
 * @param to the end of the chunk, exclusive
 */
public record ChunkStatistics(
    String jobId, int chunkIndex, Instant from, Instant to, FeatureStatistics statistics) {
  public ChunkStatistics {
    requireNonNull(jobId, "jobId is null");
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    requireNonNull(statistics, "statistics is null");
  }
}
