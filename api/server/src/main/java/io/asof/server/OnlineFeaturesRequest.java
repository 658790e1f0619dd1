package io.asof.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/online-features}: entity rows (each names the key columns of every
 * requested view's entity) and the features to return, as references or a feature service. Absent
 * fields are null.
 */
record OnlineFeaturesRequest(
    @JsonProperty("entities") List<Map<String, JsonNode>> entities,
    @JsonProperty("features") List<String> features,
    @JsonProperty("feature_service") String featureService) {}
