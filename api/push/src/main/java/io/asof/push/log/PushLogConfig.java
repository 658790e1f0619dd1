package io.asof.push.log;

/**
 * How a {@link PushLog} sizes its segment files and the batches it takes.
 *
 * @param segmentBytes the size at which the log starts a new segment file; a segment holds at least
 *     one write, so one larger than this makes a larger segment
 * @param maxBatchBytes the largest payload {@link PushLog#append} takes; larger ones are refused
 */
public record PushLogConfig(long segmentBytes, int maxBatchBytes) {
  /** The default segment size, 64 MiB. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  /** The default largest batch, 16 MiB. */
  public static final int DEFAULT_MAX_BATCH_BYTES = 16 << 20;

  /** The smallest segment size taken (small ones are for tests). */
  public static final long MIN_SEGMENT_BYTES = 1024;

  /** The largest batch limit taken, 1 GiB: a record's length must fit in an int. */
  public static final int MAX_BATCH_BYTES_LIMIT = 1 << 30;

  public PushLogConfig {
    if (segmentBytes < MIN_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "segmentBytes must be at least %d, not %d".formatted(MIN_SEGMENT_BYTES, segmentBytes));
    }
    if (maxBatchBytes < 1 || maxBatchBytes > MAX_BATCH_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "maxBatchBytes must be between 1 and %d, not %d"
              .formatted(MAX_BATCH_BYTES_LIMIT, maxBatchBytes));
    }
  }

  /** 64 MiB segments, batches up to 16 MiB. */
  public static PushLogConfig defaults() {
    return new PushLogConfig(DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_BATCH_BYTES);
  }

  /** This configuration with another segment size. */
  public PushLogConfig withSegmentBytes(long bytes) {
    return new PushLogConfig(bytes, maxBatchBytes);
  }

  /** This configuration with another batch limit. */
  public PushLogConfig withMaxBatchBytes(int bytes) {
    return new PushLogConfig(segmentBytes, bytes);
  }
}
