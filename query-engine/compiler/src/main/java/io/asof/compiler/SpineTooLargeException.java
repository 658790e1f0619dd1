package io.asof.compiler;

/** An uploaded spine with more rows than {@link SpineRows#MAX_ROWS}. */
public final class SpineTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int limit;

  public SpineTooLargeException(String message, int limit) {
    super(message);
    this.limit = limit;
  }

  /** The most rows an uploaded spine may have. */
  public int limit() {
    return limit;
  }
}
