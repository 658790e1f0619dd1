package io.asof.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.compiler.pit.JoinThenRowNumberSql;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryResult;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.features.repository.RepositoryLoader;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.model.FeatureRepository;
import io.asof.model.RepositoryException;
import io.asof.model.TrainingSetSpec;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.GoldenFiles;
import io.asof.testing.TestFiles;
import io.asof.testing.TrinoSql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Training sets of the examples on Trino 476: golden statements, real rows, and bad input. */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTrainingSetCompiler {
  private static final Path EXAMPLES = Path.of("../../sql-features/examples");

  private QueryEngine engine;
  private FeatureViewCompiler views;
  private TrainingSetCompiler trainingSets;

  @TempDir Path work;

  @BeforeAll
  void loadWarehouse(StackEndpoints stack) {
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(
                stack.trinoJdbcUrl() + "/" + stack.catalog(), stack.trinoUser()));
    new NewsWarehouse(new NewsWarehouseSpec(42, 5_000), stack.catalog(), "dwh")
        .load(engine, step -> {});
    views =
        new FeatureViewCompiler(
            new EngineWarehouseCatalog(engine, new TrinoDialect()), engine, stack.catalog());
    trainingSets =
        new TrainingSetCompiler(
            engine, new EngineWarehouseCatalog(engine, new TrinoDialect()), stack.catalog());
  }

  @AfterAll
  void close() {
    engine.close();
  }

  @Test
  void newsClickModelMatchesItsGoldenFileAndRunsOnTrino() {
    CompiledTrainingSet set = compile(EXAMPLES.resolve("news"), "click_model");
    TrinoSql.assertParses(set.sql());
    GoldenFiles.assertMatches("training/click_model.sql", set.sql() + "\n");
    assertThat(set.columns())
        .extracting(Column::name)
        .containsExactly(
            "impression_id",
            "user_id",
            "article_id",
            "category",
            "shown_at",
            "position",
            "clicked",
            "reads_7d",
            "reads_30d",
            "dwell_seconds_7d",
            "dwell_seconds_30d",
            "likes_7d",
            "likes_30d",
            "reads_1h",
            "reads_1d",
            "avg_dwell_seconds_1h",
            "avg_dwell_seconds_1d",
            "ctr_7d",
            "clicks_30d",
            "is_premium",
            "word_count");

    long spineRows = (Long) engine.query("SELECT count(*) FROM dwh.impressions").onlyValue();
    QueryResult counts =
        engine.query(
            "SELECT count(*), count(DISTINCT impression_id), count_if(reads_7d > 0), count(word_count) FROM ("
                + set.sql()
                + ")");
    List<Object> row = counts.rows().getFirst();
    // every spine row once, and features found for many of them (a window with no reads counts 0)
    assertThat(row.get(0)).isEqualTo(spineRows);
    assertThat(row.get(1)).isEqualTo(spineRows);
    assertThat((Long) row.get(2)).isPositive().isLessThan(spineRows);
    assertThat((Long) row.get(3)).isPositive();
    // an ad-hoc query's page: the set's statement, at most that many rows
    String page = set.firstRows(3);
    assertThat(page).isEqualTo("SELECT *\nFROM (\n" + set.sql() + "\n) AS training_set\nLIMIT 3");
    assertThat(engine.query(page).rows()).hasSize(3);
  }

  @Test
  void tpchUrgentOrdersMatchesItsGoldenFile() {
    CompiledTrainingSet set = compile(EXAMPLES.resolve("tpch"), "urgent_orders");
    TrinoSql.assertParses(set.sql());
    GoldenFiles.assertMatches("training/urgent_orders.sql", set.sql() + "\n");
    // the formulation the benchmark measures against
    String baseline = JoinThenRowNumberSql.plan(set.request()).sql();
    TrinoSql.assertParses(baseline);
    GoldenFiles.assertMatches("training/urgent_orders.join-then-row-number.sql", baseline + "\n");
  }

  @Test
  void unknownFeatureIsPlacedAndGetsTheNearestName() throws IOException {
    assertError(
        """
        -- timestamp: shown_at
        -- features: user_engagement:reads_7dd
        SELECT user_id, shown_at FROM dwh.impressions
        """,
        "training_sets/t.sql:2:14: unknown feature user_engagement:reads_7dd (did you mean reads_7d?): view user_engagement has reads_7d, reads_30d, dwell_seconds_7d, dwell_seconds_30d, likes_7d, likes_30d");
  }

  @Test
  void spineWithoutTheEntityKey() throws IOException {
    assertError(
        """
        -- timestamp: shown_at
        -- features: user_category_affinity:clicks_30d
        SELECT user_id, shown_at FROM dwh.impressions
        """,
        "training_sets/t.sql:3:1: the spine has no column category, a key of entity user_category that view user_category_affinity is joined on: add it to the spine's SELECT");
  }

  @Test
  void spineWithoutTheTimestamp() throws IOException {
    assertError(
        """
        -- timestamp: shwn_at
        -- features: user_engagement:reads_7d
        SELECT user_id, shown_at FROM dwh.impressions
        """,
        "training_sets/t.sql:3:1: the spine has no column shwn_at, which '-- timestamp:' names (did you mean shown_at?): its columns are user_id, shown_at");
  }

  @Test
  void timestampThatIsNotATimestamp() throws IOException {
    assertError(
        """
        -- timestamp: shown_on
        -- features: user_engagement:reads_7d
        SELECT user_id, CAST(shown_at AS date) AS shown_on FROM dwh.impressions
        """,
        "training_sets/t.sql:3:1: the spine's timestamp column shown_on is date, not a timestamp: select CAST(shown_on AS timestamp(6)) AS shown_on");
  }

  @Test
  void keyTypeMismatchSaysWhichCastToWrite() throws IOException {
    assertError(
        """
        -- timestamp: shown_at
        -- features: user_engagement:reads_7d
        SELECT CAST(user_id AS varchar) AS user_id, shown_at FROM dwh.impressions
        """,
        "training_sets/t.sql:3:1: key user_id is varchar in the spine but bigint in view user_engagement: select CAST(user_id AS bigint) AS user_id in the spine");
  }

  @Test
  void spineThatTrinoRejectsIsPlacedInTheFile() throws IOException {
    assertError(
        """
        -- timestamp: shown_at
        -- features: user_engagement:reads_7d
        SELECT user_id, shown_at
        FROM dwh.impressions
        WHERE no_such_column > 0
        """,
        "training_sets/t.sql:5:7: Trino rejects this: Column 'no_such_column' cannot be resolved");
  }

  @Test
  void emptySpineGivesAnEmptyResult() throws IOException {
    copyNews();
    Files.writeString(
        work.resolve("news/training_sets/t.sql"),
        """
        -- timestamp: shown_at
        -- features: user_engagement:*, user_category_affinity:*
        SELECT user_id, category, shown_at FROM dwh.impressions i
        JOIN dwh.articles a ON a.article_id = i.article_id WHERE false
        """);
    CompiledTrainingSet set = compile(work.resolve("news"), "t");
    assertThat(engine.query(set.sql()).rows()).isEmpty();
  }

  @Test
  void aFeatureComputedFromTheLabelsColumnIsRefusedUnlessAcknowledged() throws IOException {
    String set =
        """
        -- timestamp: shown_at
        -- label: clicked
        -- features: article_popularity:reads_1d, article_daily_ctr:ctr_7d
        %sSELECT i.article_id, i.shown_at, i.clicked FROM dwh.impressions i
        """;
    assertError(
        set.formatted(""),
        "training_sets/t.sql:3:43: feature article_daily_ctr:ctr_7d is computed from iceberg.dwh.impressions.clicked, the column label clicked comes from: the spine row's own outcome, and every outcome not yet known at its shown_at, enters its features. "
            + "Hold late data back with a created_time that marks when the label became known (training set header '-- late_data: hold_back' and the view's created_time), "
            + "or acknowledge it in the header: '-- label_lineage_ok: article_daily_ctr:ctr_7d <reason>'");
    // the same through view:*, placed where the view is named
    assertError(
        set.replace("article_daily_ctr:ctr_7d", "article_daily_ctr:*").formatted(""),
        "training_sets/t.sql:3:43: feature article_daily_ctr:ctr_1d is computed from iceberg.dwh.impressions.clicked, the column label clicked comes from: the spine row's own outcome, and every outcome not yet known at its shown_at, enters its features. "
            + "Hold late data back with a created_time that marks when the label became known (training set header '-- late_data: hold_back' and the view's created_time), "
            + "or acknowledge it in the header: '-- label_lineage_ok: article_daily_ctr:ctr_1d <reason>'",
        "training_sets/t.sql:3:43: feature article_daily_ctr:ctr_7d is computed from iceberg.dwh.impressions.clicked, the column label clicked comes from: the spine row's own outcome, and every outcome not yet known at its shown_at, enters its features. "
            + "Hold late data back with a created_time that marks when the label became known (training set header '-- late_data: hold_back' and the view's created_time), "
            + "or acknowledge it in the header: '-- label_lineage_ok: article_daily_ctr:ctr_7d <reason>'");
    // an acknowledgement must name a feature the set selects
    assertError(
        set.formatted("-- label_lineage_ok: article_daily_ctr:ctr_1d counts finished days\n"),
        "training_sets/t.sql:4:22: label_lineage_ok names article_daily_ctr:ctr_1d, which this training set does not select (did you mean article_daily_ctr:ctr_7d?): name one of its features (article_popularity:reads_1d, article_daily_ctr:ctr_7d), or remove the line");

    Files.writeString(
        work.resolve("news/training_sets/t.sql"),
        set.formatted("-- label_lineage_ok: article_daily_ctr:ctr_7d counts finished days\n"));
    CompiledTrainingSet acknowledged = compile(work.resolve("news"), "t");
    assertThat(acknowledged.columns()).extracting(Column::name).contains("ctr_7d");
  }

  @Test
  void aFeatureOfTheLabelsColumnHeldBackByItsCreatedTimePasses() throws IOException {
    copyNews();
    Files.writeString(
        work.resolve("news/views/article_clicks.sql"),
        """
        -- entity: article
        -- event_time: event_ts
        -- created_time: counted_at
        SELECT
          article_id,
          shown_at AS event_ts,
          shown_at + INTERVAL '1' HOUR AS counted_at,
          count_if(clicked) OVER (PARTITION BY article_id ORDER BY shown_at
            RANGE BETWEEN INTERVAL '1' DAY PRECEDING AND CURRENT ROW) AS clicks_1d
        FROM dwh.impressions
        """);
    String set =
        """
        -- timestamp: shown_at
        -- label: clicked
        -- features: article_clicks:clicks_1d
        %sSELECT article_id, shown_at, clicked FROM dwh.impressions
        """;
    try {
      Files.writeString(work.resolve("news/training_sets/t.sql"), set.formatted(""));
      assertThat(compile(work.resolve("news"), "t").columns())
          .extracting(Column::name)
          .contains("clicks_1d");
      // without holding late data back, the created time holds nothing back
      assertError(
          set.formatted("-- late_data: keep\n"),
          "training_sets/t.sql:3:14: feature article_clicks:clicks_1d is computed from iceberg.dwh.impressions.clicked, the column label clicked comes from: the spine row's own outcome, and every outcome not yet known at its shown_at, enters its features. "
              + "Hold late data back with a created_time that marks when the label became known (training set header '-- late_data: hold_back' and the view's created_time), "
              + "or acknowledge it in the header: '-- label_lineage_ok: article_clicks:clicks_1d <reason>'");
    } finally {
      Files.delete(work.resolve("news/views/article_clicks.sql"));
    }
  }

  private void assertError(String trainingSet, String... expected) throws IOException {
    copyNews();
    Files.writeString(work.resolve("news/training_sets/t.sql"), trainingSet);
    Path root = work.resolve("news");
    assertThatThrownBy(() -> compile(root, "t"))
        .isInstanceOfSatisfying(
            RepositoryException.class,
            e ->
                assertThat(e.diagnostics())
                    .extracting(d -> d.relativeTo(root))
                    .containsExactly(expected));
  }

  private CompiledTrainingSet compile(Path root, String name) {
    FeatureRepository repository = RepositoryLoader.load(root);
    List<CompiledView> compiled = views.compileAll(repository);
    TrainingSetSpec spec =
        repository.trainingSets().stream()
            .filter(t -> t.name().equals(name))
            .findFirst()
            .orElseThrow();
    return trainingSets.compile(spec, repository, compiled, v -> ViewRows.of(v.spec().sql()));
  }

  private void copyNews() throws IOException {
    Path source = EXAMPLES.resolve("news");
    Path target = work.resolve("news");
    if (Files.exists(target)) {
      return;
    }
    TestFiles.copyTree(source, target);
  }
}
