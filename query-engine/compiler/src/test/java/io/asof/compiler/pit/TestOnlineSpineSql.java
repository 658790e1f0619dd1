package io.asof.compiler.pit;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.model.Column;
import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The online store's spines and key samples, reviewed in a golden file; a key value or a name
 * cannot close its literal. They run on Trino in the online tests (TestOnlineService,
 * TestOnlineServer, the online check's tests).
 */
class TestOnlineSpineSql {
  private static final Instant AT = Instant.parse("2026-12-08T02:30:00.123456Z");
  private static final Instant SINCE = Instant.parse("2026-12-07T02:30:00Z");

  @Test
  void theSpinesMatchTheirGoldenFile() {
    List<Column> keys = List.of(new Column("user_id", "bigint"), new Column("region", "varchar"));
    List<String> statements =
        List.of(
            OnlineSpineSql.changedKeys(
                List.of("user_id"),
                "reacted_at",
                Optional.empty(),
                "iceberg.features.user_engagement",
                Optional.empty(),
                AT),
            OnlineSpineSql.changedKeys(
                List.of("user_id", "region"),
                "reacted_at",
                Optional.of("ingested_at"),
                "iceberg.asof_staging.\"user_engagement__v2\"",
                Optional.of(SINCE),
                AT),
            OnlineSpineSql.givenKeys(
                keys, List.of(List.of(42L, "eu-west"), List.of(7L, "it's")), AT),
            OnlineSpineSql.givenKeys(
                List.of(
                    new Column("amount", "decimal(10,2)"),
                    new Column("flag", "boolean"),
                    new Column("seen_at", "timestamp(6)")),
                List.of(
                    List.of(
                        new BigDecimal("1.50"), true, LocalDateTime.parse("2026-12-01T00:00:01"))),
                AT),
            OnlineSpineSql.noKeys(keys),
            OnlineSpineSql.keysWithEvents(
                List.of("user_id"),
                "SELECT user_id, reacted_at AS __asof_e FROM dwh.reactions",
                "__asof_e",
                50),
            OnlineSpineSql.randomKeys(
                List.of("user_id", "region"), "iceberg.features.user_engagement", 25));
    statements.forEach(TrinoSql::assertParses);
    GoldenFiles.assertMatches("pit/online-spines.sql", String.join(";\n\n", statements) + ";");
  }

  @Test
  void aQuoteInAKeyOrANameStaysInsideItsLiteral() {
    String spine =
        OnlineSpineSql.givenKeys(
            List.of(new Column("k\"x", "varchar")), List.of(List.of("a') --")), AT);
    assertThat(spine).contains("CAST('a'') --' AS varchar)").contains("AS k (\"k\"\"x\")");
    TrinoSql.assertParses(spine);
  }
}
