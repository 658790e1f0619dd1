package io.asof.local;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * How to reach a running stack: what {@code asof local status --json} prints and what tests are
 * handed.
 *
 * @param trinoJdbcUrl e.g. {@code jdbc:trino://127.0.0.1:18080}
 * @param trinoHttpUrl the coordinator's HTTP address
 * @param trinoUser the user Asof connects as
 * @param catalog the Iceberg catalog's name in Trino
 * @param warehouseSchema the demo warehouse's schema
 * @param featureSchema where feature views are published
 * @param trainingSchema where training sets are written
 * @param dynamoDbEndpoint DynamoDB's endpoint, for {@code endpointOverride}
 * @param dynamoDbRegion the region clients must name (DynamoDB Local accepts any)
 */
public record StackEndpoints(
    String trinoJdbcUrl,
    URI trinoHttpUrl,
    String trinoUser,
    String catalog,
    String warehouseSchema,
    String featureSchema,
    String trainingSchema,
    URI dynamoDbEndpoint,
    String dynamoDbRegion) {
  public static final String DEFAULT_CATALOG = "iceberg";

  /**
   * The local Trino's second Iceberg catalog, apart from {@link #DEFAULT_CATALOG} and named as
   * Athena names the Glue catalog: the local Athena emulator (a test fixture) runs what the Athena
   * engine sends there.
   */
  public static final String ATHENA_CATALOG = "awsdatacatalog";

  public static final String DEFAULT_USER = "asof";
  public static final String DEFAULT_REGION = "us-east-1";

  public StackEndpoints {
    requireNonNull(trinoJdbcUrl, "trinoJdbcUrl is null");
    requireNonNull(trinoHttpUrl, "trinoHttpUrl is null");
    requireNonNull(trinoUser, "trinoUser is null");
    requireNonNull(catalog, "catalog is null");
    requireNonNull(warehouseSchema, "warehouseSchema is null");
    requireNonNull(featureSchema, "featureSchema is null");
    requireNonNull(trainingSchema, "trainingSchema is null");
    requireNonNull(dynamoDbEndpoint, "dynamoDbEndpoint is null");
    requireNonNull(dynamoDbRegion, "dynamoDbRegion is null");
  }

  /** The endpoints of a stack on loopback at the given ports, with the default names. */
  public static StackEndpoints loopback(int trinoPort, int dynamoDbPort) {
    return of(
        URI.create("http://127.0.0.1:" + trinoPort),
        URI.create("http://127.0.0.1:" + dynamoDbPort));
  }

  /** The endpoints of a stack at the given addresses, with the default names. */
  public static StackEndpoints of(URI trinoHttpUrl, URI dynamoDbEndpoint) {
    return new StackEndpoints(
        "jdbc:trino://" + trinoHttpUrl.getHost() + ":" + trinoHttpUrl.getPort(),
        trinoHttpUrl,
        DEFAULT_USER,
        DEFAULT_CATALOG,
        "dwh",
        "features",
        "training",
        dynamoDbEndpoint,
        DEFAULT_REGION);
  }

  /** The fully qualified name of a table in the warehouse schema. */
  public String warehouseTable(String table) {
    return catalog + "." + warehouseSchema + "." + table;
  }
}
