package io.asof.cli;

import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.local.StackEndpoints;
import picocli.CommandLine.Option;

/** Which Trino to use: the local stack's (default) or an existing cluster's. */
final class TrinoOptions {
  @Option(
      names = "--trino-url",
      paramLabel = "URL",
      description =
          "An existing Trino (jdbc:trino://host:port) instead of the local stack (default: $ASOF_TRINO_URL).")
  String trinoUrl;

  @Option(
      names = "--trino-user",
      paramLabel = "USER",
      description = "The Trino user (default: ${DEFAULT-VALUE}).",
      defaultValue = StackEndpoints.DEFAULT_USER)
  String trinoUser;

  @Option(
      names = "--catalog",
      paramLabel = "NAME",
      description = "The Iceberg catalog in that Trino (default: ${DEFAULT-VALUE}).",
      defaultValue = StackEndpoints.DEFAULT_CATALOG)
  String catalog;

  @Option(
      names = "--trino-timeout",
      paramLabel = "DURATION",
      description =
          "How long a statement waits for a Trino that does not answer before it fails (default: ${DEFAULT-VALUE}).",
      defaultValue = "2m")
  String trinoTimeout = "2m";

  /** The named Trino's URL, else the local stack's, started first if it does not run. */
  String jdbcUrl(StackOptions stack, java.io.PrintWriter out) {
    String external = externalUrl();
    return external != null ? external : stack.stack(out::println).up().endpoints().trinoJdbcUrl();
  }

  /** The URL of an existing Trino, if one was named. */
  String externalUrl() {
    if (trinoUrl != null && !trinoUrl.isBlank()) {
      return trinoUrl;
    }
    String fromEnvironment = System.getenv("ASOF_TRINO_URL");
    return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment;
  }

  /**
   * The URL with the catalog as the session's, unless it names one: feature SQL writes tables as
   * schema.table, read in that catalog.
   */
  String sessionUrl(String jdbcUrl) {
    return jdbcUrl.matches("jdbc:trino://[^/]+/?")
        ? jdbcUrl.replaceFirst("/?$", "/" + catalog)
        : jdbcUrl;
  }

  TrinoConnectionConfig connection(String jdbcUrl) {
    return new TrinoConnectionConfig(
        jdbcUrl,
        trinoUser,
        io.asof.features.repository.Durations.parse(trinoTimeout)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--trino-timeout '%s' does not parse: %s"
                            .formatted(trinoTimeout, io.asof.features.repository.Durations.HINT))));
  }
}
