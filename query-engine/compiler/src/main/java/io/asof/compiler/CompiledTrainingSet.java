package io.asof.compiler;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.pit.PitPlan;
import io.asof.compiler.pit.PitRequest;
import io.asof.model.Column;
import io.asof.model.TrainingSetSpec;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A training set that compiled: the views it takes features from (in output order), the
 * point-in-time request, and the one statement that yields its rows.
 *
 * @param pinned the views read at a pinned older version ({@code view@N}), and that version; the
 *     others are read at the version applied now
 * @param viewsAsOf the moment the backfilled views are read as of (Iceberg time travel), if not now
 */
public record CompiledTrainingSet(
    TrainingSetSpec spec,
    List<CompiledView> views,
    PitRequest request,
    PitPlan plan,
    Map<String, Integer> pinned,
    Optional<Instant> viewsAsOf) {
  public CompiledTrainingSet {
    requireNonNull(spec, "spec is null");
    views = List.copyOf(requireNonNull(views, "views is null"));
    requireNonNull(request, "request is null");
    requireNonNull(plan, "plan is null");
    pinned =
        Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(pinned, "pinned is null")));
    requireNonNull(viewsAsOf, "viewsAsOf is null");
  }

  public CompiledTrainingSet(
      TrainingSetSpec spec, List<CompiledView> views, PitRequest request, PitPlan plan) {
    this(spec, views, request, plan, Map.of(), Optional.empty());
  }

  /**
   * This set, recording which views it reads at a pinned older version and the moment it reads
   * backfilled views as of.
   */
  public CompiledTrainingSet reading(Map<String, Integer> versions, Optional<Instant> asOf) {
    return new CompiledTrainingSet(spec, views, request, plan, versions, asOf);
  }

  public String name() {
    return spec.name();
  }

  /** The statement that yields the training rows. */
  public String sql() {
    return plan.sql();
  }

  /** The statement reading at most {@code rows} of the set's rows (an ad-hoc query's page). */
  public String firstRows(long rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows is negative: " + rows);
    }
    return "SELECT *\nFROM (\n%s\n) AS training_set\nLIMIT %d".formatted(sql(), rows);
  }

  /** The output: the spine's columns, then each view's features (and event times). */
  public List<Column> columns() {
    return plan.columns();
  }
}
