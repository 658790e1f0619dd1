package io.asof.server;

import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What keeps a browser from being used against the server (cross-site requests, DNS rebinding): the
 * Host header must name the server (loopback, the bound address, or a configured name), a POST that
 * carries a browser's Origin must come from the server's own origin or a configured one, and a POST
 * body must say it is JSON (a browser sends {@code text/plain} and form bodies across sites without
 * asking the server first).
 */
final class RequestGuard {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final Set<String> hosts;
  private final boolean anyAddress;
  private final Set<String> origins;

  /**
   * @param boundHost the address the server listens on; a wildcard (0.0.0.0, ::) also admits any IP
   *     address as Host (an address is never a rebound name)
   */
  RequestGuard(String boundHost, ServerOptions options) {
    Set<String> names = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
    String bound = boundHost.toLowerCase(Locale.ROOT);
    names.add(bound.contains(":") && !bound.startsWith("[") ? "[" + bound + "]" : bound);
    names.addAll(options.allowedHosts());
    this.hosts = Set.copyOf(names);
    this.anyAddress =
        bound.equals("0.0.0.0") || bound.equals("::") || bound.equals("[::]") || bound.isEmpty();
    this.origins = options.allowedOrigins();
  }

  /** 421 unless the request's Host names this server. */
  void checkHost(Context ctx) {
    String header = ctx.header("Host");
    if (header == null || header.isBlank()) {
      return; // HTTP/1.0 without Host: no browser sends that
    }
    String host = hostName(header.strip().toLowerCase(Locale.ROOT));
    if (hosts.contains(host) || (anyAddress && isAddress(host))) {
      return;
    }
    throw new ApiException(
        421,
        "this server does not answer to the name %s (Host header): reach it as localhost or its address, or start it with --allowed-host %s if that name is meant to reach it (e.g. a reverse proxy's)"
            .formatted(shown(host), shown(host)));
  }

  /** 403 when a browser posts from another site's page. */
  void checkOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) {
      return; // not a browser's cross-site request: browsers send Origin with every POST
    }
    String normalized = origin.strip().toLowerCase(Locale.ROOT);
    if (origins.contains(normalized)) {
      return;
    }
    String host = ctx.header("Host");
    if (host != null && !normalized.equals("null")) {
      try {
        URI uri = new URI(normalized);
        if (uri.getRawAuthority() != null
            && uri.getRawAuthority().equals(host.strip().toLowerCase(Locale.ROOT))) {
          return; // the server's own pages
        }
      } catch (URISyntaxException e) {
        // refused below
      }
    }
    throw new ApiException(
        403,
        "a page from %s may not send %s %s to this server (Origin header): only the server's own pages may; start it with --allowed-origin %s to allow that site"
            .formatted(shown(origin), ctx.method(), ctx.path(), shown(origin)));
  }

  /** The name part of a Host header: without the port, IPv6 addresses in brackets. */
  static String hostName(String header) {
    if (header.startsWith("[")) {
      int end = header.indexOf(']');
      return end < 0 ? header : header.substring(0, end + 1);
    }
    int colon = header.lastIndexOf(':');
    return colon >= 0 && header.indexOf(':') == colon ? header.substring(0, colon) : header;
  }

  private static boolean isAddress(String host) {
    return IPV4.matcher(host).matches() || (host.startsWith("[") && host.endsWith("]"));
  }

  /** A header's value as an error message shows it: short, printable. */
  static String shown(String value) {
    String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 100 ? printable.substring(0, 100) + "…" : printable;
  }
}
