package io.asof.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The check {@link TestOpenApiReplies} runs real traffic through: what it lets pass and what it
 * finds, on replies written here, so a check that passes everything would fail this test.
 */
class TestOpenApiDocument {
  private static final String JSON = "application/json";
  private static final String QUERY_RESULT =
      """
      {"columns": [{"name": "user_id", "type": "bigint"}], "rows": [[1]], "row_count": 1,
       "limit": 10000, "truncated": false, "sql": "SELECT 1"}""";
  private static final String BUILD =
      """
      {"name": "s", "table": "iceberg.training.s", "snapshot_id": 1, "rows": 3, "bytes": 10,
       "seconds": 0.5, "built_at": "%s", "fingerprint": "f", "feature_versions": {"v": 1},
       "spine_sql": "SELECT 1"}""";

  private final OpenApiDocument document = OpenApiDocument.served();

  @Test
  void aReplyAsDocumentedPasses() {
    assertThat(
            document.replyProblems(
                "POST", "/v1/training-sets/query", 200, JSON + "; charset=utf-8", QUERY_RESULT))
        .isEmpty();
    assertThat(
            document.replyProblems(
                "POST",
                "/v1/training-sets/s/builds",
                201,
                JSON,
                BUILD.formatted("2026-03-01T00:00:00Z")))
        .isEmpty();
    // a shared response ($ref to components/responses)
    assertThat(
            document.replyProblems(
                "POST",
                "/v1/training-sets/query",
                400,
                JSON,
                "{\"error\": \"bad\", \"problems\": [{\"file\": \"spine_sql\", \"line\": 1, \"column\": 2, \"message\": \"m\"}]}"))
        .isEmpty();
    assertThat(document.replyProblems("GET", "/v1/openapi.yaml", 200, "application/yaml", "x"))
        .isEmpty();
  }

  @Test
  void whatTheDocumentDoesNotSayIsFound() {
    // a required field missing
    assertThat(
            document.replyProblems(
                "POST",
                "/v1/training-sets/query",
                200,
                JSON,
                QUERY_RESULT.replace(", \"sql\": \"SELECT 1\"", "")))
        .singleElement()
        .asString()
        .contains("POST /v1/training-sets/query → 200", "sql");
    // a status the operation does not list
    assertThat(document.replyProblems("GET", "/v1/health", 418, JSON, "{}"))
        .singleElement()
        .asString()
        .contains("status 418 is not documented for GET /v1/health");
    // a media type the status does not list
    assertThat(document.replyProblems("GET", "/v1/health", 200, "text/html", "<p>ok"))
        .singleElement()
        .asString()
        .contains("the reply is text/html");
    // a value outside an enum, a wrong type
    assertThat(
            document.replyProblems(
                "POST",
                "/v1/push/article_live",
                200,
                JSON,
                "{\"view\": \"article_live\", \"version\": \"1\", \"rows\": 1, \"sequence\": 4, \"online\": \"maybe\"}"))
        .hasSize(2);
    // a format: dates and times are asserted, not only noted
    assertThat(
            document.replyProblems(
                "POST", "/v1/training-sets/s/builds", 201, JSON, BUILD.formatted("yesterday")))
        .singleElement()
        .asString()
        .contains("built_at");
    // an error body that is not an Error
    assertThat(document.replyProblems("GET", "/v1/no-such-route", 404, JSON, "{\"message\": 1}"))
        .isNotEmpty();
    assertThat(document.replyProblems("GET", "/v1/no-such-route", 200, JSON, "{}"))
        .singleElement()
        .asString()
        .contains("the document has no operation GET /v1/no-such-route");
  }

  @Test
  void requestsAreCheckedToo() {
    assertThat(
            document.requestProblems(
                "POST",
                "/v1/online-features",
                JSON,
                "{\"entities\": [{\"user_id\": 1}], \"features\": [\"user_profile:*\"]}"))
        .isEmpty();
    assertThat(
            document.requestProblems(
                "POST", "/v1/online-features", JSON, "{\"entities\": [], \"feature\": \"x\"}"))
        .hasSize(2);
    assertThat(document.requestProblems("POST", "/v1/online-features", JSON, "")).hasSize(1);
    assertThat(document.requestProblems("GET", "/v1/training-sets/Click-Model/builds", "", ""))
        .singleElement()
        .asString()
        .contains("the path parameter name=Click-Model");
    assertThat(document.requestProblems("POST", "/v1/push/v?dry_run=maybe", JSON, "[]"))
        .singleElement()
        .asString()
        .contains("dry_run");
    assertThat(document.requestProblems("GET", "/v1/catalog/views?query=x", "", ""))
        .singleElement()
        .asString()
        .contains("no query parameter query");
  }

  @Test
  void aWrongSchemaMakesARealReplyFail() {
    OpenApiDocument wrong =
        OpenApiDocument.served(
            text ->
                text.replace(
                    "required: [columns, rows, row_count, limit, truncated, sql]",
                    "required: [columns, rows, row_count, limit, truncated, sql, statement_id]"));
    assertThat(document.replyProblems("POST", "/v1/training-sets/query", 200, JSON, QUERY_RESULT))
        .isEmpty();
    assertThat(wrong.replyProblems("POST", "/v1/training-sets/query", 200, JSON, QUERY_RESULT))
        .singleElement()
        .asString()
        .contains("statement_id");
  }
}
