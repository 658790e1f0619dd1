package io.asof.engine.athena;

import io.asof.athena.emulator.AthenaEmulator;
import io.asof.engine.QueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.LocalS3;
import io.asof.testing.QueryEngineContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The engine contract on the Athena engine, through the AWS SDK against the local Athena emulator
 * (a test fixture that runs Athena's SQL on the local Trino 476).
 */
@ExtendWith(AsofStackExtension.class)
class TestAthenaEngineContract extends QueryEngineContract {
  static final String DATABASE = "athena_contract";
  static final int UNLOAD_FILE_ROWS = 1000;
  private static AthenaEmulator emulator;
  private static AthenaQueryEngine engine;

  @BeforeAll
  static void start(StackEndpoints stack) {
    emulator = startEmulator(stack);
    engine = emulated(config(emulator));
    engine.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
  }

  /** The emulator on the local stack's Athena catalog, for this package's tests. */
  static AthenaEmulator startEmulator(StackEndpoints stack) {
    AthenaEmulator emulator =
        AthenaEmulator.start(
            stack.trinoJdbcUrl(),
            stack.trinoUser(),
            AthenaConfig.GLUE_CATALOG,
            StackEndpoints.ATHENA_CATALOG);
    // UNLOAD writes to the test JVM's s3proxy, 1,000 rows a file so that pulls read several files
    emulator.unloadTo(LocalS3.shared().endpoint(), UNLOAD_FILE_ROWS);
    return emulator;
  }

  /**
   * The keys the tests sign the emulator's requests with: the engine takes the AWS SDK's default
   * chain unless given credentials, and the emulator checks a signature, not who signed.
   */
  static final AwsCredentialsProvider EMULATOR_KEYS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("emulator", "emulator"));

  /** An engine on the emulator (or where {@code config} points), signing with the tests' keys. */
  static AthenaQueryEngine emulated(AthenaConfig config) {
    return new AthenaQueryEngine(config, EMULATOR_KEYS);
  }

  static AthenaConfig config(AthenaEmulator emulator) {
    return AthenaConfig.of("us-east-1", "primary", DATABASE)
        .withEndpoint(emulator.endpoint())
        .withOutputLocation("s3://asof-test-results/athena/")
        .withS3Endpoint(LocalS3.shared().endpoint())
        .withPolling(
            java.time.Duration.ofMillis(20),
            java.time.Duration.ofMillis(200),
            java.time.Duration.ofMinutes(5));
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
      emulator.close();
      engine = null;
      emulator = null;
    }
  }

  @Override
  protected QueryEngine engine() {
    return engine;
  }

  @Override
  protected String table(String name) {
    return "awsdatacatalog." + DATABASE + "." + name;
  }

  @Override
  protected String createTableAs(String table, String query) {
    String name = table.substring(table.lastIndexOf('.') + 1);
    return "CREATE TABLE %s WITH (table_type = 'ICEBERG', is_external = false, location = 's3://asof-test/%s/%s/') AS %s"
        .formatted(table, DATABASE, name, query);
  }
}
