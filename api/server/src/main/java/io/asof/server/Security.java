package io.asof.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.micrometer.core.instrument.Tags;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps each route's handler: checks the Host header, a POST's Origin, Content-Type and size, the
 * token and its permission when auth is on (401 without a valid token, 403 without the permission),
 * answers failures with the API's error body (Errors too: the server stays up), times the request
 * into {@code asof_http_request_duration_seconds} by route and status, and writes one access log
 * line per request (the token's name, never the token).
 */
final class Security {
  private static final String BEARER = "bearer ";
  private static final String TOKEN = "asof.token";
  private static final String AUTH = "asof.auth";
  private static final Logger ACCESS = LoggerFactory.getLogger("io.asof.server.access");

  /** What a POST route takes: its media types and its largest body. */
  record Body(Set<String> mediaTypes, long limit) {
    /** A JSON body of at most {@code limit} bytes. */
    static Body json(long limit) {
      return new Body(Set.of("application/json"), limit);
    }
  }

  private final Optional<ApiTokens> tokens;
  private final ErrorResponses errors;
  private final Metrics metrics;
  private final RequestGuard guard;
  private final Consumer<String> accessLog;

  Security(Optional<ApiTokens> tokens, ErrorResponses errors, Metrics metrics, RequestGuard guard) {
    this(tokens, errors, metrics, guard, ACCESS::info);
  }

  /** As above, writing the access log's lines to {@code accessLog} (tests read them). */
  Security(
      Optional<ApiTokens> tokens,
      ErrorResponses errors,
      Metrics metrics,
      RequestGuard guard,
      Consumer<String> accessLog) {
    this.tokens = tokens;
    this.errors = errors;
    this.metrics = metrics;
    this.guard = guard;
    this.accessLog = accessLog;
  }

  /** A route anyone may call, auth on or not (health, readiness, the API document, the UI). */
  Handler open(String route, Handler handler) {
    return ctx -> timed(route, ctx, handler);
  }

  /** A GET route that needs a token with {@code permission} when auth is on. */
  Handler require(Permission permission, String route, Handler handler) {
    return ctx ->
        timed(
            route,
            ctx,
            c -> {
              authorize(c, permission);
              handler.handle(c);
            });
  }

  /**
   * A POST route that needs {@code permission}: a browser's request from another site is refused,
   * and a body that is not one of {@code body}'s types (415) or larger than its limit (413).
   */
  Handler require(Permission permission, String route, Body body, Handler handler) {
    return ctx ->
        timed(
            route,
            ctx,
            c -> {
              guard.checkOrigin(c);
              authorize(c, permission);
              checkBody(c, route, body);
              handler.handle(c);
            });
  }

  /**
   * Demands one more permission inside a handler, for what this request asks (e.g. {@link
   * Permission#QUERY} when a build gives ad-hoc SQL): 403 naming the token and what it lacks. With
   * auth off every request has every permission.
   */
  static void demand(Context ctx, Permission permission) {
    if (!Boolean.TRUE.equals(ctx.attribute(AUTH))) {
      return;
    }
    ApiTokens.Token token = ctx.attribute(TOKEN);
    if (token == null) {
      throw new ApiException(401, "this request needs an API token with " + name(permission));
    }
    if (!token.allows(permission)) {
      throw new ApiException(
          403,
          "token %s (role %s) lacks the permission %s that this request needs (%s %s): give the token a role with it (see the roles in docs/http-api.md)"
              .formatted(
                  token.name(), token.rolesText(), name(permission), ctx.method(), ctx.path()));
    }
  }

  /**
   * Whether this caller may see what {@code permission} allows: any caller when auth is off, else
   * one presenting a valid token with it (open routes use this to show more to such callers).
   */
  boolean may(Context ctx, Permission permission) {
    if (tokens.isEmpty()) {
      return true;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
      return false;
    }
    return tokens
        .get()
        .find(header.substring(BEARER.length()).strip())
        .map(token -> token.allows(permission))
        .orElse(false);
  }

  private void authorize(Context ctx, Permission permission) {
    if (tokens.isEmpty()) {
      return;
    }
    ctx.attribute(AUTH, true);
    String header = ctx.header("Authorization");
    if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"asof\"");
      throw new ApiException(
          401,
          "this server needs an API token: send the header 'Authorization: Bearer <token>' (tokens are in the server's --tokens file)");
    }
    String presented = header.substring(BEARER.length()).strip();
    Optional<ApiTokens.Token> token = tokens.get().find(presented);
    if (token.isEmpty()) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"asof\", error=\"invalid_token\"");
      throw new ApiException(401, "the API token is not one this server accepts");
    }
    ctx.attribute(TOKEN, token.get());
    if (!token.get().allows(permission)) {
      throw new ApiException(
          403,
          "token %s has role %s; %s %s needs the permission %s (roles with it: %s)"
              .formatted(
                  token.get().name(),
                  token.get().rolesText(),
                  ctx.method(),
                  ctx.path(),
                  name(permission),
                  rolesWith(permission)));
    }
  }

  private static void checkBody(Context ctx, String route, Body body) {
    String contentType = ctx.header("Content-Type");
    long length = ctx.req().getContentLengthLong();
    boolean hasBody = length > 0 || ctx.header("Transfer-Encoding") != null;
    String mediaType =
        contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if ((hasBody || contentType != null) && !body.mediaTypes().contains(mediaType)) {
      throw new ApiException(
          415,
          "%s %s takes %s, not %s: send the header 'Content-Type: %s'"
              .formatted(
                  ctx.method(),
                  route,
                  String.join(" or ", body.mediaTypes().stream().sorted().toList()),
                  contentType == null
                      ? "a body without Content-Type"
                      : RequestGuard.shown(contentType),
                  body.mediaTypes().stream().sorted().findFirst().orElseThrow()));
    }
    if (length > body.limit()) {
      throw tooLarge(ctx, route, length, body.limit());
    }
  }

  /**
   * The request body, read up to {@code limit} bytes: a body sent without a length (chunked) is cut
   * off there with 413, before it is parsed.
   */
  static byte[] body(Context ctx, String route, long limit) throws IOException {
    long length = ctx.req().getContentLengthLong();
    if (length > limit) {
      throw tooLarge(ctx, route, length, limit);
    }
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(Math.max(length, 1024), limit));
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = ctx.req().getInputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (out.size() + (long) n > limit) {
          throw tooLarge(ctx, route, out.size() + (long) n, limit);
        }
        out.write(buffer, 0, n);
      }
    }
    return out.toByteArray();
  }

  private static ApiException tooLarge(Context ctx, String route, long length, long limit) {
    return ApiException.tooLarge(
        "the request body has %s%,d bytes; %s %s takes at most %,d: split it into smaller requests"
            .formatted(
                ctx.req().getContentLengthLong() > 0 ? "" : "more than ",
                ctx.req().getContentLengthLong() > 0 ? length : limit,
                ctx.method(),
                route,
                limit),
        limit);
  }

  private void timed(String route, Context ctx, Handler handler) {
    long start = System.nanoTime();
    try {
      guard.checkHost(ctx);
      handler.handle(ctx);
    } catch (Exception e) {
      errors.handle(e, ctx);
    } catch (Error e) {
      // OutOfMemoryError and the like, from this request: answer it, and stay up for the next
      errors.handleError(e, ctx);
    } finally {
      long millis = (System.nanoTime() - start) / 1_000_000;
      metrics.observe(
          "asof.http.request.duration",
          "Time to answer a request, by route and status.",
          Tags.of("route", route, "status", status(ctx)),
          Duration.ofNanos(System.nanoTime() - start));
      ApiTokens.Token token = ctx.attribute(TOKEN);
      accessLog.accept(
          "%s %s %d %dms token=%s"
              .formatted(
                  ctx.method(),
                  route,
                  ctx.statusCode(),
                  millis,
                  token == null ? "-" : token.name()));
    }
  }

  private static String name(Permission permission) {
    return permission.name().toLowerCase(Locale.ROOT);
  }

  private static String rolesWith(Permission permission) {
    return String.join(
        ", ",
        java.util.Arrays.stream(ApiTokens.Role.values())
            .filter(role -> role != ApiTokens.Role.WRITE && role.allows(permission))
            .map(ApiTokens.Role::fileName)
            .toList());
  }

  private static String status(Context ctx) {
    return Integer.toString(ctx.statusCode());
  }
}
