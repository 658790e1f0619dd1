package io.asof.cli;

import static io.asof.cli.CliRun.concat;
import static io.asof.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.jobs.DriftService;
import io.asof.jobs.TrainingSetService;
import io.asof.local.StackEndpoints;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.PerCallRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.server.AsofServer;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An aggregation view ({@code -- windows:}) end to end on the real stack: applied and recorded with
 * its windows, built into a training set with its values at each spine time, published with its
 * values as of now and its windows in the comments and the catalog; a change of windows is a new
 * version, and the older one pinned ({@code view@1}) gives its values again; online serving and
 * backfill refuse it, saying why.
 */
@ExtendWith(AsofStackExtension.class)
class TestAggregationViewCli {
  private static final String SCHEMA = "agg_cli";
  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  private final StackEndpoints stack;

  TestAggregationViewCli(StackEndpoints stack) {
    this.stack = stack;
  }

  @Test
  void anAggregationViewIsAppliedBuiltPublishedPinnedAndRefusedOnline(@TempDir Path state)
      throws IOException, InterruptedException {
    // events relative to now (UTC, as times without a zone are read), so that the published view,
    // which shows values as of now, has known values; the spine's times are fixed literals
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    try (QueryEngine engine = engine()) {
      engine.execute("CREATE SCHEMA IF NOT EXISTS iceberg." + SCHEMA);
      engine.execute("DROP TABLE IF EXISTS iceberg.%s.visit_log".formatted(SCHEMA));
      for (String set : List.of("reads_now", "reads_v2", "reads_pinned")) {
        engine.execute("DROP TABLE IF EXISTS iceberg.training." + set);
      }
      engine.execute(
          "CREATE TABLE iceberg.%s.visit_log (user_id bigint, ts timestamp(6), dwell double)"
              .formatted(SCHEMA));
      engine.execute(
          "INSERT INTO iceberg.%s.visit_log VALUES %s"
              .formatted(
                  SCHEMA,
                  String.join(
                      ", ",
                      event(1, now.minusMinutes(30), 10),
                      event(1, now.minusHours(3), 20),
                      event(1, now.minusDays(2), 30),
                      event(1, now.minusDays(10), 40),
                      event(2, now.minusHours(5), 5))));
    }
    Path repo = state.resolve("repo");
    Files.createDirectories(repo.resolve("views"));
    Files.writeString(repo.resolve("entities.yaml"), "entities:\n  user:\n    keys: [user_id]\n");
    Path view = repo.resolve("views/user_reads.sql");
    Files.writeString(
        view,
        """
        -- view: user_reads
        -- entity: user
        -- event_time: ts
        -- windows: 1h, 1d, 7d
        -- owner: recsys
        -- description: Reads of a user and their dwell time, over windows.
        SELECT user_id, count(*) AS visits, sum(dwell) AS dwell
        FROM %s.visit_log
        GROUP BY user_id
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
    assertThat(applied.out()).contains("new aggregation (v1)");

    // the published view: each key's values as of now
    try (QueryEngine engine = engine()) {
      assertThat(
              engine
                  .query(
                      "SELECT user_id, visits_1h, visits_1d, visits_7d, dwell_1h, dwell_1d, dwell_7d FROM iceberg.features.user_reads ORDER BY user_id")
                  .rows())
          .containsExactly(
              Arrays.asList(1L, 1L, 2L, 3L, 10.0, 30.0, 60.0),
              Arrays.asList(2L, 0L, 1L, 1L, null, 5.0, 5.0));
      assertThat(
              engine
                  .query(
                      "SELECT remarks FROM system.jdbc.columns WHERE table_cat = 'iceberg' AND table_schem = 'features' AND table_name = 'user_reads' AND column_name = 'visits_7d'")
                  .onlyValue())
          .isEqualTo(
              "visits over the 7d up to now (aggregation view user_reads, window 7d; v1, owned by recsys).");
      assertThat(
              engine
                  .query(
                      "SELECT feature, \"window\", type FROM iceberg.features.asof_features WHERE view_name = 'user_reads' ORDER BY feature")
                  .rows())
          .containsExactly(
              List.of("user_reads:dwell_1d", "1d", "double"),
              List.of("user_reads:dwell_1h", "1h", "double"),
              List.of("user_reads:dwell_7d", "7d", "double"),
              List.of("user_reads:visits_1d", "1d", "bigint"),
              List.of("user_reads:visits_1h", "1h", "bigint"),
              List.of("user_reads:visits_7d", "7d", "bigint"));
    }

    // a training set: each spine row's values at its own time
    String[] spine = {
      "--spine",
      "SELECT * FROM (VALUES %s, %s, %s, %s) AS s(user_id, t)"
          .formatted(
              spineRow(1, now),
              spineRow(1, now.minusDays(1).minusHours(1)),
              spineRow(2, now.minusHours(4).minusMinutes(30)),
              spineRow(3, now)),
      "--timestamp",
      "t"
    };
    CliRun built =
        run(
            concat(
                concat(new String[] {"training-set", "build", "reads_now"}, spine),
                concat(new String[] {"--features", "user_reads:*"}, common)));
    assertThat(built.exit()).as(built.err()).isZero();
    String trainingRows =
        "SELECT user_id, visits_1h, visits_1d, visits_7d, dwell_1h, dwell_1d, dwell_7d FROM iceberg.training.%s ORDER BY user_id, t";
    List<List<Object>> v1Values =
        List.of(
            Arrays.asList(1L, 0L, 1L, 1L, null, 30.0, 30.0),
            Arrays.asList(1L, 1L, 2L, 3L, 10.0, 30.0, 60.0),
            Arrays.asList(2L, 1L, 1L, 1L, 5.0, 5.0, 5.0),
            Arrays.asList(3L, 0L, 0L, 0L, null, null, null));
    try (QueryEngine engine = engine()) {
      assertThat(engine.query(trainingRows.formatted("reads_now")).rows())
          .containsExactlyElementsOf(v1Values);
    }

    // refused, saying why: online serving and backfill
    CliRun online =
        run(
            concat(
                new String[] {
                  "online",
                  "enable",
                  "user_reads",
                  "--dynamodb-endpoint",
                  stack.dynamoDbEndpoint().toString()
                },
                common));
    assertThat(online.exit()).as(online.err()).isEqualTo(0);
    CliRun check =
        run(
            concat(
                new String[] {
                  "online",
                  "check",
                  "user_reads",
                  "--dynamodb-endpoint",
                  stack.dynamoDbEndpoint().toString()
                },
                common));
    assertThat(check.exit()).as(check.out() + check.err()).isEqualTo(0);
    CliRun backfill =
        run(
            concat(
                new String[] {"backfill", "user_reads", "--from", "2026-01-01", "--to", "now"},
                common));
    assertThat(backfill.exit()).isEqualTo(1);
    assertThat(backfill.err())
        .contains("view user_reads is an aggregation view")
        .contains("nothing to backfill or materialize");

    // other windows: v2, republished; v1 stays readable when pinned
    Files.writeString(view, Files.readString(view).replace("1h, 1d, 7d", "2h, 7d"));
    // the view was switched online by hand above and its file does not say so: this apply also
    // switches it off again, on the stack's online store
    CliRun changed =
        run(
            concat(
                new String[] {"apply", "--dynamodb-endpoint", stack.dynamoDbEndpoint().toString()},
                common));
    assertThat(changed.exit()).as(changed.err()).isZero();
    assertThat(changed.out())
        .contains("v1 becomes v2")
        .contains("v1 stays readable (user_reads@1)");
    CliRun v2 =
        run(
            concat(
                concat(new String[] {"training-set", "build", "reads_v2"}, spine),
                concat(new String[] {"--features", "user_reads:*"}, common)));
    assertThat(v2.exit()).as(v2.err()).isZero();
    CliRun pinned =
        run(
            concat(
                concat(new String[] {"training-set", "build", "reads_pinned"}, spine),
                concat(new String[] {"--features", "user_reads@1:*"}, common)));
    assertThat(pinned.exit()).as(pinned.err()).isZero();
    try (QueryEngine engine = engine()) {
      assertThat(engine.query(trainingRows.formatted("reads_pinned")).rows())
          .containsExactlyElementsOf(v1Values);
      assertThat(
              engine
                  .query(
                      "SELECT user_id, visits_2h, visits_7d FROM iceberg.training.reads_v2 ORDER BY user_id, t")
                  .rows())
          .containsExactly(
              List.of(1L, 0L, 1L), List.of(1L, 1L, 3L), List.of(2L, 1L, 1L), List.of(3L, 0L, 0L));
      assertThat(
              engine
                  .query(
                      "SELECT user_id, visits_2h, visits_7d FROM iceberg.features.user_reads ORDER BY user_id")
                  .rows())
          .containsExactly(List.of(1L, 1L, 3L), List.of(2L, 0L, 1L));
    }
    // the catalog's HTTP API lists the features with their windows
    try (RegistryStore registry = new PerCallRegistryStore(RegistryConfig.embedded(state));
        QueryEngine engine = engine();
        AsofServer server =
            new AsofServer(
                    new TrainingSetService(
                        engine, new TrinoDialect(), registry, repo, stack.catalog()),
                    repo,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(
                        new AsofServer.Catalog(registry, new DriftService(engine, registry))),
                    Optional.empty(),
                    "127.0.0.1",
                    0,
                    Clock.systemUTC())
                .start()) {
      JsonNode found = get(server, "/v1/catalog/views?q=aggregation").get("views");
      assertThat(found).hasSize(1);
      assertThat(found.get(0).get("windows").toString()).isEqualTo("[\"2h\",\"7d\"]");
      assertThat(found.get(0).get("features").toString())
          .isEqualTo("[\"visits_2h\",\"visits_7d\",\"dwell_2h\",\"dwell_7d\"]");
      JsonNode detail = get(server, "/v1/catalog/views/user_reads");
      List<String> windows = new ArrayList<>();
      detail
          .get("columns")
          .forEach(c -> windows.add(c.get("name").asText() + "=" + c.get("window").asText()));
      assertThat(windows)
          .containsExactly(
              "user_id=null", "visits_2h=2h", "visits_7d=7d", "dwell_2h=2h", "dwell_7d=7d");
      assertThat(detail.get("versions").size()).isEqualTo(2);
    }
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state))) {
      assertThat(registry.builds("reads_pinned").getFirst().featureVersions())
          .containsEntry("user_reads", 1);
      assertThat(registry.version("user_reads", 1).orElseThrow().view().windows())
          .containsExactly(Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(7));
      assertThat(registry.view("user_reads").orElseThrow().windows())
          .containsExactly(Duration.ofHours(2), Duration.ofDays(7));
    }
  }

  private static String event(long user, LocalDateTime at, double dwell) {
    return "(BIGINT '%d', TIMESTAMP '%s', DOUBLE '%s')"
        .formatted(user, LITERAL.format(at), Double.toString(dwell));
  }

  private static String spineRow(long user, LocalDateTime at) {
    return "(BIGINT '%d', TIMESTAMP '%s')".formatted(user, LITERAL.format(at));
  }

  private static JsonNode get(AsofServer server, String path)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.uri() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }

  private QueryEngine engine() {
    return new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
  }
}
