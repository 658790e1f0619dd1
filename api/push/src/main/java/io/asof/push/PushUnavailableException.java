package io.asof.push;

/**
 * A push that could not be made durable (the push log failed to write or sync): nothing of it was
 * acknowledged, and the server takes no pushes until it is restarted.
 */
public final class PushUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PushUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
