package io.asof.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;

/** Checks generated SQL with Trino 476's own parser, the one the server uses. */
public final class TrinoSql {
  private TrinoSql() {}

  /** Fails unless {@code sql} is one statement Trino's parser accepts. */
  public static void assertParses(String sql) {
    try {
      new SqlParser().createStatement(sql);
    } catch (ParsingException e) {
      fail("Trino's parser rejects this statement: " + e.getMessage() + "\n" + sql);
    }
  }
}
