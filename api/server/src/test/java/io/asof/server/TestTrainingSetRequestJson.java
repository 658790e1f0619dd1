package io.asof.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.SpineRows;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request bodies as JSON: spine rows keep JSON's types; bad JSON says where it is bad. */
class TestTrainingSetRequestJson {
  private final Json json = new Json();

  @Test
  void spineRowsParseIntoTypedValuesAndAValuesQuery() {
    TrainingSetRequest request =
        json.read(
            """
            {"spine_rows": [
               {"user_id": 1, "shown_at": "2026-03-01T12:00:00", "score": 0.5, "ok": true, "tag": "7"},
               {"user_id": 12345678901234567890, "shown_at": "2026-03-02", "score": null, "ok": false}
             ],
             "timestamp": "shown_at", "features": ["user_engagement:*"], "event_times": true, "limit": 5}""",
            TrainingSetRequest.class);
    assertThat(request.timestamp()).isEqualTo("shown_at");
    assertThat(request.features()).containsExactly("user_engagement:*");
    assertThat(request.eventTimes()).isTrue();
    assertThat(request.limit()).isEqualTo(5);
    assertThat(request.spineRows()).hasSize(2);
    assertThat(request.spineRows().get(0)).containsEntry("user_id", 1).containsEntry("ok", true);
    assertThat(request.spineRows().get(1).get("user_id"))
        .isEqualTo(new BigInteger("12345678901234567890"));
    assertThat(SpineRows.fromObjects(request.spineRows(), "spine_rows"))
        .isEqualTo(
            """
            SELECT user_id, shown_at, score, ok, tag
            FROM (VALUES
              (CAST(1.0 AS double), CAST('2026-03-01 12:00:00' AS timestamp(6)), CAST(0.5 AS double), true, '7'),
              (CAST(1.2345678901234567E19 AS double), CAST('2026-03-02' AS timestamp(6)), CAST(NULL AS double), false, CAST(NULL AS varchar))
            ) AS spine(user_id, shown_at, score, ok, tag)""");
  }

  @Test
  void anEmptyObjectIsAnEmptyRequest() {
    assertThat(json.read("{}", TrainingSetRequest.class).isEmpty()).isTrue();
    assertThat(json.read("{\"spine_sql\": \"SELECT 1\"}", TrainingSetRequest.class).hasSpine())
        .isTrue();
  }

  @Test
  void malformedJsonNamesLineAndColumn() {
    assertThatThrownBy(() -> json.read("{\n  \"timestamp\": shown_at\n}", TrainingSetRequest.class))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.problems())
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.file()).isEqualTo("request body");
                        assertThat(p.line()).isEqualTo(2);
                        assertThat(p.column()).isEqualTo(16);
                      });
            })
        .hasMessageStartingWith("the request body is not a valid request: malformed JSON: ")
        .hasMessageContaining("'shown_at'")
        .hasMessageEndingWith(" at line 2, column 16");
  }

  @Test
  void unknownFieldsDuplicatesTrailingJunkAndWrongTypesAreRefused() {
    assertThatThrownBy(
            () -> json.read("{\"spine_sql\": \"x\", \"featurs\": []}", TrainingSetRequest.class))
        .hasMessage(
            "the request body is not a valid request: unknown field 'featurs'; the fields are event_times, feature_service, features, label, limit, spine_rows, spine_sql, timestamp at line 1, column 20");
    assertThatThrownBy(
            () -> json.read("{\"label\": \"a\", \"label\": \"b\"}", TrainingSetRequest.class))
        .hasMessageContaining("Duplicate field 'label'");
    assertThatThrownBy(() -> json.read("{} {}", TrainingSetRequest.class))
        .hasMessageStartingWith("the request body is not a valid request: ")
        .hasMessageContaining("line 1, column 4");
    assertThatThrownBy(
            () -> json.read("{\"spine_rows\": [{\"a\": 1}, 2]}", TrainingSetRequest.class))
        .hasMessageStartingWith("the request body is not a valid request: spine_rows[1]: ");
    assertThatThrownBy(() -> json.read("{\"limit\": \"ten\"}", TrainingSetRequest.class))
        .hasMessageStartingWith("the request body is not a valid request: limit: ");
    assertThatThrownBy(() -> json.read("{\"spine_sql\": 1", TrainingSetRequest.class))
        .hasMessage(
            "the request body is not a valid request: malformed JSON: Unexpected end-of-input: expected close marker for Object (start marker at line 1, column 1) at line 1, column 16");
    assertThatThrownBy(() -> json.read("null", TrainingSetRequest.class))
        .hasMessage("the request body is not a valid request: it is null; send a JSON object");
  }

  @Test
  void sqlValuesBecomeJsonValuesWithIsoTimestamps() {
    assertThat(
            new String(
                json.write(
                    Json.value(
                        List.of(
                            java.sql.Timestamp.valueOf("2026-03-01 12:00:00"),
                            java.sql.Timestamp.valueOf("2026-03-01 12:00:00.123456"),
                            java.sql.Date.valueOf("2026-03-01"),
                            new java.math.BigDecimal("1.50"),
                            List.of(1L, "a"),
                            true))),
                java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(
            "[\"2026-03-01T12:00:00\",\"2026-03-01T12:00:00.123456\",\"2026-03-01\",1.50,[1,\"a\"],true]");
    assertThat(Json.value(null)).isNull();
  }

  @Test
  void aValueOfTheWrongShapeSaysWhatWasExpectedWhereNotJacksonsClasses() {
    assertThatThrownBy(
            () ->
                json.read(
                    "{\"entities\": [{\"user_id\": 1},\n \"user 2\"], \"features\": [\"v:*\"]}",
                    OnlineFeaturesRequest.class))
        .hasMessage(
            "the request body is not a valid request: entities[1]: expected a JSON object, got a string at line 2, column 2")
        .hasMessageNotContaining("LinkedHashMap");
    assertThatThrownBy(() -> json.read("{\"features\": [[1]]}", OnlineFeaturesRequest.class))
        .hasMessageStartingWith(
            "the request body is not a valid request: features[0]: expected a string, got an array");
    assertThatThrownBy(() -> json.read("{\"limit\": \"ten\"}", TrainingSetRequest.class))
        .hasMessageStartingWith(
            "the request body is not a valid request: limit: expected an integer, got a string");
  }
}
