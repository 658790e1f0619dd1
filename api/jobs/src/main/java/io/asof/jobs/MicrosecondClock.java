package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A clock read at the microsecond precision the registry and the engine keep. */
record MicrosecondClock(Clock clock) {
  MicrosecondClock {
    requireNonNull(clock, "clock is null");
  }

  /** Now, to the microsecond. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
