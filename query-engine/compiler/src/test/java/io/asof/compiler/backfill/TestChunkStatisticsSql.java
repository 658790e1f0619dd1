package io.asof.compiler.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.asof.engine.QueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.model.statistics.FeatureStatistics;
import io.asof.model.statistics.FeatureStatistics.Quantile;
import io.asof.model.statistics.FeatureStatistics.ValueCount;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Chunk statistics on Trino 476 over a staged table with known values: exact counts, extremes and
 * means; approximate distinct counts, quantiles and top values within their bounds.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestChunkStatisticsSql {
  private static final List<Column> FEATURES =
      List.of(
          new Column("clicks", "bigint"),
          new Column("ctr", "double"),
          new Column("price", "decimal(10,2)"),
          new Column("country", "varchar"),
          new Column("premium", "boolean"),
          new Column("seen_at", "timestamp(6)"),
          new Column("tags", "array(varchar)"));

  private StagingSchema staging;
  private QueryEngine engine;

  @BeforeAll
  void connect(StackEndpoints stack) {
    staging = new StagingSchema(stack, "backfill_statistics");
    engine = staging.engine();
  }

  @AfterAll
  void close() {
    staging.close();
  }

  @Test
  void theStatementMatchesItsGoldenFile() {
    String sql = ChunkStatisticsSql.sql("iceberg.features.__asof_stage_x", FEATURES);
    TrinoSql.assertParses(sql);
    GoldenFiles.assertMatches("backfill/chunk-statistics.sql", sql);
  }

  @Test
  void statisticsOfKnownValues() {
    String table =
        staging.create(
            "known",
            """
        AS SELECT
          CAST(clicks AS bigint) AS clicks, CAST(ctr AS double) AS ctr,
          CAST(price AS decimal(10,2)) AS price, CAST(country AS varchar) AS country,
          premium, CAST(seen_at AS timestamp(6)) AS seen_at, tags
        FROM (VALUES
          (1, 0.0, 1.50, 'de', true, TIMESTAMP '2026-03-01 08:00:00', ARRAY['a']),
          (2, 0.5, 2.50, 'de', true, TIMESTAMP '2026-03-01 09:00:00', NULL),
          (3, 1.0, 3.50, 'fr', false, TIMESTAMP '2026-03-02 10:00:00', ARRAY['b', 'c']),
          (4, 0.25, NULL, 'de', true, NULL, ARRAY[]),
          (5, 0.75, 5.50, 'it', false, TIMESTAMP '2026-03-01 07:30:00', NULL),
          (6, NULL, 6.50, NULL, true, TIMESTAMP '2026-03-03 23:59:59.999999', NULL),
          (7, NULL, 7.50, 'fr', false, TIMESTAMP '2026-03-01 08:00:00', NULL),
          (8, 0.5, 8.50, 'de', true, TIMESTAMP '2026-03-01 08:00:00', NULL),
          (9, 0.5, 9.50, 'fr', NULL, TIMESTAMP '2026-03-01 08:00:00', NULL),
          (NULL, 0.5, 10.50, 'de', false, TIMESTAMP '2026-03-01 08:00:00', NULL))
          AS t(clicks, ctr, price, country, premium, seen_at, tags)
        """);
    Map<String, FeatureStatistics> byName =
        ChunkStatisticsSql.statistics(engine, table, FEATURES).stream()
            .collect(Collectors.toMap(FeatureStatistics::name, Function.identity()));
    assertThat(byName.values()).allSatisfy(s -> assertThat(s.rows()).isEqualTo(10));

    FeatureStatistics clicks = byName.get("clicks");
    assertThat(clicks.type()).isEqualTo("bigint");
    assertThat(clicks.nulls()).isEqualTo(1);
    assertThat(clicks.min()).hasValue(1);
    assertThat(clicks.max()).hasValue(9);
    assertThat(clicks.mean()).hasValue(5);
    assertThat(clicks.distinct().orElseThrow()).isBetween(8L, 10L);
    assertThat(clicks.quantiles())
        .extracting(Quantile::fraction)
        .containsExactly(0.01, 0.25, 0.5, 0.75, 0.99);
    assertThat(clicks.quantiles().get(2).value()).isCloseTo(5, within(1.0));
    assertThat(clicks.quantiles())
        .isSortedAccordingTo((a, b) -> Double.compare(a.value(), b.value()));
    assertThat(clicks.quantiles()).allSatisfy(q -> assertThat(q.value()).isBetween(1.0, 9.0));
    assertThat(clicks.topValues()).isEmpty();
    assertThat(clicks.earliest()).isEmpty();

    FeatureStatistics ctr = byName.get("ctr");
    assertThat(ctr.nulls()).isEqualTo(2);
    assertThat(ctr.min()).hasValue(0);
    assertThat(ctr.max()).hasValue(1);
    // (0 + 0.5 + 1 + 0.25 + 0.75 + 0.5 * 3) / 8
    assertThat(ctr.mean()).hasValue(0.5);
    assertThat(ctr.distinct().orElseThrow()).isBetween(4L, 6L);

    FeatureStatistics price = byName.get("price");
    assertThat(price.nulls()).isEqualTo(1);
    assertThat(price.min()).hasValue(1.5);
    assertThat(price.max()).hasValue(10.5);
    // (1.5 + 2.5 + 3.5 + 5.5 + 6.5 + 7.5 + 8.5 + 9.5 + 10.5) / 9
    assertThat(price.mean().orElseThrow()).isCloseTo(55.5 / 9, within(1e-12));

    FeatureStatistics country = byName.get("country");
    assertThat(country.nulls()).isEqualTo(1);
    assertThat(country.distinct()).hasValue(3);
    assertThat(country.topValues())
        .containsExactly(new ValueCount("de", 5), new ValueCount("fr", 3), new ValueCount("it", 1));
    assertThat(country.min()).isEmpty();
    assertThat(country.quantiles()).isEmpty();

    FeatureStatistics premium = byName.get("premium");
    assertThat(premium.nulls()).isEqualTo(1);
    assertThat(premium.distinct()).hasValue(2);
    assertThat(premium.topValues())
        .containsExactly(new ValueCount("true", 5), new ValueCount("false", 4));

    FeatureStatistics seen = byName.get("seen_at");
    assertThat(seen.nulls()).isEqualTo(1);
    assertThat(seen.earliest()).contains("2026-03-01 07:30:00.000000");
    assertThat(seen.latest()).contains("2026-03-03 23:59:59.999999");
    assertThat(seen.min()).isEmpty();
    assertThat(seen.distinct()).isEmpty();

    FeatureStatistics tags = byName.get("tags");
    assertThat(tags.nulls()).isEqualTo(7);
    assertThat(tags.distinct()).isEmpty();
    assertThat(tags.topValues()).isEmpty();
  }

  @Test
  void anEmptyChunkHasCountsAndNothingElse() {
    String table =
        staging.create(
            "empty",
            "(clicks bigint, ctr double, price decimal(10,2), country varchar, premium boolean, seen_at timestamp(6), tags array(varchar))");
    assertThat(ChunkStatisticsSql.statistics(engine, table, FEATURES))
        .allSatisfy(
            s -> {
              assertThat(s.rows()).isZero();
              assertThat(s.nulls()).isZero();
              assertThat(s.min()).isEmpty();
              assertThat(s.mean()).isEmpty();
              assertThat(s.quantiles()).isEmpty();
              assertThat(s.topValues()).isEmpty();
              assertThat(s.earliest()).isEmpty();
            });
  }

  @Test
  void aWideViewIsOneScan() {
    List<Column> wide = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      wide.add(new Column("f" + i, i % 3 == 0 ? "varchar" : "double"));
      values.add(
          i % 3 == 0 ? "CAST(x AS varchar) AS f" + i : "CAST(x * " + i + " AS double) AS f" + i);
    }
    String table =
        staging.create(
            "wide",
            "AS SELECT %s FROM UNNEST(sequence(1, 100)) AS t(x)"
                .formatted(String.join(", ", values)));
    String sql = ChunkStatisticsSql.sql(table, wide);
    assertThat(sql.split("\\bFROM\\b", -1)).hasSize(2);
    List<FeatureStatistics> statistics = ChunkStatisticsSql.statistics(engine, table, wide);
    assertThat(statistics).hasSize(30);
    assertThat(statistics.get(1).name()).isEqualTo("f2");
    assertThat(statistics.get(1).max()).hasValue(200);
    assertThat(statistics.get(1).mean()).hasValue(101);
    assertThat(statistics.get(2).topValues()).hasSize(10);
    assertThat(IntStream.range(0, 30).mapToLong(i -> statistics.get(i).rows()).distinct())
        .containsExactly(100L);
  }
}
