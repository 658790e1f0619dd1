package io.asof.cli;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One route's request-duration histogram as a server's {@code GET /metrics} exposes it ({@code
 * asof_http_request_duration_seconds_bucket}, status 200): what a benchmark reads before and after
 * a case to get the server's own time per request, apart from the load generator's.
 *
 * @param cumulative the count of requests at or under each bucket bound, in seconds (the last bound
 *     is {@code +Inf})
 */
record ServerHistogram(TreeMap<Double, Double> cumulative) {
  private static final Pattern BUCKET =
      Pattern.compile(
          "^asof_http_request_duration_seconds_bucket\\{(.*)le=\"([^\"]+)\"} ([0-9.eE+-]+)$",
          Pattern.MULTILINE);

  /** The histogram of {@code route}'s successful requests in a scrape; empty when it has none. */
  static ServerHistogram parse(String scrape, String route) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    Matcher m = BUCKET.matcher(scrape);
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("route=\"" + route + "\"") && labels.contains("status=\"200\"")) {
        double bound =
            m.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(2));
        buckets.merge(bound, Double.parseDouble(m.group(3)), Double::sum);
      }
    }
    return new ServerHistogram(buckets);
  }

  /** The requests recorded since {@code earlier} was scraped. */
  ServerHistogram minus(ServerHistogram earlier) {
    TreeMap<Double, Double> difference = new TreeMap<>();
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      difference.put(
          bucket.getKey(),
          bucket.getValue() - earlier.cumulative.getOrDefault(bucket.getKey(), 0.0));
    }
    return new ServerHistogram(difference);
  }

  /** How many requests the histogram holds. */
  long count() {
    return cumulative.isEmpty() ? 0 : Math.round(cumulative.lastEntry().getValue());
  }

  /**
   * The {@code quantile}, in milliseconds, interpolated linearly inside its bucket (as Prometheus's
   * {@code histogram_quantile} does); NaN without requests, the highest finite bound when the
   * quantile lies beyond it.
   */
  double quantileMillis(double quantile) {
    long count = count();
    if (count == 0) {
      return Double.NaN;
    }
    double rank = quantile * count;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return lowerBound * 1e3;
        }
        double inBucket = bucket.getValue() - lowerCount;
        double share = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
        return (lowerBound + share * (bucket.getKey() - lowerBound)) * 1e3;
      }
      lowerBound = bucket.getKey();
      lowerCount = bucket.getValue();
    }
    return lowerBound * 1e3;
  }
}
