package io.asof.cli;

import io.asof.catalog.glue.GlueWarehouseCatalog;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.catalog.WarehouseCatalog;
import io.asof.compiler.dialect.AthenaDialect;
import io.asof.compiler.dialect.SqlDialect;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.athena.AthenaConfig;
import io.asof.engine.athena.AthenaQueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import picocli.CommandLine.Option;

/**
 * Which engine to use: Trino (the local stack's by default, or an existing cluster's) or Amazon
 * Athena with the Glue catalog; the one place the CLI picks engine, dialect and catalog.
 */
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
      description =
          "The Iceberg catalog feature SQL is read in and Asof writes to (default: iceberg on Trino, awsdatacatalog on Athena).")
  String catalog;

  @Option(
      names = "--engine",
      paramLabel = "trino|athena",
      description =
          "The engine statements run on: trino (the local stack's or --trino-url's) or athena (Amazon Athena engine v3 with the Glue catalog; see docs/athena.md) (default: $ASOF_ENGINE, else trino).")
  String engine;

  @Option(
      names = "--athena-region",
      paramLabel = "REGION",
      description =
          "The AWS region of the Athena workgroup and the Glue catalog (default: $AWS_REGION, else us-east-1).")
  String athenaRegion;

  @Option(
      names = "--athena-workgroup",
      paramLabel = "NAME",
      description =
          "The Athena workgroup (engine version 3) queries run in (default: ${DEFAULT-VALUE}).",
      defaultValue = "primary")
  String athenaWorkgroup = "primary";

  @Option(
      names = "--athena-output",
      paramLabel = "S3_URI",
      description =
          "Where Athena writes query results, s3://bucket/prefix/ (default: the workgroup's own).")
  String athenaOutput;

  @Option(
      names = "--athena-database",
      paramLabel = "NAME",
      description =
          "The Glue database unqualified table names are read in (default: ${DEFAULT-VALUE}).",
      defaultValue = "default")
  String athenaDatabase = "default";

  @Option(
      names = "--table-location",
      paramLabel = "S3_URI",
      description =
          "On Athena, where Asof creates its Iceberg tables: s3://bucket/prefix/, each table under <prefix><schema>/<table>/ (default: $ASOF_TABLE_LOCATION).")
  String tableLocation;

  @Option(
      names = "--athena-endpoint",
      paramLabel = "URL",
      description =
          "An endpoint for Athena and Glue instead of AWS's own: a VPC endpoint, or the local emulator the tests use.")
  String athenaEndpoint;

  /** Whether statements run on Athena rather than Trino. */
  boolean athena() {
    String name = engine != null ? engine : System.getenv("ASOF_ENGINE");
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
  private void requireTrino() {
    if (athena()) {
      throw new IllegalArgumentException(
          "this command runs on Trino only (the demo warehouse, the quickstart and the benchmarks use the local stack's Trino); leave out --engine athena (or unset ASOF_ENGINE)");
    }
  }

  /** The engine's name as the registry records it with job costs. */
  String engineName() {
    return athena() ? "athena" : "trino";
  }

  /** The catalog feature SQL is read in and Asof writes to. */
  String catalog() {
    if (catalog != null && !catalog.isBlank()) {
      return catalog;
    }
    return athena()
        ? AthenaConfig.of("us-east-1", "primary", "default").catalog()
        : StackEndpoints.DEFAULT_CATALOG;
  }

  /**
   * Opens the engine: Athena with its options, else Trino (the named one, or the local stack's,
   * started first if it does not run) with the catalog as the session's.
   */
  QueryEngine open(StackOptions stack, java.io.PrintWriter out) {
    if (athena()) {
      return new AthenaQueryEngine(athenaConfig());
    }
    return new TrinoQueryEngine(connection(sessionUrl(jdbcUrl(stack, out))));
  }

  /** How the engine spells the statements that differ between Trino and Athena. */
  SqlDialect dialect() {
    if (!athena()) {
      return new TrinoDialect();
    }
    String location = tableLocation != null ? tableLocation : System.getenv("ASOF_TABLE_LOCATION");
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException(
          "on Athena, Asof creates its Iceberg tables under an S3 prefix: give --table-location s3://bucket/prefix/ (or set ASOF_TABLE_LOCATION)");
    }
    return new AthenaDialect(location);
  }

  /** Where schemas for validating feature SQL come from: Glue on Athena, else the engine. */
  WarehouseCatalog warehouseCatalog(QueryEngine engine) {
    if (athena()) {
      AthenaConfig config = athenaConfig();
      return new GlueWarehouseCatalog(
          config.region(), config.catalog(), java.util.Optional.empty(), config.endpoint());
    }
    return new EngineWarehouseCatalog(engine, dialect());
  }

  AthenaConfig athenaConfig() {
    String region = athenaRegion != null ? athenaRegion : System.getenv("AWS_REGION");
    AthenaConfig config =
        AthenaConfig.of(
            region == null || region.isBlank() ? StackEndpoints.DEFAULT_REGION : region,
            athenaWorkgroup,
            athenaDatabase);
    if (catalog != null && !catalog.isBlank()) {
      config =
          new AthenaConfig(
              config.region(),
              config.endpoint(),
              config.workGroup(),
              config.outputLocation(),
              catalog,
              config.database(),
              config.pollInitial(),
              config.pollMax(),
              config.timeout(),
              config.resultReuseMaxAge(),
              config.maxAttempts(),
              config.usdPerTerabyte());
    }
    if (athenaEndpoint != null && !athenaEndpoint.isBlank()) {
      config = config.withEndpoint(java.net.URI.create(athenaEndpoint));
    }
    if (athenaOutput != null && !athenaOutput.isBlank()) {
      config = config.withOutputLocation(athenaOutput);
    }
    return config;
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
        io.asof.features.repository.Durations.parse(trinoTimeout)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--trino-timeout '%s' does not parse: %s"
                            .formatted(trinoTimeout, io.asof.features.repository.Durations.HINT))));
  }
}
