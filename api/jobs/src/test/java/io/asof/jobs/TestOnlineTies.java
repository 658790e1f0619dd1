package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineTable;
import io.asof.online.WriteMode;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
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
 * Rows of one entity with the same event time, online as offline, on Trino and DynamoDB Local: a
 * load writes the row a training set at now takes (by created time, then feature values), and a
 * conditional write of a tied row that offline does not take (a push) leaves it, whichever comes
 * first; {@code online check} finds no mismatch.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestOnlineTies {
  private static final Instant EVENT = Instant.parse("2026-01-01T10:00:00Z");
  private static final Instant FIRST = Instant.parse("2026-01-01T11:00:00Z");
  private static final Instant SECOND = Instant.parse("2026-01-01T12:00:00Z");

  private QueryEngine trino;
  private RegistryStore registry;
  private OnlineStore store;
  private OnlineService online;
  private OnlineTable table;

  @BeforeAll
  void start(StackEndpoints stack, @TempDir Path state, @TempDir Path repo) throws IOException {
    String catalog = stack.catalog();
    trino =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/" + catalog, stack.trinoUser()));
    trino.execute("CREATE SCHEMA IF NOT EXISTS %s.tie_src".formatted(catalog));
    trino.execute("DROP TABLE IF EXISTS %s.tie_src.scores".formatted(catalog));
    // user 1: the later created time wins over a greater score; user 2: a NULL created time
    // loses; user 3: equal created times, the greater score wins
    trino.execute(
        """
        CREATE TABLE %s.tie_src.scores AS
        SELECT user_id, CAST(event_ts AS timestamp(6)) AS event_ts,
          CAST(ingested_at AS timestamp(6)) AS ingested_at, score
        FROM (VALUES
          (BIGINT '1', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 12:00:00', BIGINT '1'),
          (BIGINT '1', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 11:00:00', BIGINT '9'),
          (BIGINT '2', TIMESTAMP '2026-01-01 10:00:00', NULL, BIGINT '9'),
          (BIGINT '2', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 11:00:00', BIGINT '1'),
          (BIGINT '3', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 11:00:00', BIGINT '5'),
          (BIGINT '3', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 11:00:00', BIGINT '7'))
          AS t (user_id, event_ts, ingested_at, score)"""
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
        repo.resolve("views/tied_scores.sql"),
        """
        -- view: tied_scores
        -- entity: user
        -- event_time: event_ts
        -- created_time: ingested_at
        -- description: Scores with ties on event time.
        SELECT user_id, event_ts, ingested_at, score FROM tie_src.scores
        """);
    registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
    Repositories.apply(trino, registry, repo, catalog);
    store = DynamoDbOnlineStore.connectLocal(stack.dynamoDbEndpoint(), stack.dynamoDbRegion());
    online =
        new OnlineService(
            trino, new TrinoDialect(), registry, repo, catalog, store, Clock.systemUTC());
    table = OnlineTables.table(registry.view("tied_scores").orElseThrow());
    store.drop(table);
  }

  @AfterAll
  void stop() {
    if (store != null) {
      store.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (trino != null) {
      trino.close();
    }
  }

  @Test
  void onlineKeepsTheTiedRowOfflineTakesWhicheverIsWrittenFirst() {
    // the load first, then the rows offline does not take, pushed
    online.enable(
        "tied_scores",
        OnlineGroup.Mode.DYNAMODB,
        Duration.ofSeconds(30),
        OnlineService.LoadListener.NONE);
    assertOffline();
    store.write(table, losers(), WriteMode.CONDITIONAL);
    assertOffline();
    assertThat(online.check("tied_scores", 10, 1).mismatches()).isEmpty();

    // the pushed rows first, then the winners pushed too
    store.drop(table);
    store.create(table);
    store.write(table, losers(), WriteMode.CONDITIONAL);
    store.write(table, winners(), WriteMode.CONDITIONAL);
    assertOffline();
    assertThat(online.check("tied_scores", 10, 1).mismatches()).isEmpty();
  }

  private void assertOffline() {
    List<List<Object>> keys = List.of(List.of(1L), List.of(2L), List.of(3L));
    List<Object> scores =
        store.read(table, keys).stream()
            .map(read -> read.record().orElseThrow().values().getFirst())
            .toList();
    assertThat(scores).containsExactly(1L, 1L, 7L);
  }

  private static List<OnlineRecord> losers() {
    return List.of(
        record(1, Optional.of(FIRST), 9L),
        record(2, Optional.empty(), 9L),
        record(3, Optional.of(FIRST), 5L));
  }

  private static List<OnlineRecord> winners() {
    return List.of(
        record(1, Optional.of(SECOND), 1L),
        record(2, Optional.of(FIRST), 1L),
        record(3, Optional.of(FIRST), 7L));
  }

  private static OnlineRecord record(long key, Optional<Instant> created, long score) {
    return new OnlineRecord(List.of(key), EVENT, List.of(score), Optional.empty(), created);
  }
}
