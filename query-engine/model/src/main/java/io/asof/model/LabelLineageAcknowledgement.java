package io.asof.model;

import static java.util.Objects.requireNonNull;

/**
 * A training set's {@code -- label_lineage_ok: view:feature <reason>} line: the feature is computed
 * from the column its label comes from, and the set's author says why that is acceptable.
 *
 * @param feature the feature acknowledged, {@code view:feature}
 * @param reason why its label lineage is acceptable, never blank
 * @param position where the feature is named in the header
 */
public record LabelLineageAcknowledgement(
    FeatureRef feature, String reason, SourcePosition position) {
  public LabelLineageAcknowledgement {
    requireNonNull(feature, "feature is null");
    requireNonNull(reason, "reason is null");
    requireNonNull(position, "position is null");
    if (feature.all()) {
      throw new IllegalArgumentException("acknowledge one feature, not " + feature);
    }
    if (reason.isBlank()) {
      throw new IllegalArgumentException("a label lineage acknowledgement needs a reason");
    }
  }
}
