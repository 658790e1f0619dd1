package io.asof.push;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.engine.Column;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestPushRowParser {
  static final PushView VIEW =
      new PushView(
          "article_live",
          1,
          List.of(
              new Column("article_id", "bigint"),
              new Column("updated_at", "timestamp(6)"),
              new Column("reads_5m", "integer"),
              new Column("ctr", "double"),
              new Column("score", "real"),
              new Column("price", "decimal(6,2)"),
              new Column("premium", "boolean"),
              new Column("category", "varchar(8)"),
              new Column("title", "varchar"),
              new Column("day", "date"),
              new Column("level", "tinyint"),
              new Column("rank", "smallint")),
          List.of(
              new Column("article_id", "bigint"),
              new Column("updated_at", "timestamp(6)"),
              new Column("reads_5m", "integer"),
              new Column("ctr", "double"),
              new Column("score", "real"),
              new Column("price", "decimal(6,2)"),
              new Column("premium", "boolean"),
              new Column("category", "varchar"),
              new Column("title", "varchar"),
              new Column("day", "date"),
              new Column("level", "integer"),
              new Column("rank", "integer")),
          List.of("article_id"),
          "updated_at",
          List.of(),
          "\"iceberg\".\"features\".\"article_live__v1\"",
          "\"iceberg\".\"asof_staging\".\"article_live__v1__push\"",
          Optional.of(Duration.ofDays(1)),
          Optional.empty());

  private final PushRowParser parser = new PushRowParser(VIEW);

  private List<Object[]> parse(String body) {
    byte[] bytes = body.getBytes(UTF_8);
    return parser.parse(bytes, PushRowParser.Format.of(null, bytes), 1_000);
  }

  private PushRejectedException rejected(String body) {
    try {
      parse(body);
    } catch (PushRejectedException e) {
      return e;
    }
    throw new AssertionError("not rejected: " + body);
  }

  @Test
  void readsEveryTypeFromAnArrayAndFromNdJson() {
    String row =
        """
        {"article_id": 7, "updated_at": "2026-12-04T10:15:30.123456", "reads_5m": 3, "ctr": 0.25, \
        "score": 1.5, "price": 12.5, "premium": true, "category": "sport", "title": "Derby", \
        "day": "2026-12-04", "level": -3, "rank": 300}""";
    for (String body : List.of("[" + row + "]", row + "\n", "\n" + row + "\n\n")) {
      List<Object[]> rows = parse(body);
      assertThat(rows).hasSize(1);
      assertThat(rows.getFirst())
          .containsExactly(
              7L,
              LocalDateTime.parse("2026-12-04T10:15:30.123456"),
              3,
              0.25,
              1.5f,
              new BigDecimal("12.50"),
              true,
              "sport",
              "Derby",
              LocalDate.parse("2026-12-04"),
              (byte) -3,
              (short) 300);
    }
  }

  @Test
  void missingFeaturesAndNullsAreNull() {
    List<Object[]> rows =
        parse(
            """
            {"article_id": 1, "updated_at": "2026-12-04 10:00:00"}
            {"article_id": 2, "updated_at": "2026-12-04T10:00:00Z", "ctr": null, "title": null}
            """);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)[2]).isNull();
    assertThat(rows.get(1)[3]).isNull();
  }

  @Test
  void timestampsWithAnOffsetAreTurnedToUtc() {
    Object[] row =
        parse("[{\"article_id\": 1, \"updated_at\": \"2026-12-04T12:00:00+02:00\"}]").getFirst();
    assertThat(row[1]).isEqualTo(LocalDateTime.parse("2026-12-04T10:00:00"));
  }

  @Test
  void nanAndInfinityAreNumbers() {
    Object[] row =
        parse("[{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\", \"ctr\": \"NaN\"}]")
            .getFirst();
    assertThat((Double) row[3]).isNaN();
  }

  @Test
  void everyBadRowIsNamedWithItsFieldAndNothingIsTaken() {
    PushRejectedException e =
        rejected(
            """
            {"article_id": 1, "updated_at": "2026-12-04T10:00:00"}
            {"article_id": "2", "updated_at": "2026-12-04T10:00:00"}
            {"updated_at": "2026-12-04T10:00:00", "reds_5m": 4}
            {"article_id": 4, "updated_at": null, "price": 1.234, "category": "entertainment"}
            {"article_id": 5, "updated_at": "yesterday", "reads_5m": 3000000000, "premium": "yes"}
            """);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.problems())
        .extracting(p -> p.row() + " " + p.field() + " " + p.line())
        .containsExactly(
            "1 article_id 2",
            "2 reds_5m 3",
            "2 article_id 3",
            "3 price 4",
            "3 category 4",
            "3 updated_at 4",
            "4 updated_at 5",
            "4 reads_5m 5",
            "4 premium 5");
    assertThat(e.problems().get(0).message())
        .isEqualTo("expected bigint (a JSON integer), got the string \"2\"");
    assertThat(e.problems().get(1).message())
        .startsWith("unknown column reds_5m: view article_live has article_id, updated_at,")
        .contains("did you mean reads_5m?");
    assertThat(e.problems().get(2).message())
        .isEqualTo("is missing: it is a key of view article_live and every row needs it");
    assertThat(e.problems().get(3).message())
        .isEqualTo("1.234 has more than 2 digits after the point, which decimal(6,2) holds");
    assertThat(e.problems().get(4).message())
        .isEqualTo("is 13 characters long; varchar(8) holds 8");
    assertThat(e.problems().get(5).message())
        .isEqualTo("is null: it is the event time of view article_live and every row needs it");
    assertThat(e.problems().get(6).message()).startsWith("expected timestamp(6) (a string like");
    assertThat(e.problems().get(7).message())
        .isEqualTo("3000000000 is out of range for integer (-2147483648 to 2147483647)");
    assertThat(e.getMessage())
        .startsWith("9 problems in the batch, nothing applied: row 1, field article_id:");
  }

  @Test
  void aBatchOfManyBadRowsListsTheFirstAndCountsTheRest() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      body.append("{\"article_id\": 1}\n");
    }
    PushRejectedException e = rejected(body.toString());
    assertThat(e.problems()).hasSize(PushRowParser.MAX_PROBLEMS);
    assertThat(e.total()).isEqualTo(50);
    assertThat(e.getMessage()).endsWith("; and 30 more");
  }

  @Test
  void syntaxErrorsArePlaced() {
    PushRejectedException e =
        rejected(
            "{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\"}\n{\"article_id\": 2,,}");
    assertThat(e.getMessage()).startsWith("the body is not valid JSON at line 2, column 18:");
    assertThat(
            rejected("[{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\"}").getMessage())
        .isEqualTo(
            "the body is not valid JSON at line 1, column 56: Unexpected end-of-input: expected close marker for Array");
    assertThat(rejected("[1, {}]").problems().getFirst().message())
        .isEqualTo("is not a JSON object of column values");
    assertThat(rejected("[]").getMessage()).isEqualTo("the push holds no rows");
    assertThat(
            rejected(
                    "{\"article_id\": 1, \"article_id\": 2, \"updated_at\": \"2026-12-04T10:00:00\"}")
                .problems()
                .getFirst()
                .message())
        .isEqualTo("is given twice");
  }

  @Test
  void tooManyRowsIsRefusedAs413() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      body.append("{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\"}\n");
    }
    byte[] bytes = body.toString().getBytes(UTF_8);
    assertThatThrownBy(() -> parser.parse(bytes, PushRowParser.Format.NDJSON, 2))
        .isInstanceOfSatisfying(
            PushRejectedException.class, e -> assertThat(e.status()).isEqualTo(413))
        .hasMessage("more than 2 rows in one push: send them in several pushes");
  }

  @Test
  void timestampsFinerThanTheColumnAreRefused() {
    PushView millis =
        new PushView(
            "v",
            1,
            List.of(new Column("id", "bigint"), new Column("at", "timestamp(3)")),
            List.of(new Column("id", "bigint"), new Column("at", "timestamp(6)")),
            List.of("id"),
            "at",
            List.of(),
            "t",
            "s.t",
            Optional.empty(),
            Optional.empty());
    byte[] body = "{\"id\": 1, \"at\": \"2026-12-04T10:00:00.1234\"}".getBytes(UTF_8);
    assertThatThrownBy(() -> new PushRowParser(millis).parse(body, PushRowParser.Format.NDJSON, 10))
        .hasMessageContaining("has more fractional digits than timestamp(3) holds (3)");
  }

  @Test
  void aColumnDeclaredNotNullNeedsAValue() {
    PushView strict =
        new PushView(
            "v",
            1,
            List.of(
                new Column("id", "bigint"),
                new Column("at", "timestamp(6)"),
                new Column("score", "double")),
            List.of(
                new Column("id", "bigint"),
                new Column("at", "timestamp(6)"),
                new Column("score", "double")),
            List.of("id"),
            "at",
            List.of("score"),
            "t",
            "s.t",
            Optional.empty(),
            Optional.empty());
    byte[] body =
        """
        {"id": 1, "at": "2026-12-04T10:00:00", "score": 1.5}
        {"id": 2, "at": "2026-12-04T10:00:00"}
        {"id": 3, "at": "2026-12-04T10:00:00", "score": null}
        """
            .getBytes(UTF_8);
    assertThatThrownBy(() -> new PushRowParser(strict).parse(body, PushRowParser.Format.NDJSON, 10))
        .isInstanceOfSatisfying(
            PushRejectedException.class,
            e ->
                assertThat(e.problems())
                    .extracting(PushRejectedException.Problem::toString)
                    .containsExactly(
                        "row 1, field score: is missing: view v declares it NOT NULL",
                        "row 2, field score: is null: view v declares it NOT NULL"));
  }

  @Test
  void theFormatIsTheContentTypesElseTheFirstCharacters() {
    assertThat(PushRowParser.Format.of("application/x-ndjson", "[".getBytes(UTF_8)))
        .isEqualTo(PushRowParser.Format.NDJSON);
    assertThat(PushRowParser.Format.of("application/json", "  [{}]".getBytes(UTF_8)))
        .isEqualTo(PushRowParser.Format.JSON_ARRAY);
    assertThat(PushRowParser.Format.of(null, " {}".getBytes(UTF_8)))
        .isEqualTo(PushRowParser.Format.NDJSON);
  }
}
