package io.asof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.TestFiles;
import io.asof.testing.TestStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The asof command as a user runs it. */
class TestAsofCli {
  @Test
  void helpListsTheCommands() {
    Run run = run("--help");
    assertThat(run.exit).isZero();
    assertThat(run.out).contains("local", "quickstart", "warehouse");
  }

  @Test
  void statusOfAStackThatNeverRanSaysStoppedAsJson(@TempDir Path stateDir) {
    Run run = run("local", "status", "--json", "--state-dir", stateDir.toString());
    assertThat(run.exit).isZero();
    assertThat(run.out)
        .contains("\"state\" : \"stopped\"")
        .contains("\"jdbcUrl\" : \"jdbc:trino://127.0.0.1:18080\"")
        .contains("\"endpoint\" : \"http://127.0.0.1:18000\"");
  }

  @Test
  void downOfAStackThatNeverRanSaysSo(@TempDir Path stateDir) {
    Run run = run("local", "down", "--state-dir", stateDir.toString());
    assertThat(run.exit).isZero();
    assertThat(run.out).isEqualTo("The local stack was not running.\n");
  }

  @Test
  void missingCatalogFileIsOneLine(@TempDir Path stateDir) {
    Run run =
        run(
            "local",
            "up",
            "--state-dir",
            stateDir.toString(),
            "--iceberg-properties",
            stateDir.resolve("nope.properties").toString());
    assertThat(run.exit).isEqualTo(1);
    assertThat(run.err)
        .isEqualTo(
            "asof: --iceberg-properties: no such file: "
                + stateDir.resolve("nope.properties")
                + "\n");
  }

  @Test
  void unknownOptionIsRefused() {
    Run run = run("local", "up", "--trino-prot", "1");
    assertThat(run.exit).isEqualTo(2);
    assertThat(run.err)
        .contains("Unknown options: '--trino-prot', '1'")
        .contains("Possible solutions: --trino-port");
  }

  @Test
  @ExtendWith(AsofStackExtension.class)
  void quickstartLoadsTheWarehouseAndShowsIt(TestStack testStack, @TempDir Path stateDir) {
    StackEndpoints stack = testStack.endpoints();
    List<String> push =
        testStack
            .localWarehouse()
            .map(
                w ->
                    List.of(
                        "--push-staging-dir",
                        w.resolve("quickstart_staging").toString(),
                        "--push-staging-uri",
                        "local:///quickstart_staging"))
            .orElse(List.of());
    List<String> quickstart =
        new java.util.ArrayList<>(
            List.of(
                "quickstart",
                "--trino-url",
                stack.trinoJdbcUrl(),
                "--dynamodb-endpoint",
                stack.dynamoDbEndpoint().toString(),
                "--state-dir",
                stateDir.toString()));
    quickstart.addAll(push);
    Run first = run(quickstart.toArray(String[]::new));
    assertThat(first.exit).as(first.err).isZero();
    assertThat(first.out)
        // another test of this JVM may have loaded it already
        .containsAnyOf(
            "Generating the demo warehouse in iceberg.dwh (seed 42, 100,000 impressions",
            "Demo warehouse iceberg.dwh is already loaded (seed 42, 100,000 impressions)")
        .contains("-- Click-through rate by category, all 90 days")
        .contains("-- The last five articles shown to user 1")
        .containsPattern("impressions\\s+100,000\\s+2026-01-01")
        .contains("== 4/8 The news feature views")
        .contains("-- The feature catalog (iceberg.features.asof_features), by view")
        .containsPattern("user_engagement\\s+6\\s+recsys\\s+virtual\\s+false")
        .containsPattern("user_profile\\s+3\\s+growth\\s+virtual\\s+true")
        .contains("user_profile is online (version 1, table asof_user_profile__v1): loaded 4,000")
        .contains("Applied: 10 views in iceberg.features, 2 switched online, registry updated.")
        .contains("== 5/8 A backfill: article_daily_ctr")
        .containsPattern(
            "Backfilled iceberg\\.features\\.article_daily_ctr__v1: 4 chunks, [0-9,]+ rows")
        .contains("-- The table's snapshots, as Iceberg lists them (newest first)")
        .containsPattern("snapshot_id\\s+committed_at\\s+operation\\s+added_rows")
        .contains("== 6/8 A training set")
        .containsPattern(
            "Built iceberg\\.training\\.click_model: 100,000 rows, .* \\(snapshot \\d+\\)")
        .contains("-- A few labelled rows of the training set click_model (schema training)")
        .containsPattern(
            "impression_id\\s+user_id\\s+article_id\\s+shown_at\\s+clicked\\s+reads_7d")
        .contains("reads_7d by OVER (stale)")
        .contains("== 7/8 Online: user_profile")
        .containsPattern("user_profile is online \\(version 1, table asof_user_profile__v1\\)")
        .contains("   HTTP 200")
        .contains("\"statuses\":[\"PRESENT\",\"PRESENT\",\"PRESENT\"]")
        .contains("\"statuses\":[\"NOT_FOUND\",\"NOT_FOUND\",\"NOT_FOUND\"]")
        .contains("== 8/8 Push");
    if (!push.isEmpty()) {
      assertThat(first.out)
          .containsPattern("HTTP 200 after \\d+ ms: 500 rows durable in the push log")
          .containsPattern("counted \\d+ ms after the push")
          .contains("iceberg.features.reaction_events: 500 of the rows there");
    }

    // the row it shows: the window function's value is stale, asof's is the count at shown_at
    try (var engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()))) {
      NewsWarehouse.Statement staleVsRight =
          new NewsWarehouse(NewsWarehouseSpec.defaults(), stack.catalog(), "dwh")
              .trainingTour("training").stream()
                  .filter(q -> q.name().equals("stale-vs-right"))
                  .findFirst()
                  .orElseThrow();
      List<Object> row = engine.query(staleVsRight.sql()).rows().getFirst();
      assertThat(row.get(4)).isNotEqualTo(row.get(5));
      assertThat(row.get(5)).isEqualTo(row.get(6));
    }

    Run second = run(quickstart.toArray(String[]::new));
    assertThat(second.exit).as(second.err).isZero();
    assertThat(second.out)
        .contains("Demo warehouse iceberg.dwh is already loaded (seed 42, 100,000 impressions)");
  }

  @Test
  @ExtendWith(AsofStackExtension.class)
  void applyPublishesTheNewsViewsAndASecondPlanHasNothingToDo(
      StackEndpoints stack, @TempDir Path stateDir) throws IOException {
    loadNews(stack);
    String[] common = {
      "--repo",
      "../../sql-features/examples/news",
      "--trino-url",
      stack.trinoJdbcUrl(),
      "--state-dir",
      stateDir.toString()
    };
    Run apply =
        run(
            concat(
                "apply",
                concat(
                    "--dynamodb-endpoint", concat(stack.dynamoDbEndpoint().toString(), common))));
    assertThat(apply.exit).as(apply.err).isZero();
    assertThat(apply.out)
        .contains("  + user_engagement              new aggregation (v1)")
        .contains("  published iceberg.features.user_engagement")
        .contains("  + article_live                 new push (v1)")
        .contains("  + reaction_events              new push (v1)")
        .contains("  + article_trending             new aggregation, online (v1)")
        .contains("  published iceberg.features.article_live")
        .endsWith("Applied: 10 views in iceberg.features, 2 switched online, registry updated.\n");

    Run plan = run(concat("plan", common));
    assertThat(plan.exit).isZero();
    assertThat(plan.out).isEqualTo("No changes: the registry matches the repository.\n");

    Path broken = stateDir.resolve("broken");
    Files.createDirectories(broken.resolve("views"));
    Files.writeString(broken.resolve("entities.yaml"), "entities:\n  user:\n    keys: [user_id]\n");
    Files.writeString(
        broken.resolve("views/v.sql"),
        "-- entity: user\n-- event_time: ts\nDELETE FROM dwh.users\n");
    Run bad =
        run(
            "apply",
            "--repo",
            broken.toString(),
            "--trino-url",
            stack.trinoJdbcUrl(),
            "--state-dir",
            stateDir.toString());
    assertThat(bad.exit).isEqualTo(1);
    assertThat(bad.err)
        .isEqualTo(
            broken.resolve("views/v.sql").toAbsolutePath().normalize()
                + ":3:1: a feature view is one SELECT query, not DELETE: Asof writes and publishes the view's rows itself; keep only the SELECT\n"
                + "1 problem; nothing was applied.\n");
  }

  @Test
  @ExtendWith(AsofStackExtension.class)
  void applyKeepsOnlineExactlyTheViewsWhoseHeaderSaysSo(StackEndpoints stack, @TempDir Path state)
      throws IOException {
    loadNews(stack);
    Path repo = state.resolve("news");
    TestFiles.copyTree(Path.of("../../sql-features/examples/news"), repo);
    String[] common = {
      "--repo",
      repo.toString(),
      "--trino-url",
      stack.trinoJdbcUrl(),
      "--state-dir",
      state.toString(),
      "--dynamodb-endpoint",
      stack.dynamoDbEndpoint().toString()
    };
    String[] plan = concat("plan", common);
    String[] apply = concat("apply", common);
    String[] status = concat("online", concat("status", common));

    // the first apply switches on the two views whose header says online: true, and only those
    Run first = run(apply);
    assertThat(first.exit).as(first.err).isZero();
    assertThat(first.out)
        .contains(
            "  ~ user_profile                 online: off → on (apply loads the latest value per entity into the online store)\n")
        .contains("user_profile is online (version 1, table asof_user_profile__v1): loaded")
        .contains("article_trending is online (version 1")
        .endsWith("Applied: 10 views in iceberg.features, 2 switched online, registry updated.\n");
    assertThat(online(run(status).out)).containsExactly("article_trending", "user_profile");
    assertThat(run(plan).out).isEqualTo("No changes: the registry matches the repository.\n");

    // a header that loses its online line: plan says so, apply switches the view off
    Path profile = repo.resolve("views/user_profile.sql");
    Files.writeString(
        profile, Files.readString(profile).replace("-- online: true\n", "-- online: false\n"));
    assertThat(run(plan).out)
        .contains(
            "  ~ user_profile                 online: on → off (updates stop and the server stops serving it; its items stay until ./asof online disable --purge user_profile)\n");
    Run off = run(apply);
    assertThat(off.exit).as(off.err).isZero();
    assertThat(off.out)
        .contains(
            "  switched user_profile off online (its items stay until ./asof online disable --purge user_profile)\n");
    assertThat(online(run(status).out)).containsExactly("article_trending");

    // switched by hand: a one-off, which plan shows as drift and apply puts back
    Run byHand = run(concat("online", concat("enable", concat("user_engagement", common))));
    assertThat(byHand.exit).as(byHand.err).isZero();
    assertThat(byHand.out)
        .contains(
            "one-off: its file does not say -- online: true, so the next ./asof apply switches it off again");
    assertThat(run(plan).out)
        .contains(
            "  ~ user_engagement              online: on → off (drift: switched on by hand, but its file does not say online: true;");
    // the same plan for a script: JSON alone on stdout
    Run json = run(concat("plan", concat("--json", common)));
    assertThat(json.exit).as(json.err).isZero();
    JsonNode planned = new ObjectMapper().readTree(json.out);
    assertThat(planned.get("online").toString())
        .isEqualTo("[{\"view\":\"user_engagement\",\"online\":false,\"drift\":true}]");
    assertThat(planned.get("has_changes").asBoolean()).isTrue();
    assertThat(planned.get("changes")).hasSize(10);
    assertThat(planned.get("changes").get(0).get("kind").asText()).isEqualTo("unchanged");
    assertThat(run(apply).exit).isZero();
    assertThat(online(run(status).out)).containsExactly("article_trending");

    // back on: caught up from its last load, not reloaded
    Files.writeString(
        profile, Files.readString(profile).replace("-- online: false\n", "-- online: true\n"));
    Run on = run(apply);
    assertThat(on.exit).as(on.err).isZero();
    assertThat(on.out)
        .contains("user_profile is online (version 1, table asof_user_profile__v1): caught up");

    // all or nothing: a view that cannot be served online fails the apply, and the view switched
    // on before it in the same apply is switched off again, the registry left as it was
    Files.writeString(
        profile, Files.readString(profile).replace("-- online: true\n", "-- online: false\n"));
    Files.writeString(
        repo.resolve("views/zz_tags.sql"),
        """
        -- entity: user
        -- event_time: signup_at
        -- online: true
        SELECT user_id, signup_at, ARRAY[country] AS tags FROM dwh.users
        """);
    Run engagementOn = run(concat("online", concat("enable", concat("user_engagement", common))));
    assertThat(engagementOn.exit).as(engagementOn.err).isZero();
    Run failed = run(apply);
    assertThat(failed.exit).isEqualTo(1);
    assertThat(failed.err).contains("view zz_tags cannot be served online: tags is array(varchar)");
    assertThat(online(run(status).out))
        .containsExactly("article_trending", "user_engagement", "user_profile");
    assertThat(run(plan).out)
        .contains("  + zz_tags")
        .contains("  ~ user_profile                 online: on → off")
        .contains("  ~ zz_tags                      online: off → on");
  }

  @Test
  @ExtendWith(AsofStackExtension.class)
  void planAndApplyRefuseABrokenTrainingSetOrService(StackEndpoints stack, @TempDir Path state)
      throws IOException {
    loadNews(stack);
    Path repo = state.resolve("news");
    TestFiles.copyTree(Path.of("../../sql-features/examples/news"), repo);
    Path set = repo.resolve("training_sets/broken.sql");
    Files.writeString(
        set,
        """
        -- training_set: broken
        -- timestamp: shown_at
        -- label: clicked
        -- features: user_profile:is_premium
        SELECT i.user_id, i.shown_at, i.clicked, i.no_such_column
        FROM dwh.impressions i
        """);
    Path services = repo.resolve("feature_services.yaml");
    Files.writeString(
        services,
        Files.readString(services).replace("user_profile:is_premium", "user_profile:is_premum"));
    String[] common = {
      "--repo",
      repo.toString(),
      "--trino-url",
      stack.trinoJdbcUrl(),
      "--state-dir",
      state.toString()
    };
    for (String command : List.of("plan", "apply")) {
      Run run = run(concat(command, common));
      assertThat(run.exit).isEqualTo(1);
      assertThat(run.out).doesNotContain("+ user_profile");
      assertThat(run.err)
          .contains(services.toAbsolutePath().normalize() + ":")
          .contains("unknown feature user_profile:is_premum (did you mean is_premium?)")
          .contains(set.toAbsolutePath().normalize() + ":5:")
          .contains("no_such_column")
          .endsWith(
              "problems; nothing was %s.\n"
                  .formatted(command.equals("plan") ? "planned" : "applied"));
    }
    // nothing was applied: the views are still all new
    Files.delete(set);
    Files.writeString(
        services,
        Files.readString(services).replace("user_profile:is_premum", "user_profile:is_premium"));
    assertThat(run(concat("plan", common)).out)
        .endsWith(
            "10 to add, 0 to change (0 breaking), 0 to remove, 2 to switch online (2 on, 0 off).\n");
  }

  /** The news warehouse in the stack's catalog (loaded once; each test may be the first). */
  private static void loadNews(StackEndpoints stack) {
    try (var engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()))) {
      new NewsWarehouse(NewsWarehouseSpec.defaults(), stack.catalog(), "dwh")
          .load(engine, step -> {});
    }
  }

  /** The enabled views of {@code online status}'s table. */
  private static List<String> online(String status) {
    return status
        .lines()
        .filter(line -> line.matches("\\S+ +enabled .*"))
        .map(line -> line.substring(0, line.indexOf(' ')))
        .sorted()
        .toList();
  }

  @Test
  @ExtendWith(AsofStackExtension.class)
  void trainingSetsBuildExportAndReadEarlierSnapshots(StackEndpoints stack, @TempDir Path stateDir)
      throws IOException {
    loadNews(stack);
    String[] common = {
      "--repo",
      "../../sql-features/examples/news",
      "--trino-url",
      stack.trinoJdbcUrl(),
      "--state-dir",
      stateDir.toString()
    };
    // nothing applied yet: the set cannot read its views
    Run notApplied = trainingSet(common, "build", "click_model");
    assertThat(notApplied.exit).isEqualTo(1);
    assertThat(notApplied.err)
        .contains(
            "view user_engagement is not applied, so there is nothing to read its features from: run ./asof apply --repo ../../sql-features/examples/news first")
        .endsWith("; nothing was written.\n");

    Run applied =
        run(
            concat(
                "apply",
                concat(
                    "--dynamodb-endpoint", concat(stack.dynamoDbEndpoint().toString(), common))));
    assertThat(applied.exit).as(applied.err).isZero();
    Run unknown = trainingSet(common, "build", "click_modle");
    assertThat(unknown.exit).isEqualTo(1);
    assertThat(unknown.err)
        .isEqualTo(
            "asof: no training set click_modle in ../../sql-features/examples/news (did you mean click_model?): training sets are training_sets/<name>.sql; or give an ad-hoc one with --spine or --spine-csv\n");

    Run sql = trainingSet(common, "sql", "click_model");
    assertThat(sql.exit).as(sql.err).isZero();
    assertThat(sql.out)
        .startsWith("WITH\n  spine AS (")
        // an aggregation view is evaluated from its events
        .contains("FROM \"dwh\".\"reactions\"");

    Run first = trainingSet(common, "build", "click_model");
    assertThat(first.exit).as(first.err).isZero();
    long firstSnapshot = snapshot(first.out);
    Run second = trainingSet(common, "build", "click_model");
    assertThat(second.exit).as(second.err).isZero();
    long secondSnapshot = snapshot(second.out);
    assertThat(secondSnapshot).isNotEqualTo(firstSnapshot);

    Run builds = trainingSet(common, "builds", "click_model");
    assertThat(builds.out)
        .containsPattern(
            secondSnapshot + "\\s+\\S+\\s+100,000[\\s\\S]*" + firstSnapshot + "\\s+\\S+\\s+100,000")
        .contains("user_engagement v1");

    Path csv = stateDir.resolve("click_model.csv");
    Run export =
        trainingSet(
            common,
            "export",
            "click_model",
            "--format",
            "csv",
            "--out",
            csv.toString(),
            "--snapshot",
            String.valueOf(firstSnapshot));
    assertThat(export.exit).as(export.err).isZero();
    assertThat(export.out)
        .containsPattern(
            "Exported 100,000 rows of iceberg.training.click_model \\(snapshot "
                + firstSnapshot
                + "\\) to .* rows/s\\.");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(100_001);
    assertThat(lines.getFirst())
        .startsWith(
            "impression_id,user_id,article_id,category,shown_at,position,clicked,reads_7d,");

    // an ad-hoc spine of uploaded rows: user 1 before any read, and late in the quarter
    Path spine = stateDir.resolve("spine.csv");
    Files.writeString(
        spine,
        "user_id,shown_at,label\n1,2025-12-01 00:00:00,true\n1,2026-03-31 00:00:00,false\n,2026-03-31 00:00:00,false\n");
    Run adHoc =
        trainingSet(
            common,
            "build",
            "adhoc_users",
            "--spine-csv",
            spine.toString(),
            "--timestamp",
            "shown_at",
            "--features",
            "user_engagement:reads_30d");
    assertThat(adHoc.exit).as(adHoc.err).isZero();
    assertThat(adHoc.out).contains("Built iceberg.training.adhoc_users: 3 rows");
    try (var engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()))) {
      List<List<Object>> rows =
          engine
              .query(
                  "SELECT user_id, label, reads_30d FROM iceberg.training.adhoc_users ORDER BY shown_at, user_id NULLS LAST")
              .rows();
      assertThat(rows).hasSize(3);
      // before the first read: no reads in the window; a NULL key: no value
      assertThat(rows.get(0)).containsExactly(1L, true, 0L);
      assertThat(rows.get(2)).containsExactly(null, false, null);
      // the earlier build is still readable by its snapshot id
      assertThat(
              engine
                  .query(
                      "SELECT count(*) FROM iceberg.training.click_model FOR VERSION AS OF "
                          + firstSnapshot)
                  .onlyValue())
          .isEqualTo(100_000L);
    }
  }

  private static Run trainingSet(String[] common, String... args) {
    String[] all = new String[args.length + 1 + common.length];
    all[0] = "training-set";
    System.arraycopy(args, 0, all, 1, args.length);
    System.arraycopy(common, 0, all, args.length + 1, common.length);
    return run(all);
  }

  private static long snapshot(String buildOutput) {
    Matcher matcher = Pattern.compile("\\(snapshot (-?\\d+)\\)").matcher(buildOutput);
    assertThat(matcher.find()).as(buildOutput).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  private static String[] concat(String first, String... rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Asof.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }
}
