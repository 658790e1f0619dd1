package io.asof.engine;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * How far a running statement has got, as the engine reports it while it runs.
 *
 * @param state the engine's word for it (QUEUED, RUNNING, FINISHING, ...)
 * @param completedSplits units of work done, of {@code totalSplits} known so far
 * @param processedRows rows the engine has read so far
 * @param processedBytes bytes the engine has read so far
 */
public record QueryProgress(
    String queryId,
    String state,
    long completedSplits,
    long totalSplits,
    long processedRows,
    long processedBytes,
    Duration elapsed) {
  public QueryProgress {
    requireNonNull(queryId, "queryId is null");
    requireNonNull(state, "state is null");
    requireNonNull(elapsed, "elapsed is null");
  }

  /** The share of known work done, 0 to 100, when the engine knows how much there is. */
  public OptionalDouble percent() {
    return totalSplits <= 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(100.0 * completedSplits / totalSplits);
  }
}
