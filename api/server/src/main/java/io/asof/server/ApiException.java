package io.asof.server;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A request the API refuses, with the HTTP status to answer and where the problems are. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient List<Problem> problems;
  private final long limit;

  ApiException(int status, String message) {
    this(status, message, List.of(), null);
  }

  ApiException(int status, String message, List<Problem> problems, Throwable cause) {
    this(status, message, problems, cause, -1);
  }

  private ApiException(
      int status, String message, List<Problem> problems, Throwable cause, long limit) {
    super(requireNonNull(message, "message is null"), cause);
    this.status = status;
    this.problems = List.copyOf(problems);
    this.limit = limit;
  }

  /** A 413: the request is over {@code limit}, which the answer's body names. */
  static ApiException tooLarge(String message, long limit) {
    return new ApiException(413, message, List.of(), null, limit);
  }

  int status() {
    return status;
  }

  List<Problem> problems() {
    return problems;
  }

  /** The limit a 413 is over, if it is one. */
  java.util.OptionalLong limit() {
    return limit < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(limit);
  }

  /** One problem, placed in a file (of the repository, or a field of the request) when known. */
  record Problem(String file, Integer line, Integer column, String message) {
    Problem {
      requireNonNull(message, "message is null");
    }
  }
}
