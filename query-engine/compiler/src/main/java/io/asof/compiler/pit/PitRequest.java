package io.asof.compiler.pit;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import java.util.List;

/**
 * A point-in-time join: spine rows (keys, a timestamp, anything else such as labels) and the views
 * whose features to attach to each row as of its timestamp.
 *
 * @param spineColumns the spine query's output columns, with Trino types
 * @param timestamp the spine column each row's features are taken as of
 */
public record PitRequest(
    String spineSql, List<Column> spineColumns, String timestamp, List<PitView> views) {
  public PitRequest {
    requireNonNull(spineSql, "spineSql is null");
    spineColumns = List.copyOf(requireNonNull(spineColumns, "spineColumns is null"));
    requireNonNull(timestamp, "timestamp is null");
    views = List.copyOf(requireNonNull(views, "views is null"));
  }

  public String spineType(String column) {
    return spineColumns.stream()
        .filter(c -> c.name().equals(column))
        .map(Column::type)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the spine has no column " + column));
  }
}
