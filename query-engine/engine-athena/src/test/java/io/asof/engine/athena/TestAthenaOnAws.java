package io.asof.engine.athena;

import io.asof.engine.QueryEngine;
import io.asof.testing.QueryEngineContract;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The engine contract against real Amazon Athena, when a configuration is given in the environment:
 * {@code ASOF_AWS_TEST_WORKGROUP} (an engine v3 workgroup), {@code ASOF_AWS_TEST_DATABASE} (a Glue
 * database the test may create tables in), {@code ASOF_AWS_TEST_TABLE_LOCATION} ({@code
 * s3://bucket/prefix/} for those tables), optionally {@code ASOF_AWS_TEST_OUTPUT} (the query output
 * location) and {@code AWS_REGION}, with credentials from the AWS SDK's default chain. Without them
 * every test is skipped, saying what is missing. It scans a few kilobytes: a few cents at most.
 */
@EnabledIfEnvironmentVariable(
    named = "ASOF_AWS_TEST_WORKGROUP",
    matches = ".+",
    disabledReason = TestAthenaOnAws.NOT_CONFIGURED)
@EnabledIfEnvironmentVariable(
    named = "ASOF_AWS_TEST_DATABASE",
    matches = ".+",
    disabledReason = TestAthenaOnAws.NOT_CONFIGURED)
@EnabledIfEnvironmentVariable(
    named = "ASOF_AWS_TEST_TABLE_LOCATION",
    matches = ".+",
    disabledReason = TestAthenaOnAws.NOT_CONFIGURED)
class TestAthenaOnAws extends QueryEngineContract {
  static final String NOT_CONFIGURED =
      "no real AWS configured: set ASOF_AWS_TEST_WORKGROUP, ASOF_AWS_TEST_DATABASE and ASOF_AWS_TEST_TABLE_LOCATION (and AWS credentials) to run the engine contract on Amazon Athena";
  private static final String WORKGROUP = "ASOF_AWS_TEST_WORKGROUP";
  private static final String DATABASE = "ASOF_AWS_TEST_DATABASE";
  private static final String LOCATION = "ASOF_AWS_TEST_TABLE_LOCATION";
  private static AthenaQueryEngine engine;
  private static String database;
  private static String location;

  @BeforeAll
  static void configured() {
    database = System.getenv(DATABASE);
    location = System.getenv(LOCATION).replaceFirst("/?$", "/");
    AthenaConfig config =
        AthenaConfig.of(
            Optional.ofNullable(System.getenv("AWS_REGION")).orElse("us-east-1"),
            System.getenv(WORKGROUP),
            database);
    if (present("ASOF_AWS_TEST_OUTPUT")) {
      config = config.withOutputLocation(System.getenv("ASOF_AWS_TEST_OUTPUT"));
    }
    engine = new AthenaQueryEngine(config);
  }

  private static boolean present(String name) {
    String value = System.getenv(name);
    return value != null && !value.isBlank();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Override
  protected QueryEngine engine() {
    return engine;
  }

  @Override
  protected String table(String name) {
    return "awsdatacatalog." + database + "." + name;
  }

  @Override
  protected String dropTable(String table) {
    // Athena's DDL is Hive's: two-part names in backticks
    return "DROP TABLE IF EXISTS `%s`.`%s`"
        .formatted(database, table.substring(table.lastIndexOf('.') + 1));
  }

  @Override
  protected String createTableAs(String table, String query) {
    String name = table.substring(table.lastIndexOf('.') + 1);
    return "CREATE TABLE %s WITH (table_type = 'ICEBERG', is_external = false, location = '%s%s/%s/') AS %s"
        .formatted(table, location, database, name, query);
  }
}
