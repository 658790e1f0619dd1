package io.asof.engine.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.athena.emulator.AthenaEmulator;
import io.asof.engine.QueryStats;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.LocalS3;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only the Athena engine does (retries, cancellation, timeouts, result reuse, error kinds,
 * large pulls through UNLOAD), through the AWS SDK against the local Athena emulator on real Trino.
 */
@ExtendWith(AsofStackExtension.class)
class TestAthenaQueryEngine {
  private static final String SLOW =
      "SELECT count(*) FROM UNNEST(sequence(1, 10000)) a(x) CROSS JOIN UNNEST(sequence(1, 10000)) b(y) CROSS JOIN UNNEST(sequence(1, 100)) c(z) WHERE x + y + z < 0";
  private static AthenaEmulator emulator;
  private static AthenaQueryEngine engine;

  @BeforeAll
  static void start(StackEndpoints stack) {
    emulator = TestAthenaEngineContract.startEmulator(stack);
    engine = TestAthenaEngineContract.emulated(TestAthenaEngineContract.config(emulator));
    engine.execute("CREATE DATABASE IF NOT EXISTS " + TestAthenaEngineContract.DATABASE);
  }

  @AfterEach
  void noFaultsLeft() {
    emulator.throttleNext(0);
    emulator.failNextQueries(0, "INTERNAL_ERROR");
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

  @Test
  void largePullsAreUnloadedToParquetReadFileByFileAndDeleted() {
    Path unloads =
        LocalS3.shared().bucketDirectory("asof-test-results").resolve("athena/asof-unload");
    long[] filesSeen = {0};
    long[] rows = {0};
    QueryStats stats =
        engine.streamUnordered(
            "SELECT n, CAST(n AS double) AS d FROM UNNEST(sequence(1, 3500)) AS t(n)",
            (columns, values) -> {
              if (rows[0]++ == 0) {
                filesSeen[0] = parquetFiles(unloads);
              }
            });
    assertThat(rows[0]).isEqualTo(3500);
    assertThat(stats.rows()).isEqualTo(3500);
    // 1,000 rows a file: the pull read four files, and left none behind
    assertThat(filesSeen[0]).isEqualTo(4);
    assertThat(parquetFiles(unloads)).isZero();
  }

  @Test
  void aPullThatFailsWhileReadingLeavesNoFiles() {
    Path unloads =
        LocalS3.shared().bucketDirectory("asof-test-results").resolve("athena/asof-unload");
    long[] filesSeen = {0};
    assertThatThrownBy(
            () ->
                engine.streamUnordered(
                    "SELECT n FROM UNNEST(sequence(1, 3000)) AS t(n)",
                    (columns, values) -> {
                      filesSeen[0] = parquetFiles(unloads);
                      throw new IllegalStateException("the consumer gave up");
                    }))
        .hasMessage("the consumer gave up");
    assertThat(filesSeen[0]).isEqualTo(3);
    assertThat(parquetFiles(unloads)).isZero();
  }

  @Test
  void pullsArePagedWithoutAnUnloadLocationOrForTypesParquetCannotCarry() {
    AthenaConfig noOutput =
        AthenaConfig.of("us-east-1", "primary", TestAthenaEngineContract.DATABASE)
            .withEndpoint(emulator.endpoint())
            .withPolling(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMinutes(5));
    assertThat(noOutput.unloadPrefix()).isEmpty();
    long unloads = emulator.unloads();
    try (AthenaQueryEngine paging = TestAthenaEngineContract.emulated(noOutput)) {
      long[] rows = {0};
      paging.streamUnordered(
          "SELECT n FROM UNNEST(sequence(1, 1200)) AS t(n)", (columns, values) -> rows[0]++);
      assertThat(rows[0]).isEqualTo(1200);
    }
    // Hive's Parquet has no timestamp with time zone: paged, values as the paging path gives them
    java.util.List<Object> values = new java.util.ArrayList<>();
    engine.streamUnordered(
        "SELECT TIMESTAMP '2026-01-01 10:00:00 UTC' AS at", (columns, row) -> values.addAll(row));
    assertThat(values).hasSize(1).first().isInstanceOf(java.sql.Timestamp.class);
    assertThat(emulator.unloads()).isEqualTo(unloads);
  }

  @Test
  void describeRefusesTextThatWouldEscapeItsWrapperAndSendsNothing() {
    long started = emulator.queriesStarted();
    for (String escape :
        new String[] {
          "SELECT 1 AS x) UNION ALL (SELECT count(*) AS x FROM big_table",
          "SELECT 1 AS x; SELECT 2",
          "SELECT 1 AS x /* swallow the wrapper",
          "SELECT 'open AS x",
          "SELECT 1 AS x FROM (SELECT 2"
        }) {
      assertThatThrownBy(() -> engine.describe(escape))
          .as(escape)
          .isInstanceOfSatisfying(
              AthenaQueryException.class,
              e -> assertThat(e.kind()).isEqualTo(AthenaQueryException.Kind.SYNTAX))
          .hasMessageContaining("not one self-contained query");
    }
    assertThat(emulator.queriesStarted()).isEqualTo(started);
    // parentheses, quotes and comments that stay inside the query are its own
    assertThat(
            engine.describe(
                "SELECT ')' AS \"a)\", (1) AS b -- a comment with )\nFROM (VALUES 1) AS t(x) /* ( */"))
        .extracting(io.asof.model.Column::name)
        .containsExactly("a)", "b");
  }

  private static long parquetFiles(Path directory) {
    if (!java.nio.file.Files.isDirectory(directory)) {
      return 0;
    }
    try (var files = java.nio.file.Files.walk(directory)) {
      return files.filter(f -> f.toString().endsWith(".parquet")).count();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void throttledCallsAreRetriedWithBackoff() {
    emulator.throttleNext(3);
    assertThat(engine.query("SELECT 1").onlyValue()).isEqualTo(1);
  }

  @Test
  void throttlingBeyondTheAttemptsIsReportedAsThrottling() {
    emulator.throttleNext(100);
    assertThatThrownBy(() -> engine.query("SELECT 1"))
        .isInstanceOfSatisfying(
            AthenaQueryException.class,
            e -> assertThat(e.kind()).isEqualTo(AthenaQueryException.Kind.THROTTLING))
        .hasMessageContaining("after 5 attempts")
        .hasMessageContaining("raise the account's Athena quotas");
  }

  @Test
  void aReadThatFailsRetryablyRunsAgain() {
    long before = emulator.queriesStarted();
    emulator.failNextQueries(1, "INTERNAL_ERROR");
    assertThat(engine.query("SELECT 42").onlyValue()).isEqualTo(42);
    assertThat(emulator.queriesStarted() - before).isEqualTo(2);
  }

  @Test
  void aWriteIsNeverRunTwice() {
    String table = "awsdatacatalog." + TestAthenaEngineContract.DATABASE + ".athena_once";
    engine.execute("DROP TABLE IF EXISTS " + table);
    engine.execute(
        "CREATE TABLE %s WITH (table_type = 'ICEBERG', is_external = false, location = 's3://asof-test/once/') AS SELECT 1 AS n"
            .formatted(table));
    long before = emulator.queriesStarted();
    emulator.failNextQueries(1, "INTERNAL_ERROR");
    assertThatThrownBy(() -> engine.execute("INSERT INTO " + table + " VALUES 2"))
        .isInstanceOfSatisfying(
            AthenaQueryException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.queryId()).isNotEmpty();
            });
    assertThat(emulator.queriesStarted() - before).isEqualTo(1);
    assertThat(engine.query("SELECT count(*) FROM " + table).onlyValue()).isEqualTo(1L);
    engine.execute("DROP TABLE " + table);
  }

  @Test
  void interruptingTheCallerStopsTheQueryOnAthena() throws Exception {
    AtomicReference<Thread> caller = new AtomicReference<>();
    CompletableFuture<Object> slow =
        CompletableFuture.supplyAsync(
            () -> {
              caller.set(Thread.currentThread());
              return engine.query(SLOW);
            });
    // let it start, then interrupt its caller
    Thread.sleep(1500);
    caller.get().interrupt();
    assertThatThrownBy(() -> slow.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            AthenaQueryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AthenaQueryException.Kind.CANCELLED);
              assertThat(e.getMessage()).contains("the query was stopped");
            });
  }

  @Test
  void aQueryOverItsTimeoutIsStoppedAndReported() {
    try (AthenaQueryEngine hurried =
        TestAthenaEngineContract.emulated(
            TestAthenaEngineContract.config(emulator)
                .withPolling(
                    Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(1)))) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> hurried.query(SLOW))
          .isInstanceOfSatisfying(
              AthenaQueryException.class,
              e -> assertThat(e.kind()).isEqualTo(AthenaQueryException.Kind.TIMEOUT));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void readsReuseARecentResultAndWritesNever() {
    String table = "awsdatacatalog." + TestAthenaEngineContract.DATABASE + ".athena_reuse";
    engine.execute("DROP TABLE IF EXISTS " + table);
    engine.execute(
        "CREATE TABLE %s WITH (table_type = 'ICEBERG', is_external = false, location = 's3://asof-test/reuse/') AS SELECT n FROM UNNEST(sequence(1, 100)) AS t(n)"
            .formatted(table));
    try (AthenaQueryEngine reusing =
        TestAthenaEngineContract.emulated(
            TestAthenaEngineContract.config(emulator).withResultReuse(Duration.ofMinutes(5)))) {
      String read = "SELECT sum(n) FROM " + table;
      QueryStats first = reusing.stream(read, (columns, values) -> {});
      QueryStats again = reusing.stream(read, (columns, values) -> {});
      assertThat(first.bytesScanned().orElseThrow()).isPositive();
      assertThat(again.bytesScanned().orElseThrow()).isZero();
      String write = "INSERT INTO " + table + " VALUES 1000";
      assertThat(reusing.execute(write).rows()).isEqualTo(1);
      assertThat(reusing.execute(write).rows()).isEqualTo(1);
    }
    assertThat(engine.query("SELECT count(*) FROM " + table).onlyValue()).isEqualTo(102L);
    engine.execute("DROP TABLE " + table);
  }

  @Test
  void syntaxErrorsAreSaidToBeSo() {
    assertThatThrownBy(() -> engine.query("SELECT 1 FROMM nowhere"))
        .isInstanceOfSatisfying(
            AthenaQueryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(AthenaQueryException.Kind.SYNTAX);
              assertThat(e.retryable()).isFalse();
            })
        .hasMessageContaining("line 1:");
  }

  @Test
  void anUnreachableAthenaIsReportedAsUnavailable() {
    try (AthenaQueryEngine nowhere =
        TestAthenaEngineContract.emulated(
            TestAthenaEngineContract.config(emulator)
                .withEndpoint(URI.create("http://127.0.0.1:1")))) {
      assertThatThrownBy(() -> nowhere.query("SELECT 1"))
          .isInstanceOfSatisfying(
              AthenaQueryException.class,
              e -> assertThat(e.kind()).isEqualTo(AthenaQueryException.Kind.UNAVAILABLE))
          .hasMessageContaining("cannot reach Athena at http://127.0.0.1:1");
    }
  }
}
