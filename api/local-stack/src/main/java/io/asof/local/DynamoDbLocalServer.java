package io.asof.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB Local as a process of the stack, bound to loopback by Asof's small launcher. */
final class DynamoDbLocalServer {
  private final LocalStackConfig config;
  private final ManagedProcess process;
  private final Path home;

  DynamoDbLocalServer(LocalStackConfig config, ManagedProcess process) {
    this.config = config;
    this.process = process;
    this.home = config.stateDir().resolve("dynamodb");
  }

  List<String> command(int port) {
    try {
      Files.createDirectories(home.resolve("data"));
      Files.createDirectories(home.resolve("tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path dist = config.distDir().resolve("dynamodb-local");
    String storage =
        config.dynamoDbStorage() == LocalStackConfig.DynamoDbStorage.IN_MEMORY
            ? "-inMemory"
            : home.resolve("data").toString();
    return List.of(
        config.javaHome().resolve("bin/java").toString(),
        process.markerOption(),
        // 256 MB ran out (in full GCs, then timeouts) under `asof bench online`: BatchGetItems of
        // 100 items of 200 attributes at 16 in flight, and scans of a 50,000-item table
        "-Xmx1G",
        "-XX:+UseSerialGC",
        // sqlite4java unpacks its native library here
        "-Djava.io.tmpdir=" + home.resolve("tmp"),
        "-cp",
        dist.resolve("asof-dynamodb-local-launcher.jar") + ":" + dist.resolve("lib") + "/*",
        "io.asof.local.dist.LoopbackDynamoDbLocal",
        Integer.toString(port),
        storage);
  }

  Path home() {
    return home;
  }

  /** Waits until ListTables answers through the AWS SDK. */
  void awaitReady(StackEndpoints endpoints, Process started, long deadlineNanos) {
    try (DynamoDbClient client = client(endpoints)) {
      while (true) {
        if (started != null && !started.isAlive()) {
          throw new StackException(
              "DynamoDB Local exited during start (exit code %d): %s"
                  .formatted(started.exitValue(), process.failureSummary()),
              process.logFile());
        }
        try {
          client.listTables();
          return;
        } catch (SdkException e) {
          if (System.nanoTime() > deadlineNanos) {
            throw new StackException(
                "DynamoDB Local did not answer in time: " + e.getMessage(), process.logFile());
          }
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StackException("interrupted while waiting for DynamoDB Local", e);
        }
      }
    }
  }

  /** A client for the stack's DynamoDB; DynamoDB Local takes any credentials. */
  static DynamoDbClient client(StackEndpoints endpoints) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoints.dynamoDbEndpoint())
        .region(Region.of(endpoints.dynamoDbRegion()))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5)))
        .build();
  }
}
