package io.asof.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the server guards itself: the Host names and browser origins it answers besides its own, how
 * slowly a client may send a request body, and how many requests may run statements on the query
 * engine at once.
 *
 * @param allowedHosts names a client may reach the server by besides loopback and the bound address
 *     (a reverse proxy's name), e.g. {@code features.example.com}
 * @param allowedOrigins browser origins besides the server's own whose POSTs are taken, e.g. {@code
 *     https://notebooks.example.com}
 * @param bodyIdleTimeout the longest a request body may pause before the request is dropped
 * @param minBodyBytesPerSecond the slowest a request body may arrive, on average; 0 for no floor
 * @param engineConcurrency how many ad-hoc queries and builds may run at once
 * @param engineQueueWait how long a query or build waits for a slot before it is answered 503
 */
public record ServerOptions(
    Set<String> allowedHosts,
    Set<String> allowedOrigins,
    Duration bodyIdleTimeout,
    long minBodyBytesPerSecond,
    int engineConcurrency,
    Duration engineQueueWait) {
  /** The default pause a body may take. */
  public static final Duration DEFAULT_BODY_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** The default floor on a body's rate: 1 KiB per second. */
  public static final long DEFAULT_MIN_BODY_BYTES_PER_SECOND = 1024;

  /** The default number of engine requests at once. */
  public static final int DEFAULT_ENGINE_CONCURRENCY = 8;

  /** The default wait for an engine slot. */
  public static final Duration DEFAULT_ENGINE_QUEUE_WAIT = Duration.ofSeconds(2);

  public ServerOptions {
    allowedHosts = lowerCase(requireNonNull(allowedHosts, "allowedHosts is null"));
    allowedOrigins = lowerCase(requireNonNull(allowedOrigins, "allowedOrigins is null"));
    requireNonNull(bodyIdleTimeout, "bodyIdleTimeout is null");
    requireNonNull(engineQueueWait, "engineQueueWait is null");
    if (bodyIdleTimeout.isNegative() || bodyIdleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "the body idle timeout must be positive: " + bodyIdleTimeout);
    }
    if (minBodyBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "the minimum body rate must not be negative: " + minBodyBytesPerSecond);
    }
    if (engineConcurrency < 1) {
      throw new IllegalArgumentException(
          "engine concurrency must be at least 1, not " + engineConcurrency);
    }
    if (engineQueueWait.isNegative()) {
      throw new IllegalArgumentException("the engine queue wait must not be negative");
    }
    for (String origin : allowedOrigins) {
      if (!origin.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException(
            "allowed origin %s is not an origin: give scheme://host[:port], e.g. https://notebooks.example.com"
                .formatted(origin));
      }
    }
  }

  /** The defaults: no other names or origins, 30 s body pauses, 1 KiB/s, 8 engine requests. */
  public static ServerOptions defaults() {
    return new ServerOptions(
        Set.of(),
        Set.of(),
        DEFAULT_BODY_IDLE_TIMEOUT,
        DEFAULT_MIN_BODY_BYTES_PER_SECOND,
        DEFAULT_ENGINE_CONCURRENCY,
        DEFAULT_ENGINE_QUEUE_WAIT);
  }

  /** These options with other allowed Host names and origins. */
  public ServerOptions withAllowed(Set<String> hosts, Set<String> origins) {
    return new ServerOptions(
        hosts, origins, bodyIdleTimeout, minBodyBytesPerSecond, engineConcurrency, engineQueueWait);
  }

  /** These options with another body pause and rate floor. */
  public ServerOptions withBodyLimits(Duration idleTimeout, long minBytesPerSecond) {
    return new ServerOptions(
        allowedHosts,
        allowedOrigins,
        idleTimeout,
        minBytesPerSecond,
        engineConcurrency,
        engineQueueWait);
  }

  /** These options with another bound on engine requests. */
  public ServerOptions withEngineConcurrency(int concurrency, Duration queueWait) {
    return new ServerOptions(
        allowedHosts,
        allowedOrigins,
        bodyIdleTimeout,
        minBodyBytesPerSecond,
        concurrency,
        queueWait);
  }

  private static Set<String> lowerCase(Set<String> names) {
    return names.stream()
        .map(name -> name.strip().toLowerCase(Locale.ROOT))
        .map(name -> name.endsWith("/") ? name.substring(0, name.length() - 1) : name)
        .collect(Collectors.toUnmodifiableSet());
  }
}
