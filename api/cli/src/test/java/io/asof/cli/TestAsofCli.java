package io.asof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
  void quickstartLoadsTheWarehouseAndShowsIt(StackEndpoints stack, @TempDir Path stateDir) {
    Run first =
        run("quickstart", "--trino-url", stack.trinoJdbcUrl(), "--state-dir", stateDir.toString());
    assertThat(first.exit).as(first.err).isZero();
    assertThat(first.out)
        // another test of this JVM may have loaded it already
        .containsAnyOf(
            "Generating the demo warehouse in iceberg.dwh (seed 42, 100,000 impressions",
            "Demo warehouse iceberg.dwh is already loaded (seed 42, 100,000 impressions)")
        .contains("-- Click-through rate by category, all 90 days")
        .contains("-- The last five articles shown to user 1")
        .containsPattern("impressions\\s+100,000\\s+2026-01-01")
        .contains("== 4/4 The news feature views")
        .contains("-- The feature catalog (iceberg.features.asof_features), by view")
        .containsPattern("user_engagement\\s+4\\s+recsys\\s+materialized\\s+true");

    Run second =
        run("quickstart", "--trino-url", stack.trinoJdbcUrl(), "--state-dir", stateDir.toString());
    assertThat(second.exit).isZero();
    assertThat(second.out)
        .contains("Demo warehouse iceberg.dwh is already loaded (seed 42, 100,000 impressions)");
  }

  @Test
  @ExtendWith(AsofStackExtension.class)
  void applyPublishesTheNewsViewsAndASecondPlanHasNothingToDo(
      StackEndpoints stack, @TempDir Path stateDir) throws IOException {
    try (var engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()))) {
      new NewsWarehouse(NewsWarehouseSpec.defaults(), stack.catalog(), "dwh")
          .load(engine, step -> {});
    }
    String[] common = {
      "--repo",
      "../../sql-features/examples/news",
      "--trino-url",
      stack.trinoJdbcUrl(),
      "--state-dir",
      stateDir.toString()
    };
    Run apply = run(concat("apply", common));
    assertThat(apply.exit).as(apply.err).isZero();
    assertThat(apply.out)
        .contains("  + user_engagement              new materialized, online (v1)")
        .contains("  published iceberg.features.user_engagement")
        .endsWith("Applied: 6 views in iceberg.features, registry updated.\n");

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
