package io.asof.jobs;

/** What a request names does not exist (a training set never built, an unknown feature). */
public final class NotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
