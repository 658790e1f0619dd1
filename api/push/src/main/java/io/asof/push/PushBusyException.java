package io.asof.push;

import java.time.Duration;

/**
 * A push refused for now because the view's buffer of rows waiting for a commit is full (or the
 * server is stopping): nothing of it was applied; send it again after {@link #retryAfter()}.
 */
public final class PushBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  public PushBusyException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
