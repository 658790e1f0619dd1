package io.asof.server;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The readiness checks' last result, reused for a short while: a load balancer probing many times a
 * second must not reach the registry and the online store (DescribeTable) on every probe.
 */
final class ReadyCheck {
  private final Supplier<List<String>> check;
  private final long maxAgeNanos;
  private List<String> last;
  private long checkedAt;

  ReadyCheck(Supplier<List<String>> check, Duration maxAge) {
    this.check = check;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** The problems found by the last check, run again when it is older than the max age. */
  synchronized List<String> get() {
    long now = System.nanoTime();
    if (last == null || now - checkedAt >= maxAgeNanos) {
      last = List.copyOf(check.get());
      checkedAt = now;
    }
    return last;
  }
}
