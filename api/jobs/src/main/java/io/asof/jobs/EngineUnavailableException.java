package io.asof.jobs;

import io.asof.engine.QueryEngineException;
import java.io.IOException;
import java.util.Optional;

/** The query engine could not be reached at all (refused, timed out, unknown host). */
public final class EngineUnavailableException extends QueryEngineException {
  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String message, String sql, Throwable cause) {
    super(message, sql, cause);
  }

  /**
   * The failure as an unreachable engine, when that is what it was: an I/O failure under the
   * engine's error rather than an answer from the engine.
   */
  public static Optional<EngineUnavailableException> of(QueryEngineException failure) {
    if (failure instanceof EngineUnavailableException unavailable) {
      return Optional.of(unavailable);
    }
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException io) {
        return Optional.of(
            new EngineUnavailableException(
                "the query engine does not answer: " + describe(io), failure.sql(), failure));
      }
    }
    return Optional.empty();
  }

  private static String describe(IOException cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
