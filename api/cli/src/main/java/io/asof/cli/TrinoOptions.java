package io.asof.cli;

import io.asof.compiler.dialect.EngineDialect;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.athena.AthenaConfig;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.local.StackEndpoints;
import picocli.CommandLine.Option;

/**
 * Which Trino to use: the local stack's (default) or an existing cluster's. Commands that can run
 * on Amazon Athena too take {@link EngineOptions}, which adds the choice of engine.
 */
class TrinoOptions {
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
      description =
          "The Iceberg catalog feature SQL is read in and Asof writes to (default: iceberg on Trino, awsdatacatalog on Athena).")
  String catalog;

  /** How the engine spells the statements that differ between engines: Trino's here. */
  EngineDialect dialect() {
    return new TrinoDialect();
  }

  /**
   * The engine named on the command line; commands that can run on Athena take {@code --engine}.
   */
  String engineOption() {
    return null;
  }

  /** Whether statements run on Athena rather than Trino ({@code --engine}, else $ASOF_ENGINE). */
  boolean athena() {
    String name = engineOption() != null ? engineOption() : System.getenv("ASOF_ENGINE");
    if (name == null || name.isBlank() || name.equalsIgnoreCase("trino")) {
      return false;
    }
    if (name.equalsIgnoreCase("athena")) {
      return true;
    }
    throw new IllegalArgumentException("--engine is trino or athena, not '%s'".formatted(name));
  }

  /**
   * Refuses Athena where a command runs on Trino only: the demo warehouse, the quickstart and the
   * benchmarks work on the local stack's Trino.
   */
  void requireTrino() {
    if (athena()) {
      throw new IllegalArgumentException(
          "this command runs on Trino only (the demo warehouse, the quickstart and the benchmarks use the local stack's Trino); leave out --engine athena (or unset ASOF_ENGINE)");
    }
  }

  /** The catalog feature SQL is read in and Asof writes to. */
  String catalog() {
    if (catalog != null && !catalog.isBlank()) {
      return catalog;
    }
    return athena() ? AthenaConfig.GLUE_CATALOG : StackEndpoints.DEFAULT_CATALOG;
  }

  @Option(
      names = "--trino-timeout",
      paramLabel = "DURATION",
      description =
          "How long a statement waits for a Trino that does not answer before it fails (default: ${DEFAULT-VALUE}).",
      defaultValue = "2m")
  String trinoTimeout = "2m";

  /** The named Trino's URL, else the local stack's, started first if it does not run. */
  String jdbcUrl(StackOptions stack, java.io.PrintWriter out) {
    requireTrino();
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
        ? jdbcUrl.replaceFirst("/?$", "/" + catalog())
        : jdbcUrl;
  }

  TrinoConnectionConfig connection(String jdbcUrl) {
    requireTrino();
    return new TrinoConnectionConfig(
        jdbcUrl,
        trinoUser,
        io.asof.model.Durations.parse(trinoTimeout)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--trino-timeout '%s' does not parse: %s"
                            .formatted(trinoTimeout, io.asof.model.Durations.HINT))));
  }
}
