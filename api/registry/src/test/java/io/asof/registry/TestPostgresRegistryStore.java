package io.asof.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/**
 * The registry contract on PostgreSQL, at {@code -Dasof.registry.postgres.url} (default: the local
 * server on 127.0.0.1:5432, user postgres). Each test gets a database of its own, dropped after.
 * Skipped, with the reason, where no PostgreSQL answers.
 */
class TestPostgresRegistryStore extends RegistryStoreContract {
  private static final String SERVER =
      System.getProperty("asof.registry.postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
  private static final String USER = System.getProperty("asof.registry.postgres.user", "postgres");
  private static final String PASSWORD = System.getProperty("asof.registry.postgres.password", "");
  private static final List<String> CREATED = new ArrayList<>();

  private RegistryConfig config;

  @Override
  protected RegistryConfig freshDatabase() throws SQLException {
    String database = "asof_registry_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = connectServer();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
    CREATED.add(database);
    config =
        new RegistryConfig(
            SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database, USER, PASSWORD);
    return config;
  }

  @Override
  protected RegistryConfig lastConfig() {
    return config;
  }

  private static Connection connectServer() {
    try {
      return DriverManager.getConnection(SERVER, USER, PASSWORD);
    } catch (SQLException e) {
      assumeTrue(
          false,
          "no PostgreSQL at "
              + SERVER
              + " ("
              + e.getMessage()
              + "); set -Dasof.registry.postgres.url to run these");
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void dropDatabases() throws SQLException {
    if (CREATED.isEmpty()) {
      return;
    }
    try (Connection connection = DriverManager.getConnection(SERVER, USER, PASSWORD);
        Statement statement = connection.createStatement()) {
      for (String database : CREATED) {
        statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }
}
