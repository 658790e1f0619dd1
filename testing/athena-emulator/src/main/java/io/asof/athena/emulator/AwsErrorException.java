package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * An AWS API error the emulator answers with: HTTP {@code status} and the JSON body {@code
 * {"__type": type, "Message": message, ...members}}, which the AWS SDK maps to the exception class
 * named {@code type}.
 */
final class AwsErrorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final Map<String, String> members;

  AwsErrorException(int status, String type, String message, Map<String, String> members) {
    super(message);
    this.status = status;
    this.type = requireNonNull(type, "type is null");
    this.members = Map.copyOf(members);
  }

  /** Athena's {@code InvalidRequestException} (HTTP 400) with its {@code AthenaErrorCode}. */
  static AwsErrorException invalidRequest(String message) {
    return new AwsErrorException(
        400, "InvalidRequestException", message, Map.of("AthenaErrorCode", "INVALID_INPUT"));
  }

  /** Athena's {@code TooManyRequestsException} (HTTP 400), with a {@code Reason} if given. */
  static AwsErrorException tooManyRequests(String message, String reason) {
    return new AwsErrorException(
        400,
        "TooManyRequestsException",
        message,
        reason == null ? Map.of() : Map.of("Reason", reason));
  }

  /** Glue's {@code EntityNotFoundException} (HTTP 400). */
  static AwsErrorException entityNotFound(String message) {
    return new AwsErrorException(400, "EntityNotFoundException", message, Map.of());
  }

  /** Glue's {@code InvalidInputException} (HTTP 400). */
  static AwsErrorException invalidInput(String message) {
    return new AwsErrorException(400, "InvalidInputException", message, Map.of());
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  Map<String, String> members() {
    return members;
  }
}
