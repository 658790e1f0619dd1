package io.asof.engine.trino;

import static java.util.Objects.requireNonNull;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.QueryProgress;
import io.asof.engine.QueryResult;
import io.asof.engine.QueryStats;
import io.asof.engine.RowConsumer;
import io.asof.model.Column;
import io.trino.jdbc.TrinoStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.intellij.lang.annotations.Language;

/**
 * Runs statements on a Trino coordinator through its JDBC driver. A connection is opened per
 * statement: Trino's driver shares its HTTP client, so this is cheap and keeps the engine
 * thread-safe without a pool.
 */
public final class TrinoQueryEngine implements QueryEngine {
  private static final Pattern FIRST_LINE_POSITION = Pattern.compile("line 1:(\\d+):");

  private final TrinoConnectionConfig config;

  public TrinoQueryEngine(TrinoConnectionConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  public QueryStats execute(@Language("SQL") String sql) {
    return execute(sql, progress -> {});
  }

  @Override
  public QueryStats execute(@Language("SQL") String sql, Consumer<QueryProgress> progress) {
    requireNonNull(progress, "progress is null");
    return run(
        sql,
        progress,
        statement -> {
          statement.execute(sql);
          long count = Math.max(statement.getUpdateCount(), 0);
          ResultSet resultSet = statement.getResultSet();
          if (resultSet != null) {
            try (resultSet) {
              count = 0;
              while (resultSet.next()) {
                count++;
              }
            }
          }
          return count;
        });
  }

  @Override
  public QueryResult query(@Language("SQL") String sql) {
    List<List<Object>> rows = new ArrayList<>();
    AtomicReference<List<Column>> columns = new AtomicReference<>(List.of());
    QueryStats stats =
        stream(
            sql,
            (rowColumns, values) -> {
              columns.set(rowColumns);
              rows.add(values);
            });
    if (rows.isEmpty()) {
      // an empty result still has columns; ask for them without rows
      columns.set(describe(sql));
    }
    return new QueryResult(columns.get(), rows, stats);
  }

  @Override
  public QueryStats stream(@Language("SQL") String sql, RowConsumer consumer) {
    requireNonNull(consumer, "consumer is null");
    return run(
        sql,
        statement -> {
          long count = 0;
          try (ResultSet resultSet = statement.executeQuery(sql)) {
            List<Column> columns = columns(resultSet.getMetaData());
            int width = columns.size();
            while (resultSet.next()) {
              List<Object> values = new ArrayList<>(width);
              for (int i = 1; i <= width; i++) {
                values.add(value(resultSet.getObject(i)));
              }
              consumer.accept(columns, values);
              count++;
            }
          }
          return count;
        });
  }

  @Override
  public String explain(@Language("SQL") String sql) {
    StringBuilder plan = new StringBuilder();
    stream("EXPLAIN " + sql, (columns, values) -> plan.append(values.getFirst()));
    return plan.toString();
  }

  @Override
  public void close() {
    // connections are per statement; nothing is held between calls
  }

  @Override
  public String toString() {
    return "TrinoQueryEngine[" + config.jdbcUrl() + "]";
  }

  @Override
  public List<Column> describe(@Language("SQL") String sql) {
    // PREPARE + DESCRIBE OUTPUT on one connection: Trino analyses the query without running it and
    // reports exact types (timestamp(6), decimal(38,2))
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("PREPARE asof_describe FROM " + sql);
      List<Column> columns = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("DESCRIBE OUTPUT asof_describe")) {
        while (rows.next()) {
          columns.add(new Column(rows.getString("Column Name"), rows.getString("Type")));
        }
      }
      return columns;
    } catch (SQLException e) {
      // a prepared statement is kept reformatted, so DESCRIBE OUTPUT's error positions are not the
      // query's own: validate the query as written to report where it fails
      String validate = "EXPLAIN (TYPE VALIDATE) ";
      try (Connection connection = connect();
          Statement statement = connection.createStatement()) {
        statement.execute(validate + sql);
      } catch (SQLException asWritten) {
        QueryEngineException failure = failure(sql, asWritten);
        // positions on the first line count the EXPLAIN in front of the query
        Matcher first = FIRST_LINE_POSITION.matcher(failure.getMessage());
        if (first.find()) {
          int column = Integer.parseInt(first.group(1)) - validate.length();
          throw new QueryEngineException(
              first.replaceFirst("line 1:" + column + ":"), sql, asWritten);
        }
        throw failure;
      }
      throw failure(sql, e);
    }
  }

  private QueryStats run(String sql, StatementAction action) {
    return run(sql, progress -> {}, action);
  }

  private QueryStats run(String sql, Consumer<QueryProgress> progress, StatementAction action) {
    requireNonNull(sql, "sql is null");
    long start = System.nanoTime();
    AtomicReference<io.trino.jdbc.QueryStats> last = new AtomicReference<>();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement
          .unwrap(TrinoStatement.class)
          .setProgressMonitor(
              stats -> {
                last.set(stats);
                progress.accept(
                    new QueryProgress(
                        stats.getQueryId(),
                        stats.getState(),
                        stats.getCompletedSplits(),
                        stats.getTotalSplits(),
                        stats.getProcessedRows(),
                        stats.getProcessedBytes(),
                        Duration.ofNanos(System.nanoTime() - start)));
              });
      long rows = action.run(statement);
      io.trino.jdbc.QueryStats trinoStats = last.get();
      return new QueryStats(
          trinoStats == null ? "" : trinoStats.getQueryId(),
          rows,
          trinoStats == null
              ? OptionalLong.empty()
              : OptionalLong.of(trinoStats.getPhysicalInputBytes()),
          Duration.ofNanos(System.nanoTime() - start),
          trinoStats == null
              ? OptionalLong.empty()
              : OptionalLong.of(trinoStats.getPeakMemoryBytes()));
    } catch (SQLException e) {
      throw failure(sql, e);
    }
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", config.user());
    if (!config.sessionProperties().isEmpty()) {
      properties.setProperty(
          "sessionProperties",
          config.sessionProperties().entrySet().stream()
              .map(e -> e.getKey() + ":" + e.getValue())
              .collect(java.util.stream.Collectors.joining(";")));
    }
    Connection connection = DriverManager.getConnection(config.jdbcUrl(), properties);
    // the driver retries a Trino that does not answer for this long, then fails the statement
    connection.setNetworkTimeout(Runnable::run, (int) config.timeout().toMillis());
    return connection;
  }

  private static List<Column> columns(ResultSetMetaData metaData) throws SQLException {
    List<Column> columns = new ArrayList<>(metaData.getColumnCount());
    for (int i = 1; i <= metaData.getColumnCount(); i++) {
      columns.add(new Column(metaData.getColumnLabel(i), metaData.getColumnTypeName(i)));
    }
    return columns;
  }

  private static QueryEngineException failure(String sql, SQLException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return new QueryEngineException(message, sql, e);
  }

  @FunctionalInterface
  private interface StatementAction {
    long run(Statement statement) throws SQLException;
  }

  /** JDBC arrays become lists (their elements converted likewise), so values outlive the query. */
  private static Object value(Object jdbc) throws SQLException {
    if (jdbc instanceof java.sql.Array array) {
      Object[] elements = (Object[]) array.getArray();
      List<Object> list = new ArrayList<>(elements.length);
      for (Object element : elements) {
        list.add(value(element));
      }
      return Collections.unmodifiableList(list);
    }
    return jdbc;
  }
}
