package io.asof.compiler;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import io.asof.model.Entity;
import io.asof.model.FeatureViewSpec;
import io.asof.model.window.WindowedAggregation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A feature view that compiled: its output with Trino's exact types, split into entity keys, event
 * time, created time and features, the warehouse tables it reads, and its column lineage: for each
 * output column, the source columns ({@code catalog.schema.table.column}) that feed it.
 *
 * <p>An aggregation view ({@link FeatureViewSpec#aggregation()}) outputs its keys and its features
 * (each aggregate over each window); its event and created times are columns of its events, in
 * {@code aggregation}.
 */
public record CompiledView(
    FeatureViewSpec spec,
    Entity entity,
    List<Column> columns,
    List<Column> features,
    List<String> sourceTables,
    Map<String, List<String>> lineage,
    Optional<WindowedAggregation> aggregation) {
  public CompiledView {
    requireNonNull(spec, "spec is null");
    requireNonNull(entity, "entity is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    features = List.copyOf(requireNonNull(features, "features is null"));
    sourceTables = List.copyOf(requireNonNull(sourceTables, "sourceTables is null"));
    lineage =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(requireNonNull(lineage, "lineage is null")));
    requireNonNull(aggregation, "aggregation is null");
    if (aggregation.isPresent() != spec.aggregation()) {
      throw new IllegalArgumentException(
          "view %s: an aggregation view has its aggregation, and only it".formatted(spec.name()));
    }
  }

  /** A view whose rows are its values. */
  public CompiledView(
      FeatureViewSpec spec,
      Entity entity,
      List<Column> columns,
      List<Column> features,
      List<String> sourceTables,
      Map<String, List<String>> lineage) {
    this(spec, entity, columns, features, sourceTables, lineage, Optional.empty());
  }

  public String name() {
    return spec.name();
  }

  /** The type of an output column, as Trino names it. */
  public String type(String column) {
    return columns.stream()
        .filter(c -> c.name().equals(column))
        .map(Column::type)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(spec.name() + " has no column " + column));
  }

  /** The source columns that feed an output column; empty when none does (a constant). */
  public List<String> sources(String column) {
    return lineage.getOrDefault(column, List.of());
  }
}
