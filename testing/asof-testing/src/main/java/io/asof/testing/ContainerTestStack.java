package io.asof.testing;

import io.asof.local.StackEndpoints;
import io.asof.local.TrinoReadiness;
import java.net.URI;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/** Trino 476 and DynamoDB Local in containers; only where a Docker engine runs. */
final class ContainerTestStack implements TestStack {
  private static final String ICEBERG_PROPERTIES =
      """
      connector.name=iceberg
      iceberg.catalog.type=TESTING_FILE_METASTORE
      hive.metastore.catalog.dir=local:///catalog
      fs.native-local.enabled=true
      local.location=/tmp/asof-warehouse
      iceberg.file-format=PARQUET
      """;

  private final GenericContainer<?> trino;
  private final GenericContainer<?> dynamoDb;
  private final StackEndpoints endpoints;

  private ContainerTestStack(
      GenericContainer<?> trino, GenericContainer<?> dynamoDb, StackEndpoints endpoints) {
    this.trino = trino;
    this.dynamoDb = dynamoDb;
    this.endpoints = endpoints;
  }

  /** Starts both containers, or gives a reason to skip when there is no Docker engine. */
  @SuppressWarnings("resource") // closed by close()
  static ContainerTestStack start() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new StackUnavailableException(
          "no Docker engine is reachable, so Testcontainers cannot start trinodb/trino:476; use -Dasof.stack.mode=local");
    }
    GenericContainer<?> trino =
        new GenericContainer<>(DockerImageName.parse("trinodb/trino:476"))
            .withExposedPorts(8080)
            .withCopyToContainer(
                Transferable.of(ICEBERG_PROPERTIES), "/etc/trino/catalog/iceberg.properties")
            .waitingFor(Wait.forLogMessage(".*SERVER STARTED.*", 1))
            .withStartupTimeout(Duration.ofMinutes(3));
    GenericContainer<?> dynamoDb =
        new GenericContainer<>(DockerImageName.parse("amazon/dynamodb-local:2.6.1"))
            .withExposedPorts(8000)
            .withCommand("-jar", "DynamoDBLocal.jar", "-inMemory", "-sharedDb");
    trino.start();
    dynamoDb.start();
    StackEndpoints endpoints =
        StackEndpoints.of(
            URI.create("http://" + trino.getHost() + ":" + trino.getMappedPort(8080)),
            URI.create("http://" + dynamoDb.getHost() + ":" + dynamoDb.getMappedPort(8000)));
    TrinoReadiness.awaitWritable(endpoints, Duration.ofMinutes(1));
    return new ContainerTestStack(trino, dynamoDb, endpoints);
  }

  @Override
  public StackEndpoints endpoints() {
    return endpoints;
  }

  @Override
  public StackMode mode() {
    return StackMode.TESTCONTAINERS;
  }

  @Override
  public void close() {
    trino.stop();
    dynamoDb.stop();
  }
}
