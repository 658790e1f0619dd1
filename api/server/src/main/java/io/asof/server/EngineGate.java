package io.asof.server;

import io.javalin.http.Handler;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the requests that run statements on the query engine at once (ad-hoc queries and builds):
 * a request beyond the bound waits a moment for a slot, then is answered 503 with {@code
 * Retry-After}, so that a burst cannot pile up engine work and server threads without end.
 */
final class EngineGate {
  private final Semaphore slots;
  private final int size;
  private final Duration queueWait;

  EngineGate(int size, Duration queueWait) {
    if (size < 1) {
      throw new IllegalArgumentException("engine concurrency must be at least 1, not " + size);
    }
    if (queueWait.isNegative()) {
      throw new IllegalArgumentException("the queue wait must not be negative: " + queueWait);
    }
    this.slots = new Semaphore(size, true);
    this.size = size;
    this.queueWait = queueWait;
  }

  /** The handler, run only while it holds a slot. */
  Handler guard(Handler handler) {
    return ctx -> {
      boolean acquired;
      try {
        acquired = slots.tryAcquire(queueWait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiException(503, "interrupted while waiting for the query engine");
      }
      if (!acquired) {
        long seconds = Math.max(1, queueWait.toSeconds());
        ctx.header("Retry-After", Long.toString(seconds));
        throw new ApiException(
            503,
            "the server runs %d engine request%s at once and all are busy: retry in %d second%s"
                .formatted(size, size == 1 ? "" : "s", seconds, seconds == 1 ? "" : "s"));
      }
      try {
        handler.handle(ctx);
      } finally {
        slots.release();
      }
    };
  }
}
