package io.asof.model;

import java.util.List;
import java.util.stream.Collectors;

/** A feature repository that cannot be used as it is; carries every problem found, in order. */
public class RepositoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Diagnostic> diagnostics;

  public RepositoryException(List<Diagnostic> diagnostics) {
    super(message(diagnostics));
    this.diagnostics = diagnostics.stream().sorted().toList();
  }

  /** The problems, ordered by file and position. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  private static String message(List<Diagnostic> diagnostics) {
    if (diagnostics.isEmpty()) {
      throw new IllegalArgumentException("a repository error needs at least one diagnostic");
    }
    return diagnostics.stream()
        .sorted()
        .map(Diagnostic::toString)
        .collect(Collectors.joining("\n"));
  }
}
