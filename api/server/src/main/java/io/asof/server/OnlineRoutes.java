package io.asof.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
    ctx.status(200).contentType("application/json").result(json.write(answer));
  }
}
