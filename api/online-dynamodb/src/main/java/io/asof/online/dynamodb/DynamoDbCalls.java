package io.asof.online.dynamodb;

import io.asof.online.OnlineStoreException;
import io.asof.online.OnlineTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * What the DynamoDB store's parts share: the client, where it points (for messages), the virtual
 * threads calls run on, the one retry policy (a throttled call or an unprocessed batch is sent
 * again after {@link #backoff}, at most {@link #ATTEMPTS} times in all) and how the SDK's failures
 * become {@link OnlineStoreException}s.
 */
record DynamoDbCalls(DynamoDbClient client, String where, ExecutorService executor) {
  /** How often an unprocessed batch or a throttled call is sent again before giving up. */
  static final int ATTEMPTS = 10;

  OnlineStoreException failure(String what, OnlineTable table, SdkException e) {
    if (e instanceof ResourceNotFoundException) {
      return OnlineStoreException.missingTable(table, where, e);
    }
    if (e instanceof SdkClientException) {
      return new OnlineStoreException(
          "%s could not be reached to %s %s: %s"
              .formatted(where, what, table.name(), e.getMessage()),
          true,
          e);
    }
    return new OnlineStoreException(
        "%s refused to %s %s: %s".formatted(where, what, table.name(), e.getMessage()), false, e);
  }

  static void backoff(int attempt) {
    long cap = Math.min(1_000, 10L << Math.min(attempt, 10));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnlineStoreException("interrupted while backing off", false, e);
    }
  }

  static <T> List<List<T>> slices(List<T> all, int size) {
    List<List<T>> slices = new ArrayList<>((all.size() + size - 1) / size);
    for (int i = 0; i < all.size(); i += size) {
      slices.add(all.subList(i, Math.min(all.size(), i + size)));
    }
    return slices;
  }
}
