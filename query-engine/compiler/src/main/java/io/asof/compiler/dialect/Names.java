package io.asof.compiler.dialect;

import io.asof.engine.SqlQuoting;
import java.util.Arrays;

/** Names and literals as the dialects write them. */
final class Names {
  private Names() {}

  /** A table named {@code [catalog.]schema.table}, without quotes. */
  record TableName(String schema, String table) {
    static TableName parse(String qualified) {
      String[] parts = qualified.split("\\.", -1);
      if (parts.length < 2
          || parts.length > 3
          || Arrays.stream(parts).anyMatch(p -> p.isBlank() || p.contains("\""))) {
        throw new IllegalArgumentException(
            "a table is named [catalog.]schema.table without quotes, got: " + qualified);
      }
      return new TableName(parts[parts.length - 2], parts[parts.length - 1]);
    }
  }

  /** {@code text} as an SQL string literal; quotes inside are doubled. */
  static String literal(String text) {
    return SqlQuoting.literal(text);
  }

  /**
   * {@code text} as a string literal of Athena's DDL (Hive's grammar), where a doubled quote would
   * end one literal and start another: quotes and backslashes are escaped with a backslash.
   */
  static String hiveLiteral(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** An identifier as Trino and Athena's query engine read it: in double quotes. */
  static String doubleQuoted(String name) {
    return SqlQuoting.identifier(name);
  }

  /** An identifier as Athena's DDL (Hive's grammar) reads it: in backticks. */
  static String backQuoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** An identifier in a query: as it is when it needs no quotes, else in double quotes. */
  static String plainOrDoubleQuoted(String name) {
    return SqlQuoting.plainOrQuoted(name);
  }
}
