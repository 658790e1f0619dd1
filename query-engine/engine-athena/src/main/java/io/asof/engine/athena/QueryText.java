package io.asof.engine.athena;

import java.util.Optional;

/**
 * Reads SQL text as Athena's lexer would, to tell whether it is one self-contained query that can
 * be wrapped in parentheses: every parenthesis outside literals and comments closed in order, no
 * statement separator, no literal or block comment left open.
 */
final class QueryText {
  private QueryText() {}

  /**
   * Why {@code sql} cannot stand inside {@code ( ... )} as one query, if it cannot: a caller's text
   * that closes the wrapper's parenthesis would otherwise run as a query of its own.
   */
  static Optional<String> whyNotSelfContained(String sql) {
    int depth = 0;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = closing(sql, i + 1, c);
        if (end < 0) {
          return Optional.of(
              "a quoted literal or name opened at offset %d is not closed".formatted(i));
        }
        i = end + 1;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          return Optional.of("a comment opened at offset %d is not closed".formatted(i));
        }
        i = end + 2;
      } else {
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          if (depth < 0) {
            return Optional.of(
                "a parenthesis at offset %d closes one that was never opened".formatted(i));
          }
        } else if (c == ';') {
          return Optional.of("a ';' at offset %d ends the statement early".formatted(i));
        }
        i++;
      }
    }
    return depth == 0
        ? Optional.empty()
        : Optional.of(
            "%d parenthes%s not closed".formatted(depth, depth == 1 ? "is is" : "es are"));
  }

  /** The index of the quote closing one opened before {@code from} (doubled quotes escape). */
  private static int closing(String sql, int from, char quote) {
    int i = from;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i;
      }
      i++;
    }
    return -1;
  }
}
