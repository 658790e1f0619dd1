package io.asof.engine;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The whole result of a small query: columns, rows in engine order, and what it cost. */
public record QueryResult(List<Column> columns, List<List<Object>> rows, QueryStats stats) {
  public QueryResult {
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    // rows may hold SQL NULLs, which List.copyOf refuses
    List<List<Object>> copy = new ArrayList<>(requireNonNull(rows, "rows is null").size());
    for (List<Object> row : rows) {
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
    requireNonNull(stats, "stats is null");
  }

  /** The single value of a one-row, one-column result. */
  public Object onlyValue() {
    if (rows.size() != 1 || columns.size() != 1) {
      throw new IllegalStateException(
          "expected one row of one column, got %d rows of %d columns"
              .formatted(rows.size(), columns.size()));
    }
    return rows.getFirst().getFirst();
  }

  /** The position of a column by name, case-insensitively. */
  public int columnIndex(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no column " + name + " in " + columns);
  }
}
