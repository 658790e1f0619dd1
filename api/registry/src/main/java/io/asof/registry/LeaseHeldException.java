package io.asof.registry;

import static java.util.Objects.requireNonNull;

/**
 * Another writer holds the lease a command needs: it says who, since when, and what to do (wait,
 * or, when the holder crashed, when its lease lapses).
 */
public final class LeaseHeldException extends RegistryException {
  private static final long serialVersionUID = 1L;

  private final transient LeaseRecord held;

  public LeaseHeldException(String doing, LeaseRecord held) {
    super(
        "cannot %s: %s holds the lease %s since %s (last heartbeat %s), so another writer is at work on it. Wait until it ends and run this again; if that process crashed, its lease expires at %s and can be taken over then"
            .formatted(
                requireNonNull(doing, "doing is null"),
                held.holder().describe(),
                held.name(),
                held.acquiredAt(),
                held.heartbeatAt(),
                held.expiresAt()));
    this.held = held;
  }

  /** The lease that refused. */
  public LeaseRecord held() {
    return held;
  }
}
