package io.asof.online.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.online.OnlineStore;
import io.asof.online.OnlineStoreContract;
import io.asof.online.OnlineStoreException;
import io.asof.online.OnlineTable;
import io.asof.online.WriteMode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestDynamoDbOnlineStore extends OnlineStoreContract {
  private static DynamoDbLocalProcess dynamoDb;
  private static DynamoDbOnlineStore store;

  @BeforeAll
  static void start() throws IOException {
    dynamoDb = DynamoDbLocalProcess.start();
    store = DynamoDbOnlineStore.connectLocal(dynamoDb.endpoint(), "us-east-1");
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (dynamoDb != null) {
      dynamoDb.close();
    }
  }

  @Override
  protected OnlineStore store() {
    return store;
  }

  @Test
  void anUnreachableStoreIsReportedQuicklyAndTheStoreRecovers() throws Exception {
    OnlineTable table = simple();
    store.create(table);
    store.write(table, List.of(record(1, T0, 1L, "DE")), WriteMode.CONDITIONAL);
    dynamoDb.kill();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> store.read(table, List.of(List.of(1L))))
          .isInstanceOfSatisfying(
              OnlineStoreException.class, e -> assertThat(e.unavailable()).isTrue())
          .hasMessageContaining("could not be reached");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThatThrownBy(() -> store.exists(table))
          .isInstanceOfSatisfying(
              OnlineStoreException.class, e -> assertThat(e.unavailable()).isTrue());
    } finally {
      dynamoDb.restart();
    }
    // the same client works again once it is back: on a busy machine DynamoDB Local may take a
    // moment after its port opens to answer, so the first calls may still find it unreachable
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        store.exists(table);
        break;
      } catch (OnlineStoreException e) {
        if (!e.unavailable() || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
    // in memory, so its tables are gone
    store.create(table);
    store.write(table, List.of(record(1, T0, 2L, "FR")), WriteMode.CONDITIONAL);
    assertThat(values(table, 1)).containsExactly(2L, "FR");
  }
}
