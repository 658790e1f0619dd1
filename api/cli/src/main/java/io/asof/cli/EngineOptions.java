package io.asof.cli;

import io.asof.catalog.glue.GlueWarehouseCatalog;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.catalog.WarehouseCatalog;
import io.asof.compiler.dialect.AthenaDialect;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.athena.AthenaConfig;
import io.asof.engine.athena.AthenaQueryEngine;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import picocli.CommandLine.Option;

/**
 * Which engine a command runs on: Trino (as {@link TrinoOptions} says) or Amazon Athena with the
 * Glue catalog; the one place the CLI picks engine, dialect and catalog. Only commands that can run
 * on Athena take these options.
 */
final class EngineOptions extends TrinoOptions {
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

  @Option(
      names = "--athena-unload",
      paramLabel = "S3_URI",
      description =
          "Where large pulls (online loads, training-set exports) are unloaded as Parquet files and read back, s3://bucket/prefix/; the files are deleted once read (default: asof-unload/ under --athena-output; without either, rows are paged through GetQueryResults).")
  String athenaUnload;

  @Option(
      names = "--athena-s3-endpoint",
      paramLabel = "URL",
      description =
          "An endpoint for reading unloaded files instead of S3's own: a VPC endpoint, or the S3-compatible store the tests use.")
  String athenaS3Endpoint;

  /** The options of a Trino-only command, for running a command that could take Athena on Trino. */
  static EngineOptions onTrino(TrinoOptions trino) {
    EngineOptions options = new EngineOptions();
    options.trinoUrl = trino.trinoUrl;
    options.trinoUser = trino.trinoUser;
    options.catalog = trino.catalog;
    options.trinoTimeout = trino.trinoTimeout;
    return options;
  }

  @Override
  String engineOption() {
    return engine;
  }

  /** The engine's name as the registry records it with job costs. */
  String engineName() {
    return athena() ? "athena" : "trino";
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
  @Override
  EngineDialect dialect() {
    if (!athena()) {
      return super.dialect();
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
    config = config.withCatalog(catalog());
    if (athenaEndpoint != null && !athenaEndpoint.isBlank()) {
      config = config.withEndpoint(java.net.URI.create(athenaEndpoint));
    }
    if (athenaOutput != null && !athenaOutput.isBlank()) {
      config = config.withOutputLocation(athenaOutput);
    }
    if (athenaUnload != null && !athenaUnload.isBlank()) {
      config = config.withUnloadLocation(athenaUnload);
    }
    if (athenaS3Endpoint != null && !athenaS3Endpoint.isBlank()) {
      config = config.withS3Endpoint(java.net.URI.create(athenaS3Endpoint));
    }
    return config;
  }
}
