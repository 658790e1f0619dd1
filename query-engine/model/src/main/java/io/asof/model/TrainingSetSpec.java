package io.asof.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A training set: a spine query (entity keys, a timestamp, usually a label) and the features to
 * attach to each of its rows as of that row's timestamp.
 *
 * @param spineSql the spine's {@code SELECT}, as written
 * @param timestamp the spine column holding each row's "as of" time
 * @param label the spine column a model learns to predict, if any
 * @param features the features listed in the header, each placed by {@code featurePositions}
 * @param featureService a feature service whose features are attached too
 * @param eventTimes whether each view's event time (of the row a value came from) is output too
 * @param holdBackLate whether rows of views with a created-time column count only once created (at
 *     or before the spine row's time); the default, so late data never leaks
 * @param labelLineageOk features computed from the label's own source column that the set accepts
 *     anyway, each with its reason
 */
public record TrainingSetSpec(
    String name,
    String description,
    String spineSql,
    String timestamp,
    Optional<String> label,
    List<FeatureRef> features,
    List<SourcePosition> featurePositions,
    Optional<String> featureService,
    boolean eventTimes,
    boolean holdBackLate,
    List<LabelLineageAcknowledgement> labelLineageOk,
    SourcePosition position,
    SourcePosition sqlPosition) {
  public TrainingSetSpec {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(spineSql, "spineSql is null");
    requireNonNull(timestamp, "timestamp is null");
    requireNonNull(label, "label is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
    featurePositions = List.copyOf(requireNonNull(featurePositions, "featurePositions is null"));
    if (featurePositions.size() != features.size()) {
      throw new IllegalArgumentException("one position per feature");
    }
    requireNonNull(featureService, "featureService is null");
    labelLineageOk = List.copyOf(requireNonNull(labelLineageOk, "labelLineageOk is null"));
    requireNonNull(position, "position is null");
    requireNonNull(sqlPosition, "sqlPosition is null");
  }

  /** A set that acknowledges no feature's label lineage. */
  public TrainingSetSpec(
      String name,
      String description,
      String spineSql,
      String timestamp,
      Optional<String> label,
      List<FeatureRef> features,
      List<SourcePosition> featurePositions,
      Optional<String> featureService,
      boolean eventTimes,
      boolean holdBackLate,
      SourcePosition position,
      SourcePosition sqlPosition) {
    this(
        name,
        description,
        spineSql,
        timestamp,
        label,
        features,
        featurePositions,
        featureService,
        eventTimes,
        holdBackLate,
        List.of(),
        position,
        sqlPosition);
  }
}
