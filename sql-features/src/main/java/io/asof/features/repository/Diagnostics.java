package io.asof.features.repository;

import io.asof.model.Diagnostic;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a load, so one run reports them all. */
final class Diagnostics {
  private final List<Diagnostic> found = new ArrayList<>();

  void error(SourcePosition position, String message) {
    found.add(new Diagnostic(position, message));
  }

  /** How many problems were found so far. */
  int size() {
    return found.size();
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  void throwIfAny() {
    if (!found.isEmpty()) {
      throw new RepositoryException(found);
    }
  }
}
