package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The result of a finished query, kept in memory (the emulator is a fixture: results are small).
 *
 * @param columns the result's columns; empty for statements without rows
 * @param rows the values as Athena hands them out, each a string or null
 * @param headerRow whether GetQueryResults' first row holds the column names (as Athena's does for
 *     a SELECT)
 * @param updateCount rows written by DML and CTAS; 0 otherwise
 */
record QueryResults(
    List<Column> columns, List<List<String>> rows, boolean headerRow, long updateCount) {
  /**
   * One result column.
   *
   * @param name the column's label
   * @param type its Trino type
   */
  record Column(String name, TrinoType type) {
    Column {
      requireNonNull(name, "name is null");
      requireNonNull(type, "type is null");
    }
  }

  QueryResults {
    columns = List.copyOf(columns);
    List<List<String>> copy = new ArrayList<>(rows.size());
    for (List<String> row : rows) {
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
  }

  /** The result of a statement without rows. */
  static QueryResults updateCount(long count) {
    return new QueryResults(List.of(), List.of(), false, count);
  }

  /** How many rows GetQueryResults hands out, the header row included. */
  int pagedRowCount() {
    return rows.size() + (headerRow ? 1 : 0);
  }

  /** The row GetQueryResults hands out at {@code index}, the header row first when there is one. */
  List<String> pagedRow(int index) {
    if (headerRow) {
      return index == 0 ? columns.stream().map(Column::name).toList() : rows.get(index - 1);
    }
    return rows.get(index);
  }
}
