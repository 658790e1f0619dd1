package io.asof.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/training-sets/query} and {@code POST
 * /v1/training-sets/{name}/builds}: an ad-hoc training set (its spine as a query or as rows, the
 * features to attach), and for queries how many rows to return. Absent fields are null.
 */
record TrainingSetRequest(
    @JsonProperty("spine_sql") String spineSql,
    @JsonProperty("spine_rows") List<Map<String, Object>> spineRows,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("features") List<String> features,
    @JsonProperty("feature_service") String featureService,
    @JsonProperty("label") String label,
    @JsonProperty("event_times") Boolean eventTimes,
    @JsonProperty("limit") Integer limit) {

  /** An empty body: build the repository's training set of the path's name. */
  static final TrainingSetRequest NONE =
      new TrainingSetRequest(null, null, null, null, null, null, null, null);

  boolean hasSpine() {
    return spineSql != null || spineRows != null;
  }

  boolean isEmpty() {
    return equals(NONE);
  }
}
