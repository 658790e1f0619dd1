package io.asof.model;

import static java.util.Objects.requireNonNull;

/** A reference to a feature, {@code view:feature}, or to all features of a view, {@code view:*}. */
public record FeatureRef(String view, String feature) {
  public static final String ALL = "*";

  public FeatureRef {
    requireNonNull(view, "view is null");
    requireNonNull(feature, "feature is null");
  }

  /** Parses {@code view:feature} or {@code view:*}; empty parts are refused. */
  public static FeatureRef parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException(
          "a feature is named view:feature (or view:* for all of a view's features), got: " + text);
    }
    return new FeatureRef(text.substring(0, colon).strip(), text.substring(colon + 1).strip());
  }

  public boolean all() {
    return feature.equals(ALL);
  }

  @Override
  public String toString() {
    return view + ":" + feature;
  }
}
