package io.asof.athena.emulator;

import io.asof.local.StackEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionContext;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.glue.GlueClient;

/** The real AWS SDK v2 clients pointed at an emulator, and helpers the emulator tests share. */
final class EmulatorClients {
  static final String OUTPUT = "s3://emu-test-results/athena/";

  private EmulatorClients() {}

  static AthenaEmulator start(StackEndpoints stack) {
    return AthenaEmulator.start(
        stack.trinoJdbcUrl(), stack.trinoUser(), "AwsDataCatalog", stack.catalog());
  }

  /** An Athena client as an adapter would build one: default retries. */
  static AthenaClient athena(AthenaEmulator emulator) {
    return AthenaClient.builder()
        .endpointOverride(emulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** An Athena client that does not retry, to see each error the emulator answers. */
  static AthenaClient athenaWithoutRetries(AthenaEmulator emulator) {
    return AthenaClient.builder()
        .endpointOverride(emulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  static GlueClient glue(AthenaEmulator emulator) {
    return GlueClient.builder()
        .endpointOverride(emulator.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
  }

  /** Starts a query in the given database of awsdatacatalog. */
  static String start(AthenaClient athena, String database, String sql) {
    return athena
        .startQueryExecution(
            request ->
                request
                    .queryString(sql)
                    .queryExecutionContext(
                        QueryExecutionContext.builder()
                            .catalog("AwsDataCatalog")
                            .database(database)
                            .build())
                    .resultConfiguration(result -> result.outputLocation(OUTPUT))
                    .workGroup("primary"))
        .queryExecutionId();
  }

  /** Polls until the query has finished; the states seen are added to {@code seen}. */
  static QueryExecution await(AthenaClient athena, String id, List<QueryExecutionState> seen) {
    // generous: a loaded 2-core machine can take over a minute where a quiet one takes seconds
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (true) {
      GetQueryExecutionResponse response =
          athena.getQueryExecution(request -> request.queryExecutionId(id));
      QueryExecutionState state = response.queryExecution().status().state();
      if (seen.isEmpty() || seen.getLast() != state) {
        seen.add(state);
      }
      if (state == QueryExecutionState.SUCCEEDED
          || state == QueryExecutionState.FAILED
          || state == QueryExecutionState.CANCELLED) {
        return response.queryExecution();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("query " + id + " did not finish: " + state);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static QueryExecution await(AthenaClient athena, String id) {
    return await(athena, id, new ArrayList<>());
  }

  /** Runs a query to its end and checks it succeeded. */
  static QueryExecution run(AthenaClient athena, String database, String sql) {
    QueryExecution execution = await(athena, start(athena, database, sql));
    if (execution.status().state() != QueryExecutionState.SUCCEEDED) {
      throw new AssertionError(
          sql
              + " ended "
              + execution.status().state()
              + ": "
              + execution.status().stateChangeReason());
    }
    return execution;
  }

  /** Runs statements on Trino directly, to set up and clean up. */
  static void trino(StackEndpoints stack, String... statements) {
    Properties properties = new Properties();
    properties.setProperty("user", stack.trinoUser());
    try (Connection connection = DriverManager.getConnection(stack.trinoJdbcUrl(), properties);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
