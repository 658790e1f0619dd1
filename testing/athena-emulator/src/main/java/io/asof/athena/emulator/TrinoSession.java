package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Connections to the Trino the emulator runs queries on, and how Trino's failures read. */
final class TrinoSession {
  private static final Pattern QUERY_FAILED =
      Pattern.compile("Query failed \\(#([^)]+)\\): (.*)", Pattern.DOTALL);

  private final String jdbcUrl;
  private final String user;

  TrinoSession(String jdbcUrl, String user) {
    this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl is null");
    this.user = requireNonNull(user, "user is null");
  }

  /** A new connection whose session catalog and schema are the given ones (when not null). */
  Connection connect(String catalog, String schema) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    Connection connection = DriverManager.getConnection(jdbcUrl, properties);
    try {
      if (catalog != null) {
        connection.setCatalog(catalog);
      }
      if (schema != null) {
        connection.setSchema(schema);
      }
      return connection;
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  /** Runs one statement without a session catalog, for its effect. */
  void execute(String sql) throws SQLException {
    try (Connection connection = connect(null, null);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /**
   * The rows of a metadata query, every value as a string. Values go into the SQL as literals
   * ({@link #literal}): a prepared statement would cost Trino two more round trips.
   */
  List<List<String>> query(String sql) throws SQLException {
    try (Connection connection = connect(null, null);
        Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery(sql)) {
      int width = resultSet.getMetaData().getColumnCount();
      List<List<String>> rows = new ArrayList<>();
      while (resultSet.next()) {
        List<String> row = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
          row.add(resultSet.getString(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  /** A SQL string literal of {@code value}. */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** A SQL quoted identifier of {@code name}. */
  static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /**
   * What Trino said of a failed statement: its message without the driver's {@code Query failed
   * (#id):} prefix, and the error's name and type as Trino's {@code system.runtime.queries} records
   * them (null when the query never reached Trino).
   */
  Failure failure(SQLException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    Matcher matcher = QUERY_FAILED.matcher(message);
    if (!matcher.matches()) {
      return new Failure(message, null, null);
    }
    String queryId = matcher.group(1);
    String text = matcher.group(2);
    try {
      List<List<String>> rows =
          query(
              "SELECT error_code, error_type FROM system.runtime.queries WHERE query_id = "
                  + literal(queryId));
      if (!rows.isEmpty()) {
        return new Failure(text, rows.getFirst().get(0), rows.getFirst().get(1));
      }
    } catch (SQLException ignored) {
      // the name is a nicety: without it the message still says what went wrong
    }
    return new Failure(text, null, null);
  }

  /**
   * A failed statement.
   *
   * @param message Trino's message
   * @param errorName Trino's error code name ({@code SYNTAX_ERROR}, {@code TABLE_NOT_FOUND}), or
   *     null
   * @param errorType {@code USER_ERROR}, {@code INTERNAL_ERROR}, {@code INSUFFICIENT_RESOURCES},
   *     {@code EXTERNAL}, or null
   */
  record Failure(String message, String errorName, String errorType) {
    /** The reason as Athena words it: {@code NAME: message}. */
    String reason() {
      return errorName == null ? message : errorName + ": " + message;
    }
  }
}
