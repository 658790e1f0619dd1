package io.asof.online.dynamodb;

import io.asof.online.OnlineStoreException;
import io.asof.online.OnlineTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * What the DynamoDB store's parts share: the client, where it points (for messages), the virtual
 * threads calls run on, the retry policy (the client's {@link #retryStrategy} sends a throttled or
 * failed call again; {@link #untilProcessed} sends again what a batch call left unprocessed, which
 * the SDK does not) and how the SDK's failures become {@link OnlineStoreException}s.
 */
record DynamoDbCalls(DynamoDbClient client, String where, ExecutorService executor) {
  /** How often a throttled call, or an unprocessed batch, is sent in all before giving up. */
  static final int ATTEMPTS = 10;

  /** The wait before sending again: 10 ms doubling per attempt up to 1 s, half of it jitter. */
  static final BackoffStrategy BACKOFF =
      BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(10), Duration.ofSeconds(1));

  /**
   * The client's retries: throttled calls {@link #ATTEMPTS} times in all after {@link #BACKOFF};
   * calls that failed on the way or on DynamoDB's side as often, after waits of at most 100 ms, so
   * that an unreachable store is reported within a second or two. No circuit breaker: a load's
   * parallel writers, throttled together, would empty its shared token bucket and give up on calls
   * each of which still had attempts left.
   */
  static RetryStrategy retryStrategy() {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(ATTEMPTS)
        .throttlingBackoffStrategy(BACKOFF)
        .backoffStrategy(
            BackoffStrategy.exponentialDelay(Duration.ofMillis(10), Duration.ofMillis(100)))
        .circuitBreakerEnabled(false)
        .build();
  }

  /**
   * What {@link #untilProcessed} left: what was still unprocessed after the last attempt (empty
   * when everything went through), and how many were sent again.
   */
  record Unprocessed<T>(List<T> left, long resent) {}

  /**
   * Sends {@code requests} with {@code send}, which answers what it left unprocessed, and sends
   * that again after {@link #BACKOFF} until nothing is left or {@link #ATTEMPTS} sends were made:
   * what AWS asks of callers of BatchWriteItem and BatchGetItem, which return the items they did
   * not get to under throttling rather than failing.
   */
  static <T> Unprocessed<T> untilProcessed(List<T> requests, UnaryOperator<List<T>> send) {
    List<T> pending = requests;
    long resent = 0;
    for (int attempt = 1; ; attempt++) {
      pending = send.apply(pending);
      if (pending.isEmpty() || attempt >= ATTEMPTS) {
        return new Unprocessed<>(pending, resent);
      }
      resent += pending.size();
      try {
        Thread.sleep(BACKOFF.computeDelay(attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OnlineStoreException("interrupted while backing off", false, e);
      }
    }
  }

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

  static <T> List<List<T>> slices(List<T> all, int size) {
    List<List<T>> slices = new ArrayList<>((all.size() + size - 1) / size);
    for (int i = 0; i < all.size(); i += size) {
      slices.add(all.subList(i, Math.min(all.size(), i + size)));
    }
    return slices;
  }
}
