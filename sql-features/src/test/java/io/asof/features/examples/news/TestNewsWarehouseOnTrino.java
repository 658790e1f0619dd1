package io.asof.features.examples.news;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryResult;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The generator on real Trino 476: deterministic, consistent, idempotent. */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestNewsWarehouseOnTrino {
  private static final NewsWarehouseSpec SPEC = new NewsWarehouseSpec(7, 20_000);

  private QueryEngine engine;
  private String catalog;
  private List<NewsWarehouse.Step> firstLoad;

  @BeforeAll
  void load(StackEndpoints stack) {
    engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
    catalog = stack.catalog();
    firstLoad = warehouse("news_a", SPEC).load(engine, step -> {});
  }

  @AfterAll
  void close() {
    engine.close();
  }

  @Test
  void loadsTheSpecifiedRows() {
    assertThat(firstLoad).extracting(NewsWarehouse.Step::name).contains("impressions-rows");
    assertThat(count("news_a", "users")).isEqualTo(SPEC.users());
    assertThat(count("news_a", "articles")).isEqualTo(SPEC.articles());
    assertThat(count("news_a", "impressions")).isEqualTo(SPEC.impressions());
    assertThat(count("news_a", "reactions"))
        .isEqualTo(value("SELECT count_if(clicked) FROM %s.news_a.impressions".formatted(catalog)));
  }

  @Test
  void secondLoadOfTheSameSpecDoesNothing() {
    assertThat(warehouse("news_a", SPEC).isLoaded(engine)).isTrue();
    assertThat(warehouse("news_a", SPEC).load(engine, step -> {})).isEmpty();
    assertThat(warehouse("news_a", new NewsWarehouseSpec(8, 20_000)).isLoaded(engine)).isFalse();
  }

  @Test
  void sameSeedGivesTheSameRowsAndAnotherSeedOthers() {
    warehouse("news_b", SPEC).load(engine, step -> {});
    warehouse("news_c", new NewsWarehouseSpec(8, 20_000)).load(engine, step -> {});
    for (String table : NewsWarehouse.TABLES) {
      assertThat(count("news_b", table)).as(table).isEqualTo(count("news_a", table));
      assertThat(rowsOnlyIn("news_a", "news_b", table)).as(table).isZero();
      assertThat(rowsOnlyIn("news_b", "news_a", table)).as(table).isZero();
      assertThat(rowsOnlyIn("news_a", "news_c", table)).as(table).isPositive();
    }
  }

  @Test
  void rowsAreConsistentWithEachOther() {
    String s = catalog + ".news_a";
    // every impression shows an existing article that was already published, to an existing user
    assertThat(
            value(
                ("SELECT count(*) FROM %1$s.impressions i LEFT JOIN %1$s.articles a ON a.article_id = i.article_id"
                        + " LEFT JOIN %1$s.users u ON u.user_id = i.user_id"
                        + " WHERE a.article_id IS NULL OR u.user_id IS NULL OR a.published_at > i.shown_at"
                        + " OR i.shown_at - a.published_at > INTERVAL '8' DAY")
                    .formatted(s)))
        .isZero();
    // every reaction follows a clicked impression of the same user and article
    assertThat(
            value(
                ("SELECT count(*) FROM %1$s.reactions r LEFT JOIN %1$s.impressions i ON i.impression_id = r.impression_id"
                        + " WHERE i.impression_id IS NULL OR NOT i.clicked OR i.user_id <> r.user_id"
                        + " OR i.article_id <> r.article_id OR r.reacted_at <= i.shown_at"
                        // reactions land in the warehouse 1 to 90 minutes after they happen
                        + " OR r.ingested_at < r.reacted_at + INTERVAL '1' MINUTE"
                        + " OR r.ingested_at > r.reacted_at + INTERVAL '90' MINUTE")
                    .formatted(s)))
        .isZero();
    // 90 days of impressions from 2026-01-01, a plausible click-through rate
    QueryResult range =
        engine.query(
            "SELECT min(shown_at) >= TIMESTAMP '2026-01-01 00:00:00', max(shown_at) < TIMESTAMP '2026-04-01 00:00:00',"
                .concat(" avg(IF(clicked, 1e0, 0e0)) FROM %s.impressions")
                .formatted(s));
    assertThat(range.rows().getFirst().subList(0, 2)).containsExactly(true, true);
    assertThat((Double) range.rows().getFirst().get(2)).isBetween(0.03, 0.2);
    // impressions are partitioned by day
    assertThat(value("SELECT count(*) FROM %s.\"impressions$partitions\"".formatted(s)))
        .isEqualTo(90L);
  }

  @Test
  void tourQueriesRun() {
    for (NewsWarehouse.Statement query : warehouse("news_a", SPEC).tour()) {
      assertThat(engine.query(query.sql()).rows()).as(query.name()).isNotEmpty();
    }
  }

  private NewsWarehouse warehouse(String schema, NewsWarehouseSpec spec) {
    return new NewsWarehouse(spec, catalog, schema);
  }

  private long count(String schema, String table) {
    return value("SELECT count(*) FROM %s.%s.%s".formatted(catalog, schema, table));
  }

  /** Distinct rows of {@code schema.table} that {@code other.table} lacks. */
  private long rowsOnlyIn(String schema, String other, String table) {
    return value(
        "SELECT count(*) FROM (SELECT * FROM %1$s.%2$s.%4$s EXCEPT SELECT * FROM %1$s.%3$s.%4$s)"
            .formatted(catalog, schema, other, table));
  }

  private long value(String sql) {
    return (Long) engine.query(sql).onlyValue();
  }
}
