package io.asof.compiler.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.asof.engine.QueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.model.Expectation;
import io.asof.model.Expectation.AcceptedValues;
import io.asof.model.Expectation.NotNull;
import io.asof.model.Expectation.NumberValue;
import io.asof.model.Expectation.Range;
import io.asof.model.Expectation.RowCount;
import io.asof.model.Expectation.TextValue;
import io.asof.model.Expectation.UniqueKeys;
import io.asof.model.SourcePosition;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The expectation checks on Trino 476, on a staged table with one planted violation of each rule
 * (values exactly at a bound pass; NULLs pass all but not_null; NaN is out of range) and on a clean
 * one.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestExpectationSql {
  private static final Path FILE = Path.of("views/v.sql");
  private static final List<String> KEYS = List.of("user_id");
  private static final String T1 = "TIMESTAMP '2026-03-01 00:00:00.000000'";
  private static final String T2 = "TIMESTAMP '2026-03-02 12:30:00.000000'";
  private static final String COLUMNS = "AS t(user_id, event_ts, ctr, clicks, country)";

  private static final List<Expectation> EXPECTATIONS =
      List.of(
          new NotNull(List.of("ctr", "country"), at(1)),
          new Range("ctr", Optional.of(BigDecimal.ZERO), Optional.of(BigDecimal.ONE), at(2)),
          new Range("clicks", Optional.of(BigDecimal.ZERO), Optional.empty(), at(3)),
          new AcceptedValues("country", List.of(new TextValue("de"), new TextValue("fr")), at(4)),
          new UniqueKeys(at(5)),
          new RowCount(OptionalLong.of(1), OptionalLong.of(8), at(6)));

  private StagingSchema staging;
  private QueryEngine engine;

  @BeforeAll
  void connect(StackEndpoints stack) {
    staging = new StagingSchema(stack, "backfill_checks");
    engine = staging.engine();
  }

  @AfterAll
  void close() {
    staging.close();
  }

  @Test
  void theCheckMatchesItsGoldenFile() {
    String sql =
        ExpectationSql.sql("iceberg.features.__asof_stage_x", KEYS, "event_ts", EXPECTATIONS);
    TrinoSql.assertParses(sql);
    GoldenFiles.assertMatches("backfill/expectations.sql", sql);
    // every row-level rule and row_count in one scan, unique_keys in one more
    assertThat(sql.split("FROM \"iceberg\"", -1)).hasSize(3);
  }

  @Test
  void eachPlantedViolationIsReportedWithItsRowsAndNoOther() {
    String table =
        stage(
            "planted",
            "(1, %s, 0.0, 0, 'de')".formatted(T1), // ctr at both bounds passes
            "(2, %s, 1.0, 5, 'fr')".formatted(T1),
            "(3, %s, 1.5, 3, 'de')".formatted(T1), // ctr above
            "(4, %s, -0.25, 2, 'it')".formatted(T1), // ctr below, country not accepted
            "(5, %s, NULL, 1, 'de')".formatted(T1), // ctr NULL: only not_null
            "(6, %s, 0.5, -1, NULL)".formatted(T1), // country NULL, clicks below 0
            "(7, %s, nan(), 4, 'fr')".formatted(T1), // NaN is in no range
            "(8, %s, 0.5, 1, 'de')".formatted(T2),
            "(8, %s, 0.25, 2, 'de')".formatted(T2)); // same key and time as the row before
    List<ExpectationFailure> failures =
        ExpectationSql.check(engine, table, KEYS, "event_ts", EXPECTATIONS);
    assertThat(failures)
        .containsExactly(
            new ExpectationFailure(
                "not_null(ctr, country)",
                at(1),
                2,
                List.of(
                    "{\"user_id\":5,\"event_ts\":\"2026-03-01 00:00:00.000000\",\"ctr\":null,\"country\":\"de\"}",
                    "{\"user_id\":6,\"event_ts\":\"2026-03-01 00:00:00.000000\",\"ctr\":0.5,\"country\":null}")),
            new ExpectationFailure(
                "range(ctr, 0, 1)",
                at(2),
                3,
                List.of(
                    "{\"user_id\":3,\"event_ts\":\"2026-03-01 00:00:00.000000\",\"ctr\":1.5}",
                    "{\"user_id\":4,\"event_ts\":\"2026-03-01 00:00:00.000000\",\"ctr\":-0.25}",
                    "{\"user_id\":7,\"event_ts\":\"2026-03-01 00:00:00.000000\",\"ctr\":\"NaN\"}")),
            new ExpectationFailure(
                "range(clicks, 0, _)",
                at(3),
                1,
                List.of(
                    "{\"user_id\":6,\"event_ts\":\"2026-03-01 00:00:00.000000\",\"clicks\":-1}")),
            new ExpectationFailure(
                "accepted_values(country, 'de', 'fr')",
                at(4),
                1,
                List.of(
                    "{\"user_id\":4,\"event_ts\":\"2026-03-01 00:00:00.000000\",\"country\":\"it\"}")),
            new ExpectationFailure(
                "unique_keys",
                at(5),
                2,
                List.of("{\"user_id\":8,\"event_ts\":\"2026-03-02 12:30:00.000000\",\"rows\":2}")),
            new ExpectationFailure("row_count(1, 8)", at(6), 9, List.of()));
    assertThat(failures.getFirst().toString())
        .isEqualTo(
            "views/v.sql:1:12: expectation not_null(ctr, country) fails on 2 rows, e.g. "
                + failures.getFirst().examples().getFirst());
    assertThat(failures.getLast().toString())
        .isEqualTo("views/v.sql:6:12: expectation row_count(1, 8) fails: the chunk has 9 rows");
  }

  @Test
  void examplesStopAtFiveButTheCountDoesNot() {
    String table =
        stage(
            "many",
            "(1, %s, 2.0, 1, 'de')".formatted(T1),
            "(2, %s, 2.0, 1, 'de')".formatted(T1),
            "(3, %s, 2.0, 1, 'de')".formatted(T1),
            "(4, %s, 2.0, 1, 'de')".formatted(T1),
            "(5, %s, 2.0, 1, 'de')".formatted(T1),
            "(6, %s, 2.0, 1, 'de')".formatted(T1),
            "(7, %s, 2.0, 1, 'de')".formatted(T1));
    assertThat(ExpectationSql.check(engine, table, KEYS, "event_ts", EXPECTATIONS))
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.rule()).isEqualTo("range(ctr, 0, 1)");
              assertThat(failure.offendingRows()).isEqualTo(7);
              assertThat(failure.examples()).hasSize(5).allMatch(e -> e.endsWith("\"ctr\":2.0}"));
            });
  }

  @Test
  void aCleanChunkHasNoFailuresWithValuesExactlyAtEveryBound() {
    String table =
        stage(
            "clean",
            "(1, %s, 0.0, 0, 'de')".formatted(T1),
            "(2, %s, 1.0, 5, 'fr')".formatted(T1),
            "(2, %s, 0.5, 7, NULL)".formatted(T2));
    List<Expectation> exact =
        List.of(
            new NotNull(List.of("user_id", "event_ts"), at(1)),
            EXPECTATIONS.get(1),
            EXPECTATIONS.get(2),
            EXPECTATIONS.get(3),
            new Range("clicks", Optional.empty(), Optional.of(BigDecimal.valueOf(7)), at(7)),
            new AcceptedValues(
                "clicks",
                List.of(
                    new NumberValue(BigDecimal.ZERO),
                    new NumberValue(BigDecimal.valueOf(5)),
                    new NumberValue(BigDecimal.valueOf(7))),
                at(8)),
            EXPECTATIONS.get(4),
            new RowCount(OptionalLong.of(3), OptionalLong.of(3), at(6)));
    assertThat(ExpectationSql.check(engine, table, KEYS, "event_ts", exact)).isEmpty();
    // one row more or less than row_count allows fails it
    assertThat(
            ExpectationSql.check(
                engine,
                table,
                KEYS,
                "event_ts",
                List.of(
                    new RowCount(OptionalLong.of(4), OptionalLong.empty(), at(1)),
                    new RowCount(OptionalLong.empty(), OptionalLong.of(2), at(2)))))
        .extracting(ExpectationFailure::rule, ExpectationFailure::offendingRows)
        .containsExactly(tuple("row_count(4, _)", 3L), tuple("row_count(_, 2)", 3L));
  }

  @Test
  void onlyUniqueKeysIsOneGroupedPass() {
    String table =
        stage(
            "unique_only",
            "(1, %s, 0.0, 0, 'de')".formatted(T1),
            "(1, %s, 0.0, 0, 'de')".formatted(T2));
    List<Expectation> unique = List.of(new UniqueKeys(at(1)));
    assertThat(ExpectationSql.sql(table, KEYS, "event_ts", unique)).doesNotContain("UNION ALL");
    assertThat(ExpectationSql.check(engine, table, KEYS, "event_ts", unique)).isEmpty();
    assertThat(ExpectationSql.check(engine, table, KEYS, "event_ts", List.of())).isEmpty();
  }

  private String stage(String name, String... rows) {
    return staging.create(
        name,
        "AS SELECT CAST(user_id AS bigint) AS user_id, event_ts, CAST(ctr AS double) AS ctr, CAST(clicks AS bigint) AS clicks, CAST(country AS varchar) AS country FROM (VALUES %s) %s"
            .formatted(String.join(", ", rows), COLUMNS));
  }

  private static SourcePosition at(int line) {
    return new SourcePosition(FILE, line, 12);
  }
}
