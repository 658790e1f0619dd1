package io.asof.engine.trino;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a Trino coordinator is and who Asof is to it.
 *
 * @param jdbcUrl e.g. {@code jdbc:trino://127.0.0.1:18080}; catalog and schema may be part of it
 * @param user the Trino user statements run as
 * @param timeout how long a statement waits for a Trino that does not answer before it fails
 * @param sessionProperties Trino session properties every statement runs with, e.g. {@code
 *     query_max_execution_time = 5m} for statements a caller asked for
 */
public record TrinoConnectionConfig(
    String jdbcUrl, String user, Duration timeout, Map<String, String> sessionProperties) {
  /** The driver's own default: two minutes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private static final Pattern SESSION_NAME = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)?");

  public TrinoConnectionConfig(String jdbcUrl, String user) {
    this(jdbcUrl, user, DEFAULT_TIMEOUT);
  }

  public TrinoConnectionConfig(String jdbcUrl, String user, Duration timeout) {
    this(jdbcUrl, user, timeout, Map.of());
  }

  /** This connection as {@code otherUser}, with {@code properties} added to its session's. */
  public TrinoConnectionConfig as(String otherUser, Map<String, String> properties) {
    Map<String, String> all = new TreeMap<>(sessionProperties);
    all.putAll(properties);
    return new TrinoConnectionConfig(jdbcUrl, otherUser, timeout, all);
  }

  public TrinoConnectionConfig {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(user, "user is null");
    requireNonNull(timeout, "timeout is null");
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("timeout must be positive and under 24 days: " + timeout);
    }
    if (!jdbcUrl.startsWith("jdbc:trino://")) {
      throw new IllegalArgumentException(
          "a Trino JDBC URL starts with jdbc:trino://, got: " + jdbcUrl);
    }
    if (user.isBlank()) {
      throw new IllegalArgumentException("user is blank");
    }
    sessionProperties =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(requireNonNull(sessionProperties, "sessionProperties is null")));
    sessionProperties.forEach(
        (name, value) -> {
          if (!SESSION_NAME.matcher(name).matches() || value.isBlank() || value.contains(";")) {
            throw new IllegalArgumentException(
                "session property %s=%s is not a Trino session property: a name of lower-case letters, digits and _ (or catalog.name), and a value without ;"
                    .formatted(name, value));
          }
        });
  }
}
