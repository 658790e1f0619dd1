package io.asof.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * Exclusive, expiring leases kept in the registry, so that two writers of one thing (a view
 * version's table, the repository's published views, a training set) never run at once, across
 * processes and hosts. A role of a registry store beside {@link RegistryStore}; {@link Lease} holds
 * one and keeps it alive.
 */
public interface RegistryLeases {
  /**
   * Records {@code lease} unless another holder has one of that name that has not expired at its
   * {@link LeaseRecord#acquiredAt()}, atomically: of two callers at once exactly one gets it. A
   * lease expired by then is taken over.
   *
   * @return empty when {@code lease} is now held; else the lease that holds the name
   */
  Optional<LeaseRecord> acquire(LeaseRecord lease);

  /**
   * Moves the heartbeat and expiry of lease {@code name} while {@code holderId} holds it.
   *
   * @return false when it does not hold it (any more): another holder took it over after it expired
   */
  boolean renew(String name, String holderId, Instant heartbeatAt, Instant expiresAt);

  /**
   * Ends lease {@code name} when {@code holderId} holds it; nothing otherwise (it may have been
   * taken over after it expired).
   */
  void release(String name, String holderId);

  /** The lease of that name, expired or not; empty when none is recorded. */
  Optional<LeaseRecord> lease(String name);
}
