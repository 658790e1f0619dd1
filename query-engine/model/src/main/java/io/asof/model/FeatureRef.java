package io.asof.model;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/**
 * A reference to a feature, {@code view:feature}, or to all features of a view, {@code view:*};
 * {@code view@N:feature} pins version {@code N} of the view (read from its backfilled table while
 * that version is not retired) instead of the version applied now.
 */
public record FeatureRef(String view, OptionalInt version, String feature) {
  public static final String ALL = "*";

  public FeatureRef {
    requireNonNull(view, "view is null");
    requireNonNull(version, "version is null");
    requireNonNull(feature, "feature is null");
    version.ifPresent(
        v -> {
          if (v < 1) {
            throw new IllegalArgumentException("versions start at 1, got " + view + "@" + v);
          }
        });
  }

  public FeatureRef(String view, String feature) {
    this(view, OptionalInt.empty(), feature);
  }

  /**
   * Parses {@code view:feature}, {@code view:*}, {@code view@N:feature} or {@code view@N:*}; empty
   * parts and versions that are not positive numbers are refused.
   */
  public static FeatureRef parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1 || text.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException(
          "a feature is named view:feature (or view:* for all of a view's features, view@N:feature for version N), got: "
              + text);
    }
    String view = text.substring(0, colon).strip();
    String feature = text.substring(colon + 1).strip();
    int at = view.indexOf('@');
    if (at < 0) {
      return new FeatureRef(view, feature);
    }
    String number = view.substring(at + 1).strip();
    String name = view.substring(0, at).strip();
    if (name.isEmpty() || !number.matches("[1-9][0-9]{0,8}")) {
      throw new IllegalArgumentException(
          "a pinned view is named view@N with N a version (1, 2, ...), got: " + text);
    }
    return new FeatureRef(name, OptionalInt.of(Integer.parseInt(number)), feature);
  }

  public boolean all() {
    return feature.equals(ALL);
  }

  /** The view as written: {@code view} or {@code view@N}. */
  public String viewRef() {
    return version.isPresent() ? view + "@" + version.getAsInt() : view;
  }

  @Override
  public String toString() {
    return viewRef() + ":" + feature;
  }
}
