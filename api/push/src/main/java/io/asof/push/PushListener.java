package io.asof.push;

import java.time.Duration;

/**
 * What push ingestion tells whoever watches it (the server's metrics); every method is optional.
 */
public interface PushListener {
  PushListener NONE = new PushListener() {};

  /** A micro-batch of {@code rows} rows was committed to the view's table. */
  default void committed(PushView view, long rows, Duration took) {}

  /** A micro-batch commit failed; it is tried again. */
  default void commitFailed(PushView view, String message) {}

  /**
   * {@code records} newest values were written online, the oldest of their pushes {@code lag}
   * before.
   */
  default void wroteOnline(PushView view, long records, Duration lag) {}

  /** An online write failed; it is tried again. */
  default void onlineFailed(PushView view, String message) {}
}
