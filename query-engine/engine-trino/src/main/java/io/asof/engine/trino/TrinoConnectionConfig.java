package io.asof.engine.trino;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Where a Trino coordinator is and who Asof is to it.
 *
 * @param jdbcUrl e.g. {@code jdbc:trino://127.0.0.1:18080}; catalog and schema may be part of it
 * @param user the Trino user statements run as
 * @param timeout how long a statement waits for a Trino that does not answer before it fails
 */
public record TrinoConnectionConfig(String jdbcUrl, String user, Duration timeout) {
  /** The driver's own default: two minutes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  public TrinoConnectionConfig(String jdbcUrl, String user) {
    this(jdbcUrl, user, DEFAULT_TIMEOUT);
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
  }
}
