package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The first rows of an ad-hoc training set, for a quick look over HTTP.
 *
 * @param truncated whether the set has more rows than {@code limit}, of which only the first were
 *     kept
 * @param sql the one statement that yields all of the set's rows
 */
public record TrainingRows(
    List<Column> columns, List<List<Object>> rows, int limit, boolean truncated, String sql) {
  public TrainingRows {
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    // rows hold SQL NULLs, which List.copyOf refuses
    rows = Collections.unmodifiableList(new ArrayList<>(requireNonNull(rows, "rows is null")));
    requireNonNull(sql, "sql is null");
  }
}
