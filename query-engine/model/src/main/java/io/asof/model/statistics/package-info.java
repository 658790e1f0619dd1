/**
 * What the system records about a feature's values: the statistics of each feature over a
 * backfilled chunk ({@link io.asof.model.statistics.FeatureStatistics}), which the compiler's
 * statistics SQL computes and the registry keeps.
 */
package io.asof.model.statistics;
