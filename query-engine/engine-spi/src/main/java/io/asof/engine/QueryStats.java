package io.asof.engine;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * What one statement cost: the engine's query id, rows returned or written, bytes the engine read,
 * the wall-clock time seen by the client, and the most memory the engine held for it at once.
 */
public record QueryStats(
    String queryId,
    long rows,
    OptionalLong bytesScanned,
    Duration elapsed,
    OptionalLong peakMemoryBytes) {
  public QueryStats {
    requireNonNull(queryId, "queryId is null");
    requireNonNull(bytesScanned, "bytesScanned is null");
    requireNonNull(elapsed, "elapsed is null");
    requireNonNull(peakMemoryBytes, "peakMemoryBytes is null");
    if (rows < 0) {
      throw new IllegalArgumentException("rows is negative: " + rows);
    }
  }
}
