package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A lease as the registry records it: its name, who holds it, since when, when the holder last
 * renewed it, and when it lapses unless renewed again.
 */
public record LeaseRecord(
    String name, LeaseHolder holder, Instant acquiredAt, Instant heartbeatAt, Instant expiresAt) {
  public LeaseRecord {
    requireNonNull(name, "name is null");
    requireNonNull(holder, "holder is null");
    requireNonNull(acquiredAt, "acquiredAt is null");
    requireNonNull(heartbeatAt, "heartbeatAt is null");
    requireNonNull(expiresAt, "expiresAt is null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a lease's name is blank");
    }
    if (!expiresAt.isAfter(heartbeatAt)) {
      throw new IllegalArgumentException(
          "lease %s expires at %s, not after its heartbeat at %s"
              .formatted(name, expiresAt, heartbeatAt));
    }
  }

  /** Whether it has lapsed at {@code now}: anyone may take it over then. */
  public boolean expired(Instant now) {
    return !expiresAt.isAfter(now);
  }
}
