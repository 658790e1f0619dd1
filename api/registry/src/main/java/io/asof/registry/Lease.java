package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lease held by this process: renewed in the background every {@link LeaseTiming#heartbeat()}
 * while open, released on {@link #close()}. A holder that crashes stops renewing it, and its lease
 * lapses {@link LeaseTiming#expiry()} after the last renewal (at once when the holder ran on this
 * machine and its process is gone).
 *
 * <p>The names: {@link #view(String, int)} for the writers of a view version's table (backfill,
 * materialize, maintain, retire), {@link #REPOSITORY} for {@code apply}, {@link
 * #trainingSet(String)} for the builds of a training set.
 */
public final class Lease implements AutoCloseable {
  /** The lease of {@code apply}: one at a time per repository (that is, per registry). */
  public static final String REPOSITORY = "repository";

  private final RegistryLeases leases;
  private final LeaseRecord acquired;
  private final LeaseTiming timing;
  private final Clock clock;
  private final ScheduledExecutorService heartbeat;
  private final ScheduledFuture<?> renewals;
  private volatile Instant expiresAt;
  private volatile boolean takenOver;
  private volatile String renewalFailure = "";

  private Lease(RegistryLeases leases, LeaseRecord acquired, LeaseTiming timing, Clock clock) {
    this.leases = leases;
    this.acquired = acquired;
    this.timing = timing;
    this.clock = clock;
    this.expiresAt = acquired.expiresAt();
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("asof-lease-" + acquired.name()).daemon().factory());
    long every = timing.heartbeat().toMillis();
    this.renewals =
        heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /** The lease of the writers of a view version's table: {@code view:<name>@<version>}. */
  public static String view(String name, int version) {
    return "view:%s@%d".formatted(requireNonNull(name, "name is null"), version);
  }

  /** The lease of the builds of a training set: {@code training-set:<name>}. */
  public static String trainingSet(String name) {
    return "training-set:" + requireNonNull(name, "name is null");
  }

  /**
   * Takes lease {@code name} of {@code registry} to do {@code doing} (a few words that tell the
   * next writer what holds it, e.g. {@code backfill readings@1}), timed as {@link
   * LeaseTiming#configured()}.
   *
   * @throws LeaseHeldException when another writer holds it
   */
  public static Lease acquire(RegistryStore registry, String name, String doing) {
    return acquire(leasesOf(registry), name, doing, LeaseTiming.configured(), Clock.systemUTC());
  }

  /**
   * Takes lease {@code name} to do {@code doing}.
   *
   * @throws LeaseHeldException when another writer holds it
   */
  public static Lease acquire(
      RegistryLeases leases, String name, String doing, LeaseTiming timing, Clock clock) {
    requireNonNull(leases, "leases is null");
    requireNonNull(name, "name is null");
    requireNonNull(doing, "doing is null");
    requireNonNull(timing, "timing is null");
    requireNonNull(clock, "clock is null");
    LeaseHolder holder = LeaseHolder.thisProcess(doing);
    boolean tookOver = false;
    while (true) {
      Instant now = now(clock);
      LeaseRecord wanted = new LeaseRecord(name, holder, now, now, now.plus(timing.expiry()));
      Optional<LeaseRecord> held = leases.acquire(wanted);
      if (held.isEmpty()) {
        return new Lease(leases, wanted, timing, clock);
      }
      if (!tookOver && held.get().holder().endedOnThisMachine()) {
        // its process is gone, so its lease protects nothing: no need to wait for the expiry;
        // the release names that holder, so a live one that got in meanwhile keeps its lease
        leases.release(name, held.get().holder().id());
        tookOver = true;
        continue;
      }
      throw new LeaseHeldException(doing, held.get());
    }
  }

  /**
   * {@code registry}'s leases: both registry stores keep them (a role beside {@link RegistryStore},
   * as Iceberg's catalogs support namespaces).
   *
   * @throws IllegalArgumentException for a store that keeps none
   */
  public static RegistryLeases leasesOf(RegistryStore registry) {
    requireNonNull(registry, "registry is null");
    if (registry instanceof RegistryLeases leases) {
      return leases;
    }
    throw new IllegalArgumentException(
        "the registry store %s keeps no leases, so it cannot keep two writers apart"
            .formatted(registry.getClass().getName()));
  }

  /** The lease's name. */
  public String name() {
    return acquired.name();
  }

  /** The lease as it was acquired. */
  public LeaseRecord acquired() {
    return acquired;
  }

  /** When it lapses unless renewed again. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /**
   * Throws unless the lease is still held: call it before each write, so that a holder whose
   * renewals failed for longer than the expiry (another writer may have it now) writes nothing
   * more.
   *
   * @throws LeaseLostException when it is not held any more, or may not be
   */
  public void check() {
    if (takenOver) {
      throw new LeaseLostException(
          "lease %s was taken over by another writer after it expired (%s): stopped before writing more. See who writes it now before running this again"
              .formatted(name(), renewalFailure.isEmpty() ? "renewals were late" : renewalFailure));
    }
    if (!clock.instant().isBefore(expiresAt)) {
      throw new LeaseLostException(
          "lease %s expired at %s, as renewing it failed (%s): stopped before writing more, as another writer may have taken it over. Run this again when the registry answers"
              .formatted(name(), expiresAt, renewalFailure));
    }
  }

  private void renew() {
    Instant now = now(clock);
    Instant until = now.plus(timing.expiry());
    try {
      if (leases.renew(name(), acquired.holder().id(), now, until)) {
        expiresAt = until;
      } else {
        takenOver = true;
        renewals.cancel(false);
      }
    } catch (RuntimeException e) {
      // tried again at the next beat; the lease counts as lost once its expiry passes
      renewalFailure = String.valueOf(e.getMessage());
    }
  }

  /** Now, to the microsecond the registry keeps, so that a holder's times are the recorded ones. */
  private static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Stops renewing the lease and releases it. */
  @Override
  public void close() {
    renewals.cancel(false);
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      leases.release(name(), acquired.holder().id());
    } catch (RuntimeException e) {
      // the registry is unreachable: the lease lapses at its expiry, as a crashed holder's does
    }
  }
}
