package io.asof.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.model.Column;
import io.asof.model.Durations;
import io.asof.model.Materialization;
import io.asof.model.statistics.FeatureStatistics;
import io.asof.model.statistics.FeatureStatistics.Quantile;
import io.asof.model.statistics.FeatureStatistics.ValueCount;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every registry store does; run against each implementation. */
abstract class RegistryStoreContract {
  private static final Instant APPLIED = Instant.parse("2026-11-23T10:15:30.123456Z");
  private static final Field<Integer> FLYWAY_RANK =
      DSL.field(DSL.name("installed_rank"), Integer.class);
  private static final Field<String> FLYWAY_TYPE = DSL.field(DSL.name("type"), String.class);
  private static final Field<String> FLYWAY_DESCRIPTION =
      DSL.field(DSL.name("description"), String.class);

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
    assertThat(store.versions()).isEmpty();
    assertThat(store.builds()).isEmpty();
    assertThat(store.costs()).isEmpty();
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
            List.of(),
            Materialization.VIRTUAL,
            false,
            "",
            "",
            "SELECT 1",
            List.of(),
            Map.of(),
            Map.of(),
            APPLIED);
    store.apply(List.of(profile, engagement), List.of());

    assertThat(store.views()).containsExactly(engagement, profile);
    assertThat(store.view("user_profile")).contains(profile);
    assertThat(store.view("nope")).isEmpty();
  }

  @Test
  void pushViewsReadBackWithTheirColumnDescriptions() {
    AppliedView live =
        new AppliedView(
            "article_live",
            2,
            "cc",
            "article",
            List.of("article_id"),
            "updated_at",
            Optional.empty(),
            Optional.of(Duration.ofDays(1)),
            List.of(),
            Materialization.PUSH,
            true,
            "feed",
            "Live counters.",
            "SELECT \"article_id\", \"updated_at\", \"reads_5m\"\nFROM features.\"article_live__v2\"",
            List.of(
                new Column("article_id", "bigint"),
                new Column("updated_at", "timestamp(3)"),
                new Column("reads_5m", "bigint")),
            Map.of("article_id", List.of(), "updated_at", List.of(), "reads_5m", List.of()),
            Map.of("reads_5m", "reads in the 5 minutes up to updated_at"),
            APPLIED.truncatedTo(ChronoUnit.MICROS));
    store.apply(List.of(live), List.of());

    assertThat(store.view("article_live")).contains(live);
    assertThat(store.version("article_live", 2)).contains(notRetired(live));
    assertThat(store.view("article_live").orElseThrow().description("reads_5m"))
        .isEqualTo("reads in the 5 minutes up to updated_at");
    assertThat(store.view("article_live").orElseThrow().description("updated_at")).isEmpty();
  }

  @Test
  void aggregationViewsReadBackWithTheirWindowsInOrder() {
    AppliedView reads = aggregationView(1, List.of(Duration.ofDays(7), Duration.ofMinutes(90)));
    AppliedView plain = view("user_engagement", 1, "aa");
    store.apply(List.of(reads, plain), List.of());

    assertThat(store.view("user_reads")).contains(reads);
    assertThat(store.view("user_reads").orElseThrow().windows())
        .containsExactly(Duration.ofDays(7), Duration.ofMinutes(90));
    assertThat(store.view("user_reads").orElseThrow().aggregation()).isTrue();
    assertThat(store.view("user_engagement").orElseThrow().windows()).isEmpty();
    assertThat(store.view("user_engagement").orElseThrow().aggregation()).isFalse();

    // a new version with other windows; the older one keeps its own
    AppliedView next = aggregationView(2, List.of(Duration.ofHours(1)));
    store.apply(List.of(next), List.of());
    assertThat(store.view("user_reads")).contains(next);
    assertThat(store.versions("user_reads")).containsExactly(notRetired(next), notRetired(reads));
    assertThat(store.version("user_reads", 1).orElseThrow().view().windows())
        .containsExactly(Duration.ofDays(7), Duration.ofMinutes(90));
  }

  @Test
  void freshDatabaseIsBaselinedAtZeroAndEveryVersionRunsOnce() throws Exception {
    RegistryConfig config = lastConfig();
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      assertThat(flywayHistory(ctx)).isEqualTo(historyFrom(0, "before the first version"));
      assertThat(RegistrySchema.current(ctx)).isEqualTo(Migrations.latest());
    }
    // opened again: nothing more runs
    store.close();
    store = openStore(config);
    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      assertThat(flywayHistory(ctx)).isEqualTo(historyFrom(0, "before the first version"));
    }
  }

  @Test
  void registryOfTheRunnerBeforeFlywayIsAdoptedAndRunsOnlyTheVersionsItLacks() throws Exception {
    RegistryConfig config = lastConfig();
    store.close();
    store = null;
    List<String> fresh;
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      fresh = registryDdl(ctx);
      dropRegistry(ctx);
      assertThat(OldSchemaRunner.migrate(ctx, 7)).isEqualTo(7);
    }

    // were a version up to 7 run again, its CREATE TABLE would fail here
    store = openStore(config);

    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      assertThat(flywayHistory(ctx))
          .isEqualTo(historyFrom(7, "asof_schema_history at version 7"))
          .hasSize(1 + Migrations.latest() - 7);
      // the old history is kept as it was
      assertThat(OldSchemaRunner.versions(ctx)).containsExactly(1, 2, 3, 4, 5, 6, 7);
      assertThat(registryDdl(ctx)).isEqualTo(fresh);
    }
    AppliedView engagement = view("user_engagement", 1, "aa");
    store.apply(List.of(engagement), List.of());
    assertThat(store.view("user_engagement")).contains(engagement);
  }

  @Test
  void runnerBeforeFlywayBuiltTheSameSchemaAndItsNewestRegistryRunsNothing() throws Exception {
    RegistryConfig config = lastConfig();
    store.close();
    store = null;
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      List<String> fresh = registryDdl(ctx);
      assertThat(fresh).filteredOn(query -> query.startsWith("create table")).hasSize(13);
      dropRegistry(ctx);
      assertThat(OldSchemaRunner.migrate(ctx, Migrations.latest())).isEqualTo(Migrations.latest());
      assertThat(registryDdl(ctx)).isEqualTo(fresh);
    }

    store = openStore(config);

    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      assertThat(flywayHistory(ctx))
          .containsExactly(
              Migrations.latest()
                  + " BASELINE asof_schema_history at version "
                  + Migrations.latest());
    }
  }

  @Test
  void versionTenDatabaseMigratesToWindowsAndKeepsItsViews() throws Exception {
    AppliedView engagement = view("user_engagement", 2, "aa");
    store.apply(List.of(engagement), List.of());
    List<ViewVersion> versions = store.versions();
    RegistryConfig config = lastConfig();
    store.close();
    store = null;
    // take the database back to what version 10 wrote: no windows
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      dropVersionElevenColumns(ctx, RegistryTables.VIEWS, RegistryTables.VERSIONS);
      forgetVersionsAfter(ctx, 10);
      assertThat(RegistrySchema.current(ctx)).isEqualTo(10);
    }

    store = openStore(config);

    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest()).isEqualTo(11);
    assertThat(store.views()).containsExactly(engagement);
    assertThat(store.versions()).isEqualTo(versions);
    AppliedView reads = aggregationView(1, List.of(Duration.ofHours(1), Duration.ofDays(1)));
    store.apply(List.of(reads), List.of());
    assertThat(store.view("user_reads")).contains(reads);
  }

  /** Version {@code version} of an aggregation view, {@code user_reads}, over {@code windows}. */
  private static AppliedView aggregationView(int version, List<Duration> windows) {
    List<Column> columns = new ArrayList<>(List.of(new Column("user_id", "bigint")));
    for (Duration window : windows) {
      columns.add(new Column("reads_" + Durations.format(window), "bigint"));
    }
    return new AppliedView(
        "user_reads",
        version,
        "r" + version,
        "user",
        List.of("user_id"),
        "reacted_at",
        Optional.empty(),
        Optional.empty(),
        windows,
        Materialization.VIRTUAL,
        false,
        "recsys",
        "Reads of a user over windows.",
        "SELECT user_id, count(*) AS reads FROM dwh.reactions GROUP BY user_id",
        columns,
        Map.of(),
        Map.of(),
        APPLIED.truncatedTo(ChronoUnit.MICROS));
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
            List.of(),
            Materialization.MATERIALIZED,
            false,
            "team",
            "new",
            "SELECT 2",
            List.of(new Column("user_id", "bigint"), new Column("ts", "timestamp(6)")),
            Map.of("user_id", List.of("iceberg.dwh.reactions.user_id"), "ts", List.of()),
            Map.of(),
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
            List.of(),
            Materialization.VIRTUAL,
            false,
            "",
            "",
            "SELECT 1",
            // the same column twice violates the columns' primary key, after the view row is
            // written
            List.of(new Column("ts", "timestamp(6)"), new Column("ts", "timestamp(6)")),
            Map.of(),
            Map.of(),
            APPLIED);

    assertThatThrownBy(() -> store.apply(List.of(view("c", 1, "z1"), broken), List.of("a")))
        .isInstanceOf(RuntimeException.class);
    assertThat(store.views()).containsExactly(original);
    assertThat(store.versions()).containsExactly(notRetired(original));
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
    // take the database back to what version 1 wrote: no lineage column, builds, backfills,
    // chunk statistics, view versions, online groups, column descriptions, job costs, leases or
    // windows
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      ctx.dropTable(RegistryTables.LEASES).execute();
      ctx.dropTable(RegistryTables.JOB_COSTS).execute();
      ctx.dropTable(RegistryTables.ONLINE_GROUPS).execute();
      ctx.dropTable(RegistryTables.TOP_VALUES).execute();
      ctx.dropTable(RegistryTables.QUANTILES).execute();
      ctx.dropTable(RegistryTables.STATISTICS).execute();
      ctx.dropTable(RegistryTables.CHUNKS).execute();
      ctx.dropTable(RegistryTables.BACKFILLS).execute();
      ctx.dropTable(RegistryTables.BUILDS).execute();
      ctx.dropTable(RegistryTables.VERSION_COLUMNS).execute();
      ctx.dropTable(RegistryTables.VERSIONS).execute();
      ctx.alterTable(RegistryTables.COLUMNS).dropColumn(RegistryTables.COLUMN_SOURCES).execute();
      ctx.alterTable(RegistryTables.COLUMNS)
          .dropColumn(RegistryTables.COLUMN_DESCRIPTION)
          .execute();
      dropVersionElevenColumns(ctx, RegistryTables.VIEWS);
      forgetVersionsAfter(ctx, 1);
    }

    store = openStore(config);

    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
    AppliedView migrated = store.view("a").orElseThrow();
    assertThat(migrated.columns()).isEqualTo(original.columns());
    assertThat(migrated.lineage()).isEmpty();
    assertThat(store.versions()).containsExactly(new ViewVersion(migrated, Optional.empty()));
    store.apply(List.of(original), List.of());
    assertThat(store.view("a")).contains(original);
    assertThat(store.versions()).containsExactly(new ViewVersion(original, Optional.empty()));
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
            Optional.empty(),
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
            Optional.of(APPLIED.minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MICROS)),
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
            Optional.empty(),
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
  void buildsOfEveryTrainingSetAreListedNewestFirst() {
    Instant at = APPLIED.truncatedTo(ChronoUnit.MICROS);
    TrainingBuild first = build("click_model", 1L, at, Optional.empty());
    TrainingBuild other =
        build("other", 2L, at.plusSeconds(60), Optional.of(at.minus(Duration.ofDays(7))));
    TrainingBuild second = build("click_model", 3L, at.plusSeconds(120), Optional.of(at));
    store.recordBuild(first);
    store.recordBuild(second);
    store.recordBuild(other);

    assertThat(store.builds()).containsExactly(second, other, first);
    assertThat(store.builds("other").getFirst().viewsAsOf()).contains(at.minus(Duration.ofDays(7)));
    assertThat(store.builds("click_model")).containsExactly(second, first);
  }

  @Test
  void versionsAreRecordedOnApplyAndKeptAfterReplacementAndRemoval() {
    AppliedView a1 = view("a", 1, "x1");
    AppliedView b1 = view("b", 1, "y1");
    store.apply(List.of(b1, a1), List.of());
    assertThat(store.versions()).containsExactly(notRetired(a1), notRetired(b1));

    // a breaking change makes v2, with other columns; one of them without lineage
    AppliedView a2 =
        new AppliedView(
            "a",
            2,
            "x2",
            "user",
            List.of("user_id", "category"),
            "ts",
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Materialization.MATERIALIZED,
            false,
            "team",
            "v2",
            "SELECT 2",
            List.of(
                new Column("user_id", "bigint"),
                new Column("category", "varchar"),
                new Column("ts", "timestamp(6)")),
            Map.of("user_id", List.of("iceberg.dwh.reactions.user_id"), "ts", List.of()),
            Map.of(),
            APPLIED.plusSeconds(60).truncatedTo(ChronoUnit.MICROS));
    store.apply(List.of(a2), List.of("b"));
    AppliedView a10 = view("a", 10, "x10");
    store.apply(List.of(a10), List.of());

    assertThat(store.views()).containsExactly(a10);
    // newest first by number, not by text
    assertThat(store.versions())
        .containsExactly(notRetired(a10), notRetired(a2), notRetired(a1), notRetired(b1));
    assertThat(store.versions("a"))
        .containsExactly(notRetired(a10), notRetired(a2), notRetired(a1));
    assertThat(store.versions("b")).containsExactly(notRetired(b1));
    assertThat(store.versions("nope")).isEmpty();
    assertThat(store.version("a", 2)).contains(notRetired(a2));
    assertThat(store.version("a", 2).orElseThrow().view().lineage()).isEqualTo(a2.lineage());
    assertThat(store.version("b", 1)).contains(notRetired(b1));
    assertThat(store.version("a", 3)).isEmpty();
    assertThat(store.version("nope", 1)).isEmpty();
  }

  @Test
  void reapplyingAVersionReplacesItsDefinitionAndKeepsItsRetirement() {
    AppliedView original = view("a", 1, "x1");
    store.apply(List.of(original), List.of());
    Instant retired = APPLIED.plusSeconds(30).truncatedTo(ChronoUnit.MICROS);
    store.retire("a", 1, retired);
    // a metadata change keeps the version; one column fewer, another lineage
    AppliedView changed =
        new AppliedView(
            "a",
            1,
            "x1",
            "user",
            List.of("user_id"),
            "event_ts",
            Optional.empty(),
            Optional.of(Duration.ofDays(7)),
            List.of(),
            Materialization.MATERIALIZED,
            false,
            "other-team",
            "Reads.",
            "SELECT user_id, reacted_at AS event_ts FROM dwh.reactions",
            List.of(new Column("event_ts", "timestamp(6)"), new Column("user_id", "bigint")),
            Map.of("user_id", List.of("iceberg.dwh.reactions.user_id")),
            Map.of(),
            APPLIED.plusSeconds(60).truncatedTo(ChronoUnit.MICROS));
    store.apply(List.of(changed), List.of());

    assertThat(store.versions()).containsExactly(new ViewVersion(changed, Optional.of(retired)));
    assertThat(store.view("a")).contains(changed);
  }

  @Test
  void retiringMarksAVersionOnce() {
    AppliedView a1 = view("a", 1, "x1");
    AppliedView a2 = view("a", 2, "x2");
    store.apply(List.of(a1), List.of());
    store.apply(List.of(a2), List.of());
    Instant at = APPLIED.plusSeconds(3600).truncatedTo(ChronoUnit.MICROS);

    store.retire("a", 1, at);

    ViewVersion retired = store.version("a", 1).orElseThrow();
    assertThat(retired).isEqualTo(new ViewVersion(a1, Optional.of(at)));
    assertThat(retired.retired()).isTrue();
    assertThat(store.version("a", 2)).contains(notRetired(a2));
    assertThatThrownBy(() -> store.retire("a", 1, at.plusSeconds(1)))
        .isInstanceOf(RegistryException.class)
        .hasMessage("a@1 was retired at " + at);
    assertThat(store.version("a", 1).orElseThrow().retiredAt()).contains(at);
    assertThatThrownBy(() -> store.retire("a", 3, at))
        .isInstanceOf(RegistryException.class)
        .hasMessage("no view a version 3 in the registry");
    assertThatThrownBy(() -> store.retire("nope", 1, at))
        .isInstanceOf(RegistryException.class)
        .hasMessage("no view nope version 1 in the registry");
    assertThat(store.versions())
        .containsExactly(notRetired(a2), new ViewVersion(a1, Optional.of(at)));
  }

  @Test
  void versionFiveDatabaseMigratesItsViewsIntoVersions() throws Exception {
    RegistryConfig config = lastConfig();
    store.close();
    store = null;
    Instant at = APPLIED.truncatedTo(ChronoUnit.MICROS);
    AppliedView engagement = view("user_engagement", 3, "aa");
    // written before lineage was recorded: no sources
    AppliedView profile =
        new AppliedView(
            "user_profile",
            1,
            "bb",
            "user",
            List.of("user_id", "region"),
            "signup_at",
            Optional.empty(),
            Optional.empty(),
            List.of(),
            Materialization.VIRTUAL,
            false,
            "",
            "",
            "SELECT 1",
            List.of(new Column("user_id", "bigint"), new Column("signup_at", "timestamp(6)")),
            Map.of(),
            Map.of(),
            at);
    TrainingBuild build =
        new TrainingBuild(
            "click_model",
            "iceberg.training.click_model",
            111L,
            "f1",
            "SELECT 1",
            Map.of("user_engagement", 3),
            Optional.empty(),
            10,
            2048,
            at,
            Duration.ofMillis(1500));
    // a fresh database brought to version 5 by the runner before Flyway, with what that version's
    // store wrote
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      dropRegistry(ctx);
      assertThat(OldSchemaRunner.migrate(ctx, 5)).isEqualTo(5);
      insertVersionFiveView(ctx, engagement);
      insertVersionFiveView(ctx, profile);
      ctx.insertInto(RegistryTables.BUILDS)
          .set(RegistryTables.BUILD_NAME, build.name())
          .set(RegistryTables.BUILD_TABLE, build.table())
          .set(RegistryTables.BUILD_SNAPSHOT, build.snapshotId())
          .set(RegistryTables.BUILD_FINGERPRINT, build.fingerprint())
          .set(RegistryTables.BUILD_SPINE_SQL, build.spineSql())
          .set(RegistryTables.BUILD_FEATURE_VERSIONS, "user_engagement=3")
          .set(RegistryTables.BUILD_ROWS, build.rows())
          .set(RegistryTables.BUILD_BYTES, build.bytes())
          .set(RegistryTables.BUILD_AT, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
          .set(RegistryTables.BUILD_MILLIS, build.took().toMillis())
          .execute();
    }

    store = openStore(config);

    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
    assertThat(store.views()).containsExactly(engagement, profile);
    assertThat(store.versions()).containsExactly(notRetired(engagement), notRetired(profile));
    assertThat(store.builds()).containsExactly(build);
    // and the copies are versions like any other
    AppliedView next = view("user_engagement", 4, "cc");
    store.apply(List.of(next), List.of("user_profile"));
    store.retire("user_engagement", 3, at.plusSeconds(1));
    assertThat(store.versions())
        .containsExactly(
            notRetired(next),
            new ViewVersion(engagement, Optional.of(at.plusSeconds(1))),
            notRetired(profile));
  }

  /** Writes {@code view} as a version 5 store did: its row and its columns' rows. */
  private static void insertVersionFiveView(DSLContext ctx, AppliedView view) {
    ctx.insertInto(RegistryTables.VIEWS)
        .set(RegistryTables.VIEW_NAME, view.name())
        .set(RegistryTables.VIEW_VERSION, view.version())
        .set(RegistryTables.VIEW_FINGERPRINT, view.fingerprint())
        .set(RegistryTables.VIEW_ENTITY, view.entity())
        .set(RegistryTables.VIEW_KEY_COLUMNS, String.join(",", view.keyColumns()))
        .set(RegistryTables.VIEW_EVENT_TIME, view.eventTime())
        .set(RegistryTables.VIEW_CREATED_TIME, view.createdTime().orElse(null))
        .set(RegistryTables.VIEW_TTL_SECONDS, view.ttl().map(Duration::toSeconds).orElse(null))
        .set(RegistryTables.VIEW_MATERIALIZATION, view.materialization().name())
        .set(RegistryTables.VIEW_ONLINE, view.online())
        .set(RegistryTables.VIEW_OWNER, view.owner())
        .set(RegistryTables.VIEW_DESCRIPTION, view.description())
        .set(RegistryTables.VIEW_SQL, view.sql())
        .set(
            RegistryTables.VIEW_APPLIED_AT,
            OffsetDateTime.ofInstant(view.appliedAt(), ZoneOffset.UTC))
        .execute();
    int position = 0;
    for (Column column : view.columns()) {
      List<String> sources = view.lineage().get(column.name());
      ctx.insertInto(RegistryTables.COLUMNS)
          .set(RegistryTables.COLUMN_VIEW, view.name())
          .set(RegistryTables.COLUMN_POSITION, position++)
          .set(RegistryTables.COLUMN_NAME, column.name())
          .set(RegistryTables.COLUMN_TYPE, column.type())
          .set(RegistryTables.COLUMN_SOURCES, sources == null ? null : String.join(",", sources))
          .execute();
    }
  }

  private static ViewVersion notRetired(AppliedView view) {
    return new ViewVersion(view, Optional.empty());
  }

  private static TrainingBuild build(
      String name, long snapshot, Instant builtAt, Optional<Instant> viewsAsOf) {
    return new TrainingBuild(
        name,
        "iceberg.training." + name,
        snapshot,
        "f" + snapshot,
        "SELECT " + snapshot,
        Map.of("user_engagement", 2),
        viewsAsOf,
        snapshot * 10,
        snapshot * 1024,
        builtAt,
        Duration.ofMillis(snapshot * 100));
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

  @Test
  void chunkStatisticsReadBackWholeInFeatureOrder() {
    store.startBackfill(job("bf-1", "user_engagement", 2, STARTED, 0, 2));
    String longValue = "x".repeat(5000);
    // a pair of surrogates across the cut: both go
    String emoji = "a".repeat(3999) + "\uD83D\uDE00" + "tail";
    FeatureStatistics category =
        new FeatureStatistics(
            "category",
            "varchar",
            1000,
            0,
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalLong.of(5),
            List.of(),
            List.of(
                new ValueCount("sports", 600),
                new ValueCount("", 250),
                new ValueCount(longValue, 90),
                new ValueCount(emoji, 40),
                new ValueCount("politics", 20)),
            Optional.empty(),
            Optional.empty());
    FeatureStatistics lastRead =
        new FeatureStatistics(
            "last_read",
            "timestamp(6)",
            1000,
            7,
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalLong.empty(),
            List.of(),
            List.of(),
            Optional.of("2026-03-01 00:00:00.000000"),
            Optional.of("2026-03-07 23:59:59.999999"));
    FeatureStatistics score = allNull("score", "double", 1000);
    // recorded with its quantiles out of order
    FeatureStatistics reads =
        new FeatureStatistics(
            "reads_7d",
            "bigint",
            1000,
            12,
            OptionalDouble.of(-3.5),
            OptionalDouble.of(1.0e12 + 0.25),
            OptionalDouble.of(0.1 + 0.2),
            OptionalLong.of(873),
            List.of(
                new Quantile(0.5, 7),
                new Quantile(0.01, -3),
                new Quantile(0.99, 412.75),
                new Quantile(0.25, 2),
                new Quantile(0.75, 19.5)),
            List.of(),
            Optional.empty(),
            Optional.empty());
    store.recordStatistics("bf-1", 0, List.of(reads, category, lastRead, score));

    FeatureStatistics readsInOrder =
        new FeatureStatistics(
            "reads_7d",
            "bigint",
            1000,
            12,
            OptionalDouble.of(-3.5),
            OptionalDouble.of(1000000000000.25),
            OptionalDouble.of(0.30000000000000004),
            OptionalLong.of(873),
            List.of(
                new Quantile(0.01, -3),
                new Quantile(0.25, 2),
                new Quantile(0.5, 7),
                new Quantile(0.75, 19.5),
                new Quantile(0.99, 412.75)),
            List.of(),
            Optional.empty(),
            Optional.empty());
    FeatureStatistics categoryCut =
        new FeatureStatistics(
            "category",
            "varchar",
            1000,
            0,
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalLong.of(5),
            List.of(),
            List.of(
                new ValueCount("sports", 600),
                new ValueCount("", 250),
                new ValueCount("x".repeat(4000), 90),
                new ValueCount("a".repeat(3999), 40),
                new ValueCount("politics", 20)),
            Optional.empty(),
            Optional.empty());
    assertThat(store.statistics("bf-1", 0))
        .containsExactly(readsInOrder, categoryCut, lastRead, score);
    assertThat(store.statistics("bf-1", 1)).isEmpty();
    assertThat(store.statistics("nope", 0)).isEmpty();
    // a double column's NaN and infinities, and characters beyond ASCII, are kept as they are
    FeatureStatistics extremes =
        new FeatureStatistics(
            "extremes",
            "double",
            3,
            0,
            OptionalDouble.of(Double.NEGATIVE_INFINITY),
            OptionalDouble.of(Double.POSITIVE_INFINITY),
            OptionalDouble.of(Double.NaN),
            OptionalLong.of(3),
            List.of(new Quantile(0.5, Double.NaN)),
            List.of(new ValueCount("\u00e9t\u00e9 \uD83D\uDE00", 1)),
            Optional.empty(),
            Optional.empty());
    store.recordStatistics("bf-1", 1, List.of(extremes));
    assertThat(store.statistics("bf-1", 1)).containsExactly(extremes);
  }

  @Test
  void recordingStatisticsReplacesTheChunksInOneTransaction() {
    store.startBackfill(job("bf-1", "user_engagement", 2, STARTED, 0, 2));
    FeatureStatistics reads = numeric("reads_7d", 1);
    FeatureStatistics category = categorical("category", 1);
    store.recordStatistics("bf-1", 0, List.of(reads, category));
    store.recordStatistics("bf-1", 1, List.of(numeric("reads_7d", 9)));

    // the same feature again, with fewer top values, and one that was not there
    FeatureStatistics fewer =
        new FeatureStatistics(
            "category",
            "varchar",
            50,
            1,
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalLong.of(1),
            List.of(),
            List.of(new ValueCount("sports", 49)),
            Optional.empty(),
            Optional.empty());
    FeatureStatistics score = allNull("score", "double", 50);
    store.recordStatistics("bf-1", 0, List.of(fewer, score));
    assertThat(store.statistics("bf-1", 0)).containsExactly(fewer, score);
    // the other chunk is left alone
    assertThat(store.statistics("bf-1", 1)).containsExactly(numeric("reads_7d", 9));

    // a feature twice is refused after the old statistics are deleted: they stay
    assertThatThrownBy(() -> store.recordStatistics("bf-1", 0, List.of(reads, reads)))
        .isInstanceOf(RuntimeException.class);
    assertThat(store.statistics("bf-1", 0)).containsExactly(fewer, score);

    store.recordStatistics("bf-1", 0, List.of());
    assertThat(store.statistics("bf-1", 0)).isEmpty();
    assertThat(store.statistics("bf-1", 1)).containsExactly(numeric("reads_7d", 9));
  }

  @Test
  void statisticsOfAnUnknownChunkAreRefused() {
    store.startBackfill(job("bf-1", "user_engagement", 2, STARTED, 0, 2));
    List<FeatureStatistics> statistics = List.of(numeric("reads_7d", 1));
    assertThatThrownBy(() -> store.recordStatistics("nope", 0, statistics))
        .isInstanceOf(RegistryException.class)
        .hasMessage("backfill job nope has no chunk 0");
    assertThatThrownBy(() -> store.recordStatistics("bf-1", 2, statistics))
        .isInstanceOf(RegistryException.class)
        .hasMessage("backfill job bf-1 has no chunk 2");
    assertThatThrownBy(() -> store.recordStatistics("nope", 0, List.of()))
        .isInstanceOf(RegistryException.class);
    assertThat(store.statistics("bf-1", 0)).isEmpty();
  }

  @Test
  void featureStatisticsOfCommittedChunksAcrossJobsInTimeOrder() {
    // bf-b started first; bf-a, started later, backfills its first two weeks again
    BackfillJob b = job("bf-b", "user_engagement", 2, STARTED, 0, 3);
    BackfillJob a = job("bf-a", "user_engagement", 2, STARTED.plusSeconds(60), 0, 2);
    BackfillJob older = job("bf-c", "user_engagement", 1, STARTED.plusSeconds(120), 0, 1);
    BackfillJob other = job("bf-d", "article_popularity", 2, STARTED.plusSeconds(180), 0, 1);
    for (BackfillJob job : List.of(b, a, older, other)) {
      store.startBackfill(job);
    }
    store.recordChunk("bf-b", committed(b.chunks().get(0)));
    store.recordChunk("bf-b", failed(b.chunks().get(1)));
    store.recordChunk("bf-b", committed(b.chunks().get(2)));
    store.recordChunk("bf-a", committed(a.chunks().get(0)));
    store.recordChunk("bf-a", committed(a.chunks().get(1)));
    store.recordChunk("bf-c", committed(older.chunks().get(0)));
    store.recordChunk("bf-d", committed(other.chunks().get(0)));
    store.recordStatistics("bf-b", 0, List.of(numeric("reads_7d", 1), categorical("category", 1)));
    store.recordStatistics("bf-b", 1, List.of(numeric("reads_7d", 2)));
    store.recordStatistics("bf-b", 2, List.of(numeric("reads_7d", 3)));
    store.recordStatistics("bf-a", 0, List.of(numeric("reads_7d", 4)));
    store.recordStatistics("bf-a", 1, List.of(categorical("category", 4)));
    store.recordStatistics("bf-c", 0, List.of(numeric("reads_7d", 5)));
    store.recordStatistics("bf-d", 0, List.of(numeric("reads_7d", 6)));

    Instant week1 = DAY.plus(Duration.ofDays(7));
    Instant week2 = DAY.plus(Duration.ofDays(14));
    // by the chunks' start, then by the jobs': not bf-b's failed chunk, nor bf-a's chunk without
    // the feature, nor other versions' or views'
    assertThat(store.statistics("user_engagement", 2, "reads_7d"))
        .containsExactly(
            new ChunkStatistics("bf-b", 0, DAY, week1, numeric("reads_7d", 1)),
            new ChunkStatistics("bf-a", 0, DAY, week1, numeric("reads_7d", 4)),
            new ChunkStatistics(
                "bf-b", 2, week2, DAY.plus(Duration.ofDays(21)), numeric("reads_7d", 3)));
    assertThat(store.statistics("user_engagement", 2, "category"))
        .containsExactly(
            new ChunkStatistics("bf-b", 0, DAY, week1, categorical("category", 1)),
            new ChunkStatistics("bf-a", 1, week1, week2, categorical("category", 4)));
    assertThat(store.statistics("user_engagement", 1, "reads_7d"))
        .containsExactly(new ChunkStatistics("bf-c", 0, DAY, week1, numeric("reads_7d", 5)));
    assertThat(store.statistics("user_engagement", 2, "nope")).isEmpty();
    assertThat(store.statistics("user_engagement", 3, "reads_7d")).isEmpty();
    assertThat(store.statistics("nope", 2, "reads_7d")).isEmpty();
  }

  @Test
  void jobCostsAreRecordedAndReadBackExactly() {
    Instant at = APPLIED.truncatedTo(ChronoUnit.MICROS);
    // Athena's price: cents, and a fraction of a cent that a decimal of two places would lose
    JobCost first =
        new JobCost(
            "backfill",
            "bf1a2b3c",
            "athena",
            14,
            3_221_225_472L,
            OptionalDouble.of(0.05),
            Duration.ofMillis(61_250),
            at);
    JobCost resumed =
        new JobCost(
            "backfill",
            "bf1a2b3c",
            "athena",
            3,
            1_048_576L,
            OptionalDouble.of(0.000476837158203125),
            Duration.ofMillis(900),
            at.plusSeconds(3600));
    // Trino reads bytes too, but has no price; recorded at the same moment as the first
    JobCost build =
        new JobCost(
            "training-set",
            "click_model@8123456789012345678",
            "trino",
            1,
            0,
            OptionalDouble.empty(),
            Duration.ZERO,
            at);
    assertThat(store.costs()).isEmpty();
    // recorded out of order: read back by when they were recorded
    store.recordCost(resumed);
    store.recordCost(build);
    store.recordCost(first);

    assertThat(store.costs("backfill", "bf1a2b3c")).containsExactly(first, resumed);
    assertThat(store.costs("training-set", "click_model@8123456789012345678"))
        .containsExactly(build);
    assertThat(store.costs("backfill", "bf1a2b3c").getFirst().costUsd()).hasValue(0.05);
    assertThat(store.costs("training-set", "click_model@8123456789012345678").getFirst().costUsd())
        .isEmpty();
    // newest first; the two of the same moment by kind, then job
    assertThat(store.costs()).containsExactly(resumed, first, build);
    assertThat(store.costs("backfill", "nope")).isEmpty();
    assertThat(store.costs("materialize", "bf1a2b3c")).isEmpty();
  }

  @Test
  void jobCostsKeepMillisecondsAndMicroseconds() {
    // finer parts are dropped by the record, so what is recorded is what reads back
    JobCost cost =
        new JobCost(
            "online",
            "user_profile@3",
            "trino",
            2,
            Long.MAX_VALUE,
            OptionalDouble.of(1234.56),
            Duration.ofNanos(1_500_999_999),
            APPLIED.plusNanos(789));
    assertThat(cost.elapsed()).isEqualTo(Duration.ofMillis(1500));
    assertThat(cost.recordedAt()).isEqualTo(APPLIED.truncatedTo(ChronoUnit.MICROS));
    store.recordCost(cost);

    assertThat(store.costs("online", "user_profile@3")).containsExactly(cost);
    assertThat(store.costs()).containsExactly(cost);
  }

  @Test
  void aJobCostTwiceAtTheSameMomentOrTooLongIsRefused() {
    Instant at = APPLIED.truncatedTo(ChronoUnit.MICROS);
    JobCost cost =
        new JobCost(
            "maintain",
            "iceberg.features.user_engagement__v2",
            "trino",
            4,
            100,
            OptionalDouble.empty(),
            Duration.ofSeconds(2),
            at);
    store.recordCost(cost);
    JobCost again =
        new JobCost(
            "maintain",
            "iceberg.features.user_engagement__v2",
            "athena",
            1,
            1,
            OptionalDouble.of(0.01),
            Duration.ofSeconds(1),
            at);
    assertThatThrownBy(() -> store.recordCost(again))
        .isInstanceOf(RegistryException.class)
        .hasMessage(
            "a cost of maintain iceberg.features.user_engagement__v2 is already recorded at " + at);
    JobCost longJob =
        new JobCost(
            "apply", "x".repeat(401), "trino", 1, 1, OptionalDouble.empty(), Duration.ZERO, at);
    assertThatThrownBy(() -> store.recordCost(longJob))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a job cost's job is at most 400 characters, got 401");
    JobCost longKind =
        new JobCost("k".repeat(41), "j", "trino", 1, 1, OptionalDouble.empty(), Duration.ZERO, at);
    assertThatThrownBy(() -> store.recordCost(longKind))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a job cost's kind is at most 40 characters, got 41");
    JobCost longEngine =
        new JobCost("apply", "j", "e".repeat(41), 1, 1, OptionalDouble.empty(), Duration.ZERO, at);
    assertThatThrownBy(() -> store.recordCost(longEngine))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a job cost's engine is at most 40 characters, got 41");
    // the longest of each is kept
    JobCost longest =
        new JobCost(
            "k".repeat(40),
            "x".repeat(400),
            "e".repeat(40),
            1,
            1,
            OptionalDouble.empty(),
            Duration.ZERO,
            at);
    store.recordCost(longest);

    assertThat(store.costs()).containsExactly(longest, cost);
  }

  @Test
  void versionEightDatabaseMigratesToJobCostsAndKeepsItsData() throws Exception {
    Instant at = APPLIED.truncatedTo(ChronoUnit.MICROS);
    AppliedView engagement = view("user_engagement", 2, "aa");
    store.apply(List.of(engagement), List.of());
    store.retire("user_engagement", 2, at.plusSeconds(5));
    TrainingBuild build = build("click_model", 7L, at, Optional.of(at.minusSeconds(60)));
    store.recordBuild(build);
    BackfillJob job = job("bf-1", "user_engagement", 2, STARTED, 0, 2);
    store.startBackfill(job);
    store.recordChunk("bf-1", committed(job.chunks().get(0)));
    store.recordStatistics("bf-1", 0, List.of(numeric("reads_7d", 1)));
    OnlineGroup group =
        new OnlineGroup(
            "user_engagement",
            2,
            "asof_user_engagement__v2",
            OnlineGroup.State.ENABLED,
            OnlineGroup.Mode.CACHE,
            Duration.ofSeconds(30),
            Optional.of(at),
            12,
            at,
            at);
    store.saveOnlineGroup(group);
    BackfillJob backfill = store.backfill("bf-1").orElseThrow();
    List<ViewVersion> versions = store.versions();
    RegistryConfig config = lastConfig();
    store.close();
    store = null;
    // take the database back to what version 8 wrote: everything but the job costs
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      ctx.dropTable(RegistryTables.JOB_COSTS).execute();
      ctx.dropTable(RegistryTables.LEASES).execute();
      dropVersionElevenColumns(ctx, RegistryTables.VIEWS, RegistryTables.VERSIONS);
      forgetVersionsAfter(ctx, 8);
      assertThat(RegistrySchema.current(ctx)).isEqualTo(8);
    }

    store = openStore(config);

    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest()).isEqualTo(11);
    assertThat(store.views()).containsExactly(engagement);
    assertThat(store.versions()).isEqualTo(versions);
    assertThat(store.builds()).containsExactly(build);
    assertThat(store.backfill("bf-1")).contains(backfill);
    assertThat(store.statistics("bf-1", 0)).containsExactly(numeric("reads_7d", 1));
    assertThat(store.onlineGroups()).containsExactly(group);
    assertThat(store.costs()).isEmpty();
    JobCost cost =
        new JobCost(
            "backfill",
            "bf-1",
            "trino",
            3,
            4096,
            OptionalDouble.empty(),
            Duration.ofMillis(20),
            at.plusSeconds(10));
    store.recordCost(cost);
    assertThat(store.costs("backfill", "bf-1")).containsExactly(cost);
    store.close();
    store = null;
    try (Connection connection =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      DSLContext ctx =
          DSL.using(connection, config.postgres() ? SQLDialect.POSTGRES : SQLDialect.H2);
      assertThat(
              ctx.select(FLYWAY_DESCRIPTION)
                  .from(RegistryTables.FLYWAY_HISTORY)
                  .where(RegistryTables.FLYWAY_VERSION.eq("9"))
                  .fetchOne(FLYWAY_DESCRIPTION))
          .isEqualTo("job costs");
    }
  }

  private static final Instant DAY = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant STARTED = APPLIED.truncatedTo(ChronoUnit.MICROS);

  /** A running job with {@code chunks} pending chunks of a week, the first {@code week}s in. */
  private static BackfillJob job(
      String id, String view, int version, Instant started, int week, int chunks) {
    Instant from = DAY.plus(Duration.ofDays(7L * week));
    List<BackfillChunk> pending = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      pending.add(
          BackfillChunk.pending(
              i, from.plus(Duration.ofDays(7L * i)), from.plus(Duration.ofDays(7L * (i + 1)))));
    }
    return new BackfillJob(
        id,
        view,
        version,
        "fp",
        "iceberg.features." + view + "__v" + version,
        from,
        from.plus(Duration.ofDays(7L * chunks)),
        Duration.ofDays(7),
        BackfillJob.Status.RUNNING,
        started,
        Optional.empty(),
        Optional.empty(),
        pending);
  }

  private static BackfillChunk committed(BackfillChunk chunk) {
    return new BackfillChunk(
        chunk.index(),
        chunk.from(),
        chunk.to(),
        BackfillChunk.Status.COMMITTED,
        100,
        OptionalLong.of(1000L + chunk.index()),
        1,
        4096,
        Duration.ofMillis(20),
        Optional.of(STARTED.plusSeconds(1)),
        Optional.empty());
  }

  private static BackfillChunk failed(BackfillChunk chunk) {
    return new BackfillChunk(
        chunk.index(),
        chunk.from(),
        chunk.to(),
        BackfillChunk.Status.FAILED,
        0,
        OptionalLong.empty(),
        0,
        0,
        Duration.ofMillis(20),
        Optional.empty(),
        Optional.of("expectation failed"));
  }

  /** A number's statistics, different for each {@code k}. */
  private static FeatureStatistics numeric(String name, int k) {
    return new FeatureStatistics(
        name,
        "bigint",
        100L * k,
        k,
        OptionalDouble.of(-k),
        OptionalDouble.of(1000.5 * k),
        OptionalDouble.of(k / 3.0),
        OptionalLong.of(10L * k),
        List.of(new Quantile(0.01, -k), new Quantile(0.5, k), new Quantile(0.99, 999.0 * k)),
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  /** A string's statistics, different for each {@code k}. */
  private static FeatureStatistics categorical(String name, int k) {
    return new FeatureStatistics(
        name,
        "varchar",
        100L * k,
        0,
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalLong.of(2),
        List.of(),
        List.of(new ValueCount("sports", 60L * k), new ValueCount("arts-" + k, 40L * k)),
        Optional.empty(),
        Optional.empty());
  }

  /** A feature NULL in every row: nothing but its rows and nulls. */
  private static FeatureStatistics allNull(String name, String type, long rows) {
    return new FeatureStatistics(
        name,
        type,
        rows,
        rows,
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalLong.empty(),
        List.of(),
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  /** The config {@link #freshDatabase()} returned last. */
  protected abstract RegistryConfig lastConfig();

  @Test
  void onlineGroupsAreSavedReplacedListedByViewAndRemoved() {
    Instant at = APPLIED.truncatedTo(ChronoUnit.MICROS);
    OnlineGroup profile =
        new OnlineGroup(
            "user_profile",
            1,
            "asof_user_profile__v1",
            OnlineGroup.State.ENABLED,
            OnlineGroup.Mode.DYNAMODB,
            Duration.ofSeconds(30),
            Optional.empty(),
            0,
            at,
            at);
    OnlineGroup article =
        new OnlineGroup(
            "article_profile",
            2,
            "asof_article_profile__v2",
            OnlineGroup.State.ENABLED,
            OnlineGroup.Mode.CACHE,
            Duration.ofMillis(1500),
            Optional.of(at.plusNanos(123_000)),
            42,
            at,
            at);
    assertThat(store.onlineGroups()).isEmpty();
    assertThat(store.onlineGroup("user_profile")).isEmpty();
    store.saveOnlineGroup(profile);
    store.saveOnlineGroup(article);
    assertThat(store.onlineGroups()).containsExactly(article, profile);
    assertThat(store.onlineGroup("user_profile")).contains(profile);

    OnlineGroup loaded = profile.withLoad(at.plusSeconds(60), 1_000, at.plusSeconds(61));
    store.saveOnlineGroup(loaded);
    assertThat(store.onlineGroup("user_profile")).contains(loaded);
    assertThat(loaded.loadedThrough()).contains(at.plusSeconds(60));
    OnlineGroup disabled = loaded.withState(OnlineGroup.State.DISABLED, at.plusSeconds(90));
    store.saveOnlineGroup(disabled);
    assertThat(store.onlineGroup("user_profile").orElseThrow().state())
        .isEqualTo(OnlineGroup.State.DISABLED);
    assertThat(store.onlineGroup("user_profile").orElseThrow().updatedAt())
        .isEqualTo(at.plusSeconds(90));
    assertThat(store.onlineGroups()).hasSize(2);

    store.removeOnlineGroup("user_profile");
    store.removeOnlineGroup("user_profile"); // nothing when absent
    store.removeOnlineGroup("never_online");
    assertThat(store.onlineGroups()).containsExactly(article);
  }

  @Test
  void anOnlineGroupNeedsAWholeMillisecondCacheRefresh() {
    Instant at = APPLIED.truncatedTo(ChronoUnit.MICROS);
    for (Duration refresh :
        List.of(
            Duration.ZERO,
            Duration.ofSeconds(-1),
            Duration.ofNanos(1_500_000),
            Duration.ofSeconds(Long.MAX_VALUE))) {
      OnlineGroup group =
          new OnlineGroup(
              "user_profile",
              1,
              "asof_user_profile__v1",
              OnlineGroup.State.ENABLED,
              OnlineGroup.Mode.CACHE,
              refresh,
              Optional.empty(),
              0,
              at,
              at);
      assertThatThrownBy(() -> store.saveOnlineGroup(group))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("whole number of milliseconds");
    }
    assertThat(store.onlineGroups()).isEmpty();
  }

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
        List.of(),
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
        Map.of(),
        APPLIED.truncatedTo(ChronoUnit.MICROS));
  }

  private static final Instant LEASED = Instant.parse("2026-12-06T10:00:00Z");

  private static LeaseRecord leaseOf(String name, LeaseHolder holder, Instant at, Duration expiry) {
    return new LeaseRecord(name, holder, at, at, at.plus(expiry));
  }

  private static LeaseHolder holder(String id, String command) {
    return new LeaseHolder(id, "host-" + id, 4000 + id.length(), command, "");
  }

  @Test
  void aLeaseIsHeldByOneHolderAndRefusesAnotherSayingWho() {
    RegistryLeases leases = Lease.leasesOf(store);
    LeaseHolder first = holder("a1", "backfill readings@1");
    LeaseRecord held = leaseOf(Lease.view("readings", 1), first, LEASED, Duration.ofMinutes(1));

    assertThat(leases.acquire(held)).isEmpty();
    assertThat(leases.lease(held.name())).contains(held);

    LeaseRecord second =
        leaseOf(
            held.name(),
            holder("b22", "backfill readings@1"),
            LEASED.plusSeconds(5),
            Duration.ofMinutes(1));
    assertThat(leases.acquire(second)).contains(held);
    // another name is another lease
    assertThat(
            leases.acquire(
                leaseOf(
                    Lease.view("readings", 2),
                    holder("b22", "x"),
                    LEASED.plusSeconds(5),
                    Duration.ofMinutes(1))))
        .isEmpty();

    LeaseHeldException refused = new LeaseHeldException("backfill readings@1", held);
    assertThat(refused.getMessage())
        .contains("`backfill readings@1` (pid 4002 on host-a1)")
        .contains("since 2026-12-06T10:00:00Z")
        .contains("expires at 2026-12-06T10:01:00Z")
        .contains("Wait until it ends");
  }

  @Test
  void releasingLetsTheNextHolderInButOnlyItsHolderReleases() {
    RegistryLeases leases = Lease.leasesOf(store);
    LeaseRecord held =
        leaseOf(Lease.REPOSITORY, holder("a1", "apply"), LEASED, Duration.ofMinutes(1));
    assertThat(leases.acquire(held)).isEmpty();

    leases.release(Lease.REPOSITORY, "b22");
    assertThat(leases.lease(Lease.REPOSITORY)).contains(held);

    leases.release(Lease.REPOSITORY, "a1");
    assertThat(leases.lease(Lease.REPOSITORY)).isEmpty();
    LeaseRecord next =
        leaseOf(
            Lease.REPOSITORY, holder("b22", "apply"), LEASED.plusSeconds(1), Duration.ofMinutes(1));
    assertThat(leases.acquire(next)).isEmpty();
    assertThat(leases.lease(Lease.REPOSITORY)).contains(next);
  }

  @Test
  void anExpiredLeaseIsTakenOverAndItsOldHolderCannotRenewIt() {
    RegistryLeases leases = Lease.leasesOf(store);
    String name = Lease.trainingSet("click_model");
    LeaseRecord crashed = leaseOf(name, holder("a1", "build"), LEASED, Duration.ofMinutes(1));
    assertThat(leases.acquire(crashed)).isEmpty();

    // a second before it expires it still refuses; at its expiry it is taken over
    LeaseRecord early =
        leaseOf(name, holder("b22", "build"), LEASED.plusSeconds(59), Duration.ofMinutes(1));
    assertThat(leases.acquire(early)).contains(crashed);
    LeaseRecord taker =
        leaseOf(name, holder("c333", "build"), LEASED.plusSeconds(60), Duration.ofMinutes(1));
    assertThat(leases.acquire(taker)).isEmpty();
    assertThat(leases.lease(name)).contains(taker);

    assertThat(leases.renew(name, "a1", LEASED.plusSeconds(61), LEASED.plusSeconds(121))).isFalse();
    leases.release(name, "a1");
    assertThat(leases.lease(name)).contains(taker);
  }

  @Test
  void renewingMovesTheExpiryOnlyForItsHolder() {
    RegistryLeases leases = Lease.leasesOf(store);
    String name = Lease.view("readings", 1);
    LeaseRecord held = leaseOf(name, holder("a1", "maintain"), LEASED, Duration.ofMinutes(1));
    assertThat(leases.acquire(held)).isEmpty();

    assertThat(leases.renew(name, "a1", LEASED.plusSeconds(50), LEASED.plusSeconds(110))).isTrue();
    LeaseRecord renewed = leases.lease(name).orElseThrow();
    assertThat(renewed.acquiredAt()).isEqualTo(LEASED);
    assertThat(renewed.heartbeatAt()).isEqualTo(LEASED.plusSeconds(50));
    assertThat(renewed.expiresAt()).isEqualTo(LEASED.plusSeconds(110));
    // so where it would have lapsed it still refuses
    assertThat(
            leases.acquire(
                leaseOf(name, holder("b22", "x"), LEASED.plusSeconds(90), Duration.ofMinutes(1))))
        .contains(renewed);
    assertThat(leases.renew(name, "b22", LEASED.plusSeconds(60), LEASED.plusSeconds(120)))
        .isFalse();
  }

  @Test
  void aHeldLeaseIsRenewedInTheBackgroundAndReleasedOnClose() throws Exception {
    RegistryLeases leases = Lease.leasesOf(store);
    LeaseTiming quick = new LeaseTiming(Duration.ofMillis(200), Duration.ofSeconds(1));
    String name = Lease.view("readings", 1);
    Instant firstExpiry;
    try (Lease lease =
        Lease.acquire(leases, name, "backfill readings@1", quick, java.time.Clock.systemUTC())) {
      firstExpiry = lease.acquired().expiresAt();
      assertThat(leases.lease(name).orElseThrow().holder().pid())
          .isEqualTo(ProcessHandle.current().pid());
      Thread.sleep(1_500);
      // past the expiry it was taken with, it is renewed and still held
      LeaseRecord now = leases.lease(name).orElseThrow();
      assertThat(now.expiresAt()).isAfter(firstExpiry);
      assertThat(now.heartbeatAt()).isAfter(now.acquiredAt());
      lease.check();
      assertThatThrownBy(
              () ->
                  Lease.acquire(
                      leases, name, "backfill readings@1", quick, java.time.Clock.systemUTC()))
          .isInstanceOf(LeaseHeldException.class)
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
    }
    assertThat(leases.lease(name)).isEmpty();
  }

  @Test
  void aLeaseWhoseHolderCrashedDoesNotBlockForever() throws Exception {
    RegistryLeases leases = Lease.leasesOf(store);
    LeaseTiming timing = LeaseTiming.DEFAULT;
    java.time.Clock clock = java.time.Clock.systemUTC();
    // on another host: it lapses at its expiry
    String remote = Lease.view("readings", 1);
    Instant past = Instant.now().minus(Duration.ofMinutes(5));
    assertThat(
            leases.acquire(leaseOf(remote, holder("a1", "backfill"), past, Duration.ofMinutes(1))))
        .isEmpty();
    try (Lease lease = Lease.acquire(leases, remote, "backfill readings@1", timing, clock)) {
      assertThat(leases.lease(remote).orElseThrow().holder().id())
          .isEqualTo(lease.acquired().holder().id());
    }

    // on this machine, by a process that has ended: taken over before its expiry
    Process ended = new ProcessBuilder("true").start();
    assertThat(ended.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    LeaseHolder me = LeaseHolder.thisProcess("build click_model");
    assertThat(me.scope()).as("this test needs Linux's /proc").isNotEmpty();
    LeaseHolder dead = new LeaseHolder("d1", me.host(), ended.pid(), me.command(), me.scope());
    String local = Lease.trainingSet("click_model");
    assertThat(leases.acquire(leaseOf(local, dead, Instant.now(), Duration.ofHours(1)))).isEmpty();
    try (Lease lease = Lease.acquire(leases, local, "build click_model", timing, clock)) {
      assertThat(lease.acquired().holder().pid()).isEqualTo(ProcessHandle.current().pid());
    }

    // a live process of this machine keeps it
    LeaseHolder alive =
        new LeaseHolder(
            "l1", me.host(), ProcessHandle.current().parent().orElseThrow().pid(), "x", me.scope());
    assertThat(leases.acquire(leaseOf(local, alive, Instant.now(), Duration.ofHours(1)))).isEmpty();
    assertThatThrownBy(() -> Lease.acquire(leases, local, "build click_model", timing, clock))
        .isInstanceOf(LeaseHeldException.class);
  }

  @Test
  void ofManyTakersAtOnceOnTheirOwnConnectionsExactlyOneGetsTheLease() throws Exception {
    int takers = 6;
    List<RegistryStore> stores = new ArrayList<>();
    try {
      for (int i = 0; i < takers; i++) {
        stores.add(openStore(lastConfig()));
      }
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(takers);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(takers);
      List<java.util.concurrent.Future<Optional<LeaseRecord>>> results = new ArrayList<>();
      // an expired lease is there first: all race to take it over
      assertThat(
              Lease.leasesOf(store)
                  .acquire(
                      leaseOf(
                          Lease.REPOSITORY,
                          holder("old", "apply"),
                          Instant.now().minus(Duration.ofHours(1)),
                          Duration.ofMinutes(1))))
          .isEmpty();
      for (int i = 0; i < takers; i++) {
        RegistryLeases leases = Lease.leasesOf(stores.get(i));
        LeaseRecord mine =
            leaseOf(
                Lease.REPOSITORY, holder("t" + i, "apply"), Instant.now(), Duration.ofMinutes(1));
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return leases.acquire(mine);
                }));
      }
      pool.shutdown();
      List<Optional<LeaseRecord>> outcomes = new ArrayList<>();
      for (var result : results) {
        outcomes.add(result.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(outcomes.stream().filter(Optional::isEmpty).count()).isEqualTo(1);
      LeaseRecord winner = Lease.leasesOf(store).lease(Lease.REPOSITORY).orElseThrow();
      assertThat(winner.holder().id()).startsWith("t");
      assertThat(outcomes.stream().filter(Optional::isPresent).map(Optional::get))
          .allSatisfy(held -> assertThat(held.holder().id()).isEqualTo(winner.holder().id()));
    } finally {
      stores.forEach(RegistryStore::close);
    }
  }

  /** Takes Flyway's history back to {@code version}, as if the later versions had not run. */
  private static void forgetVersionsAfter(DSLContext ctx, int version) {
    ctx.deleteFrom(RegistryTables.FLYWAY_HISTORY)
        .where(RegistryTables.FLYWAY_VERSION.cast(SQLDataType.INTEGER).gt(version))
        .execute();
  }

  /**
   * Flyway's history of versions (not the row that says when it created the table), in the order it
   * was written: "version type description" per row.
   */
  static List<String> flywayHistory(DSLContext ctx) {
    return ctx.select(RegistryTables.FLYWAY_VERSION, FLYWAY_TYPE, FLYWAY_DESCRIPTION)
        .from(RegistryTables.FLYWAY_HISTORY)
        .where(RegistryTables.FLYWAY_SUCCESS.isTrue())
        .and(RegistryTables.FLYWAY_VERSION.isNotNull())
        .orderBy(FLYWAY_RANK)
        .fetch(row -> row.value1() + " " + row.value2() + " " + row.value3());
  }

  /** What Flyway's history holds once it has applied the versions after {@code baseline}. */
  static List<String> historyFrom(int baseline, String description) {
    List<String> rows = new ArrayList<>();
    rows.add(baseline + " BASELINE " + description);
    for (Migrations.Migration migration : Migrations.all()) {
      if (migration.version() > baseline) {
        rows.add(migration.version() + " JDBC " + migration.description());
      }
    }
    return rows;
  }

  /** The registry's tables as DDL, sorted; the two histories left out. */
  private static List<String> registryDdl(DSLContext ctx) {
    String schema = ctx.fetchValue(DSL.currentSchema());
    return ctx.meta()
        .filterSchemas(s -> s.getName().equals(schema))
        .filterTables(
            t ->
                t.getName().startsWith("asof_")
                    && !t.getName().equals(RegistryTables.FLYWAY_HISTORY.getName())
                    && !t.getName().equals(OldSchemaRunner.HISTORY.getName()))
        .ddl()
        .queryStream()
        // H2 names the index behind each foreign key with a suffix of its own choosing
        .map(query -> query.toString().replaceAll("_INDEX_[0-9A-Z]+\"", "_INDEX\""))
        .sorted()
        .toList();
  }

  /** Drops every table of the registry, both histories too: the database is empty again. */
  static void dropRegistry(DSLContext ctx) {
    for (Table<?> table :
        List.of(
            RegistryTables.LEASES,
            RegistryTables.JOB_COSTS,
            RegistryTables.ONLINE_GROUPS,
            RegistryTables.TOP_VALUES,
            RegistryTables.QUANTILES,
            RegistryTables.STATISTICS,
            RegistryTables.CHUNKS,
            RegistryTables.BACKFILLS,
            RegistryTables.BUILDS,
            RegistryTables.VERSION_COLUMNS,
            RegistryTables.VERSIONS,
            RegistryTables.COLUMNS,
            RegistryTables.VIEWS,
            RegistryTables.FLYWAY_HISTORY,
            OldSchemaRunner.HISTORY)) {
      ctx.dropTableIfExists(table).execute();
    }
  }

  /** Takes tables back to before version 11: no windows, no compiled aggregation. */
  private static void dropVersionElevenColumns(DSLContext ctx, org.jooq.Table<?>... tables) {
    for (org.jooq.Table<?> table : tables) {
      ctx.alterTable(table).dropColumn(RegistryTables.VIEW_WINDOW_SECONDS).execute();
      ctx.alterTable(table).dropColumn(RegistryTables.VIEW_AGGREGATION).execute();
    }
  }
}
