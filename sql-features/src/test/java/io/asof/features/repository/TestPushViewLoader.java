package io.asof.features.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.model.DeclaredColumn;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push views: a header with {@code -- push: true} and a {@code CREATE TABLE} of pushed rows. */
class TestPushViewLoader {
  private static final String ENTITIES =
      """
      entities:
        article:
          keys: [article_id]
      """;

  private static final String HEADER =
      """
      -- entity: article
      -- event_time: updated_at
      -- push: true
      """;

  @TempDir Path root;

  @Test
  void loadsTheNewsExample() {
    FeatureViewSpec live =
        RepositoryLoader.load(Path.of("examples/news")).view("article_live").orElseThrow();
    assertThat(live.materialization()).isEqualTo(Materialization.PUSH);
    assertThat(live.entity()).isEqualTo("article");
    assertThat(live.eventTime()).isEqualTo("updated_at");
    assertThat(live.online()).isFalse();
    assertThat(live.ttl()).contains(Duration.ofDays(1));
    assertThat(live.owner()).isEqualTo("feed");
    assertThat(live.description())
        .isEqualTo(
            "Live reaction counters of an article over the last 5 minutes, pushed by the feed's stream processor as they change.");
    assertThat(live.expectations()).isEmpty();
    assertThat(live.sql()).startsWith("CREATE TABLE article_live (");
    Path file = live.position().file();
    assertThat(live.declaredColumns())
        .containsExactly(
            new DeclaredColumn("article_id", "bigint", false, "", position(file, 11, 3)),
            new DeclaredColumn("updated_at", "timestamp(6)", false, "", position(file, 12, 3)),
            new DeclaredColumn(
                "reads_5m",
                "bigint",
                false,
                "reads in the 5 minutes up to updated_at",
                position(file, 13, 3)),
            new DeclaredColumn("likes_5m", "bigint", false, "", position(file, 14, 3)),
            new DeclaredColumn("shares_5m", "bigint", false, "", position(file, 15, 3)));
  }

  @Test
  void typesAreNormalizedToTrinosSpellingAndCommentsMayBeAnywhere() throws IOException {
    write(
        "views/live.sql",
        HEADER
            + """
            -- the columns of each pushed row
            create table live ( -- one row per change
              article_id BIGINT NOT NULL,
              updated_at TIMESTAMP COMMENT 'when it changed',
              /* a block
                 comment */ price Decimal(12, 2),
              "label" VARCHAR(20) not null comment 'it''s quoted',
              code char, name varchar, small smallint, tiny tinyint, n integer,
              r real, d double, b boolean, day_of date, p timestamp(0)
            );
            """);
    FeatureViewSpec view = RepositoryLoader.load(root).view("live").orElseThrow();
    assertThat(view.declaredColumns())
        .extracting(c -> c.name() + " " + c.type() + (c.notNull() ? " not null" : ""))
        .containsExactly(
            "article_id bigint not null",
            "updated_at timestamp(3)",
            "price decimal(12,2)",
            "label varchar(20) not null",
            "code char(1)",
            "name varchar",
            "small smallint",
            "tiny tinyint",
            "n integer",
            "r real",
            "d double",
            "b boolean",
            "day_of date",
            "p timestamp(0)");
    assertThat(view.declaredColumns().get(1).description()).isEqualTo("when it changed");
    assertThat(view.declaredColumns().get(3).description()).isEqualTo("it's quoted");
    assertThat(view.declaredColumns().get(2).position().line()).isEqualTo(9);
    assertThat(view.declaredColumns().get(2).position().column()).isEqualTo(17);
  }

  @Test
  void theTableIsNamedAfterTheView() throws IOException {
    write("views/live.sql", HEADER + "CREATE TABLE article_live (article_id bigint)\n");
    assertErrors(
        "views/live.sql:4:14: the table is named article_live, but the view is live: write CREATE TABLE live (or name the view article_live in '-- view:')");
  }

  @Test
  void theTableNameHasNoSchema() throws IOException {
    write("views/live.sql", HEADER + "CREATE TABLE features.live (article_id bigint)\n");
    assertErrors(
        "views/live.sql:4:14: name the table without catalog or schema, CREATE TABLE live: Asof keeps each version's table as <catalog>.features.live__v<N>");
  }

  @Test
  void unsupportedTypesAreListedWithTheNearestOne() throws IOException {
    write(
        "views/live.sql",
        HEADER
            + """
            CREATE TABLE live (
              article_id bigintt,
              updated_at timestamp(6),
              tags json,
              late timestamp(9),
              amount decimal(40,2)
            )
            """);
    assertErrors(
        "views/live.sql:5:14: unsupported type bigintt (did you mean bigint?): a push view's columns take bigint, integer, smallint, tinyint, double, real, boolean, varchar, varchar(n), char(n), decimal(p,s), date, timestamp(p)",
        "views/live.sql:7:8: unsupported type json: a push view's columns take bigint, integer, smallint, tinyint, double, real, boolean, varchar, varchar(n), char(n), decimal(p,s), date, timestamp(p)",
        "views/live.sql:8:8: timestamp(9) is finer than Iceberg keeps times (microseconds): write timestamp(6) or less",
        "views/live.sql:9:10: decimal(40,2) is not a decimal type: the precision is 1 to 38, the scale 0 to the precision");
  }

  @Test
  void timesWithAZoneAreRefused() throws IOException {
    write(
        "views/live.sql",
        HEADER + "CREATE TABLE live (article_id bigint, updated_at timestamp(6) with time zone)\n");
    assertErrors(
        "views/live.sql:4:50: timestamp(6) with time zone is not a type push views take: declare timestamp(p) and push times in UTC; the types are bigint, integer, smallint, tinyint, double, real, boolean, varchar, varchar(n), char(n), decimal(p,s), date, timestamp(p)");
  }

  @Test
  void columnNamesArePlainUniqueAndNotReserved() throws IOException {
    write(
        "views/live.sql",
        HEADER
            + """
            CREATE TABLE live (
              article_id bigint,
              Reads bigint,
              __asof_extra bigint,
              "article_id" bigint,
              "odd name" bigint
            )
            """);
    assertErrors(
        "views/live.sql:6:3: column name 'Reads' is not a plain SQL name: use lower-case letters, digits and _, starting with a letter (reads)",
        "views/live.sql:7:3: column name __asof_extra starts with __, which Asof keeps for its own columns (such as __asof_push_seq): rename it",
        "views/live.sql:8:3: column article_id is declared twice (first at line 5): give each column its own name",
        "views/live.sql:9:3: column name 'odd name' is not a plain SQL name: use lower-case letters, digits and _, starting with a letter");
  }

  @Test
  void syntaxErrorsSayWhatWasExpected() throws IOException {
    writePushViews(
        "CREATE TABLE a (\n  article_id bigint\n  updated_at timestamp\n)\n",
        "CREATE TABLE b (article_id bigint)\nWITH (format = 'ORC')\n",
        "CREATE TABLE c (article_id bigint COMMENT x)\n",
        "CREATE TABLE d (article_id bigint,\n",
        "CREATE TABLE e (article_id varchar(n))\n");
    assertErrors(
        "views/a.sql:6:3: expected ')' or ',', found 'updated_at': a push view's columns are written CREATE TABLE a (name type [NOT NULL] [COMMENT 'text'], ...)",
        "views/b.sql:5:1: nothing may follow the column list, found 'WITH': Asof sets the table's properties itself (partitioned by day of the event time) and takes its comment from '-- description:'",
        "views/c.sql:4:43: expected a text in single quotes, found 'x': a push view's columns are written CREATE TABLE c (name type [NOT NULL] [COMMENT 'text'], ...)",
        "views/d.sql:4:35: expected a name, found the end of the statement: a push view's columns are written CREATE TABLE d (name type [NOT NULL] [COMMENT 'text'], ...)",
        "views/e.sql:4:36: expected a whole number in the parentheses of varchar, found 'n'");
  }

  @Test
  void whatTrinoTakesButAPushViewDoesNotIsRefused() throws IOException {
    writePushViews(
        "CREATE TABLE a AS SELECT 1 AS article_id\n",
        "CREATE OR REPLACE TABLE b (article_id bigint)\n",
        "CREATE TABLE c (LIKE dwh.articles)\n",
        "CREATE TABLE d (article_id bigint WITH (partitioning = 'x'))\n",
        "CREATE TABLE e (article_id array(bigint), n integer(3))\n",
        "CREATE TABLE f (article_id bigint) COMMENT 'articles'\n",
        "CREATE TABLE g (article_id bigint, label varchar(3) COMMENT 'x)\n",
        "CREATE TABLE h (article_id bigint) /* the end\n",
        "CREATE TABLE i (\"article_id bigint)\n");
    assertErrors(
        "views/a.sql:4:1: a push view's rows are pushed, not selected: declare their columns with CREATE TABLE a (column type, ...) and no AS SELECT",
        "views/b.sql:4:1: a push view's table is not replaced by its declaration (a change makes a new version): write CREATE TABLE b",
        "views/c.sql:4:17: a push view lists its own columns, not LIKE another table's: write each column as name type [NOT NULL] [COMMENT 'text']",
        "views/d.sql:4:41: column article_id takes no properties (WITH (partitioning = ...)): a column is written name type [NOT NULL] [COMMENT 'text']",
        "views/e.sql:4:28: unsupported type array: a push view's columns take bigint, integer, smallint, tinyint, double, real, boolean, varchar, varchar(n), char(n), decimal(p,s), date, timestamp(p)",
        "views/e.sql:4:45: integer takes no parameters: write integer",
        "views/f.sql:4:36: nothing may follow the column list, found 'COMMENT': Asof sets the table's properties itself (partitioned by day of the event time) and takes its comment from '-- description:'",
        "views/g.sql:4:61: this text in single quotes is not closed: end it with ' (a quote inside is written '')",
        "views/h.sql:4:36: this /* comment is not closed: end it with */",
        "views/i.sql:4:17: this quoted name is not closed: end it with \"");
  }

  @Test
  void aPushViewIsNeitherMaterializedNorChecked() throws IOException {
    write(
        "views/live.sql",
        """
        -- entity: article
        -- event_time: updated_at
        -- materialize: true
        -- push: true
        -- expect: not_null(article_id)
        CREATE TABLE live (article_id bigint, updated_at timestamp(6))
        """);
    assertErrors(
        "views/live.sql:3:4: a push view is not materialized: its rows are stored as they are pushed (POST /v1/push/live or ./asof push), in a table of its own; remove '-- materialize:'",
        "views/live.sql:5:4: a push view has no expectations: its rows are checked against the declared column types when they are pushed; remove '-- expect:'");
  }

  @Test
  void aPushViewNeedsItsCreateTable() throws IOException {
    write("views/a.sql", HEADER);
    write("views/b.sql", HEADER + "\n  SELECT article_id, updated_at FROM dwh.t\n");
    assertErrors(
        "views/a.sql:4:1: no CREATE TABLE after the header: a push view declares the columns of its rows, e.g. CREATE TABLE a (<key> bigint, <event_time> timestamp(6), <feature> double)",
        "views/b.sql:5:3: a push view declares the columns of its rows with CREATE TABLE b (column type, ...), not with 'SELECT': write the CREATE TABLE, or remove '-- push: true' to compute the view with a SELECT");
  }

  @Test
  void aCreateTableWithoutPushSaysWhichLineToAdd() throws IOException {
    write(
        "views/live.sql",
        "-- entity: article\n-- event_time: updated_at\n-- a comment\nCREATE TABLE live (article_id bigint)\n");
    assertErrors(
        "views/live.sql:4:1: this CREATE TABLE declares the columns of a push view: add '-- push: true' to the header to make it one, or write a SELECT to compute the view from the warehouse");
  }

  private void assertErrors(String... expected) {
    assertThatThrownBy(() -> RepositoryLoader.load(root))
        .isInstanceOfSatisfying(
            RepositoryException.class,
            e -> {
              List<String> actual = e.diagnostics().stream().map(d -> d.relativeTo(root)).toList();
              assertThat(actual).containsExactly(expected);
            });
  }

  private static SourcePosition position(Path file, int line, int column) {
    return new SourcePosition(file, line, column);
  }

  /** Push views a, b, c, ... in views/a.sql, views/b.sql, ..., with these statements. */
  private void writePushViews(String... statements) throws IOException {
    for (int i = 0; i < statements.length; i++) {
      write("views/%c.sql".formatted((char) ('a' + i)), HEADER + statements[i]);
    }
  }

  private void write(String name, String text) throws IOException {
    if (!Files.exists(root.resolve("entities.yaml"))) {
      Files.writeString(root.resolve("entities.yaml"), ENTITIES);
    }
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
