package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One version of a feature view as the registry keeps it after newer versions replace it: the
 * definition it was last applied with, and when it was retired (its table dropped), if it was. A
 * version stays readable, through its backfilled table, until it is retired.
 */
public record ViewVersion(AppliedView view, Optional<Instant> retiredAt) {
  public ViewVersion {
    requireNonNull(view, "view is null");
    requireNonNull(retiredAt, "retiredAt is null");
  }

  public String name() {
    return view.name();
  }

  public int version() {
    return view.version();
  }

  public boolean retired() {
    return retiredAt.isPresent();
  }
}
