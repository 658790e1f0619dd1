package io.asof.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.asof.push.PushAck;
import io.asof.push.PushRejectedException;
import io.asof.push.PushService;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;

/**
 * {@code POST /v1/push/{view}}: a batch of rows for a push view, as a JSON array or NDJSON,
 * answered once it is durable. Which view version the rows go to is {@link PushService}'s to find
 * ({@link io.asof.push.PushViewCatalog}); this only reads the request and writes the reply.
 */
final class PushRoutes {
  private final Json json;

  PushRoutes(Json json) {
    this.json = json;
  }

  /** The route, as errors and metrics name it. */
  static final String ROUTE = "/v1/push/{view}";

  /** The media types a push takes: the Content-Type alone says which format the body is. */
  static final String JSON = "application/json";

  static final String NDJSON = "application/x-ndjson";

  void push(Context ctx, PushService service, PushMetrics metrics, long maxBodyBytes)
      throws IOException {
    boolean dryRun = "true".equalsIgnoreCase(ctx.queryParam("dry_run"));
    byte[] rows = Security.body(ctx, ROUTE, maxBodyBytes);
    String contentType = format(ctx, rows);
    PushAck ack =
        dryRun
            ? service.check(ctx.pathParam("view"), rows, contentType)
            : service.push(ctx.pathParam("view"), rows, contentType);
    if (!dryRun) {
      metrics.pushed(ack.view(), ack.rows());
    }
    PushReply body =
        new PushReply(
            dryRun ? Boolean.TRUE : null,
            ack.view(),
            ack.version(),
            ack.rows(),
            ack.sequence(),
            ack.online());
    ctx.status(200).contentType("application/json").result(json.write(body));
  }

  /**
   * The body's format, from its Content-Type only (Security admits only these two): a JSON body
   * must be an array of rows, NDJSON is one object per line; the parser is told which.
   */
  private static String format(Context ctx, byte[] body) {
    String type = ctx.header("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (media.equals(NDJSON)) {
      return NDJSON;
    }
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        if (b != '[') {
          throw new PushRejectedException(
              400,
              "a push sent as application/json is a JSON array of rows [{...}, {...}]: send one object per line as 'Content-Type: application/x-ndjson' instead");
        }
        break;
      }
    }
    return JSON;
  }

  /**
   * The reply once the rows are durable (or, with {@code dry_run}, checked): {@code dry_run} only
   * on a dry run, then where the rows went and whether they are being written online.
   */
  record PushReply(
      @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("dry_run") Boolean dryRun,
      String view,
      int version,
      int rows,
      long sequence,
      String online) {}
}
