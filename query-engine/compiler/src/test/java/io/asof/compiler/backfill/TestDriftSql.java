package io.asof.compiler.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.backfill.DriftSql.Binning;
import io.asof.compiler.backfill.DriftSql.Counts;
import io.asof.engine.QueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.model.statistics.FeatureStatistics;
import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.Kind;
import io.asof.model.window.WindowedAggregation.Output;
import io.asof.model.window.WindowedAggregation.State;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
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
 * view's window) match their golden files, and on Trino 476 each value lands in exactly one bin. An
 * aggregation view's reference (its features evaluated at its events of a period), the statistics
 * and the counts over it, too.
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

  /**
   * An aggregation view of clicks, over 1h and 1d: {@code events} counts a user's events, {@code
   * clicks} sums their clicks; its events are read from {@code table}.
   */
  private static WindowedAggregation clicksOf(String table) {
    return new WindowedAggregation(
        """
        SELECT "user_id" AS "user_id", "ts" AS "__asof_e", "clicks" AS "__asof_x0"
        FROM %s"""
            .formatted(table),
        List.of("user_id"),
        "timestamp(6)",
        Optional.empty(),
        List.of(Duration.ofHours(1), Duration.ofDays(1)),
        List.of(
            new State(Kind.ROWS, Optional.empty(), "bigint"),
            new State(Kind.SUM, Optional.of("__asof_x0"), "bigint")),
        List.of(
            new Output("events", "bigint", List.of("\"__asof_s0_w0\"", "\"__asof_s0_w1\"")),
            new Output("clicks", "bigint", List.of("\"__asof_s1_w0\"", "\"__asof_s1_w1\""))));
  }

  private static final List<Column> KEYS = List.of(new Column("user_id", "bigint"));
  private static final List<Column> OUTPUTS =
      List.of(
          new Column("events_1h", "bigint"),
          new Column("events_1d", "bigint"),
          new Column("clicks_1h", "bigint"),
          new Column("clicks_1d", "bigint"));
  private static final List<String> EVALUATED = List.of("events_1h", "clicks_1d");
  private static final Instant FROM = Instant.parse("2026-03-31T10:15:00Z");
  private static final Instant TO = Instant.parse("2026-03-31T12:00:00Z");

  @Test
  void theReferenceStatementsMatchTheirGoldenFiles() {
    WindowedAggregation clicks = clicksOf("\"iceberg\".\"drift\".\"clicks_log\"");
    String newest = DriftSql.newestSql(clicks);
    TrinoSql.assertParses(newest);
    GoldenFiles.assertMatches("drift/newest.sql", newest);
    String reference = DriftSql.reference("clicks", clicks, KEYS, OUTPUTS, EVALUATED, FROM, TO);
    TrinoSql.assertParses(reference);
    GoldenFiles.assertMatches("drift/reference.sql", reference);
    // the statistics and the counts over it (run over the reference itself below): here over a
    // stand-in query, so that each golden file shows its own part
    String rows = "SELECT \"events_1h\", \"clicks_1d\" FROM \"reference\"";
    String statistics =
        ChunkStatisticsSql.sqlOverQuery(
            rows, List.of(new Column("events_1h", "bigint"), new Column("clicks_1d", "bigint")));
    TrinoSql.assertParses(statistics);
    GoldenFiles.assertMatches("drift/reference-statistics.sql", statistics);
    String counts =
        DriftSql.sqlOverQuery(
            rows,
            List.of(
                Binning.numeric("events_1h", List.of(1.5)),
                Binning.numeric("clicks_1d", List.of(5.0, 6.0))));
    TrinoSql.assertParses(counts);
    GoldenFiles.assertMatches("drift/reference-counts.sql", counts);
  }

  @Test
  void theReferenceIsTheViewEvaluatedAtItsEventsOnTrino() {
    String table =
        staging.create(
            "clicks_log",
            """
            AS SELECT CAST(user_id AS bigint) AS user_id, CAST(ts AS timestamp(6)) AS ts,
              CAST(clicks AS bigint) AS clicks
            FROM (VALUES
              (1, TIMESTAMP '2026-03-30 11:00:00', 7), (1, TIMESTAMP '2026-03-31 10:00:00', 1),
              (1, TIMESTAMP '2026-03-31 10:30:00', 2), (1, TIMESTAMP '2026-03-31 12:00:00', 3),
              (2, TIMESTAMP '2026-03-31 11:00:00', 5), (NULL, TIMESTAMP '2026-03-31 13:00:00', 9),
              (2, NULL, 4))
              AS t(user_id, ts, clicks)
            """);
    WindowedAggregation clicks = clicksOf(table);
    // the newest event time of an entity: the NULL key's later event is none
    assertThat(((Timestamp) engine.query(DriftSql.newestSql(clicks)).onlyValue()).toLocalDateTime())
        .isEqualTo(LocalDateTime.parse("2026-03-31T12:00:00"));
    assertThat(
            engine
                .query(
                    DriftSql.newestSql(
                        clicksOf("(SELECT * FROM %s WHERE clicks > 100)".formatted(table))))
                .onlyValue())
        .isNull();

    String reference = DriftSql.reference("clicks", clicks, KEYS, OUTPUTS, EVALUATED, FROM, TO);
    // each (key, event time) from 10:15 to 12:00, both included; the 1d window of 10:30 reaches
    // back to 03-30 10:30 (11:00 is in it), that of 12:00 to 03-30 12:00 (11:00 is not)
    assertThat(
            engine
                .query(
                    "SELECT user_id, CAST(__asof_at AS varchar), events_1h, clicks_1d FROM (%s) ORDER BY 1, 2"
                        .formatted(reference))
                .rows())
        .containsExactly(
            List.of(1L, "2026-03-31 10:30:00.000000", 2L, 10L),
            List.of(1L, "2026-03-31 12:00:00.000000", 1L, 6L),
            List.of(2L, "2026-03-31 11:00:00.000000", 1L, 5L));
    List<FeatureStatistics> statistics =
        ChunkStatisticsSql.statisticsOverQuery(
            engine,
            reference,
            List.of(new Column("events_1h", "bigint"), new Column("clicks_1d", "bigint")));
    assertThat(statistics.get(0).rows()).isEqualTo(3);
    assertThat(statistics.get(0).max()).hasValue(2.0);
    assertThat(statistics.get(1).min()).hasValue(5.0);
    List<Counts> counts =
        DriftSql.countsOverQuery(
            engine,
            reference,
            List.of(
                Binning.numeric("events_1h", List.of(1.5)),
                Binning.numeric("clicks_1d", List.of(5.0, 6.0))));
    assertThat(counts.get(0)).isEqualTo(new Counts(3, 0, List.of(2L, 1L)));
    assertThat(counts.get(1)).isEqualTo(new Counts(3, 0, List.of(0L, 1L, 2L)));
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
