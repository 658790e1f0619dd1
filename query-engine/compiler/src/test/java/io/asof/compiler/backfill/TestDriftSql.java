package io.asof.compiler.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.backfill.DriftSql.Binning;
import io.asof.compiler.backfill.DriftSql.Counts;
import io.asof.engine.QueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The drift report's binning statement: its two forms (a training set's table at a snapshot, a
 * view's window) match their golden files, and on Trino 476 each value lands in exactly one bin.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestDriftSql {
  private static final List<Binning> FEATURES =
      List.of(
          Binning.numeric("clicks", List.of(1.0, 2.5, 7.0)),
          Binning.categorical("country", List.of("de", "fr", "l'aquila")),
          Binning.categorical("premium", List.of("true", "false")));

  private StagingSchema staging;
  private QueryEngine engine;

  @BeforeAll
  void connect(StackEndpoints stack) {
    staging = new StagingSchema(stack, "drift");
    engine = staging.engine();
  }

  @AfterAll
  void close() {
    staging.close();
  }

  @Test
  void theStatementsMatchTheirGoldenFiles() {
    String training =
        DriftSql.sql(
            "iceberg.training.click_model", OptionalLong.of(4711L), Optional.empty(), FEATURES);
    TrinoSql.assertParses(training);
    GoldenFiles.assertMatches("drift/training.sql", training);
    String window =
        DriftSql.sql(
            "iceberg.features.user_engagement__v1",
            OptionalLong.empty(),
            Optional.of(
                "\"event_ts\" >= TIMESTAMP '2026-03-02 00:00:00.000000' AND \"event_ts\" < TIMESTAMP '2026-04-01 00:00:00.000000'"),
            FEATURES);
    TrinoSql.assertParses(window);
    GoldenFiles.assertMatches("drift/window.sql", window);
  }

  @Test
  void everyValueLandsInOneBinOnTrino() {
    String table =
        staging.create(
            "known",
            """
        AS SELECT CAST(clicks AS bigint) AS clicks, CAST(country AS varchar) AS country, premium,
          CAST(day AS integer) AS day
        FROM (VALUES
          (0, 'de', true, 1), (1, 'de', true, 1), (2, 'fr', false, 1), (3, 'it', NULL, 1),
          (7, 'l''aquila', true, 2), (9, NULL, false, 2), (NULL, 'de', true, 2), (2, 'de', true, 2))
          AS t(clicks, country, premium, day)
        """);
    List<Counts> all =
        DriftSql.counts(engine, table, OptionalLong.empty(), Optional.empty(), FEATURES);
    // clicks: < 1 | [1, 2.5) | [2.5, 7) | >= 7
    assertThat(all.get(0)).isEqualTo(new Counts(8, 1, List.of(1L, 3L, 1L, 2L)));
    // country: de, fr, l'aquila, others (it)
    assertThat(all.get(1)).isEqualTo(new Counts(8, 1, List.of(4L, 1L, 1L, 1L)));
    assertThat(all.get(2)).isEqualTo(new Counts(8, 1, List.of(5L, 2L, 0L)));

    long snapshot =
        (Long)
            engine
                .query(
                    "SELECT snapshot_id FROM %s ORDER BY committed_at DESC LIMIT 1"
                        .formatted(table.replaceFirst("\\.([^.]+)$", ".\"$1\\$snapshots\"")))
                .onlyValue();
    List<Counts> secondDay =
        DriftSql.counts(
            engine, table, OptionalLong.of(snapshot), Optional.of("\"day\" = 2"), FEATURES);
    assertThat(secondDay.get(0)).isEqualTo(new Counts(4, 1, List.of(0L, 1L, 0L, 2L)));
    assertThat(secondDay.get(1).bins()).containsExactly(2L, 0L, 1L, 0L);
  }

  @Test
  void binningsAreChecked() {
    assertThatThrownBy(() -> Binning.numeric("x", List.of(2.0, 1.0)))
        .hasMessage("the bin edges of x are not finite and strictly increasing: [2.0, 1.0]");
    assertThatThrownBy(() -> Binning.categorical("x", List.of()))
        .hasMessage("feature x is binned by edges (numeric) or by categories, one of them");
    assertThatThrownBy(
            () ->
                DriftSql.sql(
                    "a.b.c",
                    OptionalLong.empty(),
                    Optional.empty(),
                    List.of(
                        Binning.numeric("x", List.of(1.0)), Binning.numeric("x", List.of(1.0)))))
        .hasMessage("feature x is given twice");
  }
}
