package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * How to reach the registry database.
 *
 * @param jdbcUrl {@code jdbc:h2:file:...} (embedded) or {@code jdbc:postgresql://...}
 */
public record RegistryConfig(String jdbcUrl, String user, String password) {
  public RegistryConfig {
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "the registry runs on an embedded H2 file (jdbc:h2:file:...) or PostgreSQL (jdbc:postgresql://...), got: "
              + jdbcUrl);
    }
  }

  /** The default: an H2 database file under the state directory. */
  public static RegistryConfig embedded(Path stateDir) {
    return new RegistryConfig(
        "jdbc:h2:file:"
            + stateDir.toAbsolutePath().resolve("registry/asof")
            // each commit is on disk before it returns: a killed job keeps its journal
            + ";AUTO_SERVER=FALSE;WRITE_DELAY=0",
        "asof",
        "");
  }

  boolean postgres() {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }
}
