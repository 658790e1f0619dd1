package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A training set asked for ad hoc (on the command line, in an HTTP request) instead of one of the
 * repository's {@code training_sets/*.sql}.
 *
 * @param description what the set is, kept in the built table's comment
 * @param spine yields the spine query; called once, when the set is compiled
 * @param spineOrigin where the spine came from, for diagnostics: a file, {@code --spine}
 * @param features {@code view:feature} or {@code view:*} references; blank ones are skipped
 * @param featuresOrigin where the features were named, for diagnostics
 */
public record AdHocTrainingSet(
    String description,
    SpineQuery spine,
    Path spineOrigin,
    String timestamp,
    List<String> features,
    Path featuresOrigin,
    Optional<String> featureService,
    Optional<String> label,
    boolean eventTimes) {
  public AdHocTrainingSet {
    requireNonNull(description, "description is null");
    requireNonNull(spine, "spine is null");
    requireNonNull(spineOrigin, "spineOrigin is null");
    requireNonNull(timestamp, "timestamp is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
    requireNonNull(featuresOrigin, "featuresOrigin is null");
    requireNonNull(featureService, "featureService is null");
    requireNonNull(label, "label is null");
  }

  /** The spine query of an ad-hoc set, read when the set is compiled (a CSV file, say). */
  @FunctionalInterface
  public interface SpineQuery {
    String sql() throws IOException;
  }
}
