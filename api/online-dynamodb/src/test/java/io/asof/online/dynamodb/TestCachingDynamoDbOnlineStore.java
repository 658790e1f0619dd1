package io.asof.online.dynamodb;

import io.asof.online.CachingOnlineStore;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineStoreContract;
import java.io.IOException;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The caching store over DynamoDB, as the server runs it: the contract every store passes. */
class TestCachingDynamoDbOnlineStore extends OnlineStoreContract {
  private static DynamoDbLocalProcess dynamoDb;
  private static CachingOnlineStore store;

  @BeforeAll
  static void start() throws IOException {
    dynamoDb = DynamoDbLocalProcess.start();
    store =
        new CachingOnlineStore(
            DynamoDbOnlineStore.connectLocal(dynamoDb.endpoint(), "us-east-1"), Clock.systemUTC());
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
}
