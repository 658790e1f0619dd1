package io.asof.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** What a job's cost accepts, and the precision it keeps. */
class TestJobCost {
  private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123456789Z");

  @Test
  void keepsWholeMillisecondsAndMicroseconds() {
    JobCost cost =
        new JobCost(
            "backfill", "bf1", "athena", 0, 0, OptionalDouble.of(0), Duration.ofNanos(999_999), AT);
    assertThat(cost.elapsed()).isZero();
    assertThat(cost.recordedAt()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123456Z"));
    assertThat(cost.costUsd()).hasValue(0.0);
  }

  @Test
  void refusesWhatIsMissingBlankOrNegative() {
    assertThatThrownBy(() -> cost(null, "bf1", "trino", 1, 1, OptionalDouble.empty()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("kind is null");
    assertThatThrownBy(() -> cost("backfill", " ", "trino", 1, 1, OptionalDouble.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("job is blank");
    assertThatThrownBy(() -> cost("backfill", "bf1", "", 1, 1, OptionalDouble.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("engine is blank");
    assertThatThrownBy(() -> cost("backfill", "bf1", "trino", -1, 1, OptionalDouble.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("statements is negative: -1");
    assertThatThrownBy(() -> cost("backfill", "bf1", "trino", 1, -1, OptionalDouble.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytesScanned is negative: -1");
    assertThatThrownBy(() -> cost("backfill", "bf1", "athena", 1, 1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("costUsd is null");
    for (double price : new double[] {-0.01, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> cost("backfill", "bf1", "athena", 1, 1, OptionalDouble.of(price)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("costUsd must be a non-negative number, got " + price);
    }
    assertThatThrownBy(
            () ->
                new JobCost(
                    "backfill",
                    "bf1",
                    "trino",
                    1,
                    1,
                    OptionalDouble.empty(),
                    Duration.ofMillis(-1),
                    AT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("elapsed is negative: PT-0.001S");
    assertThatThrownBy(
            () ->
                new JobCost(
                    "backfill",
                    "bf1",
                    "trino",
                    1,
                    1,
                    OptionalDouble.empty(),
                    Duration.ofSeconds(Long.MAX_VALUE),
                    AT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("elapsed is longer than");
    assertThatThrownBy(
            () -> new JobCost("backfill", "bf1", "trino", 1, 1, OptionalDouble.empty(), null, AT))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("elapsed is null");
    assertThatThrownBy(
            () ->
                new JobCost(
                    "backfill", "bf1", "trino", 1, 1, OptionalDouble.empty(), Duration.ZERO, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("recordedAt is null");
  }

  private static JobCost cost(
      String kind,
      String job,
      String engine,
      long statements,
      long bytesScanned,
      OptionalDouble costUsd) {
    return new JobCost(
        kind, job, engine, statements, bytesScanned, costUsd, Duration.ofSeconds(1), AT);
  }
}
