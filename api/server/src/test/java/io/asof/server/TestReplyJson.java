package io.asof.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.jobs.DriftReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Reply records as the server's mapper writes them, text for text: the fields in the wire's order,
 * snake_case names, absent values left out only where the API leaves them out. A change of a
 * record's component order changes the JSON and fails here.
 */
class TestReplyJson {
  private final Json json = new Json();

  private String write(Object reply) {
    return new String(json.write(reply), StandardCharsets.UTF_8);
  }

  private static final CatalogReplies.ViewSummary SUMMARY =
      new CatalogReplies.ViewSummary(
          "user_engagement",
          2,
          "Reads per user.",
          "growth",
          "user",
          List.of("user_id"),
          List.of("engagement"),
          "materialized",
          true,
          List.of("reads_7d"),
          List.of(),
          "2026-03-01T00:00:00Z");

  @Test
  void aViewPageIsItsSummaryThenTheRestInOrder() {
    assertThat(write(SUMMARY))
        .isEqualTo(
            "{\"name\":\"user_engagement\",\"version\":2,\"description\":\"Reads per user.\","
                + "\"owner\":\"growth\",\"entity\":\"user\",\"key_columns\":[\"user_id\"],"
                + "\"tags\":[\"engagement\"],\"materialization\":\"materialized\",\"online\":true,"
                + "\"features\":[\"reads_7d\"],\"windows\":[],\"applied_at\":\"2026-03-01T00:00:00Z\"}");
    CatalogReplies.ViewDetail detail =
        new CatalogReplies.ViewDetail(
            SUMMARY,
            "event_time",
            null,
            "30d",
            "f1",
            "SELECT 1",
            List.of(
                new CatalogReplies.ViewColumn(
                    "reads_7d", "bigint", "feature", "", List.of("c.s.t.x"), null)),
            new CatalogReplies.Lineage(
                List.of(new CatalogReplies.LineageTable("c.s.t", List.of("x"))),
                List.of(new CatalogReplies.Edge("c.s.t.x", "reads_7d"))),
            null,
            null,
            List.of(new CatalogReplies.Version(2, "f1", "2026-03-01T00:00:00Z", null, true)),
            List.of(),
            List.of(new CatalogReplies.FeatureService("s", "", List.of("user_engagement:*"))));
    String summary = write(SUMMARY);
    assertThat(write(detail))
        .isEqualTo(
            summary.substring(0, summary.length() - 1)
                + ",\"event_time\":\"event_time\",\"created_time\":null,\"ttl\":\"30d\","
                + "\"fingerprint\":\"f1\",\"sql\":\"SELECT 1\",\"columns\":[{\"name\":\"reads_7d\","
                + "\"type\":\"bigint\",\"role\":\"feature\",\"description\":\"\","
                + "\"sources\":[\"c.s.t.x\"],\"window\":null}],\"lineage\":{\"tables\":"
                + "[{\"table\":\"c.s.t\",\"columns\":[\"x\"]}],\"edges\":[{\"from\":\"c.s.t.x\","
                + "\"to\":\"reads_7d\"}]},\"freshness\":null,\"online_status\":null,"
                + "\"versions\":[{\"version\":2,\"fingerprint\":\"f1\","
                + "\"applied_at\":\"2026-03-01T00:00:00Z\",\"retired_at\":null,\"current\":true}],"
                + "\"training_sets\":[],\"feature_services\":[{\"name\":\"s\",\"description\":\"\","
                + "\"features\":[\"user_engagement:*\"]}]}");
  }

  @Test
  void chunkStatisticsWriteAbsentNumbersAsNull() {
    assertThat(
            write(
                new CatalogReplies.Chunk(
                    "job-1",
                    0,
                    "2026-03-01T00:00:00Z",
                    "2026-03-02T00:00:00Z",
                    10,
                    1,
                    0.5,
                    3.0,
                    null,
                    null,
                    List.of(new CatalogReplies.Quantile(0.25, 1.0)),
                    List.of(new CatalogReplies.TopValue("a", 4)),
                    null,
                    "2026-03-01T12:00:00")))
        .isEqualTo(
            "{\"job_id\":\"job-1\",\"chunk\":0,\"from\":\"2026-03-01T00:00:00Z\","
                + "\"to\":\"2026-03-02T00:00:00Z\",\"rows\":10,\"nulls\":1,\"min\":0.5,\"max\":3.0,"
                + "\"mean\":null,\"distinct\":null,\"quantiles\":[{\"fraction\":0.25,\"value\":1.0}],"
                + "\"top_values\":[{\"value\":\"a\",\"count\":4}],\"earliest\":null,"
                + "\"latest\":\"2026-03-01T12:00:00\"}");
  }

  @Test
  void aTrainingSetPageIsItsSummaryThenSpineAndBuilds() {
    TrainingSetReplies.Build build =
        new TrainingSetReplies.Build(
            "clicks",
            "iceberg.training.clicks",
            42L,
            3,
            100,
            1.5,
            "2026-03-01T00:00:00Z",
            "ab",
            Map.of("user_engagement", 2),
            "SELECT 1");
    CatalogReplies.TrainingSetSummary summary =
        new CatalogReplies.TrainingSetSummary(
            "clicks", false, "", null, null, List.of(), null, 1, build);
    String buildJson =
        "{\"name\":\"clicks\",\"table\":\"iceberg.training.clicks\",\"snapshot_id\":42,"
            + "\"rows\":3,\"bytes\":100,\"seconds\":1.5,\"built_at\":\"2026-03-01T00:00:00Z\","
            + "\"fingerprint\":\"ab\",\"feature_versions\":{\"user_engagement\":2},"
            + "\"spine_sql\":\"SELECT 1\"}";
    assertThat(write(new CatalogReplies.TrainingSetDetail(summary, null, List.of(build))))
        .isEqualTo(
            "{\"name\":\"clicks\",\"in_repository\":false,\"description\":\"\","
                + "\"timestamp\":null,\"label\":null,\"features\":[],\"feature_service\":null,"
                + "\"build_count\":1,\"last_build\":"
                + buildJson
                + ",\"spine_sql\":null,\"builds\":["
                + buildJson
                + "]}");
  }

  @Test
  void errorsLeaveOutWhatTheirStatusDoesNotHave() {
    assertThat(
            write(
                new ErrorResponses.ErrorReply(
                    "bad",
                    List.of(new ErrorResponses.FileProblem("request body", null, null, "m")),
                    null,
                    null,
                    null,
                    null)))
        .isEqualTo(
            "{\"error\":\"bad\",\"problems\":[{\"file\":\"request body\",\"line\":null,"
                + "\"column\":null,\"message\":\"m\"}]}");
    assertThat(
            write(
                new ErrorResponses.ErrorReply(
                    "rejected",
                    List.of(
                        new ErrorResponses.RowProblem(0, "user_id", 1, "not a bigint"),
                        new ErrorResponses.RowProblem(null, null, null, "empty")),
                    null,
                    2,
                    null,
                    null)))
        .isEqualTo(
            "{\"error\":\"rejected\",\"problems\":[{\"row\":0,\"field\":\"user_id\",\"line\":1,"
                + "\"message\":\"not a bigint\"},{\"message\":\"empty\"}],\"total_problems\":2}");
    assertThat(
            write(new ErrorResponses.ErrorReply("too large", List.of(), 50_000L, null, 3L, "e1")))
        .isEqualTo(
            "{\"error\":\"too large\",\"problems\":[],\"limit\":50000,"
                + "\"retry_after_seconds\":3,\"error_id\":\"e1\"}");
  }

  @Test
  void pushReadyAndOnlineRepliesLeaveOutTheirOptionalFields() {
    assertThat(write(new PushRoutes.PushReply(null, "clicks", 1, 2, 7L, "off")))
        .isEqualTo(
            "{\"view\":\"clicks\",\"version\":1,\"rows\":2,\"sequence\":7,\"online\":\"off\"}");
    assertThat(write(new PushRoutes.PushReply(true, "clicks", 1, 2, 7L, "queued")))
        .startsWith("{\"dry_run\":true,\"view\":\"clicks\",");
    assertThat(write(new AsofServer.Readiness(null, "ready", null)))
        .isEqualTo("{\"status\":\"ready\"}");
    assertThat(write(new AsofServer.Readiness(3, "unavailable", "no store")))
        .isEqualTo("{\"online_views\":3,\"status\":\"unavailable\",\"error\":\"no store\"}");
    assertThat(write(new AsofServer.Health("ok"))).isEqualTo("{\"status\":\"ok\"}");
    List<Object> values = new java.util.ArrayList<>();
    values.add(null);
    OnlineFeatureReader.Result result =
        new OnlineFeatureReader.Result(
            values, List.of("NOT_FOUND"), java.util.Collections.singletonList(null));
    String answered =
        "{\"features\":[\"v:f\"],\"results\":[{\"values\":[null],\"statuses\":[\"NOT_FOUND\"],"
            + "\"event_times\":[null]}]";
    assertThat(write(new OnlineFeatureReader.Answer(List.of("v:f"), List.of(result), List.of())))
        .isEqualTo(answered + "}");
    assertThat(
            write(
                new OnlineFeatureReader.Answer(
                    List.of("v:f"),
                    List.of(result),
                    List.of(new OnlineFeatureReader.ReadError("v", List.of(0), "timed out")))))
        .isEqualTo(
            answered
                + ",\"errors\":[{\"view\":\"v\",\"entities\":[0],\"message\":\"timed out\"}]}");
  }

  @Test
  void aDriftReportIsOneLineInTheDocumentedOrder() {
    DriftReport.FeatureDrift feature =
        new DriftReport.FeatureDrift(
            "user_engagement",
            2,
            "reads_7d",
            "user_engagement__reads_7d",
            "bigint",
            DriftReport.Kind.NUMERIC,
            Optional.of(
                DriftReport.Window.evaluated(
                    Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"))),
            OptionalDouble.of(0.05),
            DriftReport.Level.STABLE,
            Optional.empty(),
            10,
            0,
            20,
            1,
            List.of(
                new DriftReport.Bin(
                    "< 1",
                    OptionalDouble.empty(),
                    OptionalDouble.of(1),
                    Optional.empty(),
                    4,
                    0.4,
                    6,
                    0.3)));
    DriftReport report =
        new DriftReport(
            "clicks",
            "iceberg.training.clicks",
            42L,
            Instant.parse("2026-03-02T00:00:00Z"),
            List.of(feature));
    assertThat(DriftJson.text(report))
        .isEqualTo(
            "{\"training_set\":\"clicks\",\"table\":\"iceberg.training.clicks\","
                + "\"snapshot_id\":42,\"built_at\":\"2026-03-02T00:00:00Z\",\"thresholds\":"
                + "{\"stable_below\":0.1,\"significant_above\":0.25,\"epsilon\":1.0E-4},"
                + "\"features\":[{\"feature\":\"user_engagement:reads_7d\","
                + "\"view\":\"user_engagement\",\"version\":2,"
                + "\"column\":\"user_engagement__reads_7d\",\"type\":\"bigint\","
                + "\"kind\":\"numeric\",\"psi\":0.05,\"level\":\"stable\",\"reason\":null,"
                + "\"window\":{\"source\":\"evaluated\",\"job_id\":null,\"chunk\":null,"
                + "\"table\":null,\"from\":\"2026-02-01T00:00:00Z\","
                + "\"to\":\"2026-03-01T00:00:00Z\"},\"training_rows\":10,\"training_nulls\":0,"
                + "\"window_rows\":20,\"window_nulls\":1,\"bins\":[{\"label\":\"< 1\","
                + "\"lower\":null,\"upper\":1.0,\"category\":null,\"training_count\":4,"
                + "\"training_share\":0.4,\"window_count\":6,\"window_share\":0.3}]}]}");
  }
}
