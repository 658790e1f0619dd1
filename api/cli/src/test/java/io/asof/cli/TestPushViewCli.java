package io.asof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push view through {@code asof apply} on real Trino: its version's Iceberg table is created and
 * published; rows written into it are what training sets read, point in time; a breaking change
 * makes a new table and leaves the old one readable until it is retired; backfills refuse it.
 */
@ExtendWith(AsofStackExtension.class)
class TestPushViewCli {
  private static final String TABLE = "iceberg.features.device_live__v";

  private static final String VIEW =
      """
      -- view: device_live
      -- entity: device
      -- event_time: ts
      -- push: true
      -- ttl: 1d
      -- owner: iot
      -- description: The latest reading of each device.
      CREATE TABLE device_live (
        device_id bigint,
        ts        timestamp(6),
        temp      double COMMENT 'degrees Celsius',
        status    varchar
      );
      """;

  /** Each spine row and the values expected at it, worked out by hand from the rows below. */
  private static final String SPINE =
      """
      SELECT CAST(device_id AS bigint) AS device_id, at
      FROM (VALUES
        (1, TIMESTAMP '2026-01-01 09:00:00'),
        (1, TIMESTAMP '2026-01-01 11:59:59'),
        (1, TIMESTAMP '2026-01-01 12:00:00'),
        (1, TIMESTAMP '2026-01-02 13:00:00'),
        (2, TIMESTAMP '2026-01-02 10:00:00'),
        (3, TIMESTAMP '2026-01-02 10:00:00'),
        (1, TIMESTAMP '2026-01-03 09:30:00')) AS s(device_id, at)""";

  private static final List<List<Object>> EXPECTED =
      List.of(
          // before the device's first row
          row(1, "2026-01-01 09:00:00", null, null),
          // the 10:00 row: the 12:00 one is later
          row(1, "2026-01-01 11:59:59", 20.5, "ok"),
          // a row at the spine time counts
          row(1, "2026-01-01 12:00:00", 22.0, "hot"),
          // 25 hours after the last row, past the 1-day TTL
          row(1, "2026-01-02 13:00:00", null, null),
          row(1, "2026-01-03 09:30:00", 19.0, "ok"),
          // 23 hours after its row
          row(2, "2026-01-02 10:00:00", 18.0, "ok"),
          // no row at all
          row(3, "2026-01-02 10:00:00", null, null));

  private final StackEndpoints stack;

  TestPushViewCli(StackEndpoints stack) {
    this.stack = stack;
  }

  @Test
  void applyCreatesTheTableTrainingSetsReadItAndANewVersionGetsItsOwn(@TempDir Path state)
      throws IOException {
    Path repo = state.resolve("repo");
    Files.createDirectories(repo.resolve("views"));
    Files.writeString(
        repo.resolve("entities.yaml"), "entities:\n  device:\n    keys: [device_id]\n");
    Path file = repo.resolve("views/device_live.sql");
    Files.writeString(file, VIEW);
    try (QueryEngine engine = engine()) {
      engine.execute("DROP TABLE IF EXISTS " + TABLE + 1);
      engine.execute("DROP TABLE IF EXISTS " + TABLE + 2);
      engine.execute("DROP VIEW IF EXISTS iceberg.features.device_live");
    }
    List<String> common =
        List.of(
            "--repo",
            repo.toString(),
            "--trino-url",
            stack.trinoJdbcUrl(),
            "--state-dir",
            state.toString());

    Run apply = run(common, "apply");
    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.out())
        .contains("  + device_live                  new push (v1)")
        .contains("created " + TABLE + 1)
        .contains("published iceberg.features.device_live");

    Instant created = Instant.now();
    try (QueryEngine engine = engine()) {
      assertThat(
              engine
                  .query(
                      "SELECT column_name, data_type FROM iceberg.information_schema.columns WHERE table_schema = 'features' AND table_name = 'device_live__v1' ORDER BY ordinal_position")
                  .rows())
          .containsExactly(
              List.of("device_id", "bigint"),
              List.of("ts", "timestamp(6)"),
              List.of("temp", "double"),
              List.of("status", "varchar"),
              List.of("__asof_push_seq", "bigint"));
      assertThat((String) engine.query("SHOW CREATE TABLE " + TABLE + 1).onlyValue())
          .contains("partitioning = ARRAY['day(ts)']")
          .contains("temp double COMMENT 'degrees Celsius'");
      // what the ingestion server commits, written here with plain SQL
      engine.execute(
          """
          INSERT INTO %s1 VALUES
            (1, TIMESTAMP '2026-01-01 10:00:00', 20.5, 'ok', 1),
            (2, TIMESTAMP '2026-01-01 11:00:00', 18.0, 'ok', 1),
            (1, TIMESTAMP '2026-01-01 12:00:00', 22.0, 'hot', 2),
            (1, TIMESTAMP '2026-01-03 09:00:00', 19.0, 'ok', 3)"""
              .formatted(TABLE));
      assertThat(
              engine
                  .query(
                      "SELECT CAST(partition.ts_day AS varchar), record_count FROM iceberg.features.\"device_live__v1$partitions\" ORDER BY 1")
                  .rows())
          .containsExactly(List.of("2026-01-01", 3L), List.of("2026-01-03", 1L));
      assertThat(engine.query("SELECT count(*) FROM iceberg.features.device_live").onlyValue())
          .isEqualTo(4L);
    }

    Run build = run(common, trainingSet("now_set", "device_live:*"));
    assertThat(build.exit()).as(build.err()).isZero();
    assertThat(trainingRows("now_set")).containsExactlyElementsOf(EXPECTED);
    // the table as it was before the rows came: time travel reads push views' tables too
    Run before =
        run(
            common,
            trainingSet("before_set", "device_live:*", "--views-as-of", created.toString()));
    assertThat(before.exit()).as(before.err()).isZero();
    assertThat(trainingRows("before_set"))
        .allMatch(row -> row.get(2) == null && row.get(3) == null)
        .hasSize(EXPECTED.size());

    // descriptions are metadata: the same version and table, comments updated
    Files.writeString(file, VIEW.replace("'degrees Celsius'", "'degrees Celsius, at the sensor'"));
    Run metadata = run(common, "apply");
    assertThat(metadata.out())
        .contains("  ~ device_live                  metadata only (column descriptions)");
    try (QueryEngine engine = engine()) {
      assertThat(
              engine
                  .query(
                      "SELECT remarks FROM system.jdbc.columns WHERE table_cat = 'iceberg' AND table_schem = 'features' AND table_name = 'device_live__v1' AND column_name = 'temp'")
                  .onlyValue())
          .isEqualTo("degrees Celsius, at the sensor");
    }

    // a new column is a new version with a table of its own; v1 keeps its rows
    Files.writeString(
        file, VIEW.replace("  status    varchar\n", "  status    varchar,\n  humidity  real\n"));
    Run plan = run(common, "plan");
    assertThat(plan.out())
        .contains(
            "  ! device_live                  breaking: its columns change and it is a push view, so v1 becomes v2, a new table that pushes fill from now on; v1 stays readable");
    Run breaking = run(common, "apply");
    assertThat(breaking.exit()).as(breaking.err()).isZero();
    assertThat(breaking.out()).contains("created " + TABLE + 2);
    try (QueryEngine engine = engine()) {
      assertThat(engine.query("SELECT count(*) FROM " + TABLE + 1).onlyValue()).isEqualTo(4L);
      assertThat(engine.query("SELECT count(*) FROM " + TABLE + 2).onlyValue()).isEqualTo(0L);
      assertThat(engine.query("SELECT count(*) FROM iceberg.features.device_live").onlyValue())
          .isEqualTo(0L);
    }
    // a training set pinned to v1 reads v1's table
    Run pinned = run(common, trainingSet("pinned_set", "device_live@1:temp,device_live@1:status"));
    assertThat(pinned.exit()).as(pinned.err()).isZero();
    assertThat(trainingRows("pinned_set")).containsExactlyElementsOf(EXPECTED);

    // nothing to backfill or materialize: rows are pushed
    for (List<String> refused :
        List.of(
            List.of("backfill", "device_live", "--from", "2026-01-01", "--to", "2026-01-02"),
            List.of("materialize", "device_live"))) {
      Run run = run(common, refused.toArray(String[]::new));
      assertThat(run.exit()).isNotZero();
      assertThat(run.err())
          .contains(
              "view device_live is a push view: its rows are pushed, not computed, so there is nothing to backfill or materialize; push views are filled by POST /v1/push/device_live or ./asof push");
    }
    Run materializeAll = run(common, "materialize");
    assertThat(materializeAll.exit()).as(materializeAll.err()).isZero();

    // both versions' tables are maintained; the old one is dropped when retired
    Run maintain = run(common, "maintain", "--dry-run");
    assertThat(maintain.out())
        .contains("  " + TABLE + "1: files ")
        .contains("  " + TABLE + "2: files 0 -> 0");
    Run retire = run(common, "retire", "device_live@1");
    assertThat(retire.exit()).as(retire.err()).isZero();
    assertThat(retire.out()).contains("Retired device_live@1: dropped " + TABLE + "1.");
    try (QueryEngine engine = engine()) {
      assertThat(engine.query("SHOW TABLES FROM iceberg.features LIKE 'device_live__v%'").rows())
          .containsExactly(List.of("device_live__v2"));
    }
  }

  private static String[] trainingSet(String name, String features, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "training-set",
                "build",
                name,
                "--spine",
                SPINE,
                "--timestamp",
                "at",
                "--features",
                features));
    args.addAll(Arrays.asList(more));
    return args.toArray(String[]::new);
  }

  private List<List<Object>> trainingRows(String set) {
    try (QueryEngine engine = engine()) {
      return engine
          .query(
              "SELECT device_id, CAST(CAST(at AS timestamp(0)) AS varchar), temp, status FROM iceberg.training.%s ORDER BY device_id, at"
                  .formatted(set))
          .rows();
    }
  }

  private static List<Object> row(long device, String at, Double temp, String status) {
    return Arrays.asList(device, at, temp, status);
  }

  private QueryEngine engine() {
    return new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(List<String> common, String... command) {
    List<String> args = new ArrayList<>(Arrays.asList(command));
    args.addAll(common);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Asof.run(
            args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }
}
