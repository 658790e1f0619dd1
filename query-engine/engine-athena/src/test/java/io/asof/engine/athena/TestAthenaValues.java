package io.asof.engine.athena;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Athena's text results as the values Trino's JDBC driver gives, and how statements are sorted. */
class TestAthenaValues {
  @Test
  void typeNamesAreTrinos() {
    assertThat(AthenaValues.typeName("decimal", 10, 2)).isEqualTo("decimal(10,2)");
    assertThat(AthenaValues.typeName("timestamp", 6, 0)).isEqualTo("timestamp(6)");
    assertThat(AthenaValues.typeName("timestamp", null, null)).isEqualTo("timestamp(3)");
    assertThat(AthenaValues.typeName("varchar", 2147483647, 0)).isEqualTo("varchar");
    assertThat(AthenaValues.typeName("int", 10, 0)).isEqualTo("integer");
  }

  @Test
  void valuesAreJdbcs() {
    assertThat(AthenaValues.value(null, "bigint")).isNull();
    assertThat(AthenaValues.value("12", "bigint")).isEqualTo(12L);
    assertThat(AthenaValues.value("12", "integer")).isEqualTo(12);
    assertThat(AthenaValues.value("1.5", "double")).isEqualTo(1.5);
    assertThat(AthenaValues.value("12.50", "decimal(10,2)")).isEqualTo(new BigDecimal("12.50"));
    assertThat(AthenaValues.value("true", "boolean")).isEqualTo(true);
    assertThat(AthenaValues.value("2026-02-03", "date")).isEqualTo(Date.valueOf("2026-02-03"));
    assertThat(AthenaValues.value("2026-01-01 10:00:00.123456", "timestamp(6)"))
        .isEqualTo(Timestamp.valueOf(LocalDateTime.parse("2026-01-01T10:00:00.123456")));
    assertThat(AthenaValues.value("2026-01-01 10:00:00", "timestamp(3)"))
        .isEqualTo(Timestamp.valueOf(LocalDateTime.parse("2026-01-01T10:00:00")));
    assertThat(AthenaValues.value("[a, null]", "array")).isEqualTo(Arrays.asList("a", null));
    assertThat(AthenaValues.value("[1, 2]", "array")).isEqualTo(List.of(1L, 2L));
    assertThat(AthenaValues.value("[1.5, 2, NaN]", "array"))
        .isEqualTo(List.of(1.5, 2.0, Double.NaN));
    assertThat(AthenaValues.value("[1, a]", "array")).isEqualTo(List.of("1", "a"));
    assertThat(AthenaValues.value("{sports=3, news=10}", "map"))
        .isEqualTo(java.util.Map.of("sports", 3L, "news", 10L));
  }

  @Test
  void readOnlyStatementsAreTheOnesRetriedAndReused() {
    assertThat(AthenaQueryEngine.readOnly("SELECT 1")).isTrue();
    assertThat(AthenaQueryEngine.readOnly("-- a comment\n (WITH a AS (SELECT 1) SELECT * FROM a)"))
        .isTrue();
    assertThat(AthenaQueryEngine.readOnly("INSERT INTO t SELECT 1")).isFalse();
    assertThat(AthenaQueryEngine.readOnly("MERGE INTO t USING s ON true")).isFalse();
    assertThat(AthenaQueryEngine.readOnly("CREATE TABLE t AS SELECT 1")).isFalse();
  }

  @Test
  void failuresAreSortedByKind() {
    assertThat(AthenaQueryException.classify("line 1:10: mismatched input 'FROMM'", 2))
        .isEqualTo(AthenaQueryException.Kind.SYNTAX);
    assertThat(AthenaQueryException.classify("Access Denied (Service: S3)", 2))
        .isEqualTo(AthenaQueryException.Kind.PERMISSION);
    assertThat(AthenaQueryException.classify("Table awsdatacatalog.x.y does not exist", 2))
        .isEqualTo(AthenaQueryException.Kind.NOT_FOUND);
    assertThat(AthenaQueryException.classify("Query exhausted resources at this scale factor", 2))
        .isEqualTo(AthenaQueryException.Kind.QUERY_LIMIT);
    assertThat(AthenaQueryException.classify("something broke", 1))
        .isEqualTo(AthenaQueryException.Kind.INTERNAL);
  }

  @Test
  void costHasAthenasMinimum() {
    AthenaConfig config = AthenaConfig.of("us-east-1", "primary", "db");
    assertThat(config.costUsd(0)).isEqualTo(10.0 * 1024 * 1024 * 5 / 1e12);
    assertThat(config.costUsd(1_000_000_000_000L)).isEqualTo(5.0);
  }
}
