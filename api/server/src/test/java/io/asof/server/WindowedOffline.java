package io.asof.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.asof.compiler.CompiledView;
import io.asof.compiler.TrainingSetCompiler;
import io.asof.compiler.pit.PitRequest;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.engine.QueryEngine;
import io.asof.model.Column;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** What the server tests compare an aggregation view online with: its offline values. */
final class WindowedOffline {
  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private WindowedOffline() {}

  /**
   * Each user's features of {@code view} (entity key {@code user_id}) at {@code at}, by the
   * point-in-time statement a training set runs: per user in id order, the id, then the features.
   */
  static List<List<Object>> values(
      QueryEngine engine, CompiledView view, Instant at, List<Long> users) {
    String spine =
        "SELECT user_id, TIMESTAMP '%s' AS ts FROM UNNEST(ARRAY[%s]) AS u (user_id)"
            .formatted(
                LocalDateTime.ofInstant(at, ZoneOffset.UTC).format(LITERAL),
                String.join(", ", users.stream().map(u -> "BIGINT '" + u + "'").toList()));
    PitRequest request =
        new PitRequest(
            spine,
            List.of(new Column("user_id", "bigint"), new Column("ts", "timestamp(6)")),
            "ts",
            List.of(
                TrainingSetCompiler.aggregationView(
                    view, view.aggregation().orElseThrow().features(), false)));
    List<List<Object>> rows = new ArrayList<>();
    for (List<Object> row :
        engine.query(PointInTimeSql.plan(request).sql() + "\nORDER BY 1").rows()) {
      List<Object> values = new ArrayList<>(row);
      values.remove(1);
      rows.add(values);
    }
    return rows;
  }

  /**
   * Asserts that feature {@code f} of {@code result} (one entity's answer of {@code
   * /v1/online-features}) is {@code expected}, offline's value: NULL as null, doubles to 1e-12,
   * whole numbers exactly.
   */
  static void assertValue(JsonNode result, int f, Object expected, String what) {
    JsonNode value = result.get("values").get(f);
    if (expected == null) {
      assertThat(value.isNull()).as(what + " = " + value).isTrue();
    } else if (expected instanceof Double d) {
      assertThat(value.asDouble())
          .as(what)
          .isCloseTo(d, org.assertj.core.data.Offset.offset(1e-12));
    } else {
      assertThat(value.asLong()).as(what).isEqualTo(((Number) expected).longValue());
    }
  }
}
