package io.asof.cli;

import static io.asof.cli.CliRun.concat;
import static io.asof.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.jobs.DriftReport;
import io.asof.jobs.DriftReport.Bin;
import io.asof.jobs.DriftReport.FeatureDrift;
import io.asof.jobs.DriftReport.Kind;
import io.asof.jobs.DriftReport.Level;
import io.asof.jobs.DriftReport.Source;
import io.asof.jobs.DriftReport.Window;
import io.asof.jobs.DriftService;
import io.asof.local.StackEndpoints;
import io.asof.registry.PerCallRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.testing.AsofStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift of aggregation views ({@code -- windows:}) on the real stack: never backfilled, each is
 * compared with its features evaluated at its own events of the 30 days up to its newest one. A
 * training set whose spine is exactly those events has the same values, so no drift at all (PSI 0);
 * one whose spine lies days after the last event has empty windows, and drifts; a view whose events
 * are empty is not compared, saying why. A materialized view in the same report is compared with
 * its backfilled chunk, as before.
 */
@ExtendWith(AsofStackExtension.class)
class TestAggregationViewDrift {
  private static final String SCHEMA = "agg_drift";

  /** 3000 events of 13 users, one every 29 minutes from 2026-01-01 (about 60 days). */
  private static final String EVENTS =
      """
      SELECT CAST(n * 7 %% 13 AS bigint) AS user_id,
        TIMESTAMP '2026-01-01 00:00:00' + n * INTERVAL '29' MINUTE AS ts,
        CAST(n * 31 %% 100 AS double) AS dwell
      FROM UNNEST(sequence(0, 2999)) AS t(n)""";

  /** The last event: 2999 x 29 minutes after 2026-01-01. */
  private static final Instant NEWEST =
      Instant.parse("2026-01-01T00:00:00Z").plusSeconds(2999L * 29 * 60);

  private final StackEndpoints stack;

  TestAggregationViewDrift(StackEndpoints stack) {
    this.stack = stack;
  }

  @Test
  void aggregationViewsAreComparedWithTheirFeaturesEvaluatedAtTheirEvents(@TempDir Path state)
      throws Exception {
    try (QueryEngine engine = engine()) {
      engine.execute("CREATE SCHEMA IF NOT EXISTS iceberg." + SCHEMA);
      for (String table : List.of("visit_log", "quiet_log")) {
        engine.execute("DROP TABLE IF EXISTS iceberg.%s.%s".formatted(SCHEMA, table));
      }
      engine.execute("DROP TABLE IF EXISTS iceberg.features.last_visit__v1");
      for (String set : List.of("reads_same", "reads_later")) {
        engine.execute("DROP TABLE IF EXISTS iceberg.training." + set);
      }
      engine.execute(
          "CREATE TABLE iceberg.%s.visit_log AS %s".formatted(SCHEMA, EVENTS.formatted()));
      engine.execute(
          "CREATE TABLE iceberg.%s.quiet_log (user_id bigint, ts timestamp(6), dwell double)"
              .formatted(SCHEMA));
    }
    Path repo = state.resolve("repo");
    Files.createDirectories(repo.resolve("views"));
    Files.writeString(repo.resolve("entities.yaml"), "entities:\n  user:\n    keys: [user_id]\n");
    Files.writeString(
        repo.resolve("views/user_reads.sql"),
        """
        -- view: user_reads
        -- entity: user
        -- event_time: ts
        -- windows: 1h, 1d, 7d
        SELECT user_id, count(*) AS visits, sum(dwell) AS dwell
        FROM %s.visit_log
        GROUP BY user_id
        """
            .formatted(SCHEMA));
    Files.writeString(
        repo.resolve("views/quiet_reads.sql"),
        """
        -- view: quiet_reads
        -- entity: user
        -- event_time: ts
        -- windows: 1d
        SELECT user_id, count(*) AS quiet_visits
        FROM %s.quiet_log
        GROUP BY user_id
        """
            .formatted(SCHEMA));
    // a materialized view beside them: compared with its backfilled window, in the same report
    Files.writeString(
        repo.resolve("views/last_visit.sql"),
        """
        -- view: last_visit
        -- entity: user
        -- event_time: ts
        -- materialize: true
        SELECT user_id, ts, dwell AS last_dwell
        FROM %s.visit_log
        """
            .formatted(SCHEMA));
    String[] common = {
      "--repo",
      repo.toString(),
      "--trino-url",
      stack.trinoJdbcUrl(),
      "--state-dir",
      state.toString()
    };
    CliRun applied = run(concat(new String[] {"apply"}, common));
    assertThat(applied.exit()).as(applied.err()).isZero();
    CliRun backfilled =
        run(
            concat(
                new String[] {
                  "backfill",
                  "last_visit",
                  "--from",
                  "2026-01-01",
                  "--to",
                  "2026-04-01",
                  "--chunk",
                  "90d"
                },
                common));
    assertThat(backfilled.exit()).as(backfilled.err()).isZero();
    String features = "user_reads:*,quiet_reads:*,last_visit:*";
    // the spine of the reference itself: each (user, event time) of the last 30 days of events
    build(
        common,
        "reads_same",
        """
        SELECT DISTINCT user_id, ts AS t FROM %s.visit_log
        WHERE ts >= (SELECT max(ts) FROM %s.visit_log) - INTERVAL '30' DAY"""
            .formatted(SCHEMA, SCHEMA),
        features);
    // the same pairs 40 days later, so 10 days after the last event at least: every window is empty
    build(
        common,
        "reads_later",
        """
        SELECT DISTINCT user_id, ts + INTERVAL '40' DAY AS t FROM %s.visit_log
        WHERE ts >= (SELECT max(ts) FROM %s.visit_log) - INTERVAL '30' DAY"""
            .formatted(SCHEMA, SCHEMA),
        features);

    long pairs;
    try (QueryEngine engine = engine()) {
      pairs =
          (Long)
              engine
                  .query(
                      "SELECT count(*) FROM (SELECT DISTINCT user_id, ts FROM iceberg.%s.visit_log WHERE ts >= TIMESTAMP '%s' - INTERVAL '30' DAY)"
                          .formatted(SCHEMA, NEWEST.toString().replace('T', ' ').replace("Z", "")))
                  .onlyValue();
    }
    assertThat(pairs).isGreaterThan(1000);
    // the views' SQL names tables without a catalog, as the CLI's session reads them
    try (RegistryStore registry = new PerCallRegistryStore(RegistryConfig.embedded(state));
        QueryEngine engine =
            new TrinoQueryEngine(
                new TrinoConnectionConfig(
                    stack.trinoJdbcUrl() + "/" + stack.catalog(), stack.trinoUser()))) {
      DriftService drift = new DriftService(engine, registry);

      DriftReport same = drift.report("reads_same", Optional.empty());
      assertThat(same.features()).hasSize(8);
      for (FeatureDrift f : same.features()) {
        if (f.view().equals("last_visit")) {
          assertThat(f.psi()).as(f.reason().orElse("")).isPresent();
          assertThat(f.window().orElseThrow().source()).isEqualTo(Source.BACKFILL);
          assertThat(f.window().orElseThrow().jobId()).isPresent();
          assertThat(f.window().orElseThrow().to())
              .isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
          continue;
        }
        if (f.view().equals("quiet_reads")) {
          assertThat(f.level()).isEqualTo(Level.UNAVAILABLE);
          assertThat(f.reason())
              .hasValue(
                  "view quiet_reads v1 is an aggregation view without events (no event of an entity has an event time): there is nothing to evaluate its features over, so nothing to compare");
          assertThat(f.window()).isEmpty();
          continue;
        }
        // the training set holds exactly the reference's values: every bin has the same share
        assertThat(f.reason()).as(f.feature()).isEmpty();
        assertThat(f.kind()).isEqualTo(Kind.NUMERIC);
        assertThat(f.psi()).as(f.feature()).hasValue(0.0);
        assertThat(f.level()).isEqualTo(Level.STABLE);
        assertThat(f.window())
            .hasValue(Window.evaluated(NEWEST.minus(DriftReport.REFERENCE_PERIOD), NEWEST));
        assertThat(f.windowRows()).isEqualTo(pairs);
        assertThat(f.trainingRows()).isEqualTo(pairs);
        assertThat(f.bins().stream().mapToLong(Bin::trainingCount).sum())
            .isEqualTo(f.trainingRows() - f.trainingNulls());
        for (Bin bin : f.bins()) {
          assertThat(bin.windowCount())
              .as(f.feature() + " " + bin.label())
              .isEqualTo(bin.trainingCount());
        }
      }
      // visits count every event, so every pair has a visit; dwell sums none as NULL
      assertThat(find(same, "visits_1h").windowNulls()).isZero();

      DriftReport later = drift.report("reads_later", Optional.of("user_reads:visits_1d"));
      FeatureDrift visits = later.features().getFirst();
      assertThat(visits.window().orElseThrow().source()).isEqualTo(Source.EVALUATED);
      // no visit in the day before any spine time: all in the lowest bin, the reference's are not
      assertThat(visits.level()).isEqualTo(Level.SIGNIFICANT);
      assertThat(visits.psi().getAsDouble())
          .isCloseTo(
              DriftReport.psi(
                  visits.bins().stream().map(Bin::trainingCount).toList(),
                  visits.bins().stream().map(Bin::windowCount).toList()),
              within(1e-12))
          .isGreaterThan(DriftReport.SIGNIFICANT_ABOVE);
      assertThat(visits.bins().getFirst().trainingCount()).isEqualTo(pairs);
    }

    // the command line and its JSON say where the window comes from
    CliRun table = run(concat(new String[] {"drift", "reads_later"}, common));
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out())
        .containsPattern(
            "user_reads:visits_1d +numeric +\\d+\\.\\d{4} +significant +2026-01-3\\dT\\d\\d:\\d\\d:00Z to 2026-03-0\\dT\\d\\d:\\d\\d:00Z \\(evaluated from its events\\)")
        .contains("quiet_reads:quiet_visits_1d")
        .contains("is an aggregation view without events");
    CliRun json =
        run(
            concat(
                new String[] {"drift", "reads_same", "--feature", "dwell_7d", "--json"}, common));
    assertThat(json.exit()).as(json.err()).isZero();
    JsonNode window = new ObjectMapper().readTree(json.out()).get("features").get(0).get("window");
    assertThat(window.get("source").asText()).isEqualTo("evaluated");
    assertThat(window.get("job_id").isNull()).isTrue();
    assertThat(window.get("chunk").isNull()).isTrue();
    assertThat(window.get("table").isNull()).isTrue();
    assertThat(window.get("to").asText()).isEqualTo(NEWEST.toString());
    CliRun backfillJson =
        run(
            concat(
                new String[] {"drift", "reads_same", "--feature", "last_dwell", "--json"}, common));
    assertThat(backfillJson.exit()).as(backfillJson.err()).isZero();
    JsonNode chunk =
        new ObjectMapper().readTree(backfillJson.out()).get("features").get(0).get("window");
    assertThat(chunk.get("source").asText()).isEqualTo("backfill");
    assertThat(chunk.get("job_id").asText()).isNotEmpty();
    assertThat(chunk.get("chunk").asInt()).isZero();
    assertThat(chunk.get("table").asText()).endsWith(".last_visit__v1");
  }

  private static FeatureDrift find(DriftReport report, String feature) {
    return report.features().stream()
        .filter(f -> f.feature().equals(feature))
        .findFirst()
        .orElseThrow();
  }

  private static void build(String[] common, String name, String spine, String features) {
    CliRun built =
        run(
            concat(
                new String[] {
                  "training-set",
                  "build",
                  name,
                  "--spine",
                  spine,
                  "--timestamp",
                  "t",
                  "--features",
                  features
                },
                common));
    assertThat(built.exit()).as(built.err()).isZero();
  }

  private QueryEngine engine() {
    return new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
  }
}
