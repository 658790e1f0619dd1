package io.asof.engine;

import io.asof.model.Column;
import org.intellij.lang.annotations.Language;

/**
 * A SQL engine Asof runs its generated statements on (Trino over JDBC, Amazon Athena over the AWS
 * SDK). Implementations are thread-safe; every method may block until the engine answers.
 */
public interface QueryEngine extends AutoCloseable {
  /** Runs a statement that returns no rows worth keeping (DDL, INSERT, MERGE); returns its cost. */
  QueryStats execute(@Language("SQL") String sql);

  /**
   * Runs a statement like {@link #execute(String)}, telling {@code progress} how far it has got
   * while it runs (for long jobs: backfills, training-set builds). Engines that cannot report
   * progress just run it.
   */
  default QueryStats execute(
      @Language("SQL") String sql, java.util.function.Consumer<QueryProgress> progress) {
    return execute(sql);
  }

  /** Runs a query and returns all of its rows; for small results. */
  QueryResult query(@Language("SQL") String sql);

  /**
   * Runs a query and hands each row to {@code consumer} as it arrives, without holding the result
   * in memory; for large pulls.
   */
  QueryStats stream(@Language("SQL") String sql, RowConsumer consumer);

  /**
   * Runs a query like {@link #stream(String, RowConsumer)} for a large pull whose row order does
   * not matter (an online load, a table export): an engine may hand the rows over in any order,
   * reading them from files it wrote in parallel instead of paging them (Athena unloads them to
   * Parquet on S3). Engines without such a path stream.
   */
  default QueryStats streamUnordered(@Language("SQL") String sql, RowConsumer consumer) {
    return stream(sql, consumer);
  }

  /**
   * The output columns of a query, with the engine's exact types, without running it; fails like
   * the query would on unknown tables, columns or functions.
   */
  java.util.List<Column> describe(@Language("SQL") String sql);

  /** The engine's plan for a statement, as text. */
  String explain(@Language("SQL") String sql);

  /**
   * What running a statement cost in US dollars, from its stats, where the engine bills by use
   * (Athena bills bytes scanned); empty where it does not say.
   */
  default java.util.OptionalDouble costUsd(QueryStats stats) {
    return java.util.OptionalDouble.empty();
  }

  /** Releases connections; the engine is unusable afterwards. */
  @Override
  void close();
}
