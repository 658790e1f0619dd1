package io.asof.compiler.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.compiler.dialect.AthenaDialect;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.testing.AsofStackExtension;
import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backfill statements on Trino 476: chunks committed in random order, some twice, leave the
 * table holding exactly the view's rows with non-NULL keys, each with the range end a sort of the
 * whole table would give it, and one Iceberg snapshot per commit.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestBackfillSql {
  private static final long HOUR = 3_600L;
  private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  private static final List<Column> COLUMNS =
      List.of(
          new Column("user_id", "bigint"),
          new Column("e", "timestamp(6)"),
          new Column("c", "timestamp(6)"),
          new Column("f", "smallint"),
          new Column("g", "varchar"));
  private static final BackfillSql SQL =
      new BackfillSql(List.of("user_id"), "e", Optional.of("c"), COLUMNS, new TrinoDialect());

  private QueryEngine engine;
  private String schema;

  @BeforeAll
  void connect(StackEndpoints stack) {
    engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
    schema = stack.catalog() + ".backfill_test";
    engine.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
  }

  @AfterAll
  void close() {
    engine.close();
  }

  /** One row of the generated view. */
  private record Row(Long user, Instant e, Instant c, Integer f, String g) {}

  @Test
  void chunksInAnyOrderGiveTheRowsAndRangeEndsOfOneSort() {
    Random random = new Random(20261201);
    for (int n = 0; n < 6; n++) {
      List<Row> rows = new ArrayList<>();
      int count = 5 + random.nextInt(40);
      for (int i = 0; i < count; i++) {
        Instant e = BASE.plusSeconds(HOUR * random.nextInt(48));
        rows.add(
            new Row(
                random.nextInt(10) == 0 ? null : (long) random.nextInt(4),
                e,
                random.nextInt(3) == 0 ? null : e.plusSeconds(HOUR * random.nextInt(3)),
                random.nextInt(4) == 0 ? null : random.nextInt(3),
                random.nextInt(4) == 0 ? null : String.valueOf((char) ('p' + random.nextInt(2)))));
        if (random.nextInt(8) == 0) {
          rows.add(rows.getLast());
        }
      }
      String table = schema + ".view_" + n;
      engine.execute("DROP TABLE IF EXISTS " + table);
      engine.execute(SQL.createTable(table));
      // chunks of 6 to 24 hours over the two days, plus an empty one after them
      List<Instant> bounds = new ArrayList<>();
      Instant at = BASE;
      while (at.isBefore(BASE.plusSeconds(HOUR * 48))) {
        bounds.add(at);
        at = at.plusSeconds(HOUR * (6 + random.nextInt(19)));
      }
      bounds.add(BASE.plusSeconds(HOUR * 48));
      bounds.add(BASE.plusSeconds(HOUR * 60));
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i + 1 < bounds.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, random);
      order.add(order.get(random.nextInt(order.size())));
      // a first, different version of the view in some chunk, replaced later by the real one
      List<Row> stale = new ArrayList<>(rows);
      stale.replaceAll(r -> new Row(r.user(), r.e(), r.c(), 99, "stale"));
      int staleChunk = order.get(order.size() - 1);
      commit(table, bounds, staleChunk, stale, "stale_" + n);
      for (int chunk : order) {
        commit(table, bounds, chunk, rows, "stage_" + n + "_" + chunk);
      }
      assertThat(stored(table))
          .as("case %d", n)
          .containsExactlyInAnyOrderElementsOf(expected(rows));
    }
  }

  @Test
  void theStatementsParseAndMatchTheirGoldenFile() {
    Instant from = Instant.parse("2026-03-01T00:00:00Z");
    Instant to = Instant.parse("2026-03-08T00:00:00Z");
    List<String> statements =
        List.of(
            SQL.createTable("iceberg.features.clicks__v1"),
            SQL.stage(
                "iceberg.asof_staging.clicks__v1__job__0", "SELECT * FROM dwh.clicks", from, to),
            SQL.commit(
                "iceberg.features.clicks__v1", "iceberg.asof_staging.clicks__v1__job__0", from, to),
            SQL.read("iceberg.features.clicks__v1", true),
            SQL.stagedRows("iceberg.asof_staging.clicks__v1__job__0"));
    for (String statement : statements) {
      TrinoSql.assertParses(statement);
    }
    GoldenFiles.assertMatches("backfill/clicks.sql", String.join(";\n\n", statements) + "\n");
  }

  @Test
  void theAthenaStatementsMatchTheirGoldenFile() {
    BackfillSql athena =
        new BackfillSql(
            List.of("user_id"),
            "e",
            Optional.of("c"),
            COLUMNS,
            new AthenaDialect("s3://bucket/asof/"));
    Instant from = Instant.parse("2026-03-01T00:00:00Z");
    Instant to = Instant.parse("2026-03-08T00:00:00Z");
    String table = "awsdatacatalog.features.clicks__v1";
    String staging = "awsdatacatalog.asof_staging.clicks__v1__job__0";
    String stage = athena.stage(staging, "SELECT * FROM dwh.clicks", from, to);
    // Athena's CREATE TABLE AS is in its query engine's grammar, Trino's
    TrinoSql.assertParses(stage);
    GoldenFiles.assertMatches(
        "backfill/clicks.athena.sql",
        String.join(";\n\n", athena.createTable(table), stage) + ";\n");
    // the commit and the read are the same on both engines
    assertThat(athena.commit(table, staging, from, to))
        .isEqualTo(SQL.commit(table, staging, from, to));
    assertThat(athena.read(table, true)).isEqualTo(SQL.read(table, true));
  }

  /** Stages and commits one chunk: one Iceberg snapshot when it has rows, at most one if not. */
  private void commit(String table, List<Instant> bounds, int chunk, List<Row> rows, String stage) {
    String staging = schema + "." + stage;
    engine.execute("DROP TABLE IF EXISTS " + staging);
    engine.execute(SQL.stage(staging, valuesSql(rows), bounds.get(chunk), bounds.get(chunk + 1)));
    long staged = (Long) engine.query("SELECT count(*) FROM " + staging).onlyValue();
    long before = snapshots(table);
    engine.execute(SQL.commit(table, staging, bounds.get(chunk), bounds.get(chunk + 1)));
    long made = snapshots(table) - before;
    if (staged > 0) {
      assertThat(made).as("snapshots of a commit with %d rows", staged).isEqualTo(1);
    } else {
      assertThat(made).as("snapshots of a commit without rows").isLessThanOrEqualTo(1);
    }
    engine.execute("DROP TABLE " + staging);
  }

  private long snapshots(String table) {
    int dot = table.lastIndexOf('.');
    return (Long)
        engine
            .query(
                "SELECT count(*) FROM %s.\"%s$snapshots\""
                    .formatted(table.substring(0, dot), table.substring(dot + 1)))
            .onlyValue();
  }

  private List<String> stored(String table) {
    List<String> rows = new ArrayList<>();
    for (List<Object> row : engine.query(SQL.read(table, true)).rows()) {
      rows.add(
          render(
              new Row(
                  (Long) row.get(0),
                  instant(row.get(1)),
                  instant(row.get(2)),
                  row.get(3) == null ? null : ((Number) row.get(3)).intValue(),
                  (String) row.get(4)),
              instant(row.get(5))));
    }
    return rows;
  }

  /** The rows with a key, each with the event time of the next row of its key in row order. */
  private static List<String> expected(List<Row> rows) {
    Comparator<Row> order =
        Comparator.comparing(Row::e)
            .thenComparing(Row::c, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Row::f, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Row::g, Comparator.nullsFirst(Comparator.naturalOrder()));
    List<String> expected = new ArrayList<>();
    for (Long user : rows.stream().map(Row::user).filter(Objects::nonNull).distinct().toList()) {
      List<Row> ofKey =
          rows.stream()
              .filter(r -> user.equals(r.user()))
              .sorted(order)
              .collect(Collectors.toList());
      for (int i = 0; i < ofKey.size(); i++) {
        expected.add(render(ofKey.get(i), i + 1 < ofKey.size() ? ofKey.get(i + 1).e() : null));
      }
    }
    return expected;
  }

  private static String render(Row row, Instant validUntil) {
    return "%s valid_until=%s".formatted(row, validUntil);
  }

  private static Instant instant(Object value) {
    return value == null
        ? null
        : ((java.sql.Timestamp) value).toLocalDateTime().toInstant(ZoneOffset.UTC);
  }

  private static String valuesSql(List<Row> rows) {
    List<String> tuples = new ArrayList<>();
    for (Row row : rows) {
      tuples.add(
          "(CAST(%s AS bigint), %s, %s, CAST(%s AS smallint), CAST(%s AS varchar))"
              .formatted(
                  row.user() == null ? "NULL" : row.user(),
                  time(row.e()),
                  time(row.c()),
                  row.f() == null ? "NULL" : row.f(),
                  row.g() == null ? "NULL" : "'" + row.g() + "'"));
    }
    return "SELECT * FROM (VALUES\n  %s) AS t(user_id, e, c, f, g)"
        .formatted(String.join(",\n  ", tuples));
  }

  private static String time(Instant instant) {
    return instant == null
        ? "CAST(NULL AS timestamp(6))"
        : "TIMESTAMP '%s'"
            .formatted(FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)));
  }
}
