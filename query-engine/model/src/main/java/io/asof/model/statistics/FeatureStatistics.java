package io.asof.model.statistics;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Statistics of one feature column over a backfilled chunk, as a registry keeps them to follow a
 * feature's distribution from chunk to chunk. Which of them a feature has depends on its type:
 * numbers have {@code min}, {@code max}, {@code mean}, {@code distinct} and {@code quantiles};
 * strings and booleans {@code distinct} and {@code topValues}; dates and timestamps {@code
 * earliest} and {@code latest}; every type {@code rows} and {@code nulls}. Each is empty when the
 * chunk has no non-NULL value.
 *
 * @param type the column's Trino type, e.g. {@code decimal(12,2)}
 * @param rows the chunk's rows
 * @param nulls the rows where the feature is NULL
 * @param min the smallest value, as a double (exact for integers up to 2^53)
 * @param max the largest value, as a double
 * @param mean the mean of the non-NULL values
 * @param distinct the number of distinct non-NULL values, approximately ({@code approx_distinct},
 *     standard error 2.3 %)
 * @param quantiles approximate quantiles ({@code approx_percentile}) at the fractions the
 *     compiler's {@code io.asof.compiler.backfill.ChunkStatisticsSql#QUANTILES} lists
 * @param topValues the most frequent values (booleans as {@code true}/{@code false}), most frequent
 *     first, at most {@code ChunkStatisticsSql#TOP_VALUES}; counts are exact when the column has at
 *     most {@code ChunkStatisticsSql#TOP_CAPACITY} distinct values in the chunk
 * @param earliest the earliest date or timestamp, as Trino writes it
 * @param latest the latest date or timestamp, as Trino writes it
 */
public record FeatureStatistics(
    String name,
    String type,
    long rows,
    long nulls,
    OptionalDouble min,
    OptionalDouble max,
    OptionalDouble mean,
    OptionalLong distinct,
    List<Quantile> quantiles,
    List<ValueCount> topValues,
    Optional<String> earliest,
    Optional<String> latest) {
  public FeatureStatistics {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    if (rows < 0 || nulls < 0 || nulls > rows) {
      throw new IllegalArgumentException(
          "feature %s: %d nulls in %d rows".formatted(name, nulls, rows));
    }
    requireNonNull(min, "min is null");
    requireNonNull(max, "max is null");
    requireNonNull(mean, "mean is null");
    requireNonNull(distinct, "distinct is null");
    quantiles = List.copyOf(requireNonNull(quantiles, "quantiles is null"));
    topValues = List.copyOf(requireNonNull(topValues, "topValues is null"));
    requireNonNull(earliest, "earliest is null");
    requireNonNull(latest, "latest is null");
  }

  /** The value below which a {@code fraction} of the non-NULL values lie. */
  public record Quantile(double fraction, double value) {
    public Quantile {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("a quantile's fraction lies in [0, 1]: " + fraction);
      }
    }
  }

  /** A value and the rows that hold it. */
  public record ValueCount(String value, long count) {
    public ValueCount {
      requireNonNull(value, "value is null");
      if (count < 1) {
        throw new IllegalArgumentException("a top value occurs at least once: " + count);
      }
    }
  }
}
