package io.asof.server;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A request the API refuses, with the HTTP status to answer and where the problems are. */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient List<Problem> problems;

  ApiException(int status, String message) {
    this(status, message, List.of(), null);
  }

  ApiException(int status, String message, List<Problem> problems, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.status = status;
    this.problems = List.copyOf(problems);
  }

  int status() {
    return status;
  }

  List<Problem> problems() {
    return problems;
  }

  /** One problem, placed in a file (of the repository, or a field of the request) when known. */
  record Problem(String file, Integer line, Integer column, String message) {
    Problem {
      requireNonNull(message, "message is null");
    }
  }
}
