package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.OptionalDouble;

/**
 * What one job's queries cost on the query engine: how many statements it ran, how much data they
 * scanned, and the price of that where the engine has one (Athena bills bytes scanned).
 *
 * @param kind what sort of job it was: {@code backfill}, {@code materialize}, {@code training-set},
 *     {@code online}, {@code apply}, {@code maintain}, …
 * @param job the job's id or name, e.g. a backfill job's id or {@code click_model@<snapshot>}
 * @param engine the query engine that ran it, e.g. {@code trino}, {@code athena}
 * @param statements how many statements the job ran
 * @param bytesScanned the bytes those statements scanned, as the engine reported them
 * @param costUsd what the engine charged for them, in US dollars; empty when it has no price
 * @param elapsed how long the job's statements took, kept to whole milliseconds (finer parts are
 *     dropped, as the registry keeps milliseconds)
 * @param recordedAt when it was recorded, kept to whole microseconds (finer parts are dropped, as
 *     the registry keeps microseconds); with the kind and job, it names the record
 */
public record JobCost(
    String kind,
    String job,
    String engine,
    long statements,
    long bytesScanned,
    OptionalDouble costUsd,
    Duration elapsed,
    Instant recordedAt) {
  /** The longest elapsed time the registry's milliseconds hold. */
  private static final Duration LONGEST = Duration.ofMillis(Long.MAX_VALUE);

  public JobCost {
    requireNonBlank(kind, "kind");
    requireNonBlank(job, "job");
    requireNonBlank(engine, "engine");
    if (statements < 0) {
      throw new IllegalArgumentException("statements is negative: " + statements);
    }
    if (bytesScanned < 0) {
      throw new IllegalArgumentException("bytesScanned is negative: " + bytesScanned);
    }
    requireNonNull(costUsd, "costUsd is null");
    if (costUsd.isPresent()
        && !(Double.isFinite(costUsd.getAsDouble()) && costUsd.getAsDouble() >= 0)) {
      throw new IllegalArgumentException(
          "costUsd must be a non-negative number, got " + costUsd.getAsDouble());
    }
    requireNonNull(elapsed, "elapsed is null");
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("elapsed is negative: " + elapsed);
    }
    elapsed = elapsed.truncatedTo(ChronoUnit.MILLIS);
    if (elapsed.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("elapsed is longer than " + LONGEST + ": " + elapsed);
    }
    recordedAt = requireNonNull(recordedAt, "recordedAt is null").truncatedTo(ChronoUnit.MICROS);
  }

  private static void requireNonBlank(String value, String name) {
    requireNonNull(value, name + " is null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " is blank");
    }
  }
}
