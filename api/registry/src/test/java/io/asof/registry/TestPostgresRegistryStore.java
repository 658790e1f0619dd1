package io.asof.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The registry contract on PostgreSQL, at {@code -Dasof.registry.postgres.url} (default: the local
 * server on 127.0.0.1:5432, user postgres). Each test gets a database of its own, dropped after.
 * Skipped, with the reason, where no PostgreSQL answers. Here too: servers that open one registry
 * at the same moment, which only PostgreSQL allows (an embedded H2 file has one process).
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

  @Test
  void serversOpeningAFreshRegistryAtOnceWaitForEachOtherAndEachVersionRunsOnce() throws Exception {
    RegistryConfig fresh = freshDatabase();

    assertThat(openAtOnce(fresh, 4)).containsOnly(Migrations.latest()).hasSize(4);

    try (Connection connection = connect(fresh)) {
      assertThat(RegistryStoreContract.flywayHistory(DSL.using(connection, SQLDialect.POSTGRES)))
          .isEqualTo(RegistryStoreContract.historyFrom(0, "before the first version"));
    }
  }

  @Test
  void serversOpeningARegistryOfTheRunnerBeforeFlywayAtOnceAdoptItOnce() throws Exception {
    RegistryConfig old = freshDatabase();
    try (Connection connection = connect(old)) {
      assertThat(OldSchemaRunner.migrate(DSL.using(connection, SQLDialect.POSTGRES), 7))
          .isEqualTo(7);
    }

    assertThat(openAtOnce(old, 4)).containsOnly(Migrations.latest()).hasSize(4);

    try (Connection connection = connect(old)) {
      DSLContext ctx = DSL.using(connection, SQLDialect.POSTGRES);
      assertThat(RegistryStoreContract.flywayHistory(ctx))
          .isEqualTo(RegistryStoreContract.historyFrom(7, "asof_schema_history at version 7"));
      assertThat(OldSchemaRunner.versions(ctx)).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }
  }

  /**
   * Opens {@code config}'s registry from {@code openers} threads at once; their schema versions.
   */
  private static List<Integer> openAtOnce(RegistryConfig config, int openers) throws Exception {
    CyclicBarrier start = new CyclicBarrier(openers);
    ExecutorService pool = Executors.newFixedThreadPool(openers);
    try {
      List<Future<Integer>> opened = new ArrayList<>();
      for (int i = 0; i < openers; i++) {
        opened.add(
            pool.submit(
                () -> {
                  start.await();
                  try (JooqRegistryStore store = JooqRegistryStore.open(config)) {
                    return store.schemaVersion();
                  }
                }));
      }
      List<Integer> versions = new ArrayList<>();
      for (Future<Integer> version : opened) {
        versions.add(version.get(2, TimeUnit.MINUTES));
      }
      return versions;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Connection connect(RegistryConfig config) throws SQLException {
    return DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
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
