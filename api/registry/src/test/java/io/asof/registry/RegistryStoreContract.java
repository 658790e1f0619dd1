package io.asof.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.engine.Column;
import io.asof.model.Materialization;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every registry store does; run against each implementation. */
abstract class RegistryStoreContract {
  private static final Instant APPLIED = Instant.parse("2026-11-23T10:15:30.123456Z");

  private RegistryStore store;

  /** A store on a fresh, empty database. */
  protected abstract RegistryConfig freshDatabase() throws Exception;

  /** The store under test on {@code config}'s database. */
  protected RegistryStore openStore(RegistryConfig config) {
    return JooqRegistryStore.open(config);
  }

  @BeforeEach
  void open() throws Exception {
    store = openStore(freshDatabase());
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void freshStoreIsEmptyAndMigrated() {
    assertThat(store.views()).isEmpty();
    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
  }

  @Test
  void appliedViewsReadBackWholeWithColumnsInOrder() {
    AppliedView engagement = view("user_engagement", 1, "aa");
    AppliedView profile =
        new AppliedView(
            "user_profile",
            3,
            "bb",
            "user",
            List.of("user_id"),
            "signup_at",
            Optional.empty(),
            Optional.empty(),
            Materialization.VIRTUAL,
            false,
            "",
            "",
            "SELECT 1",
            List.of(),
            Map.of(),
            APPLIED);
    store.apply(List.of(profile, engagement), List.of());

    assertThat(store.views()).containsExactly(engagement, profile);
    assertThat(store.view("user_profile")).contains(profile);
    assertThat(store.view("nope")).isEmpty();
  }

  @Test
  void applyReplacesAndRemoves() {
    store.apply(List.of(view("a", 1, "x1"), view("b", 1, "y1")), List.of());
    AppliedView changed =
        new AppliedView(
            "a",
            2,
            "x2",
            "user",
            List.of("user_id", "category"),
            "ts",
            Optional.empty(),
            Optional.of(Duration.ofHours(12)),
            Materialization.MATERIALIZED,
            false,
            "team",
            "new",
            "SELECT 2",
            List.of(new Column("user_id", "bigint"), new Column("ts", "timestamp(6)")),
            Map.of("user_id", List.of("iceberg.dwh.reactions.user_id"), "ts", List.of()),
            APPLIED);
    store.apply(List.of(changed), List.of("b"));

    assertThat(store.views()).containsExactly(changed);
  }

  @Test
  void failedApplyChangesNothing() {
    AppliedView original = view("a", 1, "x1");
    store.apply(List.of(original), List.of());
    AppliedView broken =
        new AppliedView(
            "a",
            2,
            "x2",
            "user",
            List.of("user_id", "category"),
            "ts",
            Optional.empty(),
            Optional.empty(),
            Materialization.VIRTUAL,
            false,
            "",
            "",
            "SELECT 1",
            // the same column twice violates the columns' primary key, after the view row is
            // written
            List.of(new Column("ts", "timestamp(6)"), new Column("ts", "timestamp(6)")),
            Map.of(),
            APPLIED);

    assertThatThrownBy(() -> store.apply(List.of(view("c", 1, "z1"), broken), List.of("a")))
        .isInstanceOf(RuntimeException.class);
    assertThat(store.views()).containsExactly(original);
  }

  @Test
  void reopeningKeepsDataAndDoesNotMigrateAgain() throws Exception {
    AppliedView original = view("a", 1, "x1");
    store.apply(List.of(original), List.of());
    RegistryConfig config = lastConfig();
    store.close();
    store = openStore(config);
    assertThat(store.views()).containsExactly(original);
    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
  }

  @Test
  void versionOneDatabaseMigratesAndKeepsItsViews() throws Exception {
    AppliedView original = view("a", 1, "x1");
    store.apply(List.of(original), List.of());
    RegistryConfig config = lastConfig();
    store.close();
    store = null;
    // take the database back to what version 1 wrote: no lineage column, builds or backfills
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      ctx.dropTable(RegistryTables.CHUNKS).execute();
      ctx.dropTable(RegistryTables.BACKFILLS).execute();
      ctx.dropTable(RegistryTables.BUILDS).execute();
      ctx.alterTable(RegistryTables.COLUMNS).dropColumn(RegistryTables.COLUMN_SOURCES).execute();
      ctx.deleteFrom(RegistryTables.HISTORY).where(RegistryTables.HISTORY_VERSION.gt(1)).execute();
    }

    store = openStore(config);

    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
    AppliedView migrated = store.view("a").orElseThrow();
    assertThat(migrated.columns()).isEqualTo(original.columns());
    assertThat(migrated.lineage()).isEmpty();
    store.apply(List.of(original), List.of());
    assertThat(store.view("a")).contains(original);
  }

  @Test
  void buildsAreRecordedAndListedNewestFirst() {
    TrainingBuild first =
        new TrainingBuild(
            "click_model",
            "iceberg.training.click_model",
            111L,
            "f1",
            "SELECT 1",
            Map.of("user_engagement", 1),
            10,
            2048,
            APPLIED.truncatedTo(ChronoUnit.MICROS),
            Duration.ofMillis(1500));
    TrainingBuild second =
        new TrainingBuild(
            "click_model",
            "iceberg.training.click_model",
            222L,
            "f2",
            "SELECT 2",
            new java.util.LinkedHashMap<>(Map.of("user_engagement", 2, "article_popularity", 1)),
            12,
            4096,
            APPLIED.plusSeconds(60).truncatedTo(ChronoUnit.MICROS),
            Duration.ofMillis(900));
    store.recordBuild(first);
    store.recordBuild(second);
    store.recordBuild(
        new TrainingBuild(
            "other",
            "iceberg.training.other",
            333L,
            "f3",
            "SELECT 3",
            Map.of(),
            0,
            0,
            APPLIED.truncatedTo(ChronoUnit.MICROS),
            Duration.ZERO));

    assertThat(store.builds("click_model")).containsExactly(second, first);
    assertThat(store.builds("other").getFirst().featureVersions()).isEmpty();
    assertThat(store.builds("nope")).isEmpty();
    // the same snapshot twice is refused
    assertThatThrownBy(() -> store.recordBuild(first)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void backfillJournalRecordsChunksAndStatusAndReadsBackWhole() {
    Instant day = Instant.parse("2026-03-01T00:00:00Z");
    Instant started = APPLIED.truncatedTo(ChronoUnit.MICROS);
    BackfillJob job =
        new BackfillJob(
            "bf-1",
            "user_engagement",
            2,
            "fp",
            "iceberg.features.user_engagement__v2",
            day,
            day.plus(Duration.ofDays(10)),
            Duration.ofDays(7),
            BackfillJob.Status.RUNNING,
            started,
            Optional.empty(),
            Optional.empty(),
            List.of(
                BackfillChunk.pending(0, day, day.plus(Duration.ofDays(7))),
                BackfillChunk.pending(
                    1, day.plus(Duration.ofDays(7)), day.plus(Duration.ofDays(10)))));
    store.startBackfill(job);
    assertThat(store.backfill("bf-1")).contains(job);

    BackfillChunk committed =
        new BackfillChunk(
            0,
            day,
            day.plus(Duration.ofDays(7)),
            BackfillChunk.Status.COMMITTED,
            1234,
            java.util.OptionalLong.of(987654321L),
            3,
            40960,
            Duration.ofMillis(2500),
            Optional.of(started.plusSeconds(3)),
            Optional.empty());
    BackfillChunk failed =
        new BackfillChunk(
            1,
            day.plus(Duration.ofDays(7)),
            day.plus(Duration.ofDays(10)),
            BackfillChunk.Status.FAILED,
            0,
            java.util.OptionalLong.empty(),
            0,
            0,
            Duration.ofMillis(10),
            Optional.empty(),
            Optional.of("Trino is unreachable"));
    store.recordChunk("bf-1", committed);
    store.recordChunk("bf-1", failed);
    store.updateBackfill(
        "bf-1",
        BackfillJob.Status.FAILED,
        Optional.of(started.plusSeconds(4)),
        Optional.of("chunk 1 failed"));
    BackfillJob read = store.backfill("bf-1").orElseThrow();
    assertThat(read.chunks()).containsExactly(committed, failed);
    assertThat(read.status()).isEqualTo(BackfillJob.Status.FAILED);
    assertThat(read.finishedAt()).contains(started.plusSeconds(4));
    assertThat(read.error()).contains("chunk 1 failed");

    // resumed: running again, no end, no error
    store.updateBackfill("bf-1", BackfillJob.Status.RUNNING, Optional.empty(), Optional.empty());
    assertThat(store.backfill("bf-1").orElseThrow())
        .extracting(BackfillJob::status, BackfillJob::finishedAt, BackfillJob::error)
        .containsExactly(BackfillJob.Status.RUNNING, Optional.empty(), Optional.empty());

    BackfillJob later =
        new BackfillJob(
            "bf-2",
            "user_engagement",
            2,
            "fp",
            job.table(),
            day,
            day.plus(Duration.ofDays(1)),
            Duration.ofDays(1),
            BackfillJob.Status.RUNNING,
            started.plusSeconds(60),
            Optional.empty(),
            Optional.empty(),
            List.of(BackfillChunk.pending(0, day, day.plus(Duration.ofDays(1)))));
    store.startBackfill(later);
    assertThat(store.backfills("user_engagement"))
        .extracting(BackfillJob::id)
        .containsExactly("bf-2", "bf-1");
    assertThat(store.backfills("other")).isEmpty();
    assertThat(store.backfill("nope")).isEmpty();
    assertThatThrownBy(() -> store.recordChunk("nope", committed))
        .isInstanceOf(RegistryException.class);
    assertThatThrownBy(
            () ->
                store.updateBackfill(
                    "nope", BackfillJob.Status.FAILED, Optional.empty(), Optional.empty()))
        .isInstanceOf(RegistryException.class);
  }

  /** The config {@link #freshDatabase()} returned last. */
  protected abstract RegistryConfig lastConfig();

  static AppliedView view(String name, int version, String fingerprint) {
    return new AppliedView(
        name,
        version,
        fingerprint,
        "user",
        List.of("user_id"),
        "event_ts",
        Optional.of("ingested_at"),
        Optional.of(Duration.ofDays(30)),
        Materialization.MATERIALIZED,
        true,
        "recsys",
        "How much a user reads.",
        "SELECT user_id, reacted_at AS event_ts FROM dwh.reactions",
        List.of(
            new Column("user_id", "bigint"),
            new Column("event_ts", "timestamp(6)"),
            new Column("reads_7d", "bigint")),
        Map.of(
            "user_id",
            List.of("iceberg.dwh.reactions.user_id"),
            "event_ts",
            List.of("iceberg.dwh.reactions.reacted_at"),
            "reads_7d",
            List.of("iceberg.dwh.reactions.reacted_at", "iceberg.dwh.reactions.user_id")),
        APPLIED.truncatedTo(ChronoUnit.MICROS));
  }
}
