package io.asof.cli;

import static io.asof.cli.CliRun.concat;
import static io.asof.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.online.OnlineTable;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --json} of {@code backfill --list}, {@code online status} and {@code costs} on real
 * Trino and DynamoDB Local: one object each, in the shape docs/cli.md shows, and nothing else on
 * stdout.
 */
@ExtendWith(AsofStackExtension.class)
class TestCliJson {
  /** Reads stdout as one JSON value: anything after it fails the test. */
  private static final ObjectMapper READER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final String SCHEMA = "cli_json";
  private static final String VIEW = "cli_json_readings";

  private final StackEndpoints stack;

  TestCliJson(StackEndpoints stack) {
    this.stack = stack;
  }

  @Test
  void backfillListOnlineStatusAndCostsPrintJson(@TempDir Path state) throws IOException {
    try (QueryEngine engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()))) {
      engine.execute("CREATE SCHEMA IF NOT EXISTS iceberg." + SCHEMA);
      engine.execute("DROP TABLE IF EXISTS iceberg.%s.readings".formatted(SCHEMA));
      engine.execute("DROP TABLE IF EXISTS iceberg.features.%s__v1".formatted(VIEW));
      // 3 devices, a reading every 12 hours from 2026-01-01 to 2026-01-04
      engine.execute(
          """
          CREATE TABLE iceberg.%s.readings AS
          SELECT device_id, TIMESTAMP '2026-01-01 00:00:00.000000' + (h * INTERVAL '12' HOUR) AS ts,
            CAST(device_id * 10 + h AS double) AS v
          FROM UNNEST(sequence(1, 3)) AS a(device_id)
          CROSS JOIN UNNEST(sequence(0, 7)) AS b(h)"""
              .formatted(SCHEMA));
    }
    try (DynamoDbOnlineStore store =
        DynamoDbOnlineStore.connectLocal(stack.dynamoDbEndpoint(), stack.dynamoDbRegion())) {
      store.drop(
          OnlineTable.of(
              VIEW,
              1,
              List.of(new Column("device_id", "bigint")),
              List.of(new Column("v", "double"))));
    }
    Path repo = state.resolve("repo");
    Files.createDirectories(repo.resolve("views"));
    Files.writeString(
        repo.resolve("entities.yaml"), "entities:\n  device:\n    keys: [device_id]\n");
    Files.writeString(
        repo.resolve("views/" + VIEW + ".sql"),
        """
        -- view: %s
        -- entity: device
        -- event_time: ts
        -- materialize: true
        SELECT device_id, ts, v FROM %s.readings
        """
            .formatted(VIEW, SCHEMA));
    String[] common = {
      "--repo",
      repo.toString(),
      "--trino-url",
      stack.trinoJdbcUrl(),
      "--state-dir",
      state.toString()
    };
    String[] online = concat(common, "--dynamodb-endpoint", stack.dynamoDbEndpoint().toString());
    succeeds(concat(new String[] {"apply"}, common));
    CliRun backfill =
        succeeds(
            concat(
                new String[] {
                  "backfill", VIEW, "--from", "2026-01-01", "--to", "2026-01-05", "--chunk", "2d"
                },
                common));
    Matcher jobId = Pattern.compile("\\(job (bf[0-9a-f]+)\\)").matcher(backfill.out());
    assertThat(jobId.find()).as(backfill.out()).isTrue();
    String job = jobId.group(1);

    JsonNode jobs = json(concat(new String[] {"backfill", VIEW, "--list", "--json"}, common));
    assertThat(keys(jobs)).containsExactly("jobs");
    assertThat(jobs.get("jobs")).hasSize(1);
    JsonNode listed = jobs.get("jobs").get(0);
    assertThat(keys(listed))
        .containsExactly(
            "job",
            "view",
            "version",
            "table",
            "from",
            "to",
            "chunk_ms",
            "status",
            "started_at",
            "finished_at",
            "error",
            "rows",
            "chunks");
    assertThat(listed.get("job").asText()).isEqualTo(job);
    assertThat(listed.get("view").asText()).isEqualTo(VIEW);
    assertThat(listed.get("version").asInt()).isEqualTo(1);
    assertThat(listed.get("table").asText()).isEqualTo("iceberg.features." + VIEW + "__v1");
    assertThat(listed.get("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(listed.get("to").asText()).isEqualTo("2026-01-05T00:00:00Z");
    assertThat(listed.get("chunk_ms").asLong()).isEqualTo(2 * 86_400_000L);
    assertThat(listed.get("status").asText()).isEqualTo("succeeded");
    assertThat(Instant.parse(listed.get("finished_at").asText()))
        .isAfterOrEqualTo(Instant.parse(listed.get("started_at").asText()));
    assertThat(listed.get("error").isNull()).isTrue();
    assertThat(listed.get("rows").asLong()).isEqualTo(24);
    assertThat(listed.get("chunks")).hasSize(2);
    JsonNode second = listed.get("chunks").get(1);
    assertThat(keys(second))
        .containsExactly(
            "index",
            "from",
            "to",
            "status",
            "rows",
            "snapshot_id",
            "files",
            "bytes",
            "took_ms",
            "committed_at",
            "error");
    assertThat(second.get("index").asInt()).isEqualTo(1);
    assertThat(second.get("from").asText()).isEqualTo("2026-01-03T00:00:00Z");
    assertThat(second.get("status").asText()).isEqualTo("committed");
    assertThat(second.get("rows").asLong()).isEqualTo(12);
    assertThat(second.get("snapshot_id").isIntegralNumber()).isTrue();
    assertThat(second.get("files").asLong()).isPositive();
    assertThat(second.get("bytes").asLong()).isPositive();
    assertThat(second.get("error").isNull()).isTrue();

    JsonNode none = json(concat(new String[] {"online", "status", "--json"}, online));
    assertThat(none.get("views")).isEmpty();
    succeeds(concat(new String[] {"online", "enable", VIEW}, online));
    JsonNode status = json(concat(new String[] {"online", "status", "--json"}, online));
    assertThat(keys(status)).containsExactly("views");
    assertThat(status.get("views")).hasSize(1);
    JsonNode view = status.get("views").get(0);
    assertThat(keys(view))
        .containsExactly(
            "view",
            "state",
            "mode",
            "version",
            "table",
            "items",
            "loaded_through",
            "cache_refresh_ms",
            "enabled_at",
            "updated_at");
    assertThat(view.get("view").asText()).isEqualTo(VIEW);
    assertThat(view.get("state").asText()).isEqualTo("enabled");
    assertThat(view.get("mode").asText()).isEqualTo("dynamodb");
    assertThat(view.get("version").asInt()).isEqualTo(1);
    assertThat(view.get("table").asText()).isEqualTo("asof_" + VIEW + "__v1");
    assertThat(view.get("items").asLong()).isEqualTo(3);
    assertThat(Instant.parse(view.get("loaded_through").asText())).isBefore(Instant.now());
    assertThat(view.get("cache_refresh_ms").isNull()).isTrue();
    Instant.parse(view.get("enabled_at").asText());
    Instant.parse(view.get("updated_at").asText());

    JsonNode costs = json(new String[] {"costs", "--json", "--state-dir", state.toString()});
    assertThat(keys(costs)).containsExactly("costs", "total_cost_usd");
    List<String> recorded = new ArrayList<>();
    for (JsonNode cost : costs.get("costs")) {
      recorded.add(cost.get("kind").asText() + " " + cost.get("job").asText());
      assertThat(cost.get("engine").asText()).isEqualTo("trino");
      assertThat(cost.get("statements").asLong()).isPositive();
      assertThat(cost.get("cost_usd").isNull()).as("Trino has no price").isTrue();
    }
    assertThat(recorded).contains("backfill " + job, "online " + VIEW);
    assertThat(costs.get("total_cost_usd").asDouble()).isZero();

    succeeds(concat(new String[] {"online", "disable", VIEW, "--purge"}, online));
  }

  private static CliRun succeeds(String[] args) {
    CliRun run = run(args);
    assertThat(run.exit()).as(String.join(" ", args) + "\n" + run.out() + run.err()).isZero();
    return run;
  }

  /** Runs a command with --json; its stdout is one JSON object and nothing else. */
  private static JsonNode json(String[] args) throws IOException {
    CliRun run = succeeds(args);
    JsonNode json = READER.readTree(run.out());
    assertThat(json.isObject()).as(run.out()).isTrue();
    return json;
  }

  private static List<String> keys(JsonNode json) {
    return json.properties().stream().map(Map.Entry::getKey).toList();
  }
}
