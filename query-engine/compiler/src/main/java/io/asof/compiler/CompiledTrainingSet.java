package io.asof.compiler;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.pit.PitPlan;
import io.asof.compiler.pit.PitRequest;
import io.asof.engine.Column;
import io.asof.model.TrainingSetSpec;
import java.util.List;

/**
 * A training set that compiled: the views it takes features from (in output order), the
 * point-in-time request, and the one statement that yields its rows.
 */
public record CompiledTrainingSet(
    TrainingSetSpec spec, List<CompiledView> views, PitRequest request, PitPlan plan) {
  public CompiledTrainingSet {
    requireNonNull(spec, "spec is null");
    views = List.copyOf(requireNonNull(views, "views is null"));
    requireNonNull(request, "request is null");
    requireNonNull(plan, "plan is null");
  }

  public String name() {
    return spec.name();
  }

  /** The statement that yields the training rows. */
  public String sql() {
    return plan.sql();
  }

  /** The output: the spine's columns, then each view's features (and event times). */
  public List<Column> columns() {
    return plan.columns();
  }
}
