package io.asof.online.dynamodb;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The AWS SDK's BatchGetItem with nothing around it: the baseline benchmarks compare the server
 * with, for single-column keys of an Asof online table. Not used for serving.
 */
public final class RawBatchGet implements AutoCloseable {
  private final DynamoDbClient client;

  private RawBatchGet(DynamoDbClient client) {
    this.client = client;
  }

  /** A client of a DynamoDB Local endpoint (static local credentials), pooled like the store's. */
  public static RawBatchGet connect(URI endpoint, String region) {
    return new RawBatchGet(localClient(endpoint, region));
  }

  /** An SDK client of a DynamoDB Local endpoint, for the raw baselines of benchmarks. */
  static DynamoDbClient localClient(URI endpoint, String region) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(region))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClientBuilder(
            Apache5HttpClient.builder().maxConnections(64).connectionTimeout(Duration.ofSeconds(1)))
        .build();
  }

  /**
   * Reads the items of {@code keys} (at most 100) of {@code table}, sending unprocessed keys again
   * ({@link DynamoDbCalls#untilProcessed}); returns how many items came back.
   */
  public int get(String table, List<?> keys) {
    if (keys.size() > 100) {
      throw new IllegalArgumentException("BatchGetItem takes at most 100 keys, got " + keys.size());
    }
    List<Map<String, AttributeValue>> wanted = new ArrayList<>(keys.size());
    for (Object key : new java.util.LinkedHashSet<>(keys)) {
      wanted.add(Map.of("pk", AttributeValue.fromS(key.toString())));
    }
    int[] found = {0};
    List<Map<String, AttributeValue>> left =
        DynamoDbCalls.untilProcessed(
                wanted,
                asking -> {
                  BatchGetItemResponse response =
                      client.batchGetItem(
                          b ->
                              b.requestItems(
                                  Map.of(table, KeysAndAttributes.builder().keys(asking).build())));
                  found[0] += response.responses().getOrDefault(table, List.of()).size();
                  KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
                  return unprocessed == null ? List.of() : unprocessed.keys();
                })
            .left();
    if (!left.isEmpty()) {
      throw new IllegalStateException(left.size() + " keys were left unprocessed");
    }
    return found[0];
  }

  @Override
  public void close() {
    client.close();
  }
}
