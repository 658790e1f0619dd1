package io.asof.local;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The stack could not be started or stopped. The message is one line a person can act on; {@link
 * #log()} names the log to read when there is one.
 */
public class StackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Optional<Path> log;

  public StackException(String message) {
    super(message);
    this.log = Optional.empty();
  }

  public StackException(String message, Path log) {
    super(message + " (log: " + log + ")");
    this.log = Optional.of(log);
  }

  public StackException(String message, Throwable cause) {
    super(message, cause);
    this.log = Optional.empty();
  }

  /** The log of the process that failed, if one was written. */
  public Optional<Path> log() {
    return log;
  }
}
