package io.asof.compiler.pit;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import java.util.List;

/** The one statement a point-in-time join compiles to, and the columns it yields. */
public record PitPlan(String sql, List<Column> columns) {
  public PitPlan {
    requireNonNull(sql, "sql is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
  }
}
