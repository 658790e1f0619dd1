package io.asof.push;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How push ingestion runs.
 *
 * @param logDir the write-ahead log's directory on local disk; one server at a time
 * @param stagingDir where micro-batches are written as Parquet files before they are committed
 * @param stagingUri the same directory as the query engine reads it (for the local stack {@code
 *     local:///asof_push_staging}, its warehouse directory being the root of {@code local://})
 * @param commitInterval the longest a pushed row waits before its micro-batch is committed
 * @param commitRows a micro-batch is committed as soon as this many rows wait
 * @param maxBufferedRows the most rows of one view that may wait for a commit; a push beyond it is
 *     refused with 429 until a commit makes room
 * @param compactEvery how many commits of a view between compactions of its recent partitions
 * @param maxBatchRows the most rows one push may carry
 */
public record PushConfig(
    Path logDir,
    Path stagingDir,
    URI stagingUri,
    Duration commitInterval,
    int commitRows,
    int maxBufferedRows,
    int compactEvery,
    int maxBatchRows) {
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_COMMIT_ROWS = 1_000_000;
  public static final int DEFAULT_MAX_BUFFERED_ROWS = 2_000_000;
  public static final int DEFAULT_COMPACT_EVERY = 30;
  public static final int DEFAULT_MAX_BATCH_ROWS = 100_000;

  public PushConfig {
    requireNonNull(logDir, "logDir is null");
    requireNonNull(stagingDir, "stagingDir is null");
    requireNonNull(stagingUri, "stagingUri is null");
    requireNonNull(commitInterval, "commitInterval is null");
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException("the commit interval must be positive: " + commitInterval);
    }
    if (commitRows < 1 || maxBufferedRows < commitRows || compactEvery < 1 || maxBatchRows < 1) {
      throw new IllegalArgumentException(
          "need 1 <= commitRows <= maxBufferedRows, compactEvery >= 1 and maxBatchRows >= 1; got %d, %d, %d, %d"
              .formatted(commitRows, maxBufferedRows, compactEvery, maxBatchRows));
    }
  }

  /** The defaults, with the given log and staging locations. */
  public static PushConfig defaults(Path logDir, Path stagingDir, URI stagingUri) {
    return new PushConfig(
        logDir,
        stagingDir,
        stagingUri,
        DEFAULT_COMMIT_INTERVAL,
        DEFAULT_COMMIT_ROWS,
        DEFAULT_MAX_BUFFERED_ROWS,
        DEFAULT_COMPACT_EVERY,
        DEFAULT_MAX_BATCH_ROWS);
  }

  public PushConfig withCommits(Duration interval, int rows) {
    return new PushConfig(
        logDir,
        stagingDir,
        stagingUri,
        interval,
        rows,
        Math.max(maxBufferedRows, rows),
        compactEvery,
        maxBatchRows);
  }

  public PushConfig withMaxBufferedRows(int rows) {
    return new PushConfig(
        logDir,
        stagingDir,
        stagingUri,
        commitInterval,
        commitRows,
        rows,
        compactEvery,
        maxBatchRows);
  }

  public PushConfig withCompactEvery(int commits) {
    return new PushConfig(
        logDir,
        stagingDir,
        stagingUri,
        commitInterval,
        commitRows,
        maxBufferedRows,
        commits,
        maxBatchRows);
  }
}
