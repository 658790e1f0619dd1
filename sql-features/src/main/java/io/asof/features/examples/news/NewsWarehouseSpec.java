package io.asof.features.examples.news;

/**
 * What to generate: a seed and a scale. Users and articles grow with the number of impressions; the
 * time range is fixed (90 days of impressions from 2026-01-01), so data does not depend on when it
 * is generated.
 *
 * @param seed any number; the same seed gives the same rows
 * @param impressions how many impressions; 100,000 for the quickstart, millions for benchmarks
 */
public record NewsWarehouseSpec(long seed, long impressions) {
  public static final long DEFAULT_SEED = 42;
  public static final long DEFAULT_IMPRESSIONS = 100_000;

  /** 10,000 × 10,000: the generator unnests two sequences of Trino's largest size. */
  public static final long MAX_IMPRESSIONS = 100_000_000;

  public NewsWarehouseSpec {
    if (seed < 0) {
      throw new IllegalArgumentException("seed must not be negative, got " + seed);
    }
    if (impressions < 1_000 || impressions > MAX_IMPRESSIONS) {
      throw new IllegalArgumentException(
          "impressions must be between 1,000 and %,d, got %,d"
              .formatted(MAX_IMPRESSIONS, impressions));
    }
  }

  /** The quickstart's warehouse: seed 42, 100,000 impressions. */
  public static NewsWarehouseSpec defaults() {
    return new NewsWarehouseSpec(DEFAULT_SEED, DEFAULT_IMPRESSIONS);
  }

  /** One user per 25 impressions, at least 200. */
  public long users() {
    return Math.max(200, impressions / 25);
  }

  /** One article per 40 impressions, at least 100. */
  public long articles() {
    return Math.max(100, impressions / 40);
  }
}
