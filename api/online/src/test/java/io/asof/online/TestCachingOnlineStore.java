package io.asof.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caching store over the in-memory one: the contract for tables it passes through, and its
 * cache. (Over DynamoDB: TestCachingDynamoDbOnlineStore in asof-online-dynamodb.)
 */
class TestCachingOnlineStore extends OnlineStoreContract {
  private static InMemoryOnlineStore delegate;
  private static CachingOnlineStore store;

  @BeforeAll
  static void start() {
    delegate = new InMemoryOnlineStore();
    store = new CachingOnlineStore(delegate, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  @Override
  protected OnlineStore store() {
    return store;
  }

  @Test
  void aCachedTableIsServedFromMemoryAndReloaded() {
    OnlineTable table = simple();
    store.create(table);
    store.write(table, List.of(record(1, T0, 1L, "DE")), WriteMode.CONDITIONAL);
    store.cache(table, Duration.ofHours(1));
    assertThat(store.status()).singleElement().satisfies(s -> assertThat(s.records()).isEqualTo(1));

    // written behind the cache's back: not seen until the copy is reloaded
    delegate.write(table, List.of(record(2, T0, 2L, "FR")), WriteMode.CONDITIONAL);
    assertThat(store.read(table, List.of(List.of(2L))).getFirst()).isEqualTo(KeyRead.MISSING);
    store.refresh(table);
    assertThat(values(table, 2)).containsExactly(2L, "FR");

    // written through it: the copy follows, under the event-time rule
    store.write(table, List.of(record(1, T0.plusSeconds(5), 5L, "DE")), WriteMode.CONDITIONAL);
    store.write(table, List.of(record(1, T0.minusSeconds(5), 0L, "XX")), WriteMode.CONDITIONAL);
    assertThat(values(table, 1)).containsExactly(5L, "DE");
    store.uncache(table);
    assertThat(values(table, 1)).containsExactly(5L, "DE");
  }

  @Test
  void aFailedReloadKeepsServingTheLastCopyAndSaysSo() {
    OnlineTable table = simple();
    store.create(table);
    store.write(table, List.of(record(1, T0, 1L, "DE")), WriteMode.CONDITIONAL);
    store.cache(table, Duration.ofHours(1));
    delegate.drop(table); // the reload's scan now fails
    store.refresh(table);
    assertThat(values(table, 1)).containsExactly(1L, "DE");
    CachingOnlineStore.CacheStatus status =
        store.status().stream()
            .filter(s -> s.table().equals(table.name()))
            .findFirst()
            .orElseThrow();
    assertThat(status.stale()).isTrue();
    assertThat(status.failedRefreshes()).isEqualTo(1);
    assertThat(status.lastFailure().orElseThrow()).contains("does not exist");
    store.uncache(table);
    store.uncache(table); // not cached: nothing
    assertThat(store.status()).noneMatch(s -> s.table().equals(table.name()));
  }

  @Test
  void aReloadPicksUpOnItsOwn() throws InterruptedException {
    OnlineTable table = simple();
    store.create(table);
    store.cache(table, Duration.ofMillis(200));
    delegate.write(table, List.of(record(3, T0, 3L, "IT")), WriteMode.CONDITIONAL);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (store.read(table, List.of(List.of(3L))).getFirst().record().isEmpty()) {
      assertThat(System.nanoTime()).as("reloaded within 10 s").isLessThan(deadline);
      Thread.sleep(50);
    }
    store.uncache(table);
  }
}
