package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * Why a query failed, as Athena's {@code AthenaError} reports it.
 *
 * @param category 1 system, 2 user, 3 other
 * @param type Athena's error type: 0 exhausted resources, 200 engine internal error, 1000 user
 *     error (Athena's error catalog lists the rest)
 * @param retryable whether the query might succeed if submitted again
 * @param message the reason, also the status's {@code StateChangeReason}
 */
record AthenaError(int category, int type, boolean retryable, String message) {
  static final int SYSTEM = 1;
  static final int USER = 2;

  AthenaError {
    requireNonNull(message, "message is null");
  }

  /** A user error: the query as written cannot run (syntax, missing table, refused statement). */
  static AthenaError user(String message) {
    return new AthenaError(USER, 1000, false, message);
  }

  /**
   * The failure {@link AthenaEmulator#failNextQueries} injects, by name: {@code INTERNAL_ERROR}
   * (system, type 200, retryable), {@code EXHAUSTED_RESOURCES} (system, type 0, not retryable) or
   * {@code USER_ERROR} (user, type 1000, not retryable).
   */
  static AthenaError injected(String errorType) {
    return switch (errorType.toUpperCase(Locale.ROOT)) {
      case "INTERNAL_ERROR" ->
          new AthenaError(
              SYSTEM,
              200,
              true,
              "[ErrorCode: INTERNAL_ERROR_QUERY_ENGINE] Amazon Athena experienced an internal error"
                  + " while executing this query. Please try submitting the query again and if the"
                  + " issue reoccurs, contact AWS support for further assistance.");
      case "EXHAUSTED_RESOURCES" ->
          new AthenaError(SYSTEM, 0, false, "Query exhausted resources at this scale factor");
      case "USER_ERROR" ->
          new AthenaError(
              USER, 1000, false, "GENERIC_USER_ERROR: failure injected by the emulator");
      default ->
          throw new IllegalArgumentException(
              "unknown error type "
                  + errorType
                  + ": use INTERNAL_ERROR, EXHAUSTED_RESOURCES or USER_ERROR");
    };
  }

  /**
   * A failure reported by Trino, by Trino's error type: a {@code USER_ERROR} is Athena's user error
   * (1000); {@code INSUFFICIENT_RESOURCES} exhausted resources (system, 0); the rest ({@code
   * INTERNAL_ERROR}, {@code EXTERNAL}) an internal engine error (system, 200, retryable).
   */
  static AthenaError fromTrino(String trinoErrorType, String message) {
    return switch (trinoErrorType == null ? "" : trinoErrorType) {
      case "USER_ERROR" -> user(message);
      case "INSUFFICIENT_RESOURCES" -> new AthenaError(SYSTEM, 0, false, message);
      default -> new AthenaError(SYSTEM, 200, true, message);
    };
  }
}
