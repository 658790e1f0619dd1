package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * How often a held lease is renewed, and how long after its last renewal it lapses (so that a
 * crashed holder blocks others only that long).
 */
public record LeaseTiming(Duration heartbeat, Duration expiry) {
  /** Renewed every 10 seconds; lapses a minute after the last renewal. */
  public static final LeaseTiming DEFAULT =
      new LeaseTiming(Duration.ofSeconds(10), Duration.ofSeconds(60));

  /** The system property that sets the heartbeat, an ISO-8601 duration such as {@code PT10S}. */
  public static final String HEARTBEAT_PROPERTY = "asof.lease.heartbeat";

  /** The system property that sets the expiry, an ISO-8601 duration such as {@code PT60S}. */
  public static final String EXPIRY_PROPERTY = "asof.lease.expiry";

  public LeaseTiming {
    requireNonNull(heartbeat, "heartbeat is null");
    requireNonNull(expiry, "expiry is null");
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("a lease's heartbeat is not positive: " + heartbeat);
    }
    // at least two heartbeats per expiry: one late renewal must not lose the lease
    if (expiry.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "a lease's expiry (%s) must be at least twice its heartbeat (%s)"
              .formatted(expiry, heartbeat));
    }
  }

  /**
   * {@link #DEFAULT}, or what the system properties {@value #HEARTBEAT_PROPERTY} and {@value
   * #EXPIRY_PROPERTY} say (tests shorten them to see a crashed holder's lease lapse).
   */
  public static LeaseTiming configured() {
    return new LeaseTiming(
        duration(HEARTBEAT_PROPERTY, DEFAULT.heartbeat()),
        duration(EXPIRY_PROPERTY, DEFAULT.expiry()));
  }

  private static Duration duration(String property, Duration otherwise) {
    String value = System.getProperty(property);
    if (value == null) {
      return otherwise;
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "-D%s=%s is not an ISO-8601 duration such as PT10S".formatted(property, value), e);
    }
  }
}
