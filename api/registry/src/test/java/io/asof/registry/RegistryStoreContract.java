package io.asof.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.engine.Column;
import io.asof.model.Materialization;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every registry store does; run against each implementation. */
abstract class RegistryStoreContract {
  private static final Instant APPLIED = Instant.parse("2026-11-23T10:15:30.123456Z");

  private RegistryStore store;

  /** A store on a fresh, empty database. */
  protected abstract RegistryConfig freshDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = JooqRegistryStore.open(freshDatabase());
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
    store = JooqRegistryStore.open(config);
    assertThat(store.views()).containsExactly(original);
    assertThat(store.schemaVersion()).isEqualTo(Migrations.latest());
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
        APPLIED.truncatedTo(ChronoUnit.MICROS));
  }
}
