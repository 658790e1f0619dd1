package io.asof.testing;

/** The chosen mode's components are absent here; tests that need the stack are skipped. */
final class StackUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StackUnavailableException(String reason) {
    super(reason);
  }
}
