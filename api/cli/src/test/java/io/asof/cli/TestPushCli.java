package io.asof.cli;

import static io.asof.cli.CliRun.concat;
import static io.asof.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.local.LocalStack;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.online.KeyRead;
import io.asof.online.OnlineTable;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
import io.asof.push.client.AsofPushClient;
import io.asof.push.client.PushFailedException;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.TestStack;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push fault test: {@code ./asof serve} killed with SIGKILL while a client pushes; after a
 * restart every acknowledged row is in the offline table exactly once, and DynamoDB holds the
 * newest value of every key; and {@code ./asof push --file} with a bad line takes nothing.
 */
@ExtendWith(AsofStackExtension.class)
class TestPushCli {
  private static final Path NEWS = Path.of("../../sql-features/examples/news");
  private static final int KEYS = 300;
  private static final int BATCH = 200;

  private final TestStack stack;
  private final StackEndpoints endpoints;

  TestPushCli(TestStack stack) {
    this.stack = stack;
    this.endpoints = stack.endpoints();
  }

  /** One push the server acknowledged: its sequence and each key's newest event time in it. */
  private record Acked(long sequence, int rows, Map<Long, LocalDateTime> newest) {}

  @Test
  void everyAcknowledgedRowSurvivesAKillExactlyOnceOfflineAndNewestOnline(@TempDir Path state)
      throws Exception {
    assumeTrue(
        stack.localWarehouse().isPresent(),
        "push commits need a directory both this JVM and Trino read: a stack of local processes");
    try (QueryEngine engine = engine()) {
      new NewsWarehouse(NewsWarehouseSpec.defaults(), endpoints.catalog(), "dwh")
          .load(engine, step -> {});
      engine.execute("DROP TABLE IF EXISTS iceberg.features.article_live__v1");
    }
    String[] common = common(state);
    CliRun apply =
        run(
            concat(
                new String[] {
                  "apply", "--dynamodb-endpoint", endpoints.dynamoDbEndpoint().toString()
                },
                common));
    assertThat(apply.exit()).as(apply.err()).isZero();
    try (DynamoDbOnlineStore store =
        DynamoDbOnlineStore.connectLocal(
            endpoints.dynamoDbEndpoint(), endpoints.dynamoDbRegion())) {
      store.drop(onlineTable());
    }
    CliRun enable =
        run(
            concat(
                new String[] {
                  "online",
                  "enable",
                  "article_live",
                  "--dynamodb-endpoint",
                  endpoints.dynamoDbEndpoint().toString()
                },
                common));
    assertThat(enable.exit()).as(enable.err() + enable.out()).isZero();

    int port = LocalStack.freePort();
    Process server = serve(state, common, port);
    AsofPushClient client =
        AsofPushClient.builder(URI.create("http://127.0.0.1:" + port)).attempts(1).build();
    List<Acked> acked = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(7);
    LocalDateTime at = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    long started = System.nanoTime();
    try {
      while (true) {
        List<Map<String, Object>> rows = new ArrayList<>(BATCH);
        Map<Long, LocalDateTime> newest = new HashMap<>();
        for (int i = 0; i < BATCH; i++) {
          long key = random.nextLong(KEYS);
          at = at.plus(1, ChronoUnit.MILLIS);
          rows.add(Map.of("article_id", key, "updated_at", at, "reads_5m", (long) i));
          newest.merge(key, at, (a, b) -> a.isAfter(b) ? a : b);
        }
        AsofPushClient.Pushed pushed = client.push("article_live", rows);
        acked.add(new Acked(pushed.sequence(), BATCH, newest));
        if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(4) && acked.size() > 20) {
          server.destroyForcibly(); // SIGKILL, while this client keeps pushing
        }
      }
    } catch (PushFailedException e) {
      // the server is gone
    }
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(acked.size()).isGreaterThan(20);

    Process restarted = serve(state, common, port);
    try (QueryEngine engine = engine();
        DynamoDbOnlineStore store =
            DynamoDbOnlineStore.connectLocal(
                endpoints.dynamoDbEndpoint(), endpoints.dynamoDbRegion())) {
      long expected = acked.stream().mapToLong(Acked::rows).sum();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      Map<Long, Long> bySequence = bySequence(engine);
      while (bySequence.values().stream().mapToLong(Long::longValue).sum() < expected
          && System.nanoTime() < deadline) {
        Thread.sleep(500);
        bySequence = bySequence(engine);
      }
      // exactly once: every acknowledged push's rows, once; nothing else but whole pushes that
      // were durable when the kill came and whose answer was lost
      for (Acked push : acked) {
        assertThat(bySequence.get(push.sequence()))
            .as("rows of push %d in the table", push.sequence())
            .isEqualTo((long) push.rows());
      }
      assertThat(bySequence.values()).containsOnly((long) BATCH);

      // online: each key's newest event time, the same as the table's newest
      Map<Long, LocalDateTime> offline = new HashMap<>();
      for (List<Object> row :
          engine
              .query(
                  "SELECT article_id, max(updated_at) FROM iceberg.features.article_live__v1 GROUP BY 1")
              .rows()) {
        offline.put(
            ((Number) row.get(0)).longValue(), ((java.sql.Timestamp) row.get(1)).toLocalDateTime());
      }
      Map<Long, LocalDateTime> newestAcked = new HashMap<>();
      for (Acked push : acked) {
        push.newest().forEach((k, t) -> newestAcked.merge(k, t, (a, b) -> a.isAfter(b) ? a : b));
      }
      List<List<Object>> keys = new ArrayList<>();
      for (long key : offline.keySet()) {
        keys.add(List.of(key));
      }
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      List<KeyRead> reads = store.read(onlineTable(), keys);
      while (!matches(keys, reads, offline) && System.nanoTime() < deadline) {
        Thread.sleep(500);
        reads = store.read(onlineTable(), keys);
      }
      for (int i = 0; i < keys.size(); i++) {
        long key = (Long) keys.get(i).getFirst();
        Instant online = reads.get(i).record().orElseThrow().eventTime();
        assertThat(online).as("key %d", key).isEqualTo(offline.get(key).toInstant(ZoneOffset.UTC));
        assertThat(offline.get(key)).isAfterOrEqualTo(newestAcked.get(key));
      }
    } finally {
      restarted.destroy();
      restarted.waitFor(90, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFileWithABadLineTakesNothingAndNamesTheLine(@TempDir Path state) throws Exception {
    assumeTrue(
        stack.localWarehouse().isPresent(),
        "push commits need a directory both this JVM and Trino read: a stack of local processes");
    String[] common = common(state);
    try (QueryEngine engine = engine()) {
      new NewsWarehouse(NewsWarehouseSpec.defaults(), endpoints.catalog(), "dwh")
          .load(engine, step -> {});
    }
    assertThat(
            run(concat(
                    new String[] {
                      "apply", "--dynamodb-endpoint", endpoints.dynamoDbEndpoint().toString()
                    },
                    common))
                .exit())
        .isZero();
    int port = LocalStack.freePort();
    Process server = serve(state, common, port);
    try {
      Path file = state.resolve("rows.ndjson");
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 25; i++) {
        lines.append(
            "{\"article_id\": %d, \"updated_at\": \"2026-12-04T10:00:00\", \"likes_5m\": %s}\n"
                .formatted(9000 + i, i == 22 ? "\"x\"" : Integer.toString(i)));
      }
      Files.writeString(file, lines);
      String[] push = {
        "push",
        "article_live",
        "--file",
        file.toString(),
        "--server",
        "http://127.0.0.1:" + port,
        "--batch-rows",
        "10"
      };
      CliRun bad = run(push);
      assertThat(bad.exit()).isEqualTo(1);
      assertThat(bad.err())
          .contains("the batch from line 21")
          .contains("row 2, field likes_5m: expected bigint")
          .contains("nothing was taken");
      Files.writeString(file, lines.toString().replace("\"x\"", "22"));
      CliRun good = run(push);
      assertThat(good.exit()).as(good.err()).isZero();
      assertThat(good.out()).contains("Pushed 25 rows to article_live in 3 batches");
    } finally {
      server.destroy();
      assertThat(server.waitFor(90, TimeUnit.SECONDS)).isTrue();
    }
    try (QueryEngine engine = engine()) {
      // the server commits what it holds when it stops
      assertThat(
              ((Number)
                      engine
                          .query(
                              "SELECT count(*) FROM iceberg.features.article_live__v1 WHERE article_id >= 9000")
                          .onlyValue())
                  .longValue())
          .isEqualTo(25);
    }
  }

  private static boolean matches(
      List<List<Object>> keys, List<KeyRead> reads, Map<Long, LocalDateTime> offline) {
    for (int i = 0; i < keys.size(); i++) {
      var record = reads.get(i).record();
      if (record.isEmpty()
          || !record
              .get()
              .eventTime()
              .equals(offline.get((Long) keys.get(i).getFirst()).toInstant(ZoneOffset.UTC))) {
        return false;
      }
    }
    return true;
  }

  private static Map<Long, Long> bySequence(QueryEngine engine) {
    Map<Long, Long> counts = new HashMap<>();
    for (List<Object> row :
        engine
            .query(
                "SELECT __asof_push_seq, count(*) FROM iceberg.features.article_live__v1 GROUP BY 1")
            .rows()) {
      counts.put(((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue());
    }
    return counts;
  }

  /** The online table of article_live@1, as its CREATE TABLE declares the columns. */
  private static OnlineTable onlineTable() {
    return OnlineTable.of(
        "article_live",
        1,
        List.of(new Column("article_id", "bigint")),
        List.of(
            new Column("reads_5m", "bigint"),
            new Column("likes_5m", "bigint"),
            new Column("shares_5m", "bigint")));
  }

  /** {@code ./asof serve} in a JVM of its own, returned once it takes requests. */
  private Process serve(Path state, String[] common, int port) throws IOException {
    Path warehouse = stack.localWarehouse().orElseThrow();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Asof.class.getName());
    command.add("serve");
    command.addAll(List.of(common));
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--dynamodb-endpoint",
            endpoints.dynamoDbEndpoint().toString(),
            "--push-log",
            state.resolve("push-log").toString(),
            "--push-staging-dir",
            warehouse.resolve("push_cli_staging").toString(),
            "--push-staging-uri",
            "local:///push_cli_staging",
            "--push-commit-interval",
            "1s"));
    Process child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      seen.append(line).append('\n');
      if (line.startsWith("Asof serves")) {
        // keep draining its output so that it never blocks on a full pipe
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    while (lines.readLine() != null) {
                      // discard
                    }
                  } catch (IOException e) {
                    // the process ended
                  }
                });
        return child;
      }
    }
    throw new AssertionError("./asof serve ended before serving:\n" + seen);
  }

  private QueryEngine engine() {
    return new TrinoQueryEngine(
        new TrinoConnectionConfig(endpoints.trinoJdbcUrl(), endpoints.trinoUser()));
  }

  private String[] common(Path state) {
    return new String[] {
      "--repo",
      NEWS.toString(),
      "--trino-url",
      endpoints.trinoJdbcUrl(),
      "--state-dir",
      state.toString()
    };
  }
}
