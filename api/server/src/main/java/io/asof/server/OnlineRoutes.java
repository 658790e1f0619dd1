package io.asof.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/online-features}: reads the request body, hands it to the {@link
 * OnlineFeatureReader} and writes its answer as JSON — the features' names, and per entity row a
 * value, a status and an event time per feature, with {@code errors} when a view could not be read
 * for some rows.
 */
final class OnlineRoutes {
  /** The largest request body: 1,000 entity rows of a few keys fit many times over. */
  static final long MAX_BODY_BYTES = 1L << 20;

  static final String ROUTE = "/v1/online-features";

  private final OnlineFeatureReader reader;
  private final Json json;

  OnlineRoutes(OnlineFeatureReader reader, Json json) {
    this.reader = reader;
    this.json = json;
  }

  void features(Context ctx) throws IOException {
    OnlineFeaturesRequest request =
        json.read(
            new String(Security.body(ctx, ROUTE, MAX_BODY_BYTES), StandardCharsets.UTF_8),
            OnlineFeaturesRequest.class);
    OnlineFeatureReader.Answer answer = reader.read(request);
    List<Object> results = new ArrayList<>(answer.results().size());
    for (OnlineFeatureReader.Result row : answer.results()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("values", row.values());
      result.put("statuses", row.statuses());
      result.put("event_times", row.eventTimes());
      results.add(result);
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("features", answer.features());
    response.put("results", results);
    if (!answer.errors().isEmpty()) {
      List<Object> errors = new ArrayList<>();
      for (OnlineFeatureReader.ReadError failed : answer.errors()) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("view", failed.view());
        error.put("entities", failed.entities());
        error.put("message", failed.message());
        errors.add(error);
      }
      response.put("errors", errors);
    }
    ctx.status(200).contentType("application/json").result(json.write(response));
  }
}
