package io.asof.server;

import io.asof.jobs.DriftReport;
import io.asof.jobs.DriftReport.Bin;
import io.asof.jobs.DriftReport.FeatureDrift;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** A drift report as JSON, the same from {@code GET /v1/training-sets/{name}/drift} and the CLI. */
public final class DriftJson {
  private DriftJson() {}

  /** The report as one line of JSON. */
  public static String text(DriftReport report) {
    return new String(new Json().write(of(report)), StandardCharsets.UTF_8);
  }

  static Map<String, Object> of(DriftReport report) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("training_set", report.trainingSet());
    json.put("table", report.table());
    json.put("snapshot_id", report.snapshotId());
    json.put("built_at", report.builtAt().toString());
    Map<String, Object> thresholds = new LinkedHashMap<>();
    thresholds.put("stable_below", DriftReport.STABLE_BELOW);
    thresholds.put("significant_above", DriftReport.SIGNIFICANT_ABOVE);
    thresholds.put("epsilon", DriftReport.EPSILON);
    json.put("thresholds", thresholds);
    json.put("features", report.features().stream().map(DriftJson::feature).toList());
    return json;
  }

  private static Map<String, Object> feature(FeatureDrift drift) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("feature", drift.reference());
    json.put("view", drift.view());
    json.put("version", drift.version());
    json.put("column", drift.column());
    json.put("type", drift.type());
    json.put("kind", lower(drift.kind()));
    json.put("psi", number(drift.psi()));
    json.put("level", lower(drift.level()));
    json.put("reason", drift.reason().orElse(null));
    json.put(
        "window",
        drift
            .window()
            .map(
                w -> {
                  Map<String, Object> window = new LinkedHashMap<>();
                  window.put("source", lower(w.source()));
                  window.put("job_id", w.jobId().orElse(null));
                  window.put("chunk", w.chunk().isPresent() ? w.chunk().getAsInt() : null);
                  window.put("table", w.table().orElse(null));
                  window.put("from", w.from().toString());
                  window.put("to", w.to().toString());
                  return window;
                })
            .orElse(null));
    json.put("training_rows", drift.trainingRows());
    json.put("training_nulls", drift.trainingNulls());
    json.put("window_rows", drift.windowRows());
    json.put("window_nulls", drift.windowNulls());
    List<Map<String, Object>> bins = drift.bins().stream().map(DriftJson::bin).toList();
    json.put("bins", bins);
    return json;
  }

  private static Map<String, Object> bin(Bin bin) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("label", bin.label());
    json.put("lower", number(bin.lower()));
    json.put("upper", number(bin.upper()));
    json.put("category", bin.category().orElse(null));
    json.put("training_count", bin.trainingCount());
    json.put("training_share", bin.trainingShare());
    json.put("window_count", bin.windowCount());
    json.put("window_share", bin.windowShare());
    return json;
  }

  /** A number, or JSON null when there is none. */
  static Double number(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
