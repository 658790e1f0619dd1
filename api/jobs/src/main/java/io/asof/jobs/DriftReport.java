package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * How far the distribution of each feature of a training set's latest build lies from the same
 * feature's distribution in the most recent backfilled window of its view (of an aggregation view,
 * its features evaluated over the last {@link #REFERENCE_PERIOD} of its events): the population
 * stability index (PSI) over shared bins, with the shares of each bin on both sides.
 *
 * @param table the training set's table, {@code catalog.schema.name}
 * @param snapshotId the Iceberg snapshot of the build compared
 */
public record DriftReport(
    String trainingSet,
    String table,
    long snapshotId,
    Instant builtAt,
    List<FeatureDrift> features) {
  /** Below this PSI a feature is stable. */
  public static final double STABLE_BELOW = 0.1;

  /** Above this PSI a feature has drifted significantly; between the two, moderately. */
  public static final double SIGNIFICANT_ABOVE = 0.25;

  /**
   * How far back from its newest event an aggregation view's features are evaluated to be compared
   * with ({@link Source#EVALUATED}).
   */
  public static final Duration REFERENCE_PERIOD = Duration.ofDays(30);

  /** The share an empty bin is given, so that the PSI stays finite. */
  public static final double EPSILON = 1e-4;

  public DriftReport {
    requireNonNull(trainingSet, "trainingSet is null");
    requireNonNull(table, "table is null");
    requireNonNull(builtAt, "builtAt is null");
    features = List.copyOf(requireNonNull(features, "features is null"));
  }

  /** How much a feature drifted, by its PSI; or why it could not be told. */
  public enum Level {
    STABLE,
    MODERATE,
    SIGNIFICANT,
    UNAVAILABLE;

    /** The level of a PSI. */
    public static Level of(double psi) {
      return psi < STABLE_BELOW ? STABLE : psi <= SIGNIFICANT_ABOVE ? MODERATE : SIGNIFICANT;
    }
  }

  /** How a feature is binned: numeric by the window's quantiles, categorical by its top values. */
  public enum Kind {
    NUMERIC,
    CATEGORICAL,
    /** Times, arrays, maps: not compared. */
    OTHER
  }

  /**
   * What a feature was compared with: the backfill chunk whose statistics gave the bins and whose
   * rows were counted in them, or, for an aggregation view, its features evaluated over a recent
   * period of its events.
   *
   * @param jobId the backfill job, of a backfilled window
   * @param chunk the chunk of that job, of a backfilled window
   * @param table the view version's table ({@code catalog.schema.name}), of a backfilled window
   * @param from the first event time of the window, inclusive
   * @param to the end of a backfilled chunk, exclusive; of an evaluated period, its newest event
   *     time, inclusive
   */
  public record Window(
      Source source,
      Optional<String> jobId,
      OptionalInt chunk,
      Optional<String> table,
      Instant from,
      Instant to) {
    public Window {
      requireNonNull(source, "source is null");
      requireNonNull(jobId, "jobId is null");
      requireNonNull(chunk, "chunk is null");
      requireNonNull(table, "table is null");
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
      if (jobId.isPresent() != (source == Source.BACKFILL)
          || chunk.isPresent() != (source == Source.BACKFILL)
          || table.isPresent() != (source == Source.BACKFILL)) {
        throw new IllegalArgumentException(
            "a backfilled window has its job, chunk and table; an evaluated one none of them");
      }
    }

    /** The committed chunk {@code chunk} of backfill {@code jobId} into {@code table}. */
    public static Window backfill(String jobId, int chunk, String table, Instant from, Instant to) {
      return new Window(
          Source.BACKFILL, Optional.of(jobId), OptionalInt.of(chunk), Optional.of(table), from, to);
    }

    /** An aggregation view's features evaluated over its events of {@code [from, to]}. */
    public static Window evaluated(Instant from, Instant to) {
      return new Window(
          Source.EVALUATED, Optional.empty(), OptionalInt.empty(), Optional.empty(), from, to);
    }
  }

  /** Where a window's values come from. */
  public enum Source {
    /** A backfill chunk's rows, as stored in the view's table. */
    BACKFILL,
    /**
     * An aggregation view's features evaluated at each distinct (key, event time) of its events in
     * the {@link DriftReport#REFERENCE_PERIOD} up to its newest event time.
     */
    EVALUATED
  }

  /**
   * One bin and the share of each side's non-NULL values in it.
   *
   * @param lower a numeric bin's lower edge (inclusive), empty for the first bin
   * @param upper a numeric bin's upper edge (exclusive), empty for the last bin
   * @param category a categorical bin's value; empty for the bin of every other value
   */
  public record Bin(
      String label,
      OptionalDouble lower,
      OptionalDouble upper,
      Optional<String> category,
      long trainingCount,
      double trainingShare,
      long windowCount,
      double windowShare) {
    public Bin {
      requireNonNull(label, "label is null");
      requireNonNull(lower, "lower is null");
      requireNonNull(upper, "upper is null");
      requireNonNull(category, "category is null");
    }
  }

  /**
   * One feature's comparison.
   *
   * @param column the training set's column that holds the feature
   * @param psi the population stability index, when both sides have values
   * @param reason why there is no PSI, when there is none (and what to do)
   */
  public record FeatureDrift(
      String view,
      int version,
      String feature,
      String column,
      String type,
      Kind kind,
      Optional<Window> window,
      OptionalDouble psi,
      Level level,
      Optional<String> reason,
      long trainingRows,
      long trainingNulls,
      long windowRows,
      long windowNulls,
      List<Bin> bins) {
    public FeatureDrift {
      requireNonNull(view, "view is null");
      requireNonNull(feature, "feature is null");
      requireNonNull(column, "column is null");
      requireNonNull(type, "type is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(window, "window is null");
      requireNonNull(psi, "psi is null");
      requireNonNull(level, "level is null");
      requireNonNull(reason, "reason is null");
      bins = List.copyOf(requireNonNull(bins, "bins is null"));
      if (psi.isEmpty() != (level == Level.UNAVAILABLE) || psi.isEmpty() != reason.isPresent()) {
        throw new IllegalArgumentException(
            "feature %s:%s has a PSI, or a reason why it has none".formatted(view, feature));
      }
    }

    /** A feature that could not be compared, and why. */
    static FeatureDrift unavailable(
        String view, int version, String feature, String column, String type, String reason) {
      return new FeatureDrift(
          view,
          version,
          feature,
          column,
          type,
          Kind.OTHER,
          Optional.empty(),
          OptionalDouble.empty(),
          Level.UNAVAILABLE,
          Optional.of(reason),
          0,
          0,
          0,
          0,
          List.of());
    }

    /** {@code view:feature}. */
    public String reference() {
      return view + ":" + feature;
    }
  }

  /**
   * The PSI of two distributions over the same bins: the sum over bins of {@code (a - e) * ln(a /
   * e)}, where {@code e} and {@code a} are each side's share of its values; an empty bin counts as
   * a share of {@link #EPSILON}.
   */
  public static double psi(List<Long> expected, List<Long> actual) {
    if (expected.size() != actual.size() || expected.isEmpty()) {
      throw new IllegalArgumentException(
          "PSI compares the same bins: %d and %d".formatted(expected.size(), actual.size()));
    }
    double expectedTotal = expected.stream().mapToLong(Long::longValue).sum();
    double actualTotal = actual.stream().mapToLong(Long::longValue).sum();
    if (expectedTotal <= 0 || actualTotal <= 0) {
      throw new IllegalArgumentException("PSI needs values on both sides");
    }
    double psi = 0;
    for (int i = 0; i < expected.size(); i++) {
      double e = Math.max(expected.get(i) / expectedTotal, EPSILON);
      double a = Math.max(actual.get(i) / actualTotal, EPSILON);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }
}
