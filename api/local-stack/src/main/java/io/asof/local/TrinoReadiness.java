package io.asof.local;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Decides that a Trino answering on its port also takes writes: a node is active, Asof's schemas
 * exist, and a partitioned Iceberg insert succeeds. Right after start such an insert can fail with
 * "nodes is empty", so the probe is retried until the deadline.
 */
public final class TrinoReadiness {
  private TrinoReadiness() {}

  /** Waits up to {@code timeout} for the Trino behind {@code endpoints} to take writes. */
  public static void awaitWritable(StackEndpoints endpoints, Duration timeout) {
    awaitWritable(endpoints, System.nanoTime() + timeout.toNanos(), () -> {}, null);
  }

  static void awaitWritable(
      StackEndpoints endpoints, long deadlineNanos, Runnable aliveCheck, Path log) {
    Exception last = null;
    while (true) {
      aliveCheck.run();
      try {
        if (activeNodes(endpoints) > 0) {
          prepareSchemas(endpoints);
          probeWrite(endpoints);
          return;
        }
      } catch (SQLException e) {
        last = e;
      }
      if (System.nanoTime() > deadlineNanos) {
        String message =
            "Trino does not take writes" + (last == null ? "" : ": " + last.getMessage());
        throw log == null ? new StackException(message) : new StackException(message, log);
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackException("interrupted while waiting for Trino", e);
      }
    }
  }

  static Connection connect(StackEndpoints endpoints) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", endpoints.trinoUser());
    return DriverManager.getConnection(endpoints.trinoJdbcUrl(), properties);
  }

  private static long activeNodes(StackEndpoints endpoints) throws SQLException {
    try (Connection connection = connect(endpoints);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void prepareSchemas(StackEndpoints endpoints) throws SQLException {
    try (Connection connection = connect(endpoints);
        Statement statement = connection.createStatement()) {
      for (String schema :
          List.of(
              endpoints.warehouseSchema(), endpoints.featureSchema(), endpoints.trainingSchema())) {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + endpoints.catalog() + "." + schema);
      }
    }
  }

  private static void probeWrite(StackEndpoints endpoints) throws SQLException {
    String table = endpoints.warehouseTable("_asof_ready_probe");
    try (Connection connection = connect(endpoints);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + table);
      statement.execute(
          "CREATE TABLE " + table + " (ts timestamp(6)) WITH (partitioning = ARRAY['day(ts)'])");
      try {
        statement.execute("INSERT INTO " + table + " VALUES TIMESTAMP '2026-01-01 00:00:00'");
      } finally {
        statement.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }
}
