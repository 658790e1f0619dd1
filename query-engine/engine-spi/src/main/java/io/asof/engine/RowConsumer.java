package io.asof.engine;

import io.asof.model.Column;
import java.util.List;

/** Receives the rows of a streamed query one at a time. */
@FunctionalInterface
public interface RowConsumer {
  /**
   * Takes one row; values are in column order and typed as JDBC maps them (Long, String, Boolean,
   * BigDecimal, java.time types, ...), arrays as {@link List}s, {@code null} for SQL NULL.
   */
  void accept(List<Column> columns, List<Object> values);
}
