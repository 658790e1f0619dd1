package io.asof.bi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.AthenaDialect;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.compiler.push.PushTableSql;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.features.repository.RepositoryLoader;
import io.asof.jobs.ApplyPlanner;
import io.asof.local.StackEndpoints;
import io.asof.model.DeclaredColumn;
import io.asof.model.FeatureViewSpec;
import io.asof.registry.AppliedView;
import io.asof.registry.ApplyPlan;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Publishing the news example on Trino 476: what BI tools see, and all-or-nothing on failure. */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestViewPublisher {
  private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");

  private StackEndpoints stack;
  private QueryEngine engine;
  private List<CompiledView> views;
  private ViewPublisher publisher;

  @BeforeAll
  void publishNews(StackEndpoints stack) {
    this.stack = stack;
    engine =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(
                stack.trinoJdbcUrl() + "/" + stack.catalog(), stack.trinoUser()));
    new NewsWarehouse(new NewsWarehouseSpec(42, 5_000), stack.catalog(), "dwh")
        .load(engine, step -> {});
    views =
        new FeatureViewCompiler(
                new EngineWarehouseCatalog(engine, new TrinoDialect()), engine, stack.catalog())
            .compileAll(RepositoryLoader.load(Path.of("../../sql-features/examples/news")));
    publisher =
        new ViewPublisher(engine, new TrinoDialect(), stack.catalog(), stack.featureSchema());
    ApplyPlan plan = ApplyPlanner.plan(views, List.of());
    publisher.publish(plan, views, ApplyPlanner.applied(plan, views, NOW), false, message -> {});
  }

  @AfterAll
  void close() {
    engine.close();
  }

  @Test
  void generatedStatementsMatchGoldenFile() {
    CompiledView engagement = view("user_engagement");
    List<String> statements = new ArrayList<>(publisher.statements(engagement, 1));
    statements.add(
        publisher.catalogStatement(
            ApplyPlanner.applied(
                ApplyPlanner.plan(List.of(engagement), List.of()), List.of(engagement), NOW)));
    statements.forEach(TrinoSql::assertParses);
    GoldenFiles.assertMatches(
        "publish/user_engagement.sql", String.join(";\n\n", statements) + ";");
  }

  @Test
  void materializedViewStatementsMatchGoldenFile() {
    CompiledView ctr = view("article_daily_ctr");
    List<String> statements = new ArrayList<>(publisher.statements(ctr, 1));
    statements.forEach(TrinoSql::assertParses);
    GoldenFiles.assertMatches(
        "publish/article_daily_ctr.sql", String.join(";\n\n", statements) + ";");
  }

  @Test
  void pushViewStatementsMatchGoldenFile() {
    CompiledView live = view("article_live");
    List<String> statements = new ArrayList<>(publisher.statements(live, 1));
    statements.add(
        publisher.catalogStatement(
            ApplyPlanner.applied(ApplyPlanner.plan(List.of(live), List.of()), List.of(live), NOW)));
    statements.forEach(TrinoSql::assertParses);
    GoldenFiles.assertMatches("publish/article_live.sql", String.join(";\n\n", statements) + ";");
  }

  @Test
  void athenaStatementsMatchGoldenFile() {
    ViewPublisher athena =
        new ViewPublisher(
            engine, new AthenaDialect("s3://bucket/asof/"), "awsdatacatalog", "features");
    CompiledView engagement = view("user_engagement");
    List<String> statements = new ArrayList<>(athena.statements(engagement, 1));
    statements.add(
        athena.catalogStatement(
            ApplyPlanner.applied(
                ApplyPlanner.plan(List.of(engagement), List.of()), List.of(engagement), NOW)));
    // views are in Athena's query engine's grammar, Trino's
    statements.forEach(TrinoSql::assertParses);
    GoldenFiles.assertMatches(
        "publish/user_engagement.athena.sql", String.join(";\n\n", statements) + ";");
  }

  @Test
  void aPushViewsTableIsCreatedInAthenasSpellingWithoutComments() {
    CompiledView live = view("article_live");
    String create =
        new PushTableSql(live.spec())
            .createTable(
                "awsdatacatalog.features.article_live__v1",
                1,
                new AthenaDialect("s3://bucket/asof/"));
    assertThat(create).doesNotContain("COMMENT").contains("TBLPROPERTIES");
    GoldenFiles.assertMatches("publish/article_live.athena.sql", create + ";");
  }

  @Test
  void aPushViewIsPublishedOverItsVersionsTable() {
    String table = stack.catalog() + ".features.article_live__v1";
    assertThat(
            engine
                .query(
                    "SELECT column_name, data_type FROM %s.information_schema.columns WHERE table_schema = 'features' AND table_name = 'article_live__v1' ORDER BY ordinal_position"
                        .formatted(stack.catalog()))
                .rows())
        .containsExactly(
            List.of("article_id", "bigint"),
            List.of("updated_at", "timestamp(6)"),
            List.of("reads_5m", "bigint"),
            List.of("likes_5m", "bigint"),
            List.of("shares_5m", "bigint"),
            List.of("__asof_push_seq", "bigint"));
    assertThat((String) engine.query("SHOW CREATE TABLE " + table).onlyValue())
        .contains("partitioning = ARRAY['day(updated_at)']")
        .contains("reads_5m bigint COMMENT 'reads in the 5 minutes up to updated_at'");
    assertThat(showCreate("article_live")).contains("FROM\n  features.\"article_live__v1\"");
    assertThat(
            engine
                .query(
                    "SELECT remarks FROM system.jdbc.columns WHERE table_cat = '%s' AND table_schem = 'features' AND table_name = 'article_live' AND column_name = 'reads_5m'"
                        .formatted(stack.catalog()))
                .onlyValue())
        .isEqualTo(
            "Feature article_live:reads_5m (v1), owned by feed: reads in the 5 minutes up to updated_at");
    assertThat(
            engine
                .query(
                    "SELECT description, materialization, cardinality(source_columns) FROM %s.features.asof_features WHERE feature = 'article_live:reads_5m'"
                        .formatted(stack.catalog()))
                .rows())
        .containsExactly(List.of("reads in the 5 minutes up to updated_at", "push", 0L));
  }

  @Test
  void aFailingStatementDropsAPushTableItCreatedAndPutsCommentsBack() {
    CompiledView live = view("article_live");
    FeatureViewSpec spec = live.spec();
    List<DeclaredColumn> recommented = new ArrayList<>(spec.declaredColumns());
    recommented.replaceAll(
        c ->
            new DeclaredColumn(
                c.name(), c.type(), c.notNull(), "changed " + c.name(), c.position()));
    CompiledView changedLive = as(live, withColumns(spec, recommented));
    CompiledView newPush = as(live, withName(spec, "aaa_pushed"));
    CompiledView broken = broken();
    List<CompiledView> next = new ArrayList<>(views);
    next.remove(live);
    next.add(changedLive);
    next.add(newPush);
    next.add(broken);
    List<AppliedView> applied =
        ApplyPlanner.applied(ApplyPlanner.plan(views, List.of()), views, NOW);
    ApplyPlan plan = ApplyPlanner.plan(next, applied);
    assertThat(plan.render(false))
        .contains("  ~ article_live                 metadata only (column descriptions)")
        .contains("  + aaa_pushed                   new push (v1)");

    assertThatThrownBy(
            () ->
                publisher.publish(
                    plan, next, ApplyPlanner.applied(plan, next, NOW), false, message -> {}))
        .isInstanceOf(QueryEngineException.class)
        .hasMessageContaining("no_such_column");
    assertThat(
            engine
                .query(
                    "SHOW TABLES FROM %s.features LIKE 'aaa_pushed%%'".formatted(stack.catalog()))
                .rows())
        .isEmpty();
    assertThat(
            engine
                .query(
                    "SELECT column_name, remarks FROM system.jdbc.columns WHERE table_cat = '%s' AND table_schem = 'features' AND table_name = 'article_live__v1' AND remarks IS NOT NULL"
                        .formatted(stack.catalog()))
                .rows())
        .containsExactlyInAnyOrder(
            List.of("reads_5m", "reads in the 5 minutes up to updated_at"),
            List.of(
                "__asof_push_seq",
                "Push-log sequence of the batch that brought this row; each batch is committed exactly once by it."));
  }

  @Test
  void publishedViewsAreQueryableAndListedWithColumnRemarks() throws SQLException {
    assertThat(
            (Long)
                engine
                    .query(
                        "SELECT count(*) FROM %s.features.user_engagement"
                            .formatted(stack.catalog()))
                    .onlyValue())
        .isPositive();
    List<String> listed = new ArrayList<>();
    Map<String, String> remarks = new LinkedHashMap<>();
    try (Connection connection = connect()) {
      try (ResultSet tables =
          connection
              .getMetaData()
              .getTables(stack.catalog(), "features", "%", new String[] {"VIEW"})) {
        while (tables.next()) {
          listed.add(tables.getString("TABLE_NAME"));
        }
      }
      try (ResultSet columns =
          connection
              .getMetaData()
              .getColumns(stack.catalog(), "features", "user_engagement", "%")) {
        while (columns.next()) {
          remarks.put(columns.getString("COLUMN_NAME"), columns.getString("REMARKS"));
        }
      }
    }
    assertThat(listed)
        .contains(
            "article_ctr",
            "article_daily_ctr",
            "article_popularity",
            "article_profile",
            "user_category_affinity",
            "user_engagement",
            "user_profile",
            "article_live",
            ViewPublisher.CATALOG_VIEW);
    assertThat(remarks)
        .containsEntry("user_id", "Key of entity user.")
        .containsEntry(
            "reads_7d",
            "reads over the 7d up to now (aggregation view user_engagement, window 7d; v1, owned by recsys).");
  }

  @Test
  void catalogViewListsEveryFeature() {
    long features = views.stream().mapToLong(v -> v.features().size()).sum();
    assertThat(
            (Long)
                engine
                    .query(
                        "SELECT count(*) FROM %s.features.asof_features".formatted(stack.catalog()))
                    .onlyValue())
        .isEqualTo(features);
    List<Object> row =
        engine
            .query(
                "SELECT type, owner, version, entity, online, materialization, window FROM %s.features.asof_features WHERE feature = 'user_engagement:reads_7d'"
                    .formatted(stack.catalog()))
            .rows()
            .getFirst();
    assertThat(row).containsExactly("bigint", "recsys", 1, "user", false, "virtual", "7d");
    assertThat(
            engine
                .query(
                    "SELECT source_columns FROM %s.features.asof_features WHERE feature = 'user_engagement:dwell_seconds_7d'"
                        .formatted(stack.catalog()))
                .onlyValue())
        .isEqualTo(
            List.of(
                stack.catalog() + ".dwh.reactions.dwell_seconds",
                stack.catalog() + ".dwh.reactions.ingested_at",
                stack.catalog() + ".dwh.reactions.reacted_at"));
  }

  @Test
  void aFailingStatementPutsEveryViewBack() {
    String before = showCreate("user_profile");
    CompiledView profile = view("user_profile");
    FeatureViewSpec spec = profile.spec();
    CompiledView changedProfile = as(profile, withSql(spec, spec.sql() + "\nWHERE user_id > 0"));
    CompiledView brandNew = as(profile, withName(spec, "aaa_new_view"));
    CompiledView broken = broken();
    List<CompiledView> next = new ArrayList<>(views);
    next.remove(profile);
    next.add(changedProfile);
    next.add(brandNew);
    next.add(broken);
    List<AppliedView> applied =
        ApplyPlanner.applied(ApplyPlanner.plan(views, List.of()), views, NOW);
    ApplyPlan plan = ApplyPlanner.plan(next, applied);

    assertThatThrownBy(
            () ->
                publisher.publish(
                    plan, next, ApplyPlanner.applied(plan, next, NOW), false, message -> {}))
        .isInstanceOf(QueryEngineException.class)
        .hasMessageContaining("no_such_column");
    assertThat(showCreate("user_profile")).isEqualTo(before);
    assertThat(
            engine
                .query(
                    "SELECT remarks FROM system.jdbc.columns WHERE table_cat = '%s' AND table_schem = 'features' AND table_name = 'user_profile' AND column_name = 'user_id'"
                        .formatted(stack.catalog()))
                .onlyValue())
        .isEqualTo("Key of entity user.");
    assertThat(
            engine
                .query(
                    "SHOW TABLES FROM %s.features LIKE 'aaa_new_view'".formatted(stack.catalog()))
                .rows())
        .isEmpty();
  }

  private String showCreate(String view) {
    return (String)
        engine
            .query("SHOW CREATE VIEW %s.features.%s".formatted(stack.catalog(), view))
            .onlyValue();
  }

  private CompiledView view(String name) {
    return views.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }

  /** {@code view} compiled, as if its spec were {@code spec}. */
  private static CompiledView as(CompiledView view, FeatureViewSpec spec) {
    return new CompiledView(
        spec, view.entity(), view.columns(), view.features(), view.sourceTables(), view.lineage());
  }

  /** A view whose SQL Trino refuses, named to be published last. */
  private CompiledView broken() {
    CompiledView profile = view("user_profile");
    return as(
        profile,
        withName(withSql(profile.spec(), "SELECT no_such_column FROM dwh.users"), "zzz_broken"));
  }

  private static FeatureViewSpec withSql(FeatureViewSpec spec, String sql) {
    return copy(spec, spec.name(), sql, spec.declaredColumns());
  }

  private static FeatureViewSpec withColumns(FeatureViewSpec spec, List<DeclaredColumn> columns) {
    return copy(spec, spec.name(), spec.sql(), columns);
  }

  private static FeatureViewSpec withName(FeatureViewSpec spec, String name) {
    return copy(spec, name, spec.sql(), spec.declaredColumns());
  }

  private static FeatureViewSpec copy(
      FeatureViewSpec spec, String name, String sql, List<DeclaredColumn> columns) {
    return new FeatureViewSpec(
        name,
        spec.entity(),
        spec.eventTime(),
        spec.createdTime(),
        spec.ttl(),
        spec.materialization(),
        spec.online(),
        spec.owner(),
        spec.description(),
        spec.expectations(),
        columns,
        sql,
        spec.position(),
        spec.sqlPosition(),
        spec.tags(),
        spec.windows());
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", stack.trinoUser());
    return DriverManager.getConnection(stack.trinoJdbcUrl(), properties);
  }
}
