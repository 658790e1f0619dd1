package io.asof.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestTrinoSql {
  @Test
  void acceptsTrinoSql() {
    TrinoSql.assertParses(
        "SELECT count_if(x) OVER (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '7' DAY PRECEDING AND CURRENT ROW) FROM t");
  }

  @Test
  void rejectsWhatTrinoCannotParse() {
    assertThatThrownBy(
            () ->
                TrinoSql.assertParses("SELECT a FROM t ASOF JOIN u MATCH_CONDITION (t.ts >= u.ts)"))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Trino's parser rejects this statement:");
  }
}
