package io.asof.server;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web UI's files, read from the class path once ({@code io/asof/server/ui/}) and served under
 * {@code /ui/}: plain HTML, CSS and ES modules, so that the server jar is all a user needs. Its
 * data comes from the catalog endpoints under {@code /v1}.
 */
final class WebUi {
  /** The files, by name, and their content types. */
  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "charts.js", "text/javascript; charset=utf-8",
          "style.css", "text/css; charset=utf-8");

  /**
   * The UI's Content-Security-Policy: scripts, styles, data and connections from this server only
   * (style attributes are allowed: the charts set colours inline), never framed.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Map<String, byte[]> content = new LinkedHashMap<>();

  WebUi() {
    for (String name : FILES.keySet()) {
      try (InputStream in = WebUi.class.getResourceAsStream("ui/" + name)) {
        if (in == null) {
          throw new IllegalStateException(
              "the web UI's file ui/" + name + " is not on the class path");
        }
        content.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** {@code GET /}: to the UI. */
  void home(Context ctx) {
    ctx.redirect("/ui/");
  }

  /** {@code GET /ui/} and {@code GET /ui/{file}}. */
  void file(Context ctx) {
    String name = ctx.pathParamMap().getOrDefault("file", "");
    if (name.isEmpty()) {
      name = "index.html";
    }
    byte[] bytes = content.get(name);
    if (bytes == null) {
      throw new ApiException(
          404, "no file %s in the web UI: open /ui/ for the catalog".formatted(name));
    }
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.contentType(FILES.get(name)).result(bytes);
  }
}
