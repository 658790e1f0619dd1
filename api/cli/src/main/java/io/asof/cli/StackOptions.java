package io.asof.cli;

import io.asof.local.LocalStack;
import io.asof.local.LocalStackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** Where the local stack lives and on which ports; shared by the commands that use it. */
final class StackOptions {
  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Data, logs and pids of the local stack (default: $ASOF_STATE_DIR, else .asof/local in the Asof checkout).")
  Path stateDir;

  @Option(
      names = "--trino-port",
      paramLabel = "PORT",
      description = "Trino's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + LocalStackConfig.DEFAULT_TRINO_PORT)
  int trinoPort;

  @Option(
      names = "--dynamodb-port",
      paramLabel = "PORT",
      description = "DynamoDB Local's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + LocalStackConfig.DEFAULT_DYNAMODB_PORT)
  int dynamoDbPort;

  @Option(
      names = "--trino-heap",
      paramLabel = "SIZE",
      description = "Trino's maximum heap (default: ${DEFAULT-VALUE}).",
      defaultValue = LocalStackConfig.DEFAULT_TRINO_HEAP)
  String trinoHeap;

  @Option(
      names = "--iceberg-properties",
      paramLabel = "FILE",
      description =
          "Use this Iceberg catalog (JDBC, REST, Glue, Hive metastore) instead of the local one.")
  Path icebergProperties;

  @Option(
      names = "--dynamodb-in-memory",
      description =
          "Start DynamoDB Local with its tables in memory (lost when it stops) instead of on disk; for benchmarks. No effect on one that runs already.")
  boolean dynamoDbInMemory;

  LocalStack stack(Consumer<String> progress) {
    return new LocalStack(config(), progress);
  }

  /** The local stack's configuration from these options. */
  LocalStackConfig config() {
    return LocalStackConfig.defaults(stateDir(), distDir())
        .withPorts(trinoPort, dynamoDbPort)
        .withTrinoHeap(trinoHeap)
        .withIcebergCatalogProperties(Optional.ofNullable(icebergProperties).map(this::existing))
        .withDynamoDbStorage(
            dynamoDbInMemory
                ? LocalStackConfig.DynamoDbStorage.IN_MEMORY
                : LocalStackConfig.DynamoDbStorage.ON_DISK);
  }

  private Path existing(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--iceberg-properties: no such file: " + file);
    }
    return file.toAbsolutePath();
  }

  Path stateDir() {
    if (stateDir != null) {
      return stateDir;
    }
    String fromEnvironment = System.getenv("ASOF_STATE_DIR");
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return Path.of(fromEnvironment);
    }
    return home().resolve(".asof/local");
  }

  private static Path distDir() {
    String dist = System.getProperty("asof.dist");
    return dist != null ? Path.of(dist) : home().resolve("api/local-stack-dist/target/dist");
  }

  /** The Asof checkout; the ./asof launcher passes it. */
  private static Path home() {
    return Path.of(System.getProperty("asof.home", "."));
  }
}
