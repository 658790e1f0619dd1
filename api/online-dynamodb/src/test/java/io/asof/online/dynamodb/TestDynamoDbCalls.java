package io.asof.online.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.online.dynamodb.DynamoDbCalls.Unprocessed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * The store's one resend of what a batch call left unprocessed, with a hand-written batch call that
 * leaves some of what it is sent, and the retry strategy the client is built with.
 */
class TestDynamoDbCalls {
  @Test
  void unprocessedRequestsAreSentAgainUntilNoneAreLeft() {
    List<List<Integer>> sent = new ArrayList<>();
    Unprocessed<Integer> unprocessed =
        DynamoDbCalls.untilProcessed(
            List.of(1, 2, 3, 4),
            sending -> {
              sent.add(sending);
              // the first half is processed, the rest left
              return List.copyOf(sending.subList((sending.size() + 1) / 2, sending.size()));
            });
    assertThat(sent).containsExactly(List.of(1, 2, 3, 4), List.of(3, 4), List.of(4));
    assertThat(unprocessed.left()).isEmpty();
    assertThat(unprocessed.resent()).isEqualTo(2 + 1);
  }

  @Test
  void whatIsStillUnprocessedAfterTheAttemptsIsLeft() {
    int[] sends = {0};
    Unprocessed<Integer> unprocessed =
        DynamoDbCalls.untilProcessed(
            List.of(1, 2),
            sending -> {
              sends[0]++;
              return sending;
            });
    assertThat(sends[0]).isEqualTo(DynamoDbCalls.ATTEMPTS);
    assertThat(unprocessed.left()).containsExactly(1, 2);
    assertThat(unprocessed.resent()).isEqualTo(2L * (DynamoDbCalls.ATTEMPTS - 1));
  }

  @Test
  void everythingProcessedAtOnceIsSentOnce() {
    int[] sends = {0};
    Unprocessed<Integer> unprocessed =
        DynamoDbCalls.untilProcessed(
            List.of(1),
            sending -> {
              sends[0]++;
              return List.of();
            });
    assertThat(sends[0]).isEqualTo(1);
    assertThat(unprocessed).isEqualTo(new Unprocessed<>(List.of(), 0));
  }

  @Test
  void theClientRetriesThrottledCallsAsOftenAsTheStoreResends() {
    RetryStrategy strategy = DynamoDbCalls.retryStrategy();
    assertThat(strategy.maxAttempts()).isEqualTo(DynamoDbCalls.ATTEMPTS);
  }
}
