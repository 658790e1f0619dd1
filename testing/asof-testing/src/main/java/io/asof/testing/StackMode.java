package io.asof.testing;

import java.util.Locale;

/** Where the tests' stack comes from; chosen with {@code -Dasof.stack.mode=}. */
public enum StackMode {
  /** Trino and DynamoDB Local as processes from the Maven layout (the default). */
  LOCAL,
  /**
   * Containers {@code trinodb/trino:476} and {@code amazon/dynamodb-local}; needs a Docker engine.
   */
  TESTCONTAINERS,
  /** A running cluster named by {@code -Dasof.trino.url=} and {@code -Dasof.dynamodb.endpoint=}. */
  EXTERNAL;

  /** The mode asked for: {@code asof.stack.mode}, else external when a Trino URL is given. */
  public static StackMode selected() {
    String mode = System.getProperty("asof.stack.mode", "");
    if (mode.isBlank()) {
      return System.getProperty("asof.trino.url", "").isBlank() ? LOCAL : EXTERNAL;
    }
    try {
      return valueOf(mode.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "asof.stack.mode is local, testcontainers or external, got: " + mode, e);
    }
  }
}
