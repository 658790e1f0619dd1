package io.asof.cli;

import static io.asof.cli.CliRun.concat;
import static io.asof.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.asof.athena.emulator.AthenaEmulator;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.LocalS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The news repository through the Athena path: {@code --engine athena} sends Athena's SQL through
 * the AWS SDK to the local Athena and Glue emulator (a test fixture running it on the local Trino,
 * in a catalog of its own), and gives the same feature tables, published views, training set and
 * online values as the Trino path gives from the same warehouse.
 */
@ExtendWith(AsofStackExtension.class)
class TestAthenaPath {
  private static final String NEWS = "../../sql-features/examples/news";
  private static final String ATHENA = StackEndpoints.ATHENA_CATALOG;

  private final StackEndpoints stack;

  TestAthenaPath(StackEndpoints stack) {
    this.stack = stack;
  }

  @Test
  void theNewsRepositoryGivesTheSameResultsOnAthenaAsOnTrino(
      @TempDir Path trinoState, @TempDir Path athenaState) throws IOException {
    try (QueryEngine trino = engine()) {
      // the same warehouse in both catalogs
      for (String catalog : List.of(stack.catalog(), ATHENA)) {
        new NewsWarehouse(NewsWarehouseSpec.defaults(), catalog, "dwh").load(trino, step -> {});
        trino.execute("DROP TABLE IF EXISTS %s.features.article_daily_ctr__v1".formatted(catalog));
        trino.execute("DROP TABLE IF EXISTS %s.training.click_model".formatted(catalog));
      }
    }
    String dynamoDb = stack.dynamoDbEndpoint().toString();
    try (AthenaEmulator emulator =
        AthenaEmulator.start(stack.trinoJdbcUrl(), stack.trinoUser(), ATHENA, ATHENA)) {
      // large pulls unload to the test JVM's s3proxy, 1,000 rows a file
      emulator.unloadTo(LocalS3.shared().endpoint(), 1000);
      // the query results' bucket, there in any account Athena writes to: an unload of no rows
      // (apply loads the empty push-fed article_trending online) writes no file that would make it
      Files.createDirectories(LocalS3.shared().bucketDirectory("asof-test-results"));
      String[] onTrino = {
        "--repo", NEWS, "--trino-url", stack.trinoJdbcUrl(), "--state-dir", trinoState.toString()
      };
      String[] onAthena = {
        "--repo",
        NEWS,
        "--engine",
        "athena",
        "--athena-endpoint",
        emulator.endpoint().toString(),
        "--athena-region",
        "us-east-1",
        "--athena-output",
        "s3://asof-test-results/",
        "--athena-s3-endpoint",
        LocalS3.shared().endpoint().toString(),
        "--table-location",
        "s3://asof-test-warehouse/",
        "--state-dir",
        athenaState.toString()
      };
      for (String[] path : List.of(onTrino, onAthena)) {
        succeeds(concat(new String[] {"apply", "--dynamodb-endpoint", dynamoDb}, path));
        succeeds(
            concat(
                new String[] {
                  "backfill",
                  "article_daily_ctr",
                  "--from",
                  "2026-01-01",
                  "--to",
                  "2026-04-02",
                  "--chunk",
                  "30d"
                },
                path));
        succeeds(concat(new String[] {"training-set", "build", "click_model"}, path));
      }
      assertThat(emulator.queriesStarted()).isPositive();
      // each path's backfill and build recorded what they cost; on Athena in dollars too
      CliRun athenaCosts = run("costs", "--state-dir", athenaState.toString());
      assertThat(athenaCosts.out())
          .containsPattern("backfill +bf[0-9a-f]+ +athena +[0-9,]+ .*\\$0\\.\\d{4}")
          .containsPattern("training-set +click_model@-?\\d+ +athena ");
      CliRun trinoCosts = run("costs", "--kind", "backfill", "--state-dir", trinoState.toString());
      assertThat(trinoCosts.out()).containsPattern("backfill +bf[0-9a-f]+ +trino +[0-9,]+ .* -");

      try (QueryEngine trino = engine()) {
        for (String table :
            List.of(
                "features.article_daily_ctr__v1",
                "features.article_daily_ctr",
                "features.user_profile",
                "features.user_engagement",
                "training.click_model")) {
          String left = "SELECT * FROM %s.%s".formatted(stack.catalog(), table);
          String right = "SELECT * FROM %s.%s".formatted(ATHENA, table);
          assertThat(count(trino, left)).as(table).isPositive();
          assertThat(differences(trino, left, right)).as(table).isZero();
        }
      }

      // the export: paged over JDBC from Trino, unloaded to Parquet and read back from Athena
      Path trinoCsv = trinoState.resolve("click_model.csv");
      Path athenaCsv = athenaState.resolve("click_model.csv");
      long unloadsBefore = emulator.unloads();
      for (Map.Entry<Path, String[]> export :
          Map.of(trinoCsv, onTrino, athenaCsv, onAthena).entrySet()) {
        succeeds(
            concat(
                new String[] {
                  "training-set",
                  "export",
                  "click_model",
                  "--format",
                  "csv",
                  "--out",
                  export.getKey().toString()
                },
                export.getValue()));
      }
      assertThat(emulator.unloads()).isEqualTo(unloadsBefore + 1);
      assertThat(sortedLines(athenaCsv)).hasSizeGreaterThan(1000).isEqualTo(sortedLines(trinoCsv));

      // online: the values the Trino path loads, purged, then the ones the Athena path loads
      succeeds(
          concat(
              new String[] {"online", "enable", "user_profile", "--dynamodb-endpoint", dynamoDb},
              onTrino));
      List<String> fromTrino = items("asof_user_profile__v1");
      succeeds(
          concat(
              new String[] {
                "online", "disable", "user_profile", "--purge", "--dynamodb-endpoint", dynamoDb
              },
              onTrino));
      assertThat(tableExists("asof_user_profile__v1")).isFalse();
      succeeds(
          concat(
              new String[] {"online", "enable", "user_profile", "--dynamodb-endpoint", dynamoDb},
              onAthena));
      assertThat(fromTrino).hasSizeGreaterThan(1000);
      assertThat(items("asof_user_profile__v1")).isEqualTo(fromTrino);
      assertThat(emulator.unloads())
          .as("the Athena path's online load unloaded")
          .isEqualTo(unloadsBefore + 2);
    }
  }

  @Test
  void athenaOptionsAreCheckedBeforeAnythingRuns(@TempDir Path state) {
    String[] athena = {
      "--repo",
      NEWS,
      "--engine",
      "athena",
      "--athena-endpoint",
      "http://127.0.0.1:1",
      "--state-dir",
      state.toString()
    };
    CliRun noLocation =
        run(concat(new String[] {"backfill", "article_daily_ctr", "--list"}, athena));
    assertThat(noLocation.exit()).isEqualTo(1);
    assertThat(noLocation.err())
        .contains("give --table-location s3://bucket/prefix/ (or set ASOF_TABLE_LOCATION)");
    CliRun badLocation =
        run(
            concat(
                new String[] {
                  "backfill", "article_daily_ctr", "--list", "--table-location", "/tmp/x"
                },
                athena));
    assertThat(badLocation.exit()).isEqualTo(1);
    assertThat(badLocation.err()).contains("s3://");
    CliRun badUnload =
        run(
            concat(
                new String[] {
                  "backfill",
                  "article_daily_ctr",
                  "--list",
                  "--table-location",
                  "s3://bucket/asof/",
                  "--athena-unload",
                  "/tmp/unload"
                },
                athena));
    assertThat(badUnload.exit()).isEqualTo(1);
    assertThat(badUnload.err())
        .contains("the Athena unload location must be an s3:// URI, not /tmp/unload");
    CliRun unknownEngine =
        run(
            "backfill",
            "article_daily_ctr",
            "--list",
            "--repo",
            NEWS,
            "--engine",
            "spark",
            "--state-dir",
            state.toString());
    assertThat(unknownEngine.err()).contains("--engine is trino or athena, not 'spark'");
    // commands that only run on the local Trino do not offer the engine
    CliRun trinoOnly =
        run("warehouse", "load", "--engine", "athena", "--state-dir", state.toString());
    assertThat(trinoOnly.exit()).isEqualTo(2);
    assertThat(trinoOnly.err()).contains("Unknown options: '--engine', 'athena'");
  }

  /** A CSV file's lines, header first, then the rows sorted: an unloaded pull has no order. */
  private static List<String> sortedLines(Path csv) {
    try {
      List<String> lines = new ArrayList<>(java.nio.file.Files.readAllLines(csv));
      List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
      rows.sort(null);
      List<String> sorted = new ArrayList<>(List.of(lines.getFirst()));
      sorted.addAll(rows);
      return sorted;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void succeeds(String[] args) {
    CliRun run = run(args);
    assertThat(run.exit()).as("%s%n%s%n%s", String.join(" ", args), run.out(), run.err()).isZero();
  }

  /** Every item of a DynamoDB table, each as its sorted attributes, sorted. */
  private List<String> items(String table) {
    try (DynamoDbClient dynamo = dynamo()) {
      List<String> items = new ArrayList<>();
      dynamo
          .scanPaginator(r -> r.tableName(table))
          .items()
          .forEach(
              item -> {
                Map<String, String> sorted = new TreeMap<>();
                item.forEach((name, value) -> sorted.put(name, text(value)));
                items.add(sorted.toString());
              });
      items.sort(String::compareTo);
      return items;
    }
  }

  private boolean tableExists(String table) {
    try (DynamoDbClient dynamo = dynamo()) {
      return dynamo.listTables().tableNames().contains(table);
    }
  }

  private DynamoDbClient dynamo() {
    return DynamoDbClient.builder()
        .endpointOverride(stack.dynamoDbEndpoint())
        .region(Region.of(stack.dynamoDbRegion()))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }

  private static String text(AttributeValue value) {
    return value.toString();
  }

  private static long differences(QueryEngine engine, String left, String right) {
    return count(
        engine,
        "(%s EXCEPT ALL %s) UNION ALL (%s EXCEPT ALL %s)".formatted(left, right, right, left));
  }

  private static long count(QueryEngine engine, String query) {
    return ((Number) engine.query("SELECT count(*) FROM (" + query + ")").onlyValue()).longValue();
  }

  private QueryEngine engine() {
    return new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
  }
}
