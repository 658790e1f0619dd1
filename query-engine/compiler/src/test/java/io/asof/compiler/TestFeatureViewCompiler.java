package io.asof.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.features.repository.RepositoryLoader;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.model.FeatureRepository;
import io.asof.model.Materialization;
import io.asof.model.RepositoryException;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiler against the live warehouse on Trino 476: the examples compile, bad input is placed
 * exactly.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestFeatureViewCompiler {
  private static final Path EXAMPLES = Path.of("../../sql-features/examples");

  private QueryEngine engine;
  private FeatureViewCompiler compiler;

  @TempDir Path repository;

  @BeforeAll
  void loadWarehouse(StackEndpoints stack) {
    // the compiler reads two-part names in the session's catalog, on Trino as in Calcite
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(
                stack.trinoJdbcUrl() + "/" + stack.catalog(), stack.trinoUser()));
    new NewsWarehouse(new NewsWarehouseSpec(42, 5_000), stack.catalog(), "dwh")
        .load(engine, step -> {});
    compiler =
        new FeatureViewCompiler(
            new EngineWarehouseCatalog(engine, new TrinoDialect()), engine, stack.catalog());
  }

  @AfterAll
  void close() {
    engine.close();
  }

  @Test
  void compilesTheNewsExampleWithTrinoTypes() {
    Map<String, CompiledView> views =
        compiler.compileAll(RepositoryLoader.load(EXAMPLES.resolve("news"))).stream()
            .collect(Collectors.toMap(CompiledView::name, v -> v));
    assertThat(views).hasSize(10);
    CompiledView engagement = views.get("user_engagement");
    // an aggregation view: its keys, then each output over each window
    assertThat(engagement.columns())
        .containsExactly(
            new Column("user_id", "bigint"),
            new Column("reads_7d", "bigint"),
            new Column("reads_30d", "bigint"),
            new Column("dwell_seconds_7d", "bigint"),
            new Column("dwell_seconds_30d", "bigint"),
            new Column("likes_7d", "bigint"),
            new Column("likes_30d", "bigint"));
    assertThat(engagement.features())
        .extracting(Column::name)
        .containsExactly(
            "reads_7d",
            "reads_30d",
            "dwell_seconds_7d",
            "dwell_seconds_30d",
            "likes_7d",
            "likes_30d");
    assertThat(engagement.sourceTables()).containsExactly("iceberg.dwh.reactions");
    assertThat(views.get("user_category_affinity").sourceTables())
        .containsExactlyInAnyOrder("iceberg.dwh.reactions", "iceberg.dwh.articles");
    assertThat(views.get("article_daily_ctr").type("ctr_7d")).isEqualTo("double");
    assertThat(views.get("article_popularity").type("avg_dwell_seconds_1d")).isEqualTo("double");
    assertThat(views.get("article_ctr").type("ctr_7d")).isEqualTo("double");
    assertThat(views.get("article_daily_ctr").spec().expectations())
        .extracting(e -> e.rule())
        .contains("unique_keys", "range(ctr_7d, 0, 1)");
  }

  @Test
  void compilesTheTpchExample() {
    List<CompiledView> views = compiler.compileAll(RepositoryLoader.load(EXAMPLES.resolve("tpch")));
    assertThat(views)
        .extracting(CompiledView::name)
        .containsExactly("customer_orders", "nation_daily", "supplier_monthly");
    assertThat(views.getFirst().type("spend_90d")).isEqualTo("decimal(38,2)");
    assertThat(views.getFirst().sourceTables()).containsExactly("tpch.sf1.orders");
    // through a CTE with GROUP BY, then windows
    assertThat(views.getFirst().sources("spend_90d"))
        .containsExactly(
            "tpch.sf1.orders.custkey", "tpch.sf1.orders.orderdate", "tpch.sf1.orders.totalprice");
  }

  @Test
  void columnLineageNamesTheSourceColumnsOfEveryOutputColumn() {
    Map<String, CompiledView> views =
        compiler.compileAll(RepositoryLoader.load(EXAMPLES.resolve("news"))).stream()
            .collect(Collectors.toMap(CompiledView::name, v -> v));
    CompiledView engagement = views.get("user_engagement");
    assertThat(engagement.lineage().keySet())
        .containsExactlyElementsOf(engagement.columns().stream().map(Column::name).toList());
    assertThat(engagement.sources("user_id")).containsExactly("iceberg.dwh.reactions.user_id");
    // a windowed feature is fed by its aggregate's argument and by the event and created times
    // that decide which events its window holds
    assertThat(engagement.sources("dwell_seconds_7d"))
        .containsExactly(
            "iceberg.dwh.reactions.dwell_seconds",
            "iceberg.dwh.reactions.ingested_at",
            "iceberg.dwh.reactions.reacted_at");
    assertThat(engagement.sources("reads_30d"))
        .containsExactly("iceberg.dwh.reactions.ingested_at", "iceberg.dwh.reactions.reacted_at");
    // across a join: each column comes from its own table
    CompiledView affinity = views.get("user_category_affinity");
    assertThat(affinity.sources("category")).containsExactly("iceberg.dwh.articles.category");
    // through a CTE: the created time is computed from the event time
    assertThat(views.get("article_ctr").sources("ctr_7d"))
        .containsExactly("iceberg.dwh.impressions.clicked", "iceberg.dwh.impressions.shown_at");
    // count(*) of a GROUP BY reads no column: nothing feeds it but the rows themselves
    assertThat(views.get("article_daily_ctr").sources("impressions_1d")).isEmpty();
    assertThat(views.get("article_daily_ctr").sources("ctr_7d"))
        .containsExactly(
            "iceberg.dwh.impressions.article_id",
            "iceberg.dwh.impressions.clicked",
            "iceberg.dwh.impressions.shown_at");
    for (CompiledView view : views.values()) {
      if (view.spec().materialization() == Materialization.PUSH
          || view.aggregation().flatMap(a -> a.pushSource()).isPresent()) {
        // its values, or the events it counts, are pushed: no warehouse column feeds them
        assertThat(view.lineage().values())
            .allMatch(sources -> sources.stream().noneMatch(s -> s.contains(".dwh.")));
        continue;
      }
      for (Column feature : view.features()) {
        if (view.name().equals("article_daily_ctr") && feature.name().equals("impressions_1d")) {
          continue;
        }
        assertThat(view.sources(feature.name()))
            .as("lineage of %s.%s", view.name(), feature.name())
            .isNotEmpty()
            .allMatch(source -> source.startsWith("iceberg.dwh."));
      }
    }
  }

  @Test
  void syntaxError() throws IOException {
    assertError(
        "SELECT user_id reacted_at AS event_ts FROM dwh.reactions",
        "views/v.sql:3:27: syntax error at 'AS': check for a missing comma, parenthesis or keyword just before it");
  }

  @Test
  void unknownTable() throws IOException {
    assertError(
        "SELECT user_id, reacted_at AS event_ts\nFROM dwh.reaktions",
        "views/v.sql:4:6: unknown table iceberg.dwh.reaktions: it is not in the warehouse; check the name, and write tables as schema.table or catalog.schema.table");
  }

  @Test
  void unknownColumnWithSuggestion() throws IOException {
    assertError(
        "SELECT user_id, reacted_at AS event_ts, sum(dwel_seconds) OVER (PARTITION BY user_id) AS d\nFROM dwh.reactions",
        "views/v.sql:3:45: unknown column dwel_seconds (did you mean dwell_seconds?): check the spelling against the table's columns");
  }

  @Test
  void ambiguousColumn() throws IOException {
    assertError(
        "SELECT r.user_id, r.reacted_at AS event_ts, article_id\nFROM dwh.reactions r JOIN dwh.impressions i ON i.impression_id = r.impression_id",
        "views/v.sql:3:45: column article_id is ambiguous: more than one table in FROM has it; qualify it with its table's alias, e.g. r.article_id");
  }

  @Test
  void missingKeyColumn() throws IOException {
    assertError(
        "SELECT article_id, reacted_at AS event_ts FROM dwh.reactions",
        "views/v.sql:3:1: missing key column user_id: a view of entity user must output user_id");
  }

  @Test
  void missingEventTimeColumn() throws IOException {
    assertError(
        "SELECT user_id, reacted_at FROM dwh.reactions",
        "views/v.sql:3:1: the event_time column event_ts is not in the output: add it to the SELECT, or name another column in '-- event_time:'");
  }

  @Test
  void eventTimeThatIsNotATimestamp() throws IOException {
    assertError(
        "SELECT user_id, CAST(reacted_at AS date) AS event_ts FROM dwh.reactions",
        "views/v.sql:3:1: the event_time column event_ts is date, not a timestamp: output CAST(event_ts AS timestamp(6)) AS event_ts");
  }

  @Test
  void duplicateEventTimeColumn() throws IOException {
    assertError(
        "SELECT user_id, reacted_at AS event_ts, ingested_at AS event_ts FROM dwh.reactions",
        "views/v.sql:3:1: column event_ts is output twice: give each output column its own name");
  }

  @Test
  void ddlInsteadOfSelect() throws IOException {
    assertError(
        "CREATE TABLE dwh.x AS SELECT user_id, reacted_at AS event_ts FROM dwh.reactions",
        "views/v.sql:3:1: a feature view is one SELECT query, not CREATE: Asof writes and publishes the view's rows itself; keep only the SELECT");
  }

  @Test
  void atTimeZoneSaysWhatToWriteInstead() throws IOException {
    assertError(
        "SELECT user_id, reacted_at AT TIME ZONE 'UTC' AS event_ts FROM dwh.reactions",
        "views/v.sql:3:28: syntax error at 'AT': check for a missing comma, parenthesis or keyword just before it; AT TIME ZONE is not supported in feature SQL: keep times in UTC, or use with_timezone(ts, 'UTC')");
  }

  @Test
  void insertInsteadOfSelect() throws IOException {
    assertError(
        "\n  INSERT INTO dwh.x SELECT user_id, reacted_at AS event_ts FROM dwh.reactions",
        "views/v.sql:4:3: a feature view is one SELECT query, not INSERT: Asof writes and publishes the view's rows itself; keep only the SELECT");
  }

  @Test
  void clockFunctionsAreLeakageHazards() throws IOException {
    assertError(
        "SELECT user_id, reacted_at AS event_ts, now() - reacted_at AS age,\n  current_timestamp AS t\nFROM dwh.reactions",
        "views/v.sql:3:41: now() reads the clock, so the view's values would depend on when it runs and training rows could see the future: compute times from the rows' own columns",
        "views/v.sql:4:3: current_timestamp reads the clock, so the view's values would depend on when it runs and training rows could see the future: compute times from the rows' own columns");
  }

  @Test
  void followingFrameIsALeakageHazard() throws IOException {
    assertError(
        "SELECT user_id, reacted_at AS event_ts,\n  count(*) OVER (PARTITION BY user_id ORDER BY reacted_at ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) AS next_reads\nFROM dwh.reactions",
        "views/v.sql:4:88: this window frame reaches FOLLOWING rows, which lie after the row's event time: end the frame at CURRENT ROW");
  }

  @Test
  void errorsOfSeveralViewsComeTogether() throws IOException {
    write(
        "views/a.sql",
        "-- entity: user\n-- event_time: event_ts\nSELECT user_id FROM dwh.reactions\n");
    write(
        "views/b.sql",
        "-- entity: user\n-- event_time: event_ts\nSELECT user_id, now() AS event_ts FROM dwh.reactions\n");
    write("entities.yaml", "entities:\n  user:\n    keys: [user_id]\n");
    assertThatThrownBy(() -> compiler.compileAll(RepositoryLoader.load(repository)))
        .isInstanceOfSatisfying(
            RepositoryException.class,
            e ->
                assertThat(e.diagnostics())
                    .extracting(d -> repository.relativize(d.position().file()).toString())
                    .containsExactly("views/a.sql", "views/b.sql"));
  }

  @Test
  void expectationsNameOutputColumnsOfFittingTypes() throws IOException {
    assertViewError(
        """
        -- entity: user
        -- event_time: event_ts
        -- expect: not_null(user_id, dwel_seconds)
        -- expect: range(event_ts, 0, 1)
        -- expect: range(dwell_seconds, 0, _)
        -- expect: accepted_values(dwell_seconds, 'a', 'b')
        -- expect: accepted_values(liked, 1)
        -- expect: unique_keys
        SELECT user_id, reacted_at AS event_ts, dwell_seconds, CAST(liked AS varchar) AS liked
        FROM dwh.reactions
        """,
        "views/v.sql:3:12: expectation not_null(user_id, dwel_seconds) names column dwel_seconds, which the view does not output (did you mean dwell_seconds?): expectations check the view's output columns (user_id, event_ts, dwell_seconds, liked)");
    assertViewError(
        """
        -- entity: user
        -- event_time: event_ts
        -- expect: range(event_ts, 0, 1)
        -- expect: range(dwell_seconds, 0, _)
        -- expect: accepted_values(dwell_seconds, 'a', 'b')
        -- expect: accepted_values(liked, 1)
        -- expect: accepted_values(liked, 'true', 'false')
        SELECT user_id, reacted_at AS event_ts, dwell_seconds, CAST(liked AS varchar) AS liked
        FROM dwh.reactions
        """,
        "views/v.sql:3:12: range needs a numeric column, but event_ts is timestamp(6): use accepted_values or not_null for it instead",
        "views/v.sql:5:12: accepted_values lists strings, but dwell_seconds is integer: write the values without quotes for a numeric column",
        "views/v.sql:6:12: accepted_values lists numbers, but liked is varchar: write the values in single quotes for a text column");
  }

  private void assertError(String sql, String... expected) throws IOException {
    assertViewError("-- entity: user\n-- event_time: event_ts\n" + sql + "\n", expected);
  }

  private void assertViewError(String file, String... expected) throws IOException {
    write("entities.yaml", "entities:\n  user:\n    keys: [user_id]\n");
    write("views/v.sql", file);
    FeatureRepository loaded = RepositoryLoader.load(repository);
    assertThatThrownBy(() -> compiler.compileAll(loaded))
        .isInstanceOfSatisfying(
            RepositoryException.class,
            e ->
                assertThat(
                        e.diagnostics().stream()
                            .map(
                                d ->
                                    repository.relativize(d.position().file())
                                        + ":"
                                        + d.position().line()
                                        + ":"
                                        + d.position().column()
                                        + ": "
                                        + d.message())
                            .toList())
                    .containsExactly(expected));
  }

  private void write(String name, String text) throws IOException {
    Path file = repository.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
