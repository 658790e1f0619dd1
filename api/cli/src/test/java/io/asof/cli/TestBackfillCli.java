package io.asof.cli;

import static io.asof.cli.CliRun.concat;
import static io.asof.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.local.StackEndpoints;
import io.asof.registry.ChunkStatistics;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.StackMode;
import io.asof.testing.TestFiles;
import io.asof.testing.TestStack;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code asof backfill} on real Trino: the table holds exactly the view's rows of the range, one
 * snapshot per chunk; re-running changes nothing; training sets read the table and give the same
 * rows as from the view's SQL; a chunk breaking an expectation stops the job before it; a killed
 * job resumes to the same table as an uninterrupted one.
 */
@ExtendWith(AsofStackExtension.class)
class TestBackfillCli {
  private static final Pattern JOB = Pattern.compile("\\(job (bf[0-9a-f]+)\\)");
  private static final Pattern SNAPSHOT_ROW =
      Pattern.compile("^ +\\d+ +\\S+Z +\\S+Z +[0-9,]+ +-?\\d{6,} ", Pattern.MULTILINE);

  private final StackEndpoints stack;

  TestBackfillCli(StackEndpoints stack) {
    this.stack = stack;
  }

  @Test
  void newsViewsAreBackfilledRerunsChangeNothingAndTrainingSetsReadTheTables(@TempDir Path state)
      throws IOException {
    try (QueryEngine engine = engine()) {
      new NewsWarehouse(NewsWarehouseSpec.defaults(), stack.catalog(), "dwh")
          .load(engine, step -> {});
      engine.execute("DROP TABLE IF EXISTS iceberg.features.article_daily_ctr__v1");
    }
    // the news repository with a training set over its materialized view
    Path repo = state.resolve("news");
    TestFiles.copyTree(Path.of("../../sql-features/examples/news"), repo);
    Files.writeString(
        repo.resolve("training_sets/daily_ctr_model.sql"),
        """
        -- training_set: daily_ctr_model
        -- timestamp: shown_at
        -- features: article_daily_ctr:*, user_engagement:reads_7d
        SELECT impression_id, user_id, article_id, shown_at FROM dwh.impressions
        """);
    String[] common = common(repo.toString(), state);
    assertThat(apply(common).exit()).isZero();
    CliRun virtualBuild =
        run(concat(new String[] {"training-set", "build", "daily_ctr_model"}, common));
    assertThat(virtualBuild.exit()).as(virtualBuild.err()).isZero();
    long fromSql = snapshot(virtualBuild.out());

    CliRun ctr =
        run(
            concat(
                new String[] {
                  "backfill",
                  "article_daily_ctr",
                  "--from",
                  "2026-01-01",
                  "--to",
                  "2026-04-02",
                  "--chunk",
                  "30d"
                },
                common));
    assertThat(ctr.exit()).as(ctr.err()).isZero();
    assertThat(ctr.out())
        .contains("Backfilling iceberg.features.article_daily_ctr__v1 from 2026-01-01T00:00:00Z")
        .contains("4 chunks of 30d, up to 2 at a time")
        .contains("] 4/4 chunks")
        .contains(
            "the published view of article_daily_ctr reads iceberg.features.article_daily_ctr__v1 now")
        .containsPattern(
            "Backfilled iceberg.features.article_daily_ctr__v1: 4 chunks, [0-9,]+ rows")
        .contains("Iceberg snapshots of this job, one per chunk:");
    // an aggregation view is evaluated from its events whenever it is read: nothing to store
    CliRun engagement =
        run(
            concat(
                new String[] {
                  "backfill", "user_engagement", "--from", "2026-01-01", "--to", "2026-04-02"
                },
                common));
    assertThat(engagement.exit()).isEqualTo(1);
    assertThat(engagement.err())
        .contains("view user_engagement is an aggregation view (")
        .contains("there is nothing to backfill or materialize");

    try (QueryEngine engine = engine()) {
      // the table holds the view's rows with a key, no more, no fewer
      String viewRows =
          "SELECT article_id, event_ts, impressions_1d, ctr_1d, ctr_7d FROM ("
              + viewSql("article_daily_ctr")
              + ") WHERE article_id IS NOT NULL";
      String tableRows =
          "SELECT article_id, event_ts, impressions_1d, ctr_1d, ctr_7d FROM iceberg.features.article_daily_ctr__v1";
      assertThat(count(engine, viewRows)).isPositive();
      assertThat(differences(engine, viewRows, tableRows)).isZero();
      // one snapshot per chunk that changed the table, besides the table's creation
      Matcher snapshotRows = SNAPSHOT_ROW.matcher(ctr.out());
      long committedSnapshots = 0;
      while (snapshotRows.find()) {
        committedSnapshots++;
      }
      assertThat(committedSnapshots).isBetween(3L, 4L);
      assertThat(
              count(engine, "SELECT * FROM iceberg.features.\"article_daily_ctr__v1$snapshots\""))
          .isEqualTo(committedSnapshots + 1);
      assertThat(
              (String)
                  engine.query("SHOW CREATE VIEW iceberg.features.article_daily_ctr").onlyValue())
          .contains("iceberg.features.article_daily_ctr__v1");
    }

    // the training set reads the tables, with their stored range ends, and gets the same rows
    CliRun sql = run(concat(new String[] {"training-set", "sql", "daily_ctr_model"}, common));
    assertThat(sql.out())
        .contains("FROM iceberg.features.article_daily_ctr__v1")
        .contains("__asof_valid_until");
    CliRun tableBuild =
        run(concat(new String[] {"training-set", "build", "daily_ctr_model"}, common));
    assertThat(tableBuild.exit()).as(tableBuild.err()).isZero();
    long fromTables = snapshot(tableBuild.out());
    try (QueryEngine engine = engine()) {
      assertThat(
              differences(
                  engine,
                  "SELECT * FROM iceberg.training.daily_ctr_model FOR VERSION AS OF " + fromSql,
                  "SELECT * FROM iceberg.training.daily_ctr_model FOR VERSION AS OF " + fromTables))
          .isZero();
      long before = latestSnapshot(engine, "article_daily_ctr__v1");

      // re-running part of the range gives the same rows
      CliRun rerun =
          run(
              concat(
                  new String[] {
                    "backfill",
                    "article_daily_ctr",
                    "--from",
                    "2026-02-01",
                    "--to",
                    "2026-03-01",
                    "--chunk",
                    "7d"
                  },
                  common));
      assertThat(rerun.exit()).as(rerun.err()).isZero();
      assertThat(latestSnapshot(engine, "article_daily_ctr__v1")).isNotEqualTo(before);
      String table = "SELECT * FROM iceberg.features.article_daily_ctr__v1";
      assertThat(differences(engine, table, table + " FOR VERSION AS OF " + before)).isZero();
    }
  }

  @Test
  void aChunkBreakingAnExpectationStopsTheJobAndResumingFinishesIt(@TempDir Path state)
      throws IOException, InterruptedException {
    Path repo = readingsRepository(state);
    String[] common = common(repo.toString(), state);
    try (QueryEngine engine = engine()) {
      loadReadings(engine, "bf_expect");
      engine.execute(
          "UPDATE iceberg.bf_expect.readings SET v = 150 WHERE day(ts) = 6 AND device_id = 2");
    }
    writeReadingsView(repo, "bf_expect");
    assertThat(apply(common).exit()).isZero();

    CliRun failed = run(concat(readingsBackfill("2"), common));
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err())
        .contains("asof: backfill job bf")
        .contains(
            "chunk 5 (2026-01-06T00:00:00Z to 2026-01-07T00:00:00Z) breaks 1 expectation of view readings; it is not committed, nor are later chunks:")
        .contains("readings.sql:5:")
        .contains("expectation range(v, 0, 100) fails on 4 rows, e.g. {")
        .contains("\"device_id\":2")
        .contains("Resume it: ./asof backfill --resume bf");
    String job = failed.err().replaceAll("(?s).*backfill job (bf[0-9a-f]+) failed.*", "$1");
    CliRun list = run(concat(new String[] {"backfill", "readings", "--list"}, common));
    assertThat(list.out()).containsPattern(job + "\\s+v1\\s+\\S+\\s+\\S+\\s+failed\\s+5/10");
    try (QueryEngine engine = engine()) {
      assertThat(count(engine, "SELECT * FROM iceberg.features.readings__v1")).isEqualTo(60);
      assertThat(
              engine
                  .query(
                      "SELECT max(ts) < TIMESTAMP '2026-01-06' FROM iceberg.features.readings__v1")
                  .onlyValue())
          .isEqualTo(true);
      engine.execute("UPDATE iceberg.bf_expect.readings SET v = 50 WHERE v > 100");
    }

    CliRun resumed = run(concat(new String[] {"backfill", "--resume", job}, common));
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.out())
        .contains("Resuming iceberg.features.readings__v1")
        .contains("5 chunks of 1d")
        .contains("5 committed before")
        .contains("Backfilled iceberg.features.readings__v1: 10 chunks, 120 rows");
    try (QueryEngine engine = engine()) {
      assertThat(
              differences(
                  engine,
                  "SELECT device_id, ts, v FROM iceberg.bf_expect.readings",
                  "SELECT device_id, ts, v FROM iceberg.features.readings__v1"))
          .isZero();
    }
    // each committed chunk's statistics are in the registry: 12 readings a day, values 0 to 99
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state))) {
      List<ChunkStatistics> statistics = registry.statistics("readings", 1, "v");
      assertThat(statistics).hasSize(10);
      for (ChunkStatistics chunk : statistics) {
        assertThat(chunk.statistics().rows()).isEqualTo(12);
        assertThat(chunk.statistics().nulls()).isZero();
        assertThat(chunk.statistics().min().getAsDouble()).isBetween(0.0, 99.0);
        assertThat(chunk.statistics().max().getAsDouble()).isBetween(0.0, 99.0);
      }
      assertThat(statistics.getFirst().from())
          .isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    }
    CliRun again = run(concat(new String[] {"backfill", "--resume", job}, common));
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already succeeded");

    // new rows after the watermark and a late one before it: materialize catches up
    Thread.sleep(1000);
    String beforeCatchUp = java.time.Instant.now().toString();
    Thread.sleep(1000);
    try (QueryEngine engine = engine()) {
      engine.execute(
          """
          INSERT INTO iceberg.bf_expect.readings VALUES
            (1, TIMESTAMP '2026-01-11 03:00:00', 1.0),
            (4, TIMESTAMP '2026-01-12 09:00:00', 2.0),
            (2, TIMESTAMP '2026-01-10 23:00:00', 3.0)""");
    }
    CliRun caughtUp =
        run(
            concat(
                new String[] {
                  "materialize", "--to", "2026-01-13", "--lookback", "1d", "--chunk", "1d"
                },
                common));
    assertThat(caughtUp.exit()).as(caughtUp.err()).isZero();
    assertThat(caughtUp.out())
        .contains(
            "Backfilling iceberg.features.readings__v1 from 2026-01-10T00:00:00Z to 2026-01-13T00:00:00Z: 3 chunks of 1d")
        .contains("Backfilled iceberg.features.readings__v1: 3 chunks, 15 rows");
    try (QueryEngine engine = engine()) {
      assertThat(
              differences(
                  engine,
                  "SELECT device_id, ts, v FROM iceberg.bf_expect.readings",
                  "SELECT device_id, ts, v FROM iceberg.features.readings__v1"))
          .isZero();
    }
    CliRun upToDate =
        run(
            concat(
                new String[] {"materialize", "readings", "--to", "2026-01-12", "--lookback", "0"},
                common));
    assertThat(upToDate.out()).contains("readings: up to date");

    // a training set over the table as it was before the catch-up: device 4 was not there yet
    String[] adHoc = {
      "--spine",
      "SELECT CAST(4 AS bigint) AS device_id, TIMESTAMP '2026-01-12 12:00:00' AS t",
      "--timestamp",
      "t",
      "--features",
      "readings:v"
    };
    CliRun then =
        run(
            concat(
                concat(
                    new String[] {
                      "training-set", "build", "readings_then", "--views-as-of", beforeCatchUp
                    },
                    adHoc),
                common));
    assertThat(then.exit()).as(then.err()).isZero();
    CliRun now =
        run(concat(concat(new String[] {"training-set", "build", "readings_now"}, adHoc), common));
    assertThat(now.exit()).as(now.err()).isZero();
    try (QueryEngine engine = engine()) {
      assertThat(engine.query("SELECT v FROM iceberg.training.readings_then").rows())
          .containsExactly(java.util.Collections.singletonList(null));
      assertThat(engine.query("SELECT v FROM iceberg.training.readings_now").onlyValue())
          .isEqualTo(2.0);
    }
  }

  @Test
  void aKilledBackfillResumesToTheTableOfAnUninterruptedOne(@TempDir Path state)
      throws IOException, InterruptedException {
    Path repo = readingsRepository(state);
    String[] common = common(repo.toString(), state);
    try (QueryEngine engine = engine()) {
      loadReadings(engine, "bf_kill");
    }
    writeReadingsView(repo, "bf_kill");
    assertThat(apply(common).exit()).isZero();
    CliRun uninterrupted = run(concat(readingsBackfill("2"), common));
    assertThat(uninterrupted.exit()).as(uninterrupted.err()).isZero();
    try (QueryEngine engine = engine()) {
      engine.execute("DROP TABLE IF EXISTS iceberg.bf_kill.expected");
      engine.execute(
          "CREATE TABLE iceberg.bf_kill.expected AS SELECT * FROM iceberg.features.readings__v1");
      engine.execute("DROP TABLE iceberg.features.readings__v1");
    }

    // a separate process, killed with SIGKILL once it has committed three chunks
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Asof.class.getName());
    command.addAll(List.of(readingsBackfill("1")));
    command.addAll(List.of(common));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder seen = new StringBuilder();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        seen.append(line).append('\n');
        if (line.contains("] 3/10 chunks")) {
          child.destroyForcibly();
          break;
        }
      }
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(seen.toString()).contains("] 3/10 chunks").doesNotContain("Backfilled");
    Matcher job = JOB.matcher(seen);
    assertThat(job.find()).as(seen.toString()).isTrue();

    // the journal may miss the last commits before the kill: resuming recomputes them (same rows)
    CliRun list = run(concat(new String[] {"backfill", "readings", "--list"}, common));
    assertThat(list.out())
        .containsPattern(job.group(1) + "\\s+v1\\s+\\S+\\s+\\S+\\s+running\\s+\\d/10");
    CliRun resumed = run(concat(new String[] {"backfill", "--resume", job.group(1)}, common));
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("Backfilled iceberg.features.readings__v1: 10 chunks");
    try (QueryEngine engine = engine()) {
      assertThat(
              differences(
                  engine,
                  "SELECT * FROM iceberg.bf_kill.expected",
                  "SELECT * FROM iceberg.features.readings__v1"))
          .isZero();
      assertThat(count(engine, "SELECT * FROM iceberg.features.readings__v1")).isEqualTo(120);
    }
  }

  @Test
  void trinoStoppedMidBackfillFailsTheJobCommitsNoPartialChunkAndTheJobResumes(
      TestStack testStack, @TempDir Path state) throws Exception {
    assumeTrue(
        testStack.mode() == StackMode.LOCAL,
        "only a stack this test JVM started can be stopped and started again");
    Path repo = readingsRepository(state);
    // the driver gives up on a Trino that does not answer after this long (default: minutes)
    String[] common = {
      "--repo",
      repo.toString(),
      "--trino-url",
      stack.trinoJdbcUrl(),
      "--trino-timeout",
      "10s",
      "--state-dir",
      state.toString()
    };
    try (QueryEngine engine = engine()) {
      loadReadings(engine, "bf_down");
    }
    writeReadingsView(repo, "bf_down");
    assertThat(apply(common).exit()).isZero();

    CountDownLatch twoCommitted = new CountDownLatch(1);
    StringWriter seen = new StringWriter();
    Writer watcher =
        new Writer() {
          @Override
          public void write(char[] text, int offset, int length) {
            seen.write(text, offset, length);
            if (seen.toString().contains("] 2/10 chunks")) {
              twoCommitted.countDown();
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    StringWriter err = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread backfill =
        Thread.ofPlatform()
            .start(
                () ->
                    exit.set(
                        Asof.run(
                            concat(readingsBackfill("1"), common),
                            new PrintWriter(watcher, true),
                            new PrintWriter(err, true))));
    try {
      assertThat(twoCommitted.await(5, TimeUnit.MINUTES)).as(seen.toString()).isTrue();
      testStack.stopServers();
      backfill.join(Duration.ofMinutes(5));
      assertThat(exit.get()).as(seen + "\n" + err).isEqualTo(1);
      assertThat(err.toString())
          .contains("failed, nothing of it is committed:")
          .contains("Resume it: ./asof backfill --resume bf");
    } finally {
      testStack.startServers();
    }

    // whole chunks only: the journal's, and at most the one whose commit it did not hear back from
    String job = err.toString().replaceAll("(?s).*backfill job (bf[0-9a-f]+) failed.*", "$1");
    CliRun list = run(concat(new String[] {"backfill", "readings", "--list"}, common));
    Matcher journal =
        Pattern.compile(job + "\\s+v1\\s+\\S+\\s+\\S+\\s+failed\\s+(\\d+)/10").matcher(list.out());
    assertThat(journal.find()).as(list.out()).isTrue();
    int committed = Integer.parseInt(journal.group(1));
    assertThat(committed).isBetween(2, 9);
    try (QueryEngine engine = engine()) {
      long rows = count(engine, "SELECT * FROM iceberg.features.readings__v1");
      assertThat(rows).isIn(12L * committed, 12L * (committed + 1));
      assertThat(
              differences(
                  engine,
                  "SELECT device_id, ts, v FROM iceberg.bf_down.readings WHERE ts < TIMESTAMP '2026-01-01' + INTERVAL '%d' DAY"
                      .formatted(rows / 12),
                  "SELECT device_id, ts, v FROM iceberg.features.readings__v1"))
          .isZero();
    }
    CliRun resumed = run(concat(new String[] {"backfill", "--resume", job}, common));
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    try (QueryEngine engine = engine()) {
      assertThat(
              differences(
                  engine,
                  "SELECT device_id, ts, v FROM iceberg.bf_down.readings",
                  "SELECT device_id, ts, v FROM iceberg.features.readings__v1"))
          .isZero();
    }
  }

  @Test
  void olderVersionsArePinnedUntilRetiredAndMaintenanceKeepsWhatBuildsRead(@TempDir Path state)
      throws IOException, InterruptedException {
    Path repo = readingsRepository(state);
    String[] common = common(repo.toString(), state);
    try (QueryEngine engine = engine()) {
      loadReadings(engine, "bf_versions");
      engine.execute("DROP TABLE IF EXISTS iceberg.training.readings_v1");
      engine.execute("DROP TABLE IF EXISTS iceberg.training.readings_pinned");
      engine.execute("DROP TABLE IF EXISTS iceberg.training.readings_then");
      engine.execute("DROP TABLE IF EXISTS iceberg.training.readings_at_snapshot");
    }
    writeReadingsView(repo, "bf_versions");
    assertThat(apply(common).exit()).isZero();
    assertThat(run(concat(readingsBackfill("2"), common)).exit()).isZero();
    long firstFill;
    try (QueryEngine engine = engine()) {
      firstFill = latestSnapshot(engine, "readings__v1");
    }
    // a second fill of the same range: more snapshots and files to maintain
    assertThat(run(concat(readingsBackfill("2"), common)).exit()).isZero();
    String[] spine = {
      "--spine",
      "SELECT device_id, ts + INTERVAL '1' HOUR AS t FROM iceberg.bf_versions.readings",
      "--timestamp",
      "t"
    };
    CliRun v1 =
        run(
            concat(
                concat(new String[] {"training-set", "build", "readings_v1"}, spine),
                concat(new String[] {"--features", "readings:v"}, common)));
    assertThat(v1.exit()).as(v1.err()).isZero();
    long v1Snapshot = snapshot(v1.out());
    Thread.sleep(1000);
    String afterV1 = java.time.Instant.now().toString();

    // a breaking change: v2, with its own table; v1 stays readable when pinned
    Files.writeString(
        repo.resolve("views/readings.sql"),
        Files.readString(repo.resolve("views/readings.sql"))
            .replace("ts, v FROM", "ts, v / 2 AS v FROM"));
    CliRun applied = apply(common);
    assertThat(applied.out()).contains("v1 becomes v2").contains("v1 stays readable");
    assertThat(run(concat(readingsBackfill("2"), common)).exit()).isZero();
    CliRun pinned =
        run(
            concat(
                concat(new String[] {"training-set", "build", "readings_pinned"}, spine),
                concat(new String[] {"--features", "readings@1:v"}, common)));
    assertThat(pinned.exit()).as(pinned.err()).isZero();
    try (QueryEngine engine = engine()) {
      assertThat(
              differences(
                  engine,
                  "SELECT * FROM iceberg.training.readings_v1",
                  "SELECT * FROM iceberg.training.readings_pinned"))
          .isZero();
      assertThat(count(engine, "SELECT * FROM iceberg.training.readings_pinned")).isEqualTo(120);
    }
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state))) {
      assertThat(registry.builds("readings_pinned").getFirst().featureVersions())
          .containsEntry("readings", 1);
      assertThat(registry.versions("readings")).extracting(v -> v.version()).containsExactly(2, 1);
    }
    CliRun atSnapshot =
        run(
            concat(
                concat(new String[] {"training-set", "build", "readings_at_snapshot"}, spine),
                concat(
                    new String[] {
                      "--features", "readings@1:v", "--view-snapshot", "readings=" + firstFill
                    },
                    common)));
    assertThat(atSnapshot.exit()).as(atSnapshot.err()).isZero();
    try (QueryEngine engine = engine()) {
      assertThat(
              differences(
                  engine,
                  "SELECT * FROM iceberg.training.readings_v1",
                  "SELECT * FROM iceberg.training.readings_at_snapshot"))
          .isZero();
    }
    CliRun both =
        run(
            concat(
                concat(new String[] {"training-set", "sql", "both"}, spine),
                concat(new String[] {"--features", "readings@1:v,readings:v"}, common)));
    assertThat(both.exit()).isEqualTo(1);
    assertThat(both.err())
        .contains("view readings is named both as readings@1:v and as readings:v");
    CliRun current = run(concat(new String[] {"retire", "readings@2"}, common));
    assertThat(current.exit()).isEqualTo(1);
    assertThat(current.err()).contains("readings@2 is the version applied now");

    // maintenance with no retention: v1's snapshots before the one the v1 build read go, files
    // are compacted, and a rebuild as of that build's moment gives its rows again
    CliRun maintained = run(concat(new String[] {"maintain", "--retention", "0"}, common));
    assertThat(maintained.exit()).as(maintained.err()).isZero();
    assertThat(maintained.out())
        .contains("Maintaining 5 tables")
        .contains("iceberg.features.readings__v1")
        .contains("iceberg.training.readings_v1");
    try (QueryEngine engine = engine()) {
      long v1Snapshots = count(engine, "SELECT * FROM iceberg.features.\"readings__v1$snapshots\"");
      // the one the builds read, those a few seconds before it, and the compaction's
      assertThat(v1Snapshots).as(maintained.out()).isBetween(2L, 5L);
      assertThat(
              count(
                  engine,
                  "SELECT * FROM iceberg.training.readings_v1 FOR VERSION AS OF " + v1Snapshot))
          .isEqualTo(120);
      // one file per day partition after compaction
      assertThat(count(engine, "SELECT * FROM iceberg.features.\"readings__v1$files\""))
          .isEqualTo(10);
    }
    CliRun expired =
        run(
            concat(
                concat(new String[] {"training-set", "sql", "expired"}, spine),
                concat(
                    new String[] {
                      "--features", "readings@1:v", "--view-snapshot", "readings=" + firstFill
                    },
                    common)));
    assertThat(expired.exit()).isEqualTo(1);
    assertThat(expired.err())
        .contains(
            "iceberg.features.readings__v1 has no snapshot "
                + firstFill
                + " (expired by ./asof maintain");
    CliRun then =
        run(
            concat(
                concat(new String[] {"training-set", "build", "readings_then"}, spine),
                concat(
                    new String[] {"--features", "readings@1:v", "--views-as-of", afterV1},
                    common)));
    assertThat(then.exit()).as(then.err()).isZero();
    try (QueryEngine engine = engine()) {
      assertThat(
              differences(
                  engine,
                  "SELECT * FROM iceberg.training.readings_v1",
                  "SELECT * FROM iceberg.training.readings_then"))
          .isZero();
    }

    CliRun retired = run(concat(new String[] {"retire", "readings@1"}, common));
    assertThat(retired.exit()).as(retired.err()).isZero();
    assertThat(retired.out())
        .contains("Retired readings@1: dropped iceberg.features.readings__v1.")
        .contains("4 recorded training-set builds read it; their rows stay in their tables:");
    CliRun gone =
        run(
            concat(
                concat(new String[] {"training-set", "sql", "gone"}, spine),
                concat(new String[] {"--features", "readings@1:v"}, common)));
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).contains("readings@1 was retired at").contains("readable: readings@2");
    CliRun twice = run(concat(new String[] {"retire", "readings@1"}, common));
    assertThat(twice.exit()).isZero();
    assertThat(twice.out()).contains("it had no table");
    CliRun unknown = run(concat(new String[] {"retire", "readings@7"}, common));
    assertThat(unknown.err())
        .contains(
            "view readings has no version 7 in the registry (it has readings@2, readings@1 (retired))");
    CliRun dryRun = run(concat(new String[] {"maintain", "--dry-run"}, common));
    assertThat(dryRun.exit()).as(dryRun.err()).isZero();
    assertThat(dryRun.out())
        .contains("Would maintain 5 tables")
        .contains("Planned (nothing changed)");
  }

  @Test
  void badRequestsAreRefusedWithWhatToDo(@TempDir Path state) throws IOException {
    String[] common = common("../../sql-features/examples/news", state);
    CliRun virtual =
        run(
            concat(
                new String[] {"backfill", "article_profile", "--from", "2026-01-01", "--to", "now"},
                common));
    assertThat(virtual.exit()).isEqualTo(1);
    assertThat(virtual.err())
        .contains("view article_profile is virtual")
        .contains("materialize: true");
    CliRun unknown =
        run(
            concat(
                new String[] {
                  "backfill", "article_daily_crt", "--from", "2026-01-01", "--to", "now"
                },
                common));
    assertThat(unknown.err())
        .contains("no view article_daily_crt")
        .contains("did you mean article_daily_ctr?");
    CliRun badTime =
        run(
            concat(
                new String[] {
                  "backfill", "article_daily_ctr", "--from", "yesterday", "--to", "now"
                },
                common));
    assertThat(badTime.err()).contains("'yesterday' is not a time: write 2026-01-01");
    CliRun badChunk =
        run(
            concat(
                new String[] {
                  "backfill",
                  "article_daily_ctr",
                  "--from",
                  "2026-01-01",
                  "--to",
                  "now",
                  "--chunk",
                  "7 days"
                },
                common));
    assertThat(badChunk.err()).contains("--chunk '7 days' does not parse");
    CliRun longChunk =
        run(
            concat(
                new String[] {
                  "backfill",
                  "article_daily_ctr",
                  "--from",
                  "2026-01-01",
                  "--to",
                  "now",
                  "--chunk",
                  "365d"
                },
                common));
    assertThat(longChunk.err()).contains("--chunk 365d is longer than 100 days");
    CliRun noRange = run(concat(new String[] {"backfill", "article_daily_ctr"}, common));
    assertThat(noRange.err()).contains("a backfill needs its range: --from TIME --to TIME");
    CliRun noJob = run(concat(new String[] {"backfill", "--resume", "bf00000000"}, common));
    assertThat(noJob.err()).contains("no backfill job bf00000000 in the registry");
  }

  private static String[] readingsBackfill(String parallel) {
    return new String[] {
      "backfill",
      "readings",
      "--from",
      "2026-01-01",
      "--to",
      "2026-01-11",
      "--chunk",
      "1d",
      "--parallel",
      parallel
    };
  }

  /** A repository of one materialized view over {@code <schema>.readings}, with an expectation. */
  private static Path readingsRepository(Path state) throws IOException {
    Path repo = state.resolve("repo");
    Files.createDirectories(repo.resolve("views"));
    Files.writeString(
        repo.resolve("entities.yaml"), "entities:\n  device:\n    keys: [device_id]\n");
    return repo;
  }

  private static void writeReadingsView(Path repo, String schema) throws IOException {
    Files.writeString(
        repo.resolve("views/readings.sql"),
        """
        -- view: readings
        -- entity: device
        -- event_time: ts
        -- materialize: true
        -- expect: range(v, 0, 100)
        SELECT device_id, ts, v FROM %s.readings
        """
            .formatted(schema));
  }

  /** 3 devices, 4 readings a day for 10 days from 2026-01-01, values 0 to 99. */
  private static void loadReadings(QueryEngine engine, String schema) {
    engine.execute("CREATE SCHEMA IF NOT EXISTS iceberg." + schema);
    engine.execute("DROP TABLE IF EXISTS iceberg.%s.readings".formatted(schema));
    engine.execute("DROP TABLE IF EXISTS iceberg.features.readings__v1");
    engine.execute("DROP TABLE IF EXISTS iceberg.features.readings__v2");
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

  private String viewSql(String view) throws IOException {
    String text =
        Files.readString(Path.of("../../sql-features/examples/news/views/" + view + ".sql"));
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!line.startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    return sql.toString().replace("dwh.", "iceberg.dwh.");
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

  private static long latestSnapshot(QueryEngine engine, String table) {
    return (Long)
        engine
            .query(
                "SELECT snapshot_id FROM iceberg.features.\"%s$snapshots\" ORDER BY committed_at DESC LIMIT 1"
                    .formatted(table))
            .onlyValue();
  }

  private QueryEngine engine() {
    return new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
  }

  /** {@code apply} with the options of {@code common}, on the stack's online store. */
  private CliRun apply(String[] common) {
    return run(
        concat(
            new String[] {"apply", "--dynamodb-endpoint", stack.dynamoDbEndpoint().toString()},
            common));
  }

  private String[] common(String repo, Path state) {
    return new String[] {
      "--repo", repo, "--trino-url", stack.trinoJdbcUrl(), "--state-dir", state.toString()
    };
  }

  private static long snapshot(String buildOutput) {
    Matcher matcher = Pattern.compile("\\(snapshot (-?\\d+)\\)").matcher(buildOutput);
    assertThat(matcher.find()).as(buildOutput).isTrue();
    return Long.parseLong(matcher.group(1));
  }
}
