package io.asof.push;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A push refused whole: its rows do not fit the view (each problem with its row and field), or it
 * is not a push of rows at all. Nothing of it was applied.
 */
public final class PushRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * One thing wrong with a push.
   *
   * @param row the row's index in the batch (0-based), or -1 for the batch as a whole
   * @param field the column it concerns, or empty
   * @param line where the row starts in the body (1-based), or 0 when unknown
   */
  public record Problem(int row, String field, int line, String message) {
    public Problem {
      requireNonNull(field, "field is null");
      requireNonNull(message, "message is null");
    }

    @Override
    public String toString() {
      String where =
          row < 0 ? "" : "row %d%s: ".formatted(row, field.isEmpty() ? "" : ", field " + field);
      return where + message;
    }
  }

  /** How many characters of a pushed value or name a message echoes. */
  public static final int ECHO_CHARACTERS = 64;

  private final transient List<Problem> problems;
  private final int total;
  private final int status;

  /**
   * @param problems the first problems found
   * @param total how many there were in all
   * @param status the HTTP status that fits: 400, or 404 for a view that does not exist, 413 for a
   *     batch over the limits
   */
  public PushRejectedException(List<Problem> problems, int total, int status) {
    super(summary(problems, total));
    this.problems = List.copyOf(problems);
    this.total = total;
    this.status = status;
  }

  public PushRejectedException(int status, String message) {
    this(List.of(new Problem(-1, "", 0, message)), 1, status);
  }

  public List<Problem> problems() {
    return problems;
  }

  public int total() {
    return total;
  }

  public int status() {
    return status;
  }

  /**
   * A text from a request as a message echoes it: its first {@value #ECHO_CHARACTERS} characters
   * and an ellipsis when it is longer (a value may be megabytes), control characters escaped.
   */
  public static String echo(String text) {
    if (text == null) {
      return "null";
    }
    int end =
        text.codePointCount(0, text.length()) > ECHO_CHARACTERS
            ? text.offsetByCodePoints(0, ECHO_CHARACTERS)
            : text.length();
    StringBuilder echoed = new StringBuilder(end + 8);
    text.substring(0, end)
        .codePoints()
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                echoed.append("\\u%04x".formatted(c));
              } else {
                echoed.appendCodePoint(c);
              }
            });
    return end < text.length() ? echoed.append('…').toString() : echoed.toString();
  }

  private static String summary(List<Problem> problems, int total) {
    if (problems.size() == 1 && total == 1) {
      return problems.getFirst().toString();
    }
    StringBuilder text =
        new StringBuilder(
            "%d problem%s in the batch, nothing applied: ".formatted(total, total == 1 ? "" : "s"));
    for (int i = 0; i < problems.size(); i++) {
      text.append(i == 0 ? "" : "; ").append(problems.get(i));
    }
    if (total > problems.size()) {
      text.append("; and %d more".formatted(total - problems.size()));
    }
    return text.toString();
  }
}
