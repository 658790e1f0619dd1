package io.asof.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A named list of features a model uses, served online and used for training sets alike. */
public record FeatureServiceSpec(
    String name, String description, List<FeatureRef> features, SourcePosition position) {
  public FeatureServiceSpec {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
    requireNonNull(position, "position is null");
  }
}
