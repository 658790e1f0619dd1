package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One lexical token of a SQL statement, with its text exactly as written.
 *
 * @param kind what the token is
 * @param text its text, quotes included
 */
record SqlToken(Kind kind, String text) {
  /** Token kinds: enough to tell identifiers, literals and punctuation apart. */
  enum Kind {
    /** An unquoted identifier or keyword. */
    WORD,
    /** A double-quoted identifier. */
    QUOTED,
    /** A back-quoted identifier (Hive DDL). */
    BACKQUOTED,
    /** A single-quoted string literal of Trino's grammar: a doubled quote stands for itself. */
    STRING,
    /**
     * A string literal of Hive's grammar (Athena's DDL): in single or double quotes, with backslash
     * escapes ({@code 'it\'s'}).
     */
    HIVE_STRING,
    NUMBER,
    /** One punctuation character. */
    SYMBOL,
    SPACE,
    COMMENT
  }

  SqlToken {
    requireNonNull(kind, "kind is null");
    requireNonNull(text, "text is null");
  }

  /** Whether this is neither white space nor a comment. */
  boolean significant() {
    return kind != Kind.SPACE && kind != Kind.COMMENT;
  }

  /** Whether this is the unquoted word {@code word}, in any case. */
  boolean isWord(String word) {
    return kind == Kind.WORD && text.equalsIgnoreCase(word);
  }

  /** Whether this is the punctuation character {@code symbol}. */
  boolean isSymbol(char symbol) {
    return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == symbol;
  }

  /** Whether this names something: an unquoted, double-quoted or back-quoted identifier. */
  boolean isIdentifier() {
    return kind == Kind.WORD || kind == Kind.QUOTED || kind == Kind.BACKQUOTED;
  }

  /** The identifier's name as the catalog knows it: unquoted and, like Athena, lower case. */
  String identifierName() {
    return switch (kind) {
      case WORD -> text.toLowerCase(Locale.ROOT);
      case QUOTED ->
          text.substring(1, text.length() - 1).replace("\"\"", "\"").toLowerCase(Locale.ROOT);
      case BACKQUOTED ->
          text.substring(1, text.length() - 1).replace("``", "`").toLowerCase(Locale.ROOT);
      default -> throw new IllegalStateException("not an identifier: " + text);
    };
  }

  /** Whether this is a string literal of either grammar. */
  boolean isString() {
    return kind == Kind.STRING || kind == Kind.HIVE_STRING;
  }

  /** The value of a string literal. */
  String stringValue() {
    return switch (kind) {
      case STRING -> text.substring(1, text.length() - 1).replace("''", "'");
      case HIVE_STRING -> hiveUnescape(text.substring(1, text.length() - 1));
      default -> throw new IllegalStateException("not a string literal: " + text);
    };
  }

  /** The string literal as Trino reads it. */
  String trinoLiteral() {
    return kind == Kind.STRING ? text : "'" + stringValue().replace("'", "''") + "'";
  }

  private static String hiveUnescape(String escaped) {
    StringBuilder value = new StringBuilder(escaped.length());
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      if (c != '\\' || i + 1 == escaped.length()) {
        value.append(c);
        continue;
      }
      char next = escaped.charAt(++i);
      value.append(
          switch (next) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'b' -> '\b';
            case '0' -> '\0';
            case 'Z' -> (char) 26;
            default -> next;
          });
    }
    return value.toString();
  }

  /** The identifier spelled for Trino: back quotes become double quotes. */
  String trinoIdentifier() {
    if (kind == Kind.BACKQUOTED) {
      String name = text.substring(1, text.length() - 1).replace("``", "`");
      return "\"" + name.replace("\"", "\"\"") + "\"";
    }
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
