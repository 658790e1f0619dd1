package io.asof.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The training-set endpoints' replies, as {@link Json} writes them: components in the order the
 * fields appear on the wire, snake_case names.
 */
final class TrainingSetReplies {
  private TrainingSetReplies() {}

  /** {@code POST /v1/training-sets/query}: the first rows of an ad-hoc set, and its statement. */
  record QueryResult(
      List<Column> columns,
      List<Object> rows,
      @JsonProperty("row_count") int rowCount,
      int limit,
      boolean truncated,
      String sql) {}

  /** A column of the rows: its name and Trino's type. */
  record Column(String name, String type) {}

  /** {@code GET /v1/training-sets/{name}/builds}: the set's builds, newest first. */
  record Builds(String name, List<Build> builds) {}

  /**
   * A build as the API shows it.
   *
   * @param featureVersions by view name: each view the rows took features from, and its version
   */
  record Build(
      String name,
      String table,
      @JsonProperty("snapshot_id") long snapshotId,
      long rows,
      long bytes,
      double seconds,
      @JsonProperty("built_at") String builtAt,
      String fingerprint,
      @JsonProperty("feature_versions") Map<String, Integer> featureVersions,
      @JsonProperty("spine_sql") String spineSql) {}
}
