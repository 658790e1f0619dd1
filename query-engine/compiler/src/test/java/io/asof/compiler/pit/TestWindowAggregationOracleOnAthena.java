package io.asof.compiler.pit;

import io.asof.athena.emulator.AthenaEmulator;
import io.asof.engine.QueryEngine;
import io.asof.engine.athena.AthenaConfig;
import io.asof.engine.athena.AthenaQueryEngine;
import io.asof.local.StackEndpoints;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A share of the generated aggregation cases through the Athena engine: the statements go through
 * the AWS SDK to the local Athena emulator (a test fixture running them on the local Trino), and
 * the results come back as Athena's paged text, so what is checked here is the Athena path's own
 * part: the engine, its paging and its value conversions (bigint, double, NaN, NULL). The views are
 * compiled against the local Trino, whose memory catalog holds the events.
 */
class TestWindowAggregationOracleOnAthena extends TestWindowAggregationOracle {
  private AthenaEmulator emulator;

  @Override
  QueryEngine open(StackEndpoints stack) {
    emulator =
        AthenaEmulator.start(
            stack.trinoJdbcUrl(),
            stack.trinoUser(),
            "awsdatacatalog",
            io.asof.local.StackEndpoints.ATHENA_CATALOG);
    return new AthenaQueryEngine(
        AthenaConfig.of("us-east-1", "primary", "default")
            .withEndpoint(emulator.endpoint())
            .withOutputLocation("s3://asof-test-results/window-oracle/")
            .withPolling(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMinutes(5)),
        // the emulator checks a signature, not who signed
        StaticCredentialsProvider.create(AwsBasicCredentials.create("emulator", "emulator")));
  }

  @Override
  int cases() {
    return 30;
  }

  @AfterAll
  void stopEmulator() {
    emulator.close();
  }
}
