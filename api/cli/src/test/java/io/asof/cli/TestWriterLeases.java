package io.asof.cli;

import static io.asof.cli.CliRun.concat;
import static io.asof.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.registry.BackfillJob;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.Lease;
import io.asof.registry.LeaseHolder;
import io.asof.registry.LeaseRecord;
import io.asof.registry.RegistryConfig;
import io.asof.registry.TrainingBuild;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers of one thing, in two processes on one PostgreSQL registry, race: exactly one
 * proceeds, the other is refused naming the holder, and the result is what one alone gives. A lease
 * a crashed holder left blocks only until it expires.
 */
@ExtendWith(AsofStackExtension.class)
class TestWriterLeases {
  private static final String SERVER =
      System.getProperty("asof.registry.postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
  private static final String USER = System.getProperty("asof.registry.postgres.user", "postgres");
  private static final List<String> CREATED = new ArrayList<>();

  private final StackEndpoints stack;

  TestWriterLeases(StackEndpoints stack) {
    this.stack = stack;
  }

  @Test
  void twoBackfillsOfOneViewRaceAndExactlyOneCommits(@TempDir Path state) throws Exception {
    RegistryConfig registry = freshRegistry();
    Path repo = repository(state, "lease_bf");
    String[] common = common(repo, state, registry);
    try (QueryEngine engine = engine()) {
      loadReadings(engine, "lease_bf");
    }
    CliRun applied = run(concat(new String[] {"apply"}, common));
    assertThat(applied.exit()).as(applied.err()).isZero();

    // what one backfill alone gives
    CliRun alone = run(concat(backfill("2026-01-11"), common));
    assertThat(alone.exit()).as(alone.err()).isZero();
    try (QueryEngine engine = engine()) {
      engine.execute("DROP TABLE IF EXISTS iceberg.lease_bf.expected");
      engine.execute(
          "CREATE TABLE iceberg.lease_bf.expected AS SELECT * FROM iceberg.features.readings__v1");
      engine.execute("DROP TABLE iceberg.features.readings__v1");
    }

    List<Child> racers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      racers.add(Child.start(state.resolve("racer" + i), concat(backfill("2026-01-11"), common)));
    }
    for (Child racer : racers) {
      racer.await();
    }
    List<Child> won = racers.stream().filter(c -> c.exit == 0).toList();
    List<Child> lost = racers.stream().filter(c -> c.exit != 0).toList();
    assertThat(won).as(racers.toString()).hasSize(1);
    assertThat(lost).hasSize(1);
    assertThat(lost.getFirst().exit).isEqualTo(1);
    assertThat(lost.getFirst().err)
        .contains(
            "asof: cannot backfill readings@1: `backfill readings@1` (pid " + won.getFirst().pid)
        .contains("holds the lease view:readings@1 since ")
        .contains("Wait until it ends")
        .contains("its lease expires at ");
    assertThat(lost.getFirst().out).doesNotContain("Backfilling");
    assertThat(won.getFirst().out).contains("Backfilled iceberg.features.readings__v1: 10 chunks");

    try (QueryEngine engine = engine()) {
      assertThat(
              differences(
                  engine,
                  "SELECT * FROM iceberg.lease_bf.expected",
                  "SELECT * FROM iceberg.features.readings__v1"))
          .isZero();
      assertThat(count(engine, "SELECT * FROM iceberg.features.readings__v1")).isEqualTo(120);
    }
    try (JooqRegistryStore store = JooqRegistryStore.open(registry)) {
      // the refused one recorded no job; the lease is released
      assertThat(store.backfills("readings"))
          .hasSize(2)
          .allSatisfy(job -> assertThat(job.status()).isEqualTo(BackfillJob.Status.SUCCEEDED));
      assertThat(store.lease(Lease.view("readings", 1))).isEmpty();

      // a holder on another host that crashed: refused until its lease expires, then taken over
      LeaseHolder crashed = new LeaseHolder("c1", "elsewhere", 4711, "backfill readings@1", "");
      Instant now = Instant.now();
      assertThat(
              store.acquire(
                  new LeaseRecord(
                      Lease.view("readings", 1), crashed, now, now, now.plusSeconds(3600))))
          .isEmpty();
      CliRun blocked = run(concat(backfill("2026-01-02"), common));
      assertThat(blocked.exit()).isEqualTo(1);
      assertThat(blocked.err())
          .contains("`backfill readings@1` (pid 4711 on elsewhere)")
          .contains("its lease expires at " + now.plusSeconds(3600).toString().substring(0, 16));
      // maintenance skips the table, naming the holder; retiring the version is refused
      CliRun maintain = run(concat(new String[] {"maintain"}, common));
      assertThat(maintain.exit()).as(maintain.err()).isZero();
      assertThat(maintain.out())
          .contains(
              "iceberg.features.readings__v1: skipped: `backfill readings@1` (pid 4711 on elsewhere) is writing it");
      CliRun retire = run(concat(new String[] {"retire", "readings@1"}, common));
      assertThat(retire.exit()).isEqualTo(1);
      assertThat(retire.err()).contains("asof: cannot retire readings@1: `backfill readings@1`");
      store.release(Lease.view("readings", 1), "c1");
      Instant past = now.minus(Duration.ofHours(2));
      assertThat(
              store.acquire(
                  new LeaseRecord(
                      Lease.view("readings", 1), crashed, past, past, past.plusSeconds(60))))
          .isEmpty();
      CliRun after = run(concat(backfill("2026-01-02"), common));
      assertThat(after.exit()).as(after.err()).isZero();
      assertThat(store.lease(Lease.view("readings", 1))).isEmpty();

      // apply is one at a time too; plan reads only and needs no lease
      assertThat(
              store.acquire(
                  new LeaseRecord(
                      Lease.REPOSITORY,
                      new LeaseHolder("a1", "elsewhere", 4712, "apply --repo x", ""),
                      now,
                      now,
                      now.plusSeconds(3600))))
          .isEmpty();
      Files.writeString(
          repo.resolve("views/readings_copy.sql"),
          Files.readString(repo.resolve("views/readings.sql"))
              .replace("view: readings", "view: readings_copy")
              .replace("materialize: true", "materialize: false"));
      CliRun refusedApply = run(concat(new String[] {"apply"}, common));
      assertThat(refusedApply.exit()).isEqualTo(1);
      assertThat(refusedApply.err())
          .contains("asof: cannot apply --repo ")
          .contains("`apply --repo x` (pid 4712 on elsewhere) holds the lease repository");
      assertThat(store.view("readings_copy")).isEmpty();
      CliRun plan = run(concat(new String[] {"plan"}, common));
      assertThat(plan.exit()).as(plan.err()).isZero();
    }
  }

  @Test
  void twoBuildsOfOneTrainingSetRaceAndTheRecordedSnapshotIsTheTables(@TempDir Path state)
      throws Exception {
    RegistryConfig registry = freshRegistry();
    Path repo = repository(state, "lease_ts");
    Files.createDirectories(repo.resolve("training_sets"));
    // a spine of 400,000 rows, so that a build lasts long enough for the other to start meanwhile
    Files.writeString(
        repo.resolve("training_sets/readings_model.sql"),
        """
        -- training_set: readings_model
        -- timestamp: t
        -- features: readings:v
        SELECT 1 + (a + b) % 3 AS device_id,
          TIMESTAMP '2026-01-01 00:00:00.000000' + a * INTERVAL '1' MINUTE + b * INTERVAL '1' SECOND AS t
        FROM UNNEST(sequence(1, 1000)) AS x(a)
        CROSS JOIN UNNEST(sequence(1, 400)) AS y(b)
        """);
    String[] common = common(repo, state, registry);
    try (QueryEngine engine = engine()) {
      loadReadings(engine, "lease_ts");
      engine.execute("DROP TABLE IF EXISTS iceberg.training.readings_model");
    }
    CliRun applied = run(concat(new String[] {"apply"}, common));
    assertThat(applied.exit()).as(applied.err()).isZero();

    List<Child> racers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      racers.add(
          Child.start(
              state.resolve("builder" + i),
              concat(new String[] {"training-set", "build", "readings_model"}, common)));
    }
    for (Child racer : racers) {
      racer.await();
    }
    List<Child> won = racers.stream().filter(c -> c.exit == 0).toList();
    List<Child> lost = racers.stream().filter(c -> c.exit != 0).toList();
    assertThat(won).as(racers.toString()).hasSize(1);
    assertThat(lost).hasSize(1);
    assertThat(lost.getFirst().exit).isEqualTo(1);
    assertThat(lost.getFirst().err)
        .contains(
            "asof: cannot build readings_model: `build readings_model` (pid " + won.getFirst().pid)
        .contains("holds the lease training-set:readings_model since ");

    try (JooqRegistryStore store = JooqRegistryStore.open(registry);
        QueryEngine engine = engine()) {
      List<TrainingBuild> builds = store.builds("readings_model");
      assertThat(builds).hasSize(1);
      long current =
          (Long)
              engine
                  .query(
                      "SELECT snapshot_id FROM iceberg.training.\"readings_model$snapshots\" ORDER BY committed_at DESC LIMIT 1")
                  .onlyValue();
      assertThat(builds.getFirst().snapshotId()).isEqualTo(current);
      assertThat(builds.getFirst().rows()).isEqualTo(400_000);
      assertThat(count(engine, "SELECT * FROM iceberg.training.readings_model")).isEqualTo(400_000);
      assertThat(store.lease(Lease.trainingSet("readings_model"))).isEmpty();
    }
  }

  /** A run of the CLI in a process of its own, its output in files. */
  private static final class Child {
    final Process process;
    final Path outFile;
    final Path errFile;
    final long pid;
    int exit = -1;
    String out = "";
    String err = "";

    private Child(Process process, Path outFile, Path errFile) {
      this.process = process;
      this.outFile = outFile;
      this.errFile = errFile;
      this.pid = process.pid();
    }

    static Child start(Path dir, String[] args) throws IOException {
      Files.createDirectories(dir);
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(Asof.class.getName());
      command.addAll(List.of(args));
      Path out = dir.resolve("out.txt");
      Path err = dir.resolve("err.txt");
      return new Child(
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start(),
          out,
          err);
    }

    void await() throws InterruptedException, IOException {
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("the CLI did not end in 5 minutes");
      }
      exit = process.exitValue();
      out = Files.readString(outFile, StandardCharsets.UTF_8);
      err = Files.readString(errFile, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "pid %d, exit %d:%n%s%n%s".formatted(pid, exit, out, err);
    }
  }

  private static String[] backfill(String to) {
    return new String[] {
      "backfill", "readings", "--from", "2026-01-01", "--to", to, "--chunk", "1d", "--parallel", "1"
    };
  }

  private String[] common(Path repo, Path state, RegistryConfig registry) {
    return new String[] {
      "--repo",
      repo.toString(),
      "--trino-url",
      stack.trinoJdbcUrl(),
      "--state-dir",
      state.toString(),
      "--registry-url",
      registry.jdbcUrl(),
      "--registry-user",
      registry.user()
    };
  }

  /** A PostgreSQL database of its own, dropped after; the test is skipped where none answers. */
  private static RegistryConfig freshRegistry() throws SQLException {
    String database = "asof_lease_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = connectServer();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
    CREATED.add(database);
    return new RegistryConfig(
        SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + database, USER, "");
  }

  private static Connection connectServer() {
    try {
      return DriverManager.getConnection(SERVER, USER, "");
    } catch (SQLException e) {
      assumeTrue(
          false,
          "two processes share a registry only on PostgreSQL, and none answers at "
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
    try (Connection connection = DriverManager.getConnection(SERVER, USER, "");
        Statement statement = connection.createStatement()) {
      for (String database : CREATED) {
        statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }

  /** A repository of one materialized view over {@code <schema>.readings}. */
  private static Path repository(Path state, String schema) throws IOException {
    Path repo = state.resolve("repo");
    Files.createDirectories(repo.resolve("views"));
    Files.writeString(
        repo.resolve("entities.yaml"), "entities:\n  device:\n    keys: [device_id]\n");
    Files.writeString(
        repo.resolve("views/readings.sql"),
        """
        -- view: readings
        -- entity: device
        -- event_time: ts
        -- materialize: true
        SELECT device_id, ts, v FROM %s.readings
        """
            .formatted(schema));
    return repo;
  }

  /** 3 devices, 4 readings a day for 10 days from 2026-01-01. */
  private static void loadReadings(QueryEngine engine, String schema) {
    engine.execute("CREATE SCHEMA IF NOT EXISTS iceberg." + schema);
    engine.execute("DROP TABLE IF EXISTS iceberg.%s.readings".formatted(schema));
    engine.execute("DROP TABLE IF EXISTS iceberg.features.readings__v1");
    engine.execute(
        """
        CREATE TABLE iceberg.%s.readings AS
        SELECT device_id, TIMESTAMP '2026-01-01 00:00:00.000000' + (d * INTERVAL '1' DAY) + (h * INTERVAL '6' HOUR) AS ts,
          CAST((device_id * 37 + d * 11 + h * 5) %% 100 AS double) AS v
        FROM UNNEST(sequence(1, 3)) AS a(device_id)
        CROSS JOIN UNNEST(sequence(0, 9)) AS b(d)
        CROSS JOIN UNNEST(sequence(0, 3)) AS c(h)"""
            .formatted(schema));
  }

  private QueryEngine engine() {
    return new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
  }

  /** Rows in one query and not the other, either way, counting duplicates. */
  private static long differences(QueryEngine engine, String left, String right) {
    return count(
        engine,
        "(%s EXCEPT ALL %s) UNION ALL (%s EXCEPT ALL %s)".formatted(left, right, right, left));
  }

  private static long count(QueryEngine engine, String query) {
    return ((Number) engine.query("SELECT count(*) FROM (" + query + ")").onlyValue()).longValue();
  }
}
