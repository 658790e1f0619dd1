package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.online.InMemoryOnlineStore;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineTable;
import io.asof.online.WriteMode;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The online service's lifecycle on a real Trino, over the in-memory store (the contract makes it
 * behave as DynamoDB does): enable loads the latest value per entity, check finds a value that is
 * not the offline one, update loads only the entities that changed, disable keeps the table and
 * enable catches up, purge drops it.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestOnlineService {
  private static final String VIEW = "user_country";

  private QueryEngine trino;
  private RegistryStore registry;
  private String catalog;
  private final InMemoryOnlineStore store = new InMemoryOnlineStore();
  private OnlineService online;

  @BeforeAll
  void start(StackEndpoints stack, @TempDir Path state, @TempDir Path repo) throws IOException {
    catalog = stack.catalog();
    trino =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/" + catalog, stack.trinoUser()));
    trino.execute("CREATE SCHEMA IF NOT EXISTS %s.online_svc".formatted(catalog));
    trino.execute("DROP TABLE IF EXISTS %s.online_svc.users".formatted(catalog));
    trino.execute(
        """
        CREATE TABLE %s.online_svc.users AS
        SELECT user_id, CAST(updated_at AS timestamp(6)) AS updated_at, country
        FROM (VALUES
          (BIGINT '1', TIMESTAMP '2026-01-01 10:00:00', 'DE'),
          (BIGINT '2', TIMESTAMP '2026-01-01 11:00:00', 'FR'),
          (BIGINT '1', TIMESTAMP '2026-01-02 10:00:00', 'IT'))
          AS t (user_id, updated_at, country)"""
            .formatted(catalog));
    Files.writeString(
        repo.resolve("entities.yaml"),
        """
        entities:
          user:
            keys: [user_id]
            description: A reader.
        """);
    Files.createDirectories(repo.resolve("views"));
    Files.writeString(
        repo.resolve("views/" + VIEW + ".sql"),
        """
        -- view: user_country
        -- entity: user
        -- event_time: updated_at
        -- description: Where a user lives.
        SELECT user_id, updated_at, country FROM online_svc.users
        """);
    registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
    Repositories.apply(trino, registry, repo, catalog);
    online =
        new OnlineService(
            trino, new TrinoDialect(), registry, repo, catalog, store, Clock.systemUTC());
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
  void enableCheckUpdateDisableAndPurge() {
    OnlineService.LoadSummary first = enable();
    assertThat(first.full()).isTrue();
    assertThat(first.created()).isTrue();
    assertThat(first.rows()).isEqualTo(2);
    OnlineTable table = OnlineTables.table(registry.view(VIEW).orElseThrow());
    assertThat(countries(table)).containsExactly("IT", "FR", null);
    assertThat(online.check(VIEW, 10, 1).mismatches()).isEmpty();

    // a value the store holds that offline does not give: the check names its key
    store.write(
        table,
        List.of(
            new OnlineRecord(
                List.of(2L),
                Instant.parse("2026-01-01T11:00:00Z"),
                List.of("XX"),
                Optional.empty())),
        WriteMode.INITIAL_LOAD);
    assertThat(online.check(VIEW, 10, 1).mismatches())
        .singleElement()
        .satisfies(m -> assertThat(m.key()).containsExactly(2L));

    // rows from Jan 3 on: an update loads those entities only
    trino.execute(
        """
        INSERT INTO %s.online_svc.users VALUES
          (BIGINT '2', TIMESTAMP '2026-01-03 09:00:00', 'PT'),
          (BIGINT '3', TIMESTAMP '2026-01-03 10:00:00', 'ES')"""
            .formatted(catalog));
    OnlineService.LoadSummary update =
        online
            .update(VIEW, Instant.parse("2026-01-03T00:00:00Z"), OnlineService.LoadListener.NONE)
            .orElseThrow();
    assertThat(update.full()).isFalse();
    assertThat(update.rows()).isEqualTo(2);
    assertThat(countries(table)).containsExactly("IT", "PT", "ES");
    assertThat(online.check(VIEW, 10, 1).mismatches()).isEmpty();

    // disabled: the table stays, nothing is updated; enabled again: caught up, not reloaded
    assertThat(online.disable(VIEW, false).orElseThrow().state())
        .isEqualTo(OnlineGroup.State.DISABLED);
    assertThat(store.exists(table)).isTrue();
    assertThat(online.update(VIEW, Instant.EPOCH, OnlineService.LoadListener.NONE)).isEmpty();
    OnlineService.LoadSummary again = enable();
    assertThat(again.full()).isFalse();
    assertThat(again.created()).isFalse();
    assertThat(online.groups())
        .singleElement()
        .satisfies(g -> assertThat(g.state()).isEqualTo(OnlineGroup.State.ENABLED));

    // purged: the table and the group are gone
    assertThat(online.disable(VIEW, true)).isEmpty();
    assertThat(store.exists(table)).isFalse();
    assertThat(online.groups()).isEmpty();
    assertThatThrownBy(() -> online.disable(VIEW, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("view user_country is not online");
  }

  private OnlineService.LoadSummary enable() {
    return online.enable(
        VIEW, OnlineGroup.Mode.DYNAMODB, Duration.ofSeconds(30), OnlineService.LoadListener.NONE);
  }

  private List<String> countries(OnlineTable table) {
    return store.read(table, List.of(List.of(1L), List.of(2L), List.of(3L))).stream()
        .map(read -> read.record().map(r -> (String) r.values().getFirst()).orElse(null))
        .toList();
  }
}
