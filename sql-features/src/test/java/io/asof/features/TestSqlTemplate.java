package io.asof.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestSqlTemplate {
  private static final SqlTemplate TEMPLATE =
      SqlTemplate.parse(
          "t.sql",
          """
          -- a header that belongs to no statement
          -- statement: first
          SELECT * FROM ${catalog}.${schema}.t WHERE n = ${n}

          -- statement: second
          SELECT 'tag-${tag}'
          """);

  @Test
  void splitsStatementsInFileOrder() {
    assertThat(TEMPLATE.names()).containsExactly("first", "second");
  }

  @Test
  void replacesIdentifiersAndNumbers() {
    assertThat(TEMPLATE.render("first", Map.of("catalog", "iceberg", "schema", "dwh", "n", "-12")))
        .isEqualTo("SELECT * FROM iceberg.dwh.t WHERE n = -12");
    assertThat(TEMPLATE.render("second", Map.of("tag", "news-v1")))
        .isEqualTo("SELECT 'tag-news-v1'");
  }

  @Test
  void refusesValuesThatAreNeitherIdentifiersNorNumbers() {
    assertThatThrownBy(
            () ->
                TEMPLATE.render(
                    "first", Map.of("catalog", "iceberg", "schema", "dwh; DROP TABLE x", "n", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("t.sql: ${schema} takes an identifier or a number, not: dwh; DROP TABLE x");
    assertThatThrownBy(() -> TEMPLATE.render("second", Map.of("tag", "x'y")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesAMissingValue() {
    assertThatThrownBy(() -> TEMPLATE.render("first", Map.of("catalog", "iceberg")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("t.sql: statement first needs a value for ${schema}");
  }

  @Test
  void refusesADuplicateStatementName() {
    assertThatThrownBy(
            () ->
                SqlTemplate.parse(
                    "d.sql", "-- statement: a\nSELECT 1\n-- statement: a\nSELECT 2\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("d.sql: statement a twice");
  }
}
