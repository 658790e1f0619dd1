package io.asof.engine.trino;

import static java.util.Objects.requireNonNull;

/**
 * Where a Trino coordinator is and who Asof is to it.
 *
 * @param jdbcUrl e.g. {@code jdbc:trino://127.0.0.1:18080}; catalog and schema may be part of it
 * @param user the Trino user statements run as
 */
public record TrinoConnectionConfig(String jdbcUrl, String user) {
  public TrinoConnectionConfig {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(user, "user is null");
    if (!jdbcUrl.startsWith("jdbc:trino://")) {
      throw new IllegalArgumentException(
          "a Trino JDBC URL starts with jdbc:trino://, got: " + jdbcUrl);
    }
    if (user.isBlank()) {
      throw new IllegalArgumentException("user is blank");
    }
  }
}
