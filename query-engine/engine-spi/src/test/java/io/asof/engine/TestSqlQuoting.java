package io.asof.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestSqlQuoting {
  @Test
  void quotesInsideAreDoubledSoTextCannotCloseItsLiteralOrName() {
    assertThat(SqlQuoting.literal("it's")).isEqualTo("'it''s'");
    assertThat(SqlQuoting.literal("x' OR '1'='1")).isEqualTo("'x'' OR ''1''=''1'");
    assertThat(SqlQuoting.identifier("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(SqlQuoting.identifier("user id")).isEqualTo("\"user id\"");
  }

  @Test
  void plainNamesStayBare() {
    assertThat(SqlQuoting.plainOrQuoted("user_id")).isEqualTo("user_id");
    assertThat(SqlQuoting.plainOrQuoted("UserId")).isEqualTo("\"UserId\"");
    assertThat(SqlQuoting.plainOrQuoted("1st")).isEqualTo("\"1st\"");
  }
}
