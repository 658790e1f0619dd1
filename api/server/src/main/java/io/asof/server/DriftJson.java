package io.asof.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.asof.jobs.DriftReport;
import io.asof.jobs.DriftReport.FeatureDrift;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** A drift report as JSON, the same from {@code GET /v1/training-sets/{name}/drift} and the CLI. */
public final class DriftJson {
  private DriftJson() {}

  /** The report as one line of JSON. */
  public static String text(DriftReport report) {
    return new String(new Json().write(of(report)), StandardCharsets.UTF_8);
  }

  static Report of(DriftReport report) {
    return new Report(
        report.trainingSet(),
        report.table(),
        report.snapshotId(),
        report.builtAt().toString(),
        new Thresholds(
            DriftReport.STABLE_BELOW, DriftReport.SIGNIFICANT_ABOVE, DriftReport.EPSILON),
        report.features().stream().map(DriftJson::feature).toList());
  }

  private static Feature feature(FeatureDrift drift) {
    return new Feature(
        drift.reference(),
        drift.view(),
        drift.version(),
        drift.column(),
        drift.type(),
        lower(drift.kind()),
        number(drift.psi()),
        lower(drift.level()),
        drift.reason().orElse(null),
        drift
            .window()
            .map(
                w ->
                    new Window(
                        lower(w.source()),
                        w.jobId().orElse(null),
                        w.chunk().isPresent() ? w.chunk().getAsInt() : null,
                        w.table().orElse(null),
                        w.from().toString(),
                        w.to().toString()))
            .orElse(null),
        drift.trainingRows(),
        drift.trainingNulls(),
        drift.windowRows(),
        drift.windowNulls(),
        drift.bins().stream().map(DriftJson::bin).toList());
  }

  private static Bin bin(DriftReport.Bin bin) {
    return new Bin(
        bin.label(),
        number(bin.lower()),
        number(bin.upper()),
        bin.category().orElse(null),
        bin.trainingCount(),
        bin.trainingShare(),
        bin.windowCount(),
        bin.windowShare());
  }

  /** A number, or JSON null when there is none. */
  static Double number(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** The report: the build compared, the PSI thresholds, each feature's comparison. */
  record Report(
      @JsonProperty("training_set") String trainingSet,
      String table,
      @JsonProperty("snapshot_id") long snapshotId,
      @JsonProperty("built_at") String builtAt,
      Thresholds thresholds,
      List<Feature> features) {}

  /** The PSI levels' bounds, and the share an empty bin counts as. */
  record Thresholds(
      @JsonProperty("stable_below") double stableBelow,
      @JsonProperty("significant_above") double significantAbove,
      double epsilon) {}

  /** One feature's comparison; {@code psi} null with a {@code reason} when there is none. */
  record Feature(
      String feature,
      String view,
      int version,
      String column,
      String type,
      String kind,
      Double psi,
      String level,
      String reason,
      Window window,
      @JsonProperty("training_rows") long trainingRows,
      @JsonProperty("training_nulls") long trainingNulls,
      @JsonProperty("window_rows") long windowRows,
      @JsonProperty("window_nulls") long windowNulls,
      List<Bin> bins) {}

  /** What the feature was compared with: a backfilled chunk, or the view evaluated. */
  record Window(
      String source,
      @JsonProperty("job_id") String jobId,
      Integer chunk,
      String table,
      String from,
      String to) {}

  /** A bin: its edges or category, and both sides' counts and shares. */
  record Bin(
      String label,
      Double lower,
      Double upper,
      String category,
      @JsonProperty("training_count") long trainingCount,
      @JsonProperty("training_share") double trainingShare,
      @JsonProperty("window_count") long windowCount,
      @JsonProperty("window_share") double windowShare) {}
}
