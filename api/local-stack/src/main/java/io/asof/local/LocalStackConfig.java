package io.asof.local;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How to run the local stack.
 *
 * @param stateDir where data, logs, pids and generated configuration live; nothing is written
 *     elsewhere
 * @param distDir the layout made by the {@code asof-local-stack-dist} module ({@code trino-server},
 *     {@code trino-plugins}, {@code dynamodb-local})
 * @param javaHome the JDK (22 or newer) the servers run on
 * @param trinoPort Trino's HTTP port on 127.0.0.1
 * @param dynamoDbPort DynamoDB Local's port on 127.0.0.1
 * @param trinoHeap Trino's maximum heap, e.g. {@code 1G}
 * @param icebergCatalogProperties a user's own Iceberg catalog properties file that replaces the
 *     local one (JDBC, REST, Glue or Hive metastore catalogs)
 * @param dynamoDbStorage whether DynamoDB Local keeps its tables on disk under the state directory
 */
public record LocalStackConfig(
    Path stateDir,
    Path distDir,
    Path javaHome,
    int trinoPort,
    int dynamoDbPort,
    String trinoHeap,
    Optional<Path> icebergCatalogProperties,
    DynamoDbStorage dynamoDbStorage) {
  public static final int DEFAULT_TRINO_PORT = 18080;
  public static final int DEFAULT_DYNAMODB_PORT = 18000;
  public static final String DEFAULT_TRINO_HEAP = "2G";

  /** Where DynamoDB Local keeps its tables. */
  public enum DynamoDbStorage {
    /** Lost when the process stops; for tests. */
    IN_MEMORY,
    /** A file under the state directory; survives {@code down} and {@code up}. */
    ON_DISK,
  }

  public LocalStackConfig {
    stateDir = requireNonNull(stateDir, "stateDir is null").toAbsolutePath().normalize();
    distDir = requireNonNull(distDir, "distDir is null").toAbsolutePath().normalize();
    requireNonNull(javaHome, "javaHome is null");
    requirePort(trinoPort, "trinoPort");
    requirePort(dynamoDbPort, "dynamoDbPort");
    if (trinoPort == dynamoDbPort) {
      throw new IllegalArgumentException(
          "Trino and DynamoDB Local need two ports, got " + trinoPort);
    }
    requireNonNull(trinoHeap, "trinoHeap is null");
    if (!trinoHeap.matches("[0-9]+[MG]")) {
      throw new IllegalArgumentException("trinoHeap looks like 1G or 768M, got: " + trinoHeap);
    }
    requireNonNull(icebergCatalogProperties, "icebergCatalogProperties is null");
    requireNonNull(dynamoDbStorage, "dynamoDbStorage is null");
  }

  /**
   * Where the local Iceberg catalog keeps its data: the root of {@code local://} paths in Trino,
   * unless {@link #icebergCatalogProperties()} replace the catalog.
   */
  public Path warehouse() {
    return stateDir.resolve("warehouse");
  }

  /** The defaults: fixed ports, 2 GB Trino heap, the running JDK, DynamoDB tables on disk. */
  public static LocalStackConfig defaults(Path stateDir, Path distDir) {
    return new LocalStackConfig(
        stateDir,
        distDir,
        Path.of(System.getProperty("java.home")),
        DEFAULT_TRINO_PORT,
        DEFAULT_DYNAMODB_PORT,
        DEFAULT_TRINO_HEAP,
        Optional.empty(),
        DynamoDbStorage.ON_DISK);
  }

  public LocalStackConfig withPorts(int trinoPort, int dynamoDbPort) {
    return new LocalStackConfig(
        stateDir,
        distDir,
        javaHome,
        trinoPort,
        dynamoDbPort,
        trinoHeap,
        icebergCatalogProperties,
        dynamoDbStorage);
  }

  public LocalStackConfig withDynamoDbStorage(DynamoDbStorage storage) {
    return new LocalStackConfig(
        stateDir,
        distDir,
        javaHome,
        trinoPort,
        dynamoDbPort,
        trinoHeap,
        icebergCatalogProperties,
        storage);
  }

  public LocalStackConfig withIcebergCatalogProperties(Optional<Path> properties) {
    return new LocalStackConfig(
        stateDir,
        distDir,
        javaHome,
        trinoPort,
        dynamoDbPort,
        trinoHeap,
        properties,
        dynamoDbStorage);
  }

  public LocalStackConfig withTrinoHeap(String heap) {
    return new LocalStackConfig(
        stateDir,
        distDir,
        javaHome,
        trinoPort,
        dynamoDbPort,
        heap,
        icebergCatalogProperties,
        dynamoDbStorage);
  }

  private static void requirePort(int port, String name) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " is not a port: " + port);
    }
  }
}
