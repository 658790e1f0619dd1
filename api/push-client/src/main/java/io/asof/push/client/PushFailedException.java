package io.asof.push.client;

/**
 * A push the server refused (its HTTP status and message), or one that could not be delivered.
 * {@link #mayHaveBeenTaken()} says whether the server may have taken it all the same (its answer
 * was lost after it was sent): such a push must not simply be sent again.
 */
public final class PushFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final boolean mayHaveBeenTaken;

  public PushFailedException(int status, String message, boolean mayHaveBeenTaken) {
    super(message);
    this.status = status;
    this.mayHaveBeenTaken = mayHaveBeenTaken;
  }

  /** The HTTP status the server answered, or 0 when it did not answer. */
  public int status() {
    return status;
  }

  public boolean mayHaveBeenTaken() {
    return mayHaveBeenTaken;
  }
}
