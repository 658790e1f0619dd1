package io.asof.online;

/**
 * The online store could not do what was asked. {@link #unavailable()} says whether the store could
 * not be reached at all (the server answers 503 and tries again on the next request) rather than
 * refusing the request.
 */
public class OnlineStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean unavailable;

  public OnlineStoreException(String message, boolean unavailable, Throwable cause) {
    super(message, cause);
    this.unavailable = unavailable;
  }

  public OnlineStoreException(String message, boolean unavailable) {
    super(message);
    this.unavailable = unavailable;
  }

  /**
   * The table of a view version is not in the store {@code where}: the view is not enabled online
   * (or was disabled).
   */
  public static OnlineStoreException missingTable(
      OnlineTable table, String where, Throwable cause) {
    return new OnlineStoreException(
        "online table %s (view %s, version %d) does not exist in %s: run ./asof online enable %s"
            .formatted(table.name(), table.view(), table.version(), where, table.view()),
        false,
        cause);
  }

  /** Whether the store was unreachable (connection refused, timed out), not refusing. */
  public boolean unavailable() {
    return unavailable;
  }
}
