package io.asof.model;

/**
 * The schemas Asof writes to in the Iceberg catalog, named once for every module: what users and BI
 * tools read, and what only Asof's own jobs use on the way.
 */
public final class Schemas {
  /**
   * The published views ({@code <catalog>.features.<view>}, what BI tools and training jobs read)
   * and the tables behind them: backfilled versions and push views' versioned tables ({@code
   * <view>__v<N>}).
   */
  public static final String FEATURES = "features";

  /**
   * Work in progress: backfill chunks staged before they are committed, and push views' staging
   * tables. Nothing a user reads.
   */
  public static final String STAGING = "asof_staging";

  private Schemas() {}
}
