package io.asof.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.features.repository.RepositoryLoader;
import io.asof.model.Diagnostic;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureViewSpec;
import io.asof.model.RepositoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leakage lints refuse a view before anything is asked of the warehouse (the engine here fails
 * the test if asked), at the spot, saying what to write instead; what does not leak passes them.
 */
class TestLeakageLint {
  private static final Path EXAMPLES = Path.of("../../sql-features/examples");

  private final NoEngine engine = new NoEngine();
  private final FeatureViewCompiler compiler =
      new FeatureViewCompiler(
          new EngineWarehouseCatalog(engine, new TrinoDialect()), engine, "iceberg");

  @TempDir Path repository;

  @Test
  void aBucketStampedWithItsStartIsRefused() throws IOException {
    assertError(
        """
        SELECT
          article_id,
          date_trunc('day', shown_at) AS event_ts,
          count(*) AS impressions_1d
        FROM dwh.impressions
        GROUP BY article_id, date_trunc('day', shown_at)""",
        "views/v.sql:5:3: event_ts is the start of a day bucket (GROUP BY date_trunc('day', shown_at)), but the bucket's values include events up to a day later, which a training row at that time would see: stamp the bucket with its end (date_trunc('day', shown_at) + INTERVAL '1' DAY AS event_ts), or hold late data back with a '-- created_time:' column at or after the bucket's end");
  }

  @Test
  void theBucketIsFollowedThroughCtesSubqueriesCastsAndOrdinals() throws IOException {
    // the news example's daily CTE, its bucket stamped with its start
    String startStamped =
        Files.readString(EXAMPLES.resolve("news/views/article_daily_ctr.sql"))
            .replace("shown_day + INTERVAL '1' DAY AS event_ts", "shown_day AS event_ts");
    assertViewError(
        "article",
        startStamped,
        "views/v.sql:25:3: event_ts is the start of a day bucket (GROUP BY date_trunc('day', shown_at)), but the bucket's values include events up to a day later, which a training row at that time would see: stamp the bucket with its end (shown_day + INTERVAL '1' DAY AS event_ts), or hold late data back with a '-- created_time:' column at or after the bucket's end");
    assertError(
        """
        SELECT d.article_id, CAST(d.shown_week AS timestamp(6)) AS event_ts, d.n
        FROM (
          SELECT article_id, date_trunc('week', shown_at) AS shown_week, count(*) AS n
          FROM dwh.impressions
          GROUP BY 1, 2
        ) d""",
        "views/v.sql:3:22: event_ts is the start of a week bucket (GROUP BY date_trunc('week', shown_at)), but the bucket's values include events up to a week later, which a training row at that time would see: stamp the bucket with its end (CAST(d.shown_week AS timestamp(6)) + INTERVAL '7' DAY AS event_ts), or hold late data back with a '-- created_time:' column at or after the bucket's end");
    assertError(
        """
        WITH monthly AS (
          SELECT article_id, date_trunc('month', shown_at) AS event_ts, count(*) AS n
          FROM dwh.impressions
          GROUP BY article_id, date_trunc('month', shown_at)
        )
        SELECT * FROM monthly""",
        "views/v.sql:4:22: event_ts is the start of a month bucket (GROUP BY date_trunc('month', shown_at)), but the bucket's values include events up to a month later, which a training row at that time would see: stamp the bucket with its end (date_trunc('month', shown_at) + INTERVAL '1' MONTH AS event_ts), or hold late data back with a '-- created_time:' column at or after the bucket's end");
  }

  @Test
  void bucketsStampedWithTheirEndOrHeldBackPass() throws IOException {
    assertThat(lint(view(EXAMPLES.resolve("news"), "article_daily_ctr"))).isEmpty();
    assertThat(lint(view(EXAMPLES.resolve("tpch"), "supplier_monthly"))).isEmpty();
    assertThat(lint(view(EXAMPLES.resolve("tpch"), "nation_daily"))).isEmpty();
    // a created time may hold the bucket back until it ends
    write("entities.yaml", "entities:\n  article:\n    keys: [article_id]\n");
    write(
        "views/v.sql",
        """
        -- entity: article
        -- event_time: event_ts
        -- created_time: closed_at
        SELECT article_id, date_trunc('day', shown_at) AS event_ts,
          date_trunc('day', shown_at) + INTERVAL '1' DAY AS closed_at, count(*) AS n
        FROM dwh.impressions
        GROUP BY article_id, date_trunc('day', shown_at)
        """);
    assertThat(lint(view(repository, "v"))).isEmpty();
    // truncating without grouping makes no bucket; grouping by another expression neither
    assertThat(
            lint(
                "SELECT article_id, date_trunc('day', shown_at) AS event_ts FROM dwh.impressions",
                false))
        .isEmpty();
    assertThat(
            lint(
                "SELECT article_id, date_trunc('day', shown_at) AS event_ts, count(*) AS n FROM dwh.impressions GROUP BY article_id, date_trunc('hour', shown_at)",
                false))
        .isEmpty();
  }

  @Test
  void leadAndLagWithANegativeOffsetReadLaterRows() throws IOException {
    assertError(
        """
        SELECT user_id, reacted_at AS event_ts,
          lead(dwell_seconds) OVER (PARTITION BY user_id ORDER BY reacted_at) AS next_dwell,
          lag(dwell_seconds, -2) OVER (PARTITION BY user_id ORDER BY reacted_at) AS after_next,
          lag(dwell_seconds, 1) OVER (PARTITION BY user_id ORDER BY reacted_at) AS previous,
          lag(dwell_seconds) OVER (PARTITION BY user_id ORDER BY reacted_at) AS also_previous
        FROM dwh.reactions""",
        "views/v.sql:4:3: lead() reads rows after this one, which lie in the row's future: use lag() over the same order, or reverse the question so it looks back from each row (what came before it, not after)",
        "views/v.sql:5:3: lag() with a negative offset reads rows after this one, which lie in the row's future: give lag() a positive offset, so it reads rows before this one");
  }

  private static List<Diagnostic> lint(FeatureViewSpec view) {
    return lint(view.sql(), view.createdTime().isPresent(), view.eventTime());
  }

  private static List<Diagnostic> lint(String sql, boolean createdTime) {
    return lint(sql, createdTime, "event_ts");
  }

  private static List<Diagnostic> lint(String sql, boolean createdTime, String eventTime) {
    SqlNode query;
    try {
      query = SqlParser.create(sql, FeatureSql.PARSER).parseQuery();
    } catch (SqlParseException e) {
      throw new AssertionError(e);
    }
    return LeakageLint.check(
        sql,
        query,
        eventTime,
        createdTime,
        new Positions(io.asof.model.SourcePosition.start(Path.of("v.sql"))));
  }

  private static FeatureViewSpec view(Path root, String name) {
    return RepositoryLoader.load(root).view(name).orElseThrow();
  }

  private void assertError(String sql, String... expected) throws IOException {
    String entity = sql.contains("article_id") ? "article" : "user";
    assertViewError(
        entity, "-- entity: %s\n-- event_time: event_ts\n%s\n".formatted(entity, sql), expected);
  }

  private void assertViewError(String entity, String file, String... expected) throws IOException {
    write("entities.yaml", "entities:\n  %s:\n    keys: [%s_id]\n".formatted(entity, entity));
    write("views/v.sql", file);
    FeatureRepository loaded = RepositoryLoader.load(repository);
    assertThatThrownBy(() -> compiler.compileAll(loaded))
        .isInstanceOfSatisfying(
            RepositoryException.class,
            e ->
                assertThat(e.diagnostics())
                    .extracting(d -> d.relativeTo(repository))
                    .containsExactly(expected));
  }

  private void write(String name, String text) throws IOException {
    Path file = repository.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
