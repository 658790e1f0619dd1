package io.asof.jobs;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryResult;
import io.asof.engine.QueryStats;
import io.asof.engine.RowConsumer;
import io.asof.model.Column;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * A hand-written engine for the statements a service sends: it records what it is asked to execute
 * and answers each query with the rows scripted for the first fragment the query contains.
 */
final class ScriptedEngine implements QueryEngine {
  private final List<String> executed = new ArrayList<>();
  private final Map<String, Supplier<List<List<Object>>>> answers = new LinkedHashMap<>();
  private final Map<String, List<Column>> descriptions = new LinkedHashMap<>();

  /** Answers queries containing {@code fragment} with the rows {@code rows} gives then. */
  ScriptedEngine answer(String fragment, Supplier<List<List<Object>>> rows) {
    answers.put(fragment, rows);
    return this;
  }

  /** Describes queries containing {@code fragment} as {@code columns}. */
  ScriptedEngine describing(String fragment, List<Column> columns) {
    descriptions.put(fragment, columns);
    return this;
  }

  /** The statements executed so far, in order. */
  List<String> executed() {
    return List.copyOf(executed);
  }

  @Override
  public synchronized QueryStats execute(String sql) {
    executed.add(sql);
    return stats(1);
  }

  @Override
  public synchronized QueryResult query(String sql) {
    for (Map.Entry<String, Supplier<List<List<Object>>>> answer : answers.entrySet()) {
      if (sql.contains(answer.getKey())) {
        List<List<Object>> rows = answer.getValue().get();
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < (rows.isEmpty() ? 1 : rows.getFirst().size()); i++) {
          columns.add(new Column("_col" + i, "unknown"));
        }
        return new QueryResult(columns, rows, stats(rows.size()));
      }
    }
    throw new AssertionError("no scripted answer for: " + sql);
  }

  @Override
  public QueryStats stream(String sql, RowConsumer consumer) {
    throw new UnsupportedOperationException("not scripted: " + sql);
  }

  @Override
  public List<Column> describe(String sql) {
    for (Map.Entry<String, List<Column>> description : descriptions.entrySet()) {
      if (sql.contains(description.getKey())) {
        return description.getValue();
      }
    }
    throw new AssertionError("no scripted description of: " + sql);
  }

  @Override
  public String explain(String sql) {
    throw new UnsupportedOperationException("not scripted: " + sql);
  }

  @Override
  public void close() {}

  private static QueryStats stats(long rows) {
    return new QueryStats(
        "scripted", rows, OptionalLong.empty(), Duration.ZERO, OptionalLong.empty());
  }
}
