package io.asof.push;

import static java.util.Objects.requireNonNull;

/**
 * A push taken: durable in the push log under {@code sequence}, to be committed to the view's table
 * with the next micro-batch and, for an online view, written online within moments.
 *
 * @param online {@code queued} when the rows go to the online store next, {@code off} when the view
 *     is not online
 */
public record PushAck(String view, int version, int rows, long sequence, String online) {
  public PushAck {
    requireNonNull(view, "view is null");
    requireNonNull(online, "online is null");
  }
}
