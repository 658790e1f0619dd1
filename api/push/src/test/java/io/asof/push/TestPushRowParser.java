package io.asof.push;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.model.Column;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    return assertRejected(() -> parse(body));
  }

  private static PushRejectedException assertRejected(Runnable parsing) {
    try {
      parsing.run();
    } catch (PushRejectedException e) {
      return e;
    }
    throw new AssertionError("not rejected");
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
  void syntaxErrorsArePlacedAndSayWhatWasExpectedInOurWords() {
    PushRejectedException e =
        rejected(
            "{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\"}\n{\"article_id\": 2,,}");
    assertThat(e.getMessage())
        .isEqualTo(
            "the body is not valid JSON at line 2, column 18, in row 1: expected a column name in double quotes, got ','");
    assertThat(
            rejected("[{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\"}").getMessage())
        .isEqualTo(
            "the body is not valid JSON at line 1, column 56: the body ends before the ] that closes the array (the array [ opened at line 1, column 1)");
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(
        "[{\"article_id\": 1,]",
        "line 1, column 19, in row 0: expected a column name in double quotes, got ']'");
    cases.put(
        "{\"article_id\" 1}",
        "line 1, column 15, in row 0: expected : after the column name, got '1'");
    cases.put(
        "{\"article_id\": 1 \"updated_at\": 2}",
        "line 1, column 18, in row 0: expected , or } after a column's value, got '\"'");
    cases.put(
        "{\"article_id\": one}",
        "line 1, column 16, in row 0: expected a value (a string in double quotes, a number, true, false or null), got one");
    cases.put(
        "{\"article_id\": 1, \"ctr\": NaN}",
        "line 1, column 29, in row 0: expected a value (a string in double quotes, a number, true, false or null), got NaN (for a double or real column write \"NaN\", \"Infinity\" or \"-Infinity\")");
    cases.put(
        "[{\"article_id\": 1]",
        "line 1, column 18, in row 0: got ] where } was expected (the object { opened at line 1, column 2)");
    cases.put(
        "{\"article_id\": 1}\n{\"title\": \"a\nb\"}",
        "line 2, column 13, in row 1: a control character (code 10) inside a string: write it escaped (\\n, \\t, \\u0000)");
    cases.put(
        "{\"article_id\": 1}\n{\"title\": \"ab",
        "line 2, column 14, in row 1: the body ends inside a string: its closing \" is missing");
    cases.put(
        "{\"article_id\": 1}\n{\"title\": ",
        "line 2, column 11, in row 1: the body ends before the } that closes the object (the object { opened at line 2, column 1)");
    cases.put(
        "{\"article_id\": 07}",
        "line 1, column 17, in row 0: a number with a leading zero: write 7, not 07");
    cases.put(
        "{\"article_id\": 1e}",
        "line 1, column 18, in row 0: not a JSON number: write numbers like 12, -3.5 or 1.2e3, got '}'");
    cases.put(
        "{\"title\": \"a\\qb\"}",
        "line 1, column 14, in row 0: an unknown escape \\q in a string: JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
    cases.put("{\"article_id\": 1}}", "line 1, column 18: a } that closes nothing");
    cases.put(
        "{\"article_id\": 1" + "0".repeat(1_200) + "}",
        "line 1, column 1217, in row 0: a number of more than 1,000 characters: send a shorter one");
    cases.put(
        "[" + "[".repeat(70),
        "line 1, column 66, in row 0: objects and arrays nested more than 64 deep: a row is one object of column values");
    Map<String, String> expected = new LinkedHashMap<>();
    Map<String, String> actual = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : cases.entrySet()) {
      expected.put(c.getKey(), "the body is not valid JSON at " + c.getValue());
      actual.put(c.getKey(), rejected(c.getKey()).getMessage());
    }
    assertThat(actual).isEqualTo(expected);
    byte[] latin1 = {'{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xff, '"', '}'};
    assertThat(
            assertRejected(() -> parser.parse(latin1, PushRowParser.Format.NDJSON, 10))
                .getMessage())
        .startsWith(
            "the body is not valid JSON at line 1, column 12, in row 0: bytes that are not UTF-8");
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
    // no message of the JSON parser's own gets through
    for (String body : cases.keySet()) {
      assertThat(rejected(body).getMessage())
          .doesNotContain("Unexpected", "Source", "REDACTED", "StreamReadConstraints", "' (code");
    }
  }

  /**
   * Each column type against empty strings, wrong JSON types, nested objects and arrays, huge
   * numbers and out-of-range dates: a 400 naming the row and field, never an exception of the
   * parser's own (which the server answers with 500).
   */
  @Test
  void everyBadValueOfEveryTypeIsAProblemOfItsRowAndField() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("\"updated_at\": \"\"", "expected timestamp(6) (a string like");
    cases.put("\"updated_at\": \" \"", "expected timestamp(6) (a string like");
    cases.put("\"updated_at\": \"Z\"", "expected timestamp(6) (a string like");
    cases.put("\"updated_at\": \"2026-12-04T10:15:30+\"", "expected timestamp(6) (a string like");
    cases.put("\"updated_at\": {\"at\": 1}", "expected timestamp(6) (a string like");
    cases.put("\"updated_at\": 1733307330", "expected timestamp(6) (a string like");
    cases.put(
        "\"updated_at\": \"+10000-01-01T00:00:00Z\"",
        "\"+10000-01-01T00:00:00Z\" is out of range for timestamp(6): the year must be from 0001 to 9999");
    cases.put(
        "\"updated_at\": \"-999999999-01-01T00:00:00+18:00\"",
        "expected timestamp(6) (a string like");
    cases.put("\"day\": \"\"", "expected date (a string like \"2026-12-04\"), got \"\"");
    cases.put(
        "\"day\": \"+10000-01-01\"",
        "\"+10000-01-01\" is out of range for date: the year must be from 0001 to 9999");
    cases.put(
        "\"day\": [\"2026-12-04\"]", "expected date (a string like \"2026-12-04\"), got an array");
    cases.put("\"reads_5m\": \"\"", "expected integer (a JSON integer), got the string \"\"");
    cases.put("\"reads_5m\": 1.5", "expected integer (a JSON integer), got 1.5");
    cases.put("\"reads_5m\": {}", "expected integer (a JSON integer), got an object");
    cases.put(
        "\"reads_5m\": 123456789012345678901234567890",
        "123456789012345678901234567890 is out of range for integer (-2147483648 to 2147483647)");
    cases.put("\"level\": 128", "128 is out of range for tinyint (-128 to 127)");
    cases.put(
        "\"ctr\": \"\"",
        "expected double (a JSON number, or \"NaN\", \"Infinity\", \"-Infinity\"), got \"\"");
    cases.put("\"ctr\": 1e400", "1e400 is out of range for double");
    cases.put("\"ctr\": true", "expected double (a JSON number), got true");
    cases.put("\"score\": 1e39", "1e39 is out of range for real");
    cases.put(
        "\"price\": \"\"",
        "expected decimal(6,2) (a JSON number, or a decimal in a string), got \"\"");
    cases.put(
        "\"price\": \"1,5\"",
        "expected decimal(6,2) (a JSON number, or a decimal in a string), got \"1,5\"");
    cases.put("\"price\": {\"amount\": 1}", "expected decimal(6,2) (a JSON number), got an object");
    cases.put(
        "\"price\": 12345",
        "12345 has more than 4 digits before the point, which decimal(6,2) holds");
    cases.put("\"premium\": \"\"", "expected boolean (true or false), got the string \"\"");
    cases.put("\"premium\": 1", "expected boolean (true or false), got 1");
    cases.put("\"category\": 5", "expected varchar(8) (a JSON string), got 5");
    cases.put("\"title\": [\"a\", {\"b\": [1]}]", "expected varchar (a JSON string), got an array");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String body =
          "{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\"}\n"
              + "{\"article_id\": 2, %s}\n"
                  .formatted(c.getKey())
                  .replace("\"updated_at\": \"2026", "\"updated_at\": \"2026")
              + "{\"article_id\": 3, \"updated_at\": \"2026-12-04T10:00:00\"}";
      if (!c.getKey().startsWith("\"updated_at\"")) {
        body =
            body.replace(
                "{\"article_id\": 2, ",
                "{\"article_id\": 2, \"updated_at\": \"2026-12-04T10:00:00\", ");
      }
      PushRejectedException e = rejected(body);
      assertThat(e.status()).as(c.getKey()).isEqualTo(400);
      assertThat(e.problems()).as(c.getKey()).hasSize(1);
      PushRejectedException.Problem problem = e.problems().getFirst();
      assertThat(problem.row()).as(c.getKey()).isEqualTo(1);
      assertThat(problem.line()).as(c.getKey()).isEqualTo(2);
      assertThat(problem.field())
          .as(c.getKey())
          .isEqualTo(c.getKey().substring(1, c.getKey().indexOf('"', 1)));
      assertThat(problem.message()).as(c.getKey()).startsWith(c.getValue());
    }
  }

  @Test
  void aDecimalWithAHugeExponentIsRefusedAtOnce() {
    for (String value :
        List.of(
            "1e200000000",
            "\"1e200000000\"",
            "-1E+2000000000",
            "1e-200000000",
            "\"0.1e-2147483640\"",
            "123.456e-100000000")) {
      long started = System.nanoTime();
      PushRejectedException e =
          rejected(
              "{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\", \"price\": %s}"
                  .formatted(value));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
      assertThat(e.problems().getFirst().message())
          .as(value)
          .matches(
              ".* has more than \\d digits (before|after) the point, which decimal\\(6,2\\) holds")
          .hasSizeLessThan(150);
    }
    // zeros need no digits: a zero with any exponent is 0.00
    assertThat(
            parse(
                    "{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\", \"price\": 0e-999999999}")
                .getFirst()[5])
        .isEqualTo(new BigDecimal("0.00"));
    assertThat(
            parse(
                    "{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\", \"price\": \"1234.5000000000\"}")
                .getFirst()[5])
        .isEqualTo(new BigDecimal("1234.50"));
    assertThat(
            parse("{\"article_id\": 1, \"updated_at\": \"2026-12-04T10:00:00\", \"price\": 12E+2}")
                .getFirst()[5])
        .isEqualTo(new BigDecimal("1200.00"));
  }

  @Test
  void echoedValuesAndNamesAreCutShort() {
    String huge = "x".repeat(100_000);
    PushRejectedException e =
        rejected(
            """
            {"article_id": "%s", "updated_at": "2026-12-04T10:00:00", "%s": 1, "price": "%s"}"""
                .formatted(huge, "x".repeat(10_000), "9".repeat(2_000)));
    assertThat(e.getMessage()).hasSizeLessThan(1_000);
    assertThat(e.problems())
        .extracting(PushRejectedException.Problem::toString)
        .containsExactly(
            "row 0, field article_id: expected bigint (a JSON integer), got the string \""
                + "x".repeat(64)
                + "…\"",
            "row 0, field "
                + "x".repeat(64)
                + "…: unknown column "
                + "x".repeat(64)
                + "…: view article_live has article_id, updated_at, reads_5m, ctr, score, price, premium, category, title, day, level, rank",
            "row 0, field price: \""
                + "9".repeat(64)
                + "…\" is 2,000 characters long, too long for decimal(6,2)");
    assertThat(PushRejectedException.echo("a\nb")).isEqualTo("a\\u000ab");
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
  void typesPushViewsDoNotTakeAreRefusedWhenTheParserIsMade() {
    for (String type :
        List.of("timestamp(6) with time zone", "json", "array(bigint)", "bigint(3)", "varchar(")) {
      List<Column> columns =
          List.of(
              new Column("id", "bigint"), new Column("at", "timestamp(6)"), new Column("x", type));
      PushView view = pushView(columns, columns, List.of());
      assertThatThrownBy(() -> new PushRowParser(view))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("column x has type %s, which push views do not take", type);
    }
  }

  @Test
  void timestampsFinerThanTheColumnAreRefused() {
    PushView millis =
        pushView(
            List.of(new Column("id", "bigint"), new Column("at", "timestamp(3)")),
            List.of(new Column("id", "bigint"), new Column("at", "timestamp(6)")),
            List.of());
    byte[] body = "{\"id\": 1, \"at\": \"2026-12-04T10:00:00.1234\"}".getBytes(UTF_8);
    assertThatThrownBy(() -> new PushRowParser(millis).parse(body, PushRowParser.Format.NDJSON, 10))
        .hasMessageContaining("has more fractional digits than timestamp(3) holds (3)");
  }

  @Test
  void aColumnDeclaredNotNullNeedsAValue() {
    List<Column> columns =
        List.of(
            new Column("id", "bigint"),
            new Column("at", "timestamp(6)"),
            new Column("score", "double"));
    PushView strict = pushView(columns, columns, List.of("score"));
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

  /** A push view v keyed by id with event time at, its table t. */
  private static PushView pushView(
      List<Column> columns, List<Column> stored, List<String> notNull) {
    return new PushView(
        "v",
        1,
        columns,
        stored,
        List.of("id"),
        "at",
        notNull,
        "t",
        "s.t",
        Optional.empty(),
        Optional.empty());
  }
}
