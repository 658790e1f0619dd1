package io.asof.server;

import io.asof.server.ApiTokens.Role;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Locale;
import java.util.Optional;

/**
 * Wraps each route's handler: checks its token and role when auth is on (401 without a valid token,
 * 403 without the role), answers failures with the API's error body, and times the request into
 * {@code asof_http_request_duration_seconds} by route and status.
 */
final class Security {
  private static final String BEARER = "bearer ";

  private final Optional<ApiTokens> tokens;
  private final ErrorResponses errors;
  private final Metrics metrics;

  Security(Optional<ApiTokens> tokens, ErrorResponses errors, Metrics metrics) {
    this.tokens = tokens;
    this.errors = errors;
    this.metrics = metrics;
  }

  /** A route anyone may call, auth on or not (health, readiness, the API document). */
  Handler open(String route, Handler handler) {
    return ctx -> timed(route, ctx, handler);
  }

  /** A route that needs a token with {@code role} when auth is on. */
  Handler require(Role role, String route, Handler handler) {
    return ctx ->
        timed(
            route,
            ctx,
            c -> {
              authorize(c, role);
              handler.handle(c);
            });
  }

  private void authorize(Context ctx, Role role) {
    if (tokens.isEmpty()) {
      return;
    }
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
    if (!token.get().role().allows(role)) {
      throw new ApiException(
          403,
          "token %s has role %s; %s %s needs %s"
              .formatted(
                  token.get().name(),
                  token.get().role().name().toLowerCase(Locale.ROOT),
                  ctx.method(),
                  ctx.path(),
                  role.name().toLowerCase(Locale.ROOT)));
    }
  }

  private void timed(String route, Context ctx, Handler handler) {
    long start = System.nanoTime();
    try {
      handler.handle(ctx);
    } catch (Exception e) {
      errors.handle(e, ctx);
    } finally {
      metrics.observe(
          "asof_http_request_duration_seconds",
          "Time to answer a request, by route and status.",
          Metrics.label("route", route) + "," + Metrics.label("status", status(ctx)),
          (System.nanoTime() - start) / 1e9);
    }
  }

  private static String status(Context ctx) {
    return Integer.toString(ctx.statusCode());
  }
}
