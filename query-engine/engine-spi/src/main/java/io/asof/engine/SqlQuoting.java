package io.asof.engine;

import java.util.regex.Pattern;

/**
 * The one rule for writing a name or a string into SQL text, as Trino and Athena's query engine
 * read both: a string literal in single quotes with quotes inside doubled, an identifier in double
 * quotes with double quotes inside doubled. Every statement Asof writes spells names and literals
 * through here (or through a dialect, for DDL grammars that differ), never by hand.
 */
public final class SqlQuoting {
  private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");

  private SqlQuoting() {}

  /** {@code text} as an SQL string literal: {@code it's} is {@code 'it''s'}. */
  public static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** {@code name} as a quoted identifier: {@code a"b} is {@code "a""b"}. */
  public static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** {@code name} bare when it is a plain lower-case name, else {@link #identifier quoted}. */
  public static String plainOrQuoted(String name) {
    return PLAIN.matcher(name).matches() ? name : identifier(name);
  }
}
