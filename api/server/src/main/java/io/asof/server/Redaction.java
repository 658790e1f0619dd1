package io.asof.server;

import java.util.regex.Pattern;

/**
 * Hides credentials in text the server logs or returns: passwords in JDBC URLs and query strings
 * ({@code password=...}, {@code secret=...}) and the user information of URLs ({@code
 * scheme://user:pass@host}).
 */
final class Redaction {
  /** What replaces a credential. */
  static final String HIDDEN = "***";

  // key=value (spaces allowed) or key:value (none, so that prose such as "needs an API token: send
  // the header" is left as it is)
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "(?i)((?:password|passwd|pwd|secret|token|access[_-]?key|secret[_-]?key|credential)s?(?:\\s*=\\s*|:(?=\\S)))('[^']*'|\"[^\"]*\"|[^&;,\\s)\\]}'\"]+)");
  private static final Pattern USER_INFO =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@\\s:]+):([^/@\\s]+)@");

  private Redaction() {}

  /** The text with every credential it shows replaced by {@value #HIDDEN}; null stays null. */
  static String redact(String text) {
    if (text == null) {
      return null;
    }
    String hidden = USER_INFO.matcher(text).replaceAll("$1$2:" + HIDDEN + "@");
    return KEY_VALUE.matcher(hidden).replaceAll("$1" + HIDDEN);
  }

  /**
   * A copy of {@code failure} for a log: the same classes' names, messages redacted, the same stack
   * traces, its causes copied likewise.
   */
  static Throwable redact(Throwable failure) {
    return copy(failure, 0);
  }

  private static Throwable copy(Throwable failure, int depth) {
    Throwable copy =
        new Redacted(failure.getClass().getName() + ": " + redact(failure.getMessage()));
    copy.setStackTrace(failure.getStackTrace());
    if (failure.getCause() != null && failure.getCause() != failure && depth < 16) {
      copy.initCause(copy(failure.getCause(), depth + 1));
    }
    return copy;
  }

  /** A failure as logged: its message starts with the original class's name. */
  private static final class Redacted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Redacted(String message) {
      super(message);
    }
  }
}
