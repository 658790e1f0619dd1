package io.asof.athena.emulator;

import static io.asof.athena.emulator.EmulatorClients.await;
import static io.asof.athena.emulator.EmulatorClients.run;
import static io.asof.athena.emulator.EmulatorClients.start;
import static io.asof.athena.emulator.EmulatorClients.trino;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.LocalS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.AthenaError;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StatementType;
import software.amazon.awssdk.services.athena.model.ThrottleReason;
import software.amazon.awssdk.services.athena.model.TooManyRequestsException;
import software.amazon.awssdk.services.athena.model.WorkGroup;

/** The Athena API of the emulator, through the real AWS SDK v2 AthenaClient, on real Trino. */
@ExtendWith(AsofStackExtension.class)
class TestAthenaEmulator {
  private static final String DATABASE = "emu_test";

  /** Runs until stopped: a cross join of TPC-H sf1's 6 million line items with themselves. */
  private static final String SLOW_QUERY =
      "SELECT count(*) FROM tpch.sf1.lineitem a CROSS JOIN tpch.sf1.lineitem b";

  private final StackEndpoints stack;
  private final AthenaEmulator emulator;
  private final AthenaClient athena;
  private final AthenaClient athenaWithoutRetries;

  TestAthenaEmulator(StackEndpoints stack) {
    this.stack = stack;
    trino(stack, "CREATE SCHEMA IF NOT EXISTS " + stack.catalog() + "." + DATABASE);
    this.emulator = EmulatorClients.start(stack);
    this.athena = EmulatorClients.athena(emulator);
    this.athenaWithoutRetries = EmulatorClients.athenaWithoutRetries(emulator);
  }

  @AfterEach
  void close() {
    athena.close();
    athenaWithoutRetries.close();
    emulator.close();
  }

  @Test
  void aQueryIsQueuedRunsAndSucceeds() {
    String id = start(athena, DATABASE, "SELECT count(*) AS n FROM tpch.tiny.lineitem");
    List<QueryExecutionState> seen = new ArrayList<>();
    QueryExecution execution = await(athena, id, seen);
    assertThat(seen.getFirst()).isIn(QueryExecutionState.QUEUED, QueryExecutionState.RUNNING);
    assertThat(seen.getLast()).isEqualTo(QueryExecutionState.SUCCEEDED);
    assertThat(seen)
        .isSubsetOf(
            QueryExecutionState.QUEUED, QueryExecutionState.RUNNING, QueryExecutionState.SUCCEEDED);
    assertThat(execution.queryExecutionId()).isEqualTo(id);
    assertThat(execution.query()).isEqualTo("SELECT count(*) AS n FROM tpch.tiny.lineitem");
    assertThat(execution.statementType()).isEqualTo(StatementType.DML);
    assertThat(execution.workGroup()).isEqualTo("primary");
    assertThat(execution.resultConfiguration().outputLocation())
        .isEqualTo(EmulatorClients.OUTPUT + id + ".csv");
    assertThat(execution.queryExecutionContext().database()).isEqualTo(DATABASE);
    assertThat(execution.queryExecutionContext().catalog()).isEqualTo("AwsDataCatalog");
    assertThat(execution.status().submissionDateTime()).isNotNull();
    assertThat(execution.status().completionDateTime())
        .isAfterOrEqualTo(execution.status().submissionDateTime());
    assertThat(execution.status().athenaError()).isNull();
    assertThat(execution.statistics().totalExecutionTimeInMillis())
        .isGreaterThanOrEqualTo(execution.statistics().engineExecutionTimeInMillis());
    assertThat(execution.statistics().resultReuseInformation().reusedPreviousResult()).isFalse();
    assertThat(execution.engineVersion().effectiveEngineVersion())
        .isEqualTo("Athena engine version 3");
    GetQueryResultsResponse results = athena.getQueryResults(r -> r.queryExecutionId(id));
    assertThat(values(results.resultSet().rows())).containsExactly(List.of("n"), List.of("60175"));
    assertThat(emulator.queriesStarted()).isEqualTo(1);
  }

  @Test
  void unloadWritesParquetFilesToS3AndRefusesALocationThatHoldsFiles() throws Exception {
    LocalS3 s3 = LocalS3.shared();
    emulator.unloadTo(s3.endpoint(), 2);
    String location = "s3://emu-unload/" + java.util.UUID.randomUUID() + "/";
    String unload =
        "UNLOAD (SELECT n, TIMESTAMP '2026-01-01 10:00:00.5' AS at, ARRAY[n] AS ns"
            + " FROM UNNEST(sequence(1, 5)) AS t(n)) TO '"
            + location
            + "' WITH (format = 'PARQUET')";
    QueryExecution done = run(athena, DATABASE, unload);
    assertThat(done.statementType()).isEqualTo(StatementType.DML);
    java.nio.file.Path written =
        s3.bucketDirectory("emu-unload").resolve(location.substring("s3://emu-unload/".length()));
    try (var files = java.nio.file.Files.list(written)) {
      // two rows a file: three GZIP Parquet files
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
          .hasSize(3)
          .allMatch(name -> name.startsWith(done.queryExecutionId()) && name.endsWith(".parquet"));
    }
    // as on Athena: a second UNLOAD to the same place fails, the files stay
    QueryExecution again = await(athena, start(athena, DATABASE, unload));
    assertThat(again.status().state()).isEqualTo(QueryExecutionState.FAILED);
    assertThat(again.status().stateChangeReason()).startsWith("HIVE_PATH_ALREADY_EXISTS");
  }

  @Test
  void resultsComeInPagesOfAtMost1000RowsWithTheHeaderRowFirst() {
    String id =
        run(athena, DATABASE, "SELECT n FROM UNNEST(sequence(1, 2500)) AS t(n) ORDER BY n")
            .queryExecutionId();
    List<List<String>> rows = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      GetQueryResultsResponse page =
          athena.getQueryResults(r -> r.queryExecutionId(id).nextToken(next));
      pageSizes.add(page.resultSet().rows().size());
      rows.addAll(values(page.resultSet().rows()));
      assertThat(page.resultSet().resultSetMetadata().columnInfo())
          .extracting(ColumnInfo::name)
          .containsExactly("n");
      token = page.nextToken();
    } while (token != null);
    assertThat(pageSizes).containsExactly(1000, 1000, 501);
    assertThat(rows).hasSize(2501);
    assertThat(rows.getFirst()).containsExactly("n");
    assertThat(rows.get(1)).containsExactly("1");
    assertThat(rows.getLast()).containsExactly("2500");
    // the SDK's paginator walks the same pages
    assertThat(
            athena.getQueryResultsPaginator(r -> r.queryExecutionId(id).maxResults(700)).stream())
        .hasSize(4);
    assertThatThrownBy(
            () ->
                athenaWithoutRetries.getQueryResults(r -> r.queryExecutionId(id).maxResults(1001)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("less than or equal to 1000");
  }

  @Test
  void valuesAreStringsAndNullsHaveNoValue() {
    String id =
        run(
                athena,
                DATABASE,
                """
                SELECT CAST(NULL AS varchar) AS missing, 'x' AS s, 7 AS i, BIGINT '8' AS b,
                  1.5e0 AS d, REAL '2.5' AS r, true AS flag, DATE '2026-01-01' AS day,
                  TIMESTAMP '2026-01-01 10:00:00.123456' AS ts, DECIMAL '12.50' AS price,
                  CAST(1 AS decimal(38,2)) AS wide, ARRAY[1, 2] AS list,
                  CAST(ROW(1, 'a') AS row(x bigint, y varchar)) AS point, X'68656c6c6f' AS bytes,
                  TIMESTAMP '2026-01-01 10:00:00.123 UTC' AS tz""")
            .queryExecutionId();
    GetQueryResultsResponse results = athena.getQueryResults(r -> r.queryExecutionId(id));
    List<Row> rows = results.resultSet().rows();
    assertThat(rows).hasSize(2);
    Datum missing = rows.get(1).data().getFirst();
    assertThat(missing.varCharValue()).isNull();
    assertThat(values(rows).get(1))
        .containsExactly(
            null,
            "x",
            "7",
            "8",
            "1.5",
            "2.5",
            "true",
            "2026-01-01",
            "2026-01-01 10:00:00.123456",
            "12.50",
            "1.00",
            "[1, 2]",
            "{x=1, y=a}",
            "68 65 6c 6c 6f",
            "2026-01-01 10:00:00.123 UTC");
    List<ColumnInfo> columns = results.resultSet().resultSetMetadata().columnInfo();
    assertThat(columns)
        .extracting(ColumnInfo::type)
        .containsExactly(
            "varchar",
            "varchar",
            "integer",
            "bigint",
            "double",
            "real",
            "boolean",
            "date",
            "timestamp",
            "decimal",
            "decimal",
            "array",
            "row",
            "varbinary",
            "timestamp with time zone");
    ColumnInfo wide = columns.get(10);
    assertThat(wide.precision()).isEqualTo(38);
    assertThat(wide.scale()).isEqualTo(2);
    assertThat(columns.get(8).precision()).isEqualTo(6);
    assertThat(columns.get(0).precision()).isEqualTo(Integer.MAX_VALUE);
    assertThat(columns.get(0).caseSensitive()).isTrue();
    assertThat(columns.get(3).caseSensitive()).isFalse();
    assertThat(wide.catalogName()).isEqualTo("hive");
    assertThat(wide.nullableAsString()).isEqualTo("UNKNOWN");
    assertThat(wide.label()).isEqualTo("wide");
  }

  @Test
  void theSameClientRequestTokenStartsOneQuery() {
    String first =
        athena
            .startQueryExecution(r -> r.queryString("SELECT 1").clientRequestToken(token()))
            .queryExecutionId();
    String again =
        athena
            .startQueryExecution(r -> r.queryString("SELECT 1").clientRequestToken(token()))
            .queryExecutionId();
    assertThat(again).isEqualTo(first);
    assertThat(emulator.queriesStarted()).isEqualTo(1);
    assertThatThrownBy(
            () ->
                athenaWithoutRetries.startQueryExecution(
                    r -> r.queryString("SELECT 2").clientRequestToken(token())))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Idempotent parameters do not match");
    await(athena, first);
  }

  @Test
  void aSyntaxErrorFailsTheQueryAsAUserError() {
    QueryExecution execution = await(athena, start(athena, DATABASE, "SELEC 1"));
    assertThat(execution.status().state()).isEqualTo(QueryExecutionState.FAILED);
    assertThat(execution.status().stateChangeReason())
        .startsWith("SYNTAX_ERROR: line 1:1: mismatched input 'SELEC'");
    AthenaError error = execution.status().athenaError();
    assertThat(error.errorCategory()).isEqualTo(2);
    assertThat(error.errorType()).isEqualTo(1000);
    assertThat(error.retryable()).isFalse();
    assertThat(error.errorMessage()).isEqualTo(execution.status().stateChangeReason());
    assertThatThrownBy(
            () ->
                athenaWithoutRetries.getQueryResults(
                    r -> r.queryExecutionId(execution.queryExecutionId())))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("mismatched input 'SELEC'");

    QueryExecution missing =
        await(athena, start(athena, DATABASE, "SELECT * FROM awsdatacatalog.emu_test.nope"));
    assertThat(missing.status().stateChangeReason())
        .isEqualTo(
            "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.emu_test.nope' does not exist");
  }

  @Test
  void resultsOfARunningQueryAreRefused() {
    String id = start(athena, DATABASE, SLOW_QUERY);
    assertThatThrownBy(() -> athenaWithoutRetries.getQueryResults(r -> r.queryExecutionId(id)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageMatching("Query has not yet finished\\. Current state: (QUEUED|RUNNING).*")
        .extracting(e -> ((InvalidRequestException) e).athenaErrorCode())
        .isEqualTo("INVALID_INPUT");
    athena.stopQueryExecution(r -> r.queryExecutionId(id));
    await(athena, id);
  }

  @Test
  void stoppingARunningQueryCancelsItOnTrino() throws InterruptedException {
    String id = start(athena, DATABASE, SLOW_QUERY);
    while (athena.getQueryExecution(r -> r.queryExecutionId(id)).queryExecution().status().state()
        == QueryExecutionState.QUEUED) {
      Thread.sleep(10);
    }
    Thread.sleep(300);
    athena.stopQueryExecution(r -> r.queryExecutionId(id));
    QueryExecution execution = await(athena, id);
    assertThat(execution.status().state()).isEqualTo(QueryExecutionState.CANCELLED);
    assertThatThrownBy(() -> athenaWithoutRetries.getQueryResults(r -> r.queryExecutionId(id)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("CANCELLED");
    // stopping a finished query changes nothing
    athena.stopQueryExecution(r -> r.queryExecutionId(id));
    assertThat(await(athena, id).status().state()).isEqualTo(QueryExecutionState.CANCELLED);
  }

  @Test
  void throttledCallsFailWithTooManyRequestsAndTheSdkRetriesThem() {
    emulator.throttleNext(1);
    assertThatThrownBy(() -> athenaWithoutRetries.getWorkGroup(r -> r.workGroup("primary")))
        .isInstanceOf(TooManyRequestsException.class)
        .hasMessageContaining("Rate exceeded");
    // the next call goes through
    assertThat(athenaWithoutRetries.getWorkGroup(r -> r.workGroup("primary")).workGroup().name())
        .isEqualTo("primary");
    // the SDK's default retry strategy retries throttling: two throttled calls, then it succeeds
    emulator.throttleNext(2);
    String id = start(athena, DATABASE, "SELECT 1");
    assertThat(await(athena, id).status().state()).isEqualTo(QueryExecutionState.SUCCEEDED);
    assertThat(emulator.queriesStarted()).isEqualTo(1);
  }

  @Test
  void injectedFailuresFailTheNextQueries() {
    emulator.failNextQueries(1, "INTERNAL_ERROR");
    QueryExecution failed = await(athena, start(athena, DATABASE, "SELECT 1"));
    assertThat(failed.status().state()).isEqualTo(QueryExecutionState.FAILED);
    assertThat(failed.status().athenaError().errorCategory()).isEqualTo(1);
    assertThat(failed.status().athenaError().retryable()).isTrue();
    assertThat(failed.status().stateChangeReason()).contains("INTERNAL_ERROR_QUERY_ENGINE");
    assertThat(await(athena, start(athena, DATABASE, "SELECT 1")).status().state())
        .isEqualTo(QueryExecutionState.SUCCEEDED);
    assertThatThrownBy(() -> emulator.failNextQueries(1, "NOPE"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void moreQueriesThanTheConcurrencyLimitAreRefused() {
    emulator.setConcurrencyLimit(1);
    String slow = start(athena, DATABASE, SLOW_QUERY);
    assertThatThrownBy(() -> start(athenaWithoutRetries, DATABASE, "SELECT 1"))
        .isInstanceOf(TooManyRequestsException.class)
        .extracting(e -> ((TooManyRequestsException) e).reason())
        .isEqualTo(ThrottleReason.CONCURRENT_QUERY_LIMIT_EXCEEDED);
    athena.stopQueryExecution(r -> r.queryExecutionId(slow));
    await(athena, slow);
    assertThat(await(athena, start(athena, DATABASE, "SELECT 1")).status().state())
        .isEqualTo(QueryExecutionState.SUCCEEDED);
  }

  @Test
  void workGroupsAndTheirScanLimit() {
    assertThatThrownBy(
            () ->
                athenaWithoutRetries.startQueryExecution(
                    r -> r.queryString("SELECT 1").workGroup("nope")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("WorkGroup nope is not found");
    emulator.addWorkGroup("small", 1);
    WorkGroup small = athena.getWorkGroup(r -> r.workGroup("small")).workGroup();
    assertThat(small.stateAsString()).isEqualTo("ENABLED");
    assertThat(small.configuration().bytesScannedCutoffPerQuery()).isEqualTo(1L);
    assertThat(small.configuration().engineVersion().selectedEngineVersion()).isEqualTo("AUTO");

    String table = stack.catalog() + "." + DATABASE + ".scanned";
    trino(
        stack,
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE " + table + " AS SELECT * FROM tpch.tiny.nation");
    QueryExecution unlimited = run(athena, DATABASE, "SELECT count(*), max(name) FROM scanned");
    assertThat(unlimited.statistics().dataScannedInBytes()).isPositive();
    String limited =
        athena
            .startQueryExecution(
                r ->
                    r.queryString("SELECT count(*), max(name) FROM scanned")
                        .queryExecutionContext(c -> c.database(DATABASE))
                        .workGroup("small"))
            .queryExecutionId();
    QueryExecution cancelled = await(athena, limited);
    assertThat(cancelled.status().state()).isEqualTo(QueryExecutionState.CANCELLED);
    assertThat(cancelled.status().stateChangeReason()).contains("bytes scanned limit");
    assertThat(cancelled.workGroup()).isEqualTo("small");
    assertThat(cancelled.resultConfiguration().outputLocation())
        .isEqualTo("s3://athena-emulator-results/small/" + limited + ".csv");
  }

  @Test
  void anEarlierResultIsReusedWhenAsked() {
    String sql = "SELECT count(*) FROM tpch.tiny.orders";
    run(athena, DATABASE, sql);
    String reused =
        athena
            .startQueryExecution(
                r ->
                    r.queryString(sql)
                        .queryExecutionContext(c -> c.database(DATABASE).catalog("AwsDataCatalog"))
                        .resultConfiguration(c -> c.outputLocation(EmulatorClients.OUTPUT))
                        .resultReuseConfiguration(
                            c ->
                                c.resultReuseByAgeConfiguration(
                                    a -> a.enabled(true).maxAgeInMinutes(10))))
            .queryExecutionId();
    QueryExecution execution = await(athena, reused);
    assertThat(execution.statistics().resultReuseInformation().reusedPreviousResult()).isTrue();
    assertThat(execution.statistics().dataScannedInBytes()).isZero();
    assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(reused)).resultSet().rows()))
        .containsExactly(List.of("_col0"), List.of("15000"));
  }

  @Test
  void unknownQueriesAndUnsignedRequestsAreRefused() throws Exception {
    assertThatThrownBy(
            () -> athenaWithoutRetries.getQueryExecution(r -> r.queryExecutionId("nope")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("QueryExecution nope was not found");
    HttpResponse<String> unsigned =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/"))
                    .header("X-Amz-Target", "AmazonAthena.GetWorkGroup")
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"WorkGroup\":\"primary\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("\"__type\":\"UnrecognizedClientException\"");
  }

  private static String token() {
    return "token-0000000000000000000000000000001";
  }

  static List<List<String>> values(List<Row> rows) {
    List<List<String>> values = new ArrayList<>();
    for (Row row : rows) {
      values.add(row.data().stream().map(Datum::varCharValue).toList());
    }
    return values;
  }
}
