package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.asof.compiler.backfill.ExpectationFailure;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.model.Schemas;
import io.asof.registry.BackfillChunk;
import io.asof.registry.BackfillJob;
import io.asof.registry.ChunkStatistics;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.Lease;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill service on a real Trino, over materialized views of readings generated here: a range
 * is filled with exactly the view's keyed rows (and each row's range end), one journaled chunk and
 * Iceberg snapshot at a time; re-running a range, in other chunks, leaves the same rows; a job
 * stopped by a chunk that breaks an expectation keeps the chunks before it, and its resume runs
 * only the rest; ranges and requests that cannot work are refused before anything is recorded,
 * saying why.
 *
 * <p>Each test has its own view and source table: the views' tables are the engine's, shared by the
 * tests of this JVM.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestBackfillService {
  private static final String SCHEMA = "backfill_svc";
  private static final Instant JAN_1 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);
  private static final DateTimeFormatter TRINO_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private QueryEngine trino;
  private RegistryStore registry;
  private String catalog;
  private Path repo;
  private BackfillService backfills;

  @BeforeAll
  void start(StackEndpoints stack, @TempDir Path state, @TempDir Path repo) throws IOException {
    this.repo = repo;
    catalog = stack.catalog();
    trino =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/" + catalog, stack.trinoUser()));
    trino.execute("CREATE SCHEMA IF NOT EXISTS %s.%s".formatted(catalog, SCHEMA));
    for (String source : List.of("fill_src", "rerun_src", "resume_src")) {
      loadReadings(source);
    }
    // a reading of no meter: the view has it, the table must not
    trino.execute(
        "INSERT INTO %s.%s.fill_src VALUES (NULL, TIMESTAMP '2026-01-02 12:00:00.000000', 7.0)"
            .formatted(catalog, SCHEMA));
    // out of the expected range (0 to 100): the resumed job's chunk of Jan 3 breaks it
    trino.execute(
        "UPDATE %s.%s.resume_src SET kwh = 150 WHERE meter_id = 2 AND ts = TIMESTAMP '2026-01-03 06:00:00'"
            .formatted(catalog, SCHEMA));
    Files.writeString(
        repo.resolve("entities.yaml"),
        """
        entities:
          meter:
            keys: [meter_id]
            description: An electricity meter.
        """);
    Files.createDirectories(repo.resolve("views"));
    writeView(repo, "meter_fill", "fill_src", "-- materialize: true\n");
    writeView(repo, "meter_rerun", "rerun_src", "-- materialize: true\n");
    writeView(
        repo,
        "meter_resume",
        "resume_src",
        "-- materialize: true\n-- expect: range(kwh, 0, 100)\n");
    writeView(repo, "meter_never", "fill_src", "-- materialize: true\n");
    writeView(repo, "meter_virtual", "fill_src", "");
    for (String view : List.of("meter_fill", "meter_rerun", "meter_resume", "meter_never")) {
      trino.execute("DROP TABLE IF EXISTS %s".formatted(BackfillService.table(catalog, view, 1)));
    }
    registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
    Repositories.apply(trino, registry, repo, catalog);
    backfills = new BackfillService(trino, new TrinoDialect(), registry, repo, catalog);
  }

  @AfterAll
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (trino != null) {
      trino.close();
    }
  }

  @Test
  void aRangeIsFilledWithTheViewsKeyedRowsOneJournaledChunkAndSnapshotAtATime() {
    BackfillJob job = backfills.start("meter_fill", JAN_1, day(4), DAY);
    assertThat(job.table()).isEqualTo(catalog + ".features.meter_fill__v1");
    assertThat(job.version()).isEqualTo(1);
    assertThat(job.status()).isEqualTo(BackfillJob.Status.RUNNING);
    // journaled before it runs: four pending chunks of a day
    BackfillJob recorded = registry.backfill(job.id()).orElseThrow();
    assertThat(recorded.chunks())
        .extracting(
            BackfillChunk::index, BackfillChunk::from, BackfillChunk::to, BackfillChunk::status)
        .containsExactly(
            chunk(0, day(0), day(1), BackfillChunk.Status.PENDING),
            chunk(1, day(1), day(2), BackfillChunk.Status.PENDING),
            chunk(2, day(2), day(3), BackfillChunk.Status.PENDING),
            chunk(3, day(3), day(4), BackfillChunk.Status.PENDING));
    assertThat(backfills.watermark("meter_fill", 1)).isEmpty();

    Events events = new Events();
    BackfillJob done = backfills.run(job, 2, events);

    assertThat(done.status()).isEqualTo(BackfillJob.Status.SUCCEEDED);
    assertThat(done.error()).isEmpty();
    assertThat(done.finishedAt()).isPresent();
    // each chunk counts its keyed rows: two meters, two readings a day (Jan 2's reading of no
    // meter is not one of them)
    assertThat(done.chunks())
        .extracting(BackfillChunk::status, BackfillChunk::rows)
        .containsOnly(tuple(BackfillChunk.Status.COMMITTED, 4L));
    assertThat(events.seen)
        .containsExactly(
            "starting " + job.id() + ": chunks [0, 1, 2, 3]",
            "committed 0: 1/4, 4 rows",
            "published meter_fill in " + job.table(),
            "committed 1: 2/4, 8 rows",
            "committed 2: 3/4, 12 rows",
            "committed 3: 4/4, 16 rows");
    // the table holds the view's rows of the range with a meter, each with its range end
    assertThat(tableRows("meter_fill")).isEqualTo(expectedRows(0, 4, Optional.empty()));
    assertThat(
            trino
                .query("SELECT count(*) FROM %s.features.meter_fill".formatted(catalog))
                .onlyValue())
        .isEqualTo(16L);
    // one Iceberg snapshot per chunk, each the table's
    List<Long> snapshots =
        done.chunks().stream().map(c -> c.snapshotId().orElseThrow()).distinct().toList();
    assertThat(snapshots).hasSize(4);
    List<Object> tableSnapshots =
        trino
            .query(
                "SELECT snapshot_id FROM %s.features.\"meter_fill__v1$snapshots\""
                    .formatted(catalog))
            .rows()
            .stream()
            .map(row -> row.get(0))
            .toList();
    assertThat(tableSnapshots).containsAll(snapshots);
    assertThat(backfills.watermark("meter_fill", 1)).contains(day(4));
    assertThat(BackfillService.backfilled(registry, "meter_fill", 1)).isTrue();
    // nothing is left staged
    assertThat(stagedTables("meter_fill")).isEmpty();

    // each chunk's statistics: the values of a day d are 10 + 2d, 11 + 2d, 20 + 2d, 21 + 2d
    List<ChunkStatistics> statistics = registry.statistics("meter_fill", 1, "kwh");
    assertThat(statistics)
        .extracting(
            s -> s.chunkIndex(),
            s -> s.statistics().rows(),
            s -> s.statistics().nulls(),
            s -> s.statistics().min().getAsDouble(),
            s -> s.statistics().max().getAsDouble())
        .containsExactlyInAnyOrder(
            tuple(0, 4L, 0L, 10.0, 21.0),
            // statistics describe the staged chunk, so Jan 2's reading of no meter (7.0) is in
            // them, though the table does not keep it
            tuple(1, 5L, 0L, 7.0, 23.0),
            tuple(2, 4L, 0L, 14.0, 25.0),
            tuple(3, 4L, 0L, 16.0, 27.0));
  }

  @Test
  void reRunningARangeInOtherChunksLeavesTheSameRowsCountedOnce() {
    BackfillJob first =
        backfills.run(backfills.start("meter_rerun", JAN_1, day(4), DAY), 2, none());
    assertThat(first.status()).isEqualTo(BackfillJob.Status.SUCCEEDED);
    List<List<Object>> filled = tableRows("meter_rerun");
    assertThat(filled).isEqualTo(expectedRows(0, 4, Optional.empty()));

    // the same range again, in two chunks of two days: the same rows, none twice
    BackfillJob again =
        backfills.run(backfills.start("meter_rerun", JAN_1, day(4), Duration.ofDays(2)), 1, none());
    assertThat(again.status()).isEqualTo(BackfillJob.Status.SUCCEEDED);
    assertThat(again.chunks()).extracting(BackfillChunk::rows).containsExactly(8L, 8L);
    assertThat(tableRows("meter_rerun")).isEqualTo(filled);
    assertThat(backfills.watermark("meter_rerun", 1)).contains(day(4));

    // a reading corrected at the source: re-running its day replaces it, and only it
    trino.execute(
        "UPDATE %s.%s.rerun_src SET kwh = 99 WHERE meter_id = 1 AND ts = TIMESTAMP '2026-01-03 06:00:00'"
            .formatted(catalog, SCHEMA));
    BackfillJob day3 =
        backfills.run(backfills.start("meter_rerun", day(2), day(3), DAY), 1, none());
    assertThat(day3.chunks()).extracting(BackfillChunk::rows).containsExactly(4L);
    Optional<Reading> corrected = Optional.of(new Reading(1, day(2).plus(Duration.ofHours(6)), 99));
    assertThat(tableRows("meter_rerun")).isEqualTo(expectedRows(0, 4, corrected));

    // catching up to Jan 7 from the watermark (Jan 5) less a day of lookback: Jan 4 to 6, and the
    // last rows before the old watermark get their range ends
    BackfillJob catchUp = backfills.startCatchUp("meter_rerun", DAY, DAY, day(6)).orElseThrow();
    assertThat(catchUp.from()).isEqualTo(day(3));
    assertThat(catchUp.to()).isEqualTo(day(6));
    assertThat(catchUp.chunks()).hasSize(3);
    assertThat(backfills.run(catchUp, 2, none()).status()).isEqualTo(BackfillJob.Status.SUCCEEDED);
    assertThat(tableRows("meter_rerun")).isEqualTo(expectedRows(0, 6, corrected));
    assertThat(backfills.watermark("meter_rerun", 1)).contains(day(6));
    // up to date: nothing to catch up
    assertThat(backfills.startCatchUp("meter_rerun", Duration.ZERO, DAY, day(6))).isEmpty();
    assertThat(backfills.jobs("meter_rerun"))
        .extracting(BackfillJob::id)
        .containsExactlyInAnyOrder(first.id(), again.id(), day3.id(), catchUp.id());
  }

  @Test
  void aJobStoppedByABadChunkKeepsTheChunksBeforeItAndItsResumeRunsOnlyTheRest() {
    BackfillJob job = backfills.start("meter_resume", JAN_1, day(4), DAY);
    Events failing = new Events();
    BackfillJob failed = backfills.run(job, 2, failing);

    assertThat(failed.status()).isEqualTo(BackfillJob.Status.FAILED);
    assertThat(failed.chunks())
        .extracting(BackfillChunk::index, BackfillChunk::status)
        .containsExactly(
            tuple(0, BackfillChunk.Status.COMMITTED),
            tuple(1, BackfillChunk.Status.COMMITTED),
            tuple(2, BackfillChunk.Status.FAILED),
            tuple(3, BackfillChunk.Status.PENDING));
    ExpectationFailure broken = failing.failures.getFirst();
    assertThat(failing.failures).hasSize(1);
    assertThat(broken.rule()).isEqualTo("range(kwh, 0, 100)");
    assertThat(broken.offendingRows()).isEqualTo(1);
    assertThat(broken.position().file().getFileName().toString()).isEqualTo("meter_resume.sql");
    assertThat(broken.examples()).singleElement().asString().contains("150");
    String why =
        "chunk 2 (2026-01-03T00:00:00Z to 2026-01-04T00:00:00Z) breaks 1 expectation of view meter_resume; it is not committed, nor are later chunks:\n"
            + broken;
    assertThat(failed.chunks().get(2).error()).contains(why);
    assertThat(failed.error()).contains(why + "\nResume it: ./asof backfill --resume " + job.id());
    assertThat(failing.seen)
        .containsExactly(
            "starting " + job.id() + ": chunks [0, 1, 2, 3]",
            "committed 0: 1/4, 4 rows",
            "published meter_resume in " + job.table(),
            "committed 1: 2/4, 8 rows",
            "rejected 2: range(kwh, 0, 100) on 1 row");
    // Jan 1 and 2 are in the table, nothing after; nothing is left staged
    assertThat(tableRows("meter_resume")).isEqualTo(expectedRows(0, 2, Optional.empty()));
    assertThat(backfills.watermark("meter_resume", 1)).contains(day(2));
    assertThat(stagedTables("meter_resume")).isEmpty();

    // the reading corrected, the job resumed: only chunks 2 and 3 run
    trino.execute(
        "UPDATE %s.%s.resume_src SET kwh = 24 WHERE meter_id = 2 AND ts = TIMESTAMP '2026-01-03 06:00:00'"
            .formatted(catalog, SCHEMA));
    BackfillJob resumed = backfills.resume(job.id());
    assertThat(resumed.status()).isEqualTo(BackfillJob.Status.RUNNING);
    assertThat(resumed.chunks()).isEqualTo(failed.chunks());
    Events resuming = new Events();
    BackfillJob done = backfills.run(resumed, 2, resuming);

    assertThat(done.status()).isEqualTo(BackfillJob.Status.SUCCEEDED);
    assertThat(done.error()).isEmpty();
    assertThat(resuming.seen)
        .containsExactly(
            "starting " + job.id() + ": chunks [2, 3]",
            "committed 2: 1/2, 4 rows",
            "published meter_resume in " + job.table(),
            "committed 3: 2/2, 8 rows");
    // the chunks committed before are as they were: not run again
    assertThat(done.chunks().subList(0, 2)).isEqualTo(failed.chunks().subList(0, 2));
    assertThat(done.chunks())
        .extracting(BackfillChunk::status, BackfillChunk::rows)
        .containsOnly(tuple(BackfillChunk.Status.COMMITTED, 4L));
    assertThat(done.chunks().get(2).error()).isEmpty();
    assertThat(tableRows("meter_resume")).isEqualTo(expectedRows(0, 4, Optional.empty()));

    assertThatThrownBy(() -> backfills.resume(job.id()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "backfill job %s already succeeded: every chunk of 2026-01-01T00:00:00Z to 2026-01-05T00:00:00Z is committed; to recompute the range, start a new backfill"
                .formatted(job.id()));
  }

  @Test
  void rangesAndRequestsThatCannotWorkAreRefusedBeforeAnythingIsRecorded(@TempDir Path other)
      throws IOException {
    int jobsBefore = backfills.jobs("meter_never").size();
    assertThatThrownBy(() -> backfills.start("meter_never", day(4), day(4), DAY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the range is empty: --from 2026-01-05T00:00:00Z is not before --to 2026-01-05T00:00:00Z");
    assertThatThrownBy(() -> backfills.start("meter_never", day(4), JAN_1, DAY))
        .hasMessage(
            "the range is empty: --from 2026-01-05T00:00:00Z is not before --to 2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> backfills.start("meter_never", JAN_1, day(4), Duration.ZERO))
        .hasMessage("the chunk length must be positive, got PT0S");
    assertThatThrownBy(() -> backfills.start("meter_never", JAN_1, day(4), Duration.ofHours(-1)))
        .hasMessage("the chunk length must be positive, got PT-1H");
    assertThatThrownBy(() -> backfills.start("meter_never", JAN_1, day(200), Duration.ofDays(101)))
        .hasMessage(
            "--chunk 101d is longer than 100 days: a chunk's commit writes one Iceberg partition per day, and Trino writes at most 100 per statement (iceberg.max-partitions-per-writer); give --chunk 90d or less");
    assertThatThrownBy(() -> backfills.start("meter_never", JAN_1, day(7), Duration.ofMinutes(1)))
        .hasMessage(
            "2026-01-01T00:00:00Z to 2026-01-08T00:00:00Z in chunks of PT1M is 10,080 chunks, more than 10,000: give a longer --chunk");
    // the longest allowed: 100 chunks of 100 days is a range, not a refusal
    assertThat(
            BackfillService.chunks(
                JAN_1, JAN_1.plus(Duration.ofDays(10_000)), Duration.ofDays(100)))
        .hasSize(100);
    assertThat(BackfillService.chunks(JAN_1, day(2).plus(Duration.ofHours(12)), DAY))
        .extracting(BackfillChunk::to)
        .containsExactly(day(1), day(2), day(2).plus(Duration.ofHours(12)));

    assertThatThrownBy(() -> BackfillService.parseTime("yesterday"))
        .hasMessage(
            "'yesterday' is not a time: write 2026-01-01, 2026-01-01T06:00 or 2026-01-01T06:00:00+02:00 (without an offset, UTC)");
    assertThat(BackfillService.parseTime("2026-01-01")).isEqualTo(JAN_1);
    assertThat(BackfillService.parseTime("2026-01-01 06:00:00"))
        .isEqualTo(Instant.parse("2026-01-01T06:00:00Z"));
    assertThat(BackfillService.parseTime("2026-01-01T08:00+02:00"))
        .isEqualTo(Instant.parse("2026-01-01T06:00:00Z"));

    // views that have nothing to backfill
    assertThatThrownBy(() -> backfills.start("meter_nevr", JAN_1, day(4), DAY))
        .hasMessage("no view meter_nevr in %s (did you mean meter_never?)".formatted(repo));
    assertThatThrownBy(() -> backfills.start("meter_virtual", JAN_1, day(4), DAY))
        .hasMessageStartingWith("view meter_virtual is virtual: nothing of it is stored")
        .hasMessageEndingWith("meter_virtual.sql) and run ./asof apply");
    // a materialized view that was never applied
    Files.createDirectories(other.resolve("views"));
    Files.copy(repo.resolve("entities.yaml"), other.resolve("entities.yaml"));
    writeView(other, "meter_unapplied", "fill_src", "-- materialize: true\n");
    BackfillService elsewhere =
        new BackfillService(trino, new TrinoDialect(), registry, other, catalog);
    assertThatThrownBy(() -> elsewhere.start("meter_unapplied", JAN_1, day(4), DAY))
        .hasMessage(
            "view meter_unapplied is not applied: run ./asof apply --repo %s first"
                .formatted(other));
    // nothing to catch up from
    assertThatThrownBy(() -> backfills.startCatchUp("meter_never", DAY, DAY, day(4)))
        .hasMessage(
            "view meter_never (v1) has nothing backfilled, so there is no watermark to catch up from: backfill its history first, e.g. ./asof backfill meter_never --from 2026-01-01 --to now");
    assertThatThrownBy(
            () -> backfills.startCatchUp("meter_never", Duration.ofHours(-1), DAY, day(4)))
        .hasMessage("--lookback is negative: PT-1H");
    assertThatThrownBy(() -> backfills.resume("bf00000000"))
        .hasMessage(
            "no backfill job bf00000000 in the registry: ./asof backfill --list VIEW shows a view's jobs");
    assertThat(backfills.jobs("meter_never")).hasSize(jobsBefore);
    assertThat(backfills.jobs("meter_virtual")).isEmpty();

    // a recorded job run with no parallelism, or under another view's lease: refused, not run
    BackfillJob job = backfills.start("meter_never", JAN_1, day(1), DAY);
    assertThatThrownBy(() -> backfills.run(job, 0, none()))
        .hasMessage("--parallel must be at least 1, got 0");
    try (Lease wrong = backfills.lease("meter_fill", "test")) {
      assertThatThrownBy(() -> backfills.run(wrong, job, 1, none()))
          .hasMessage(
              "backfill job %s writes meter_never@1, so it runs under lease %s, not %s; was the view applied again meanwhile? Start the backfill again"
                  .formatted(job.id(), Lease.view("meter_never", 1), Lease.view("meter_fill", 1)));
    }
    assertThat(registry.backfill(job.id()).orElseThrow().chunks())
        .extracting(BackfillChunk::status)
        .containsExactly(BackfillChunk.Status.PENDING);
    assertThat(backfills.watermark("meter_never", 1)).isEmpty();
  }

  /** The table's rows, in order: meter, event time, kWh and range end (as text, or null). */
  private List<List<Object>> tableRows(String view) {
    return trino
        .query(
            "SELECT meter_id, CAST(ts AS varchar), kwh, CAST(__asof_valid_until AS varchar) FROM %s ORDER BY meter_id, ts"
                .formatted(BackfillService.table(catalog, view, 1)))
        .rows();
  }

  /**
   * The rows a filled range of days {@code [fromDay, toDay)} holds: per meter, its readings in
   * order, each valid until the meter's next reading in the range (the last: null); {@code
   * corrected} replaces one reading's value.
   */
  private static List<List<Object>> expectedRows(
      int fromDay, int toDay, Optional<Reading> corrected) {
    List<List<Object>> rows = new ArrayList<>();
    for (long meter = 1; meter <= 2; meter++) {
      List<Reading> readings = new ArrayList<>();
      for (int d = fromDay; d < toDay; d++) {
        for (int h = 0; h <= 1; h++) {
          Reading reading =
              new Reading(
                  meter, day(d).plus(Duration.ofHours(6 + 12L * h)), 10 * meter + 2L * d + h);
          readings.add(
              corrected
                  .filter(c -> c.meter() == reading.meter() && c.ts().equals(reading.ts()))
                  .orElse(reading));
        }
      }
      for (int i = 0; i < readings.size(); i++) {
        Reading reading = readings.get(i);
        rows.add(
            Arrays.asList(
                reading.meter(),
                text(reading.ts()),
                reading.value(),
                i + 1 < readings.size() ? text(readings.get(i + 1).ts()) : null));
      }
    }
    return rows;
  }

  private record Reading(long meter, Instant ts, double value) {}

  /** The staging tables a view's jobs left behind. */
  private List<List<Object>> stagedTables(String view) {
    return trino
        .query(
            "SELECT table_name FROM %s.information_schema.tables WHERE table_schema = '%s' AND table_name LIKE '%s\\_\\_%%' ESCAPE '\\'"
                .formatted(catalog, Schemas.STAGING, view))
        .rows();
  }

  /**
   * Two meters' readings at 06:00 and 18:00 of each day from Jan 1 to Jan 6: kWh = 10 × meter + 2 ×
   * day + (1 at 18:00), within 0 to 100.
   */
  private void loadReadings(String table) {
    trino.execute("DROP TABLE IF EXISTS %s.%s.%s".formatted(catalog, SCHEMA, table));
    trino.execute(
        """
        CREATE TABLE %s.%s.%s AS
        SELECT CAST(m AS bigint) AS meter_id,
          TIMESTAMP '2026-01-01 06:00:00.000000' + d * INTERVAL '1' DAY + h * INTERVAL '12' HOUR AS ts,
          CAST(10 * m + 2 * d + h AS double) AS kwh
        FROM UNNEST(sequence(1, 2)) AS a(m)
        CROSS JOIN UNNEST(sequence(0, 5)) AS b(d)
        CROSS JOIN UNNEST(sequence(0, 1)) AS c(h)"""
            .formatted(catalog, SCHEMA, table));
  }

  private static void writeView(Path repo, String view, String source, String headers)
      throws IOException {
    Files.writeString(
        repo.resolve("views/" + view + ".sql"),
        """
        -- view: %s
        -- entity: meter
        -- event_time: ts
        %sSELECT meter_id, ts, kwh FROM %s.%s
        """
            .formatted(view, headers, SCHEMA, source));
  }

  private static Instant day(int days) {
    return JAN_1.plus(Duration.ofDays(days));
  }

  private static String text(Instant time) {
    return TRINO_TIMESTAMP.format(LocalDateTime.ofInstant(time, ZoneOffset.UTC));
  }

  private static Tuple chunk(int index, Instant from, Instant to, BackfillChunk.Status status) {
    return tuple(index, from, to, status);
  }

  private static BackfillListener none() {
    return BackfillListener.NONE;
  }

  /** What a run told its listener, in order. */
  private static final class Events implements BackfillListener {
    final List<String> seen = new ArrayList<>();
    final List<ExpectationFailure> failures = new ArrayList<>();

    @Override
    public void starting(BackfillJob job, List<BackfillChunk> chunks) {
      seen.add(
          "starting %s: chunks %s"
              .formatted(job.id(), chunks.stream().map(BackfillChunk::index).toList()));
    }

    @Override
    public void committed(BackfillChunk chunk, int done, int total, long rows, Duration elapsed) {
      seen.add("committed %d: %d/%d, %d rows".formatted(chunk.index(), done, total, rows));
    }

    @Override
    public void rejected(BackfillChunk chunk, List<ExpectationFailure> failures) {
      this.failures.addAll(failures);
      for (ExpectationFailure failure : failures) {
        seen.add(
            "rejected %d: %s on %s"
                .formatted(
                    chunk.index(),
                    failure.rule(),
                    failure.offendingRows() == 1 ? "1 row" : failure.offendingRows() + " rows"));
      }
    }

    @Override
    public void published(String view, String table) {
      seen.add("published %s in %s".formatted(view, table));
    }
  }
}
