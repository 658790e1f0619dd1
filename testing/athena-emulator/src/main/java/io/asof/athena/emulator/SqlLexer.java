package io.asof.athena.emulator;

import io.asof.athena.emulator.SqlToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL into tokens that keep their text, so a statement can be rewritten piece by piece and
 * put back together unchanged where nothing was rewritten. String literals, quoted identifiers and
 * comments are single tokens: nothing inside them is ever rewritten.
 */
final class SqlLexer {
  private SqlLexer() {}

  /**
   * The tokens of {@code sql} in Trino's grammar; their texts concatenated give {@code sql} back.
   *
   * @throws IllegalArgumentException for an unterminated literal, identifier or comment, naming
   *     where it starts
   */
  static List<SqlToken> tokens(String sql) {
    return tokens(sql, false);
  }

  /**
   * The tokens of {@code sql}, in Hive's grammar when {@code hive} (Athena's DDL: string literals
   * in single or double quotes with backslash escapes) else Trino's.
   */
  static List<SqlToken> tokens(String sql, boolean hive) {
    List<SqlToken> tokens = new ArrayList<>();
    int i = 0;
    int length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      int end;
      Kind kind;
      if (Character.isWhitespace(c)) {
        end = i + 1;
        while (end < length && Character.isWhitespace(sql.charAt(end))) {
          end++;
        }
        kind = Kind.SPACE;
      } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
        end = sql.indexOf('\n', i);
        end = end < 0 ? length : end;
        kind = Kind.COMMENT;
      } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
        end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          throw new IllegalArgumentException(
              position(sql, i) + ": unterminated comment (a '/*' without its '*/')");
        }
        end += 2;
        kind = Kind.COMMENT;
      } else if (hive && (c == '\'' || c == '"')) {
        end = hiveString(sql, i, c);
        kind = Kind.HIVE_STRING;
      } else if (c == '\'' || c == '"' || c == '`') {
        end = quoted(sql, i, c);
        kind = c == '\'' ? Kind.STRING : c == '"' ? Kind.QUOTED : Kind.BACKQUOTED;
      } else if (Character.isLetter(c) || c == '_') {
        end = i + 1;
        while (end < length
            && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
          end++;
        }
        kind = Kind.WORD;
      } else if (Character.isDigit(c)) {
        end = i + 1;
        while (end < length) {
          char next = sql.charAt(end);
          boolean exponentSign =
              (next == '+' || next == '-')
                  && (sql.charAt(end - 1) == 'e' || sql.charAt(end - 1) == 'E');
          if (!(Character.isLetterOrDigit(next) || next == '.' || next == '_' || exponentSign)) {
            break;
          }
          end++;
        }
        kind = Kind.NUMBER;
      } else {
        end = i + 1;
        kind = Kind.SYMBOL;
      }
      tokens.add(new SqlToken(kind, sql.substring(i, end)));
      i = end;
    }
    return tokens;
  }

  /** The end of the quoted token starting at {@code start}; a doubled quote stands for itself. */
  private static int quoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    String what = quote == '\'' ? "string literal" : "quoted identifier";
    throw new IllegalArgumentException(
        position(sql, start) + ": unterminated " + what + " (no closing " + quote + ")");
  }

  /**
   * The end of Hive's string literal starting at {@code start}; a backslash escapes a character.
   */
  private static int hiveString(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == quote) {
        return i + 1;
      }
      i++;
    }
    throw new IllegalArgumentException(
        position(sql, start) + ": unterminated string literal (no closing " + quote + ")");
  }

  /** {@code line L:C} of an offset, both counted from 1, as Athena and Trino report positions. */
  static String position(String sql, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (sql.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ":" + (offset - lineStart + 1);
  }
}
