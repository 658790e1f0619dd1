package io.asof.online.dynamodb;

import io.asof.model.Column;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineTable;
import io.asof.online.WriteMode;
import io.asof.online.WriteSummary;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A measurement, not a test: INITIAL_LOAD and CONDITIONAL writes of {@code N} records of 20 doubles
 * into a running DynamoDB Local, and 1-key reads, through {@link DynamoDbOnlineStore}. Run with the
 * test class path: {@code java -cp ... io.asof.online.OnlineStoreThroughput http://127.0.0.1:18000
 * 100000}.
 */
public final class OnlineStoreThroughput {
  private OnlineStoreThroughput() {}

  /**
   * The same items by BatchWriteItem straight from the SDK, 8 threads: DynamoDB Local's own rate.
   */
  private static void rawWrites(URI endpoint, OnlineTable table, int n) {
    try (software.amazon.awssdk.services.dynamodb.DynamoDbClient client =
        software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
            .endpointOverride(endpoint)
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        "local", "local")))
            .httpClientBuilder(
                software.amazon.awssdk.http.apache5.Apache5HttpClient.builder().maxConnections(64))
            .build()) {
      long start = System.nanoTime();
      java.util.stream.IntStream.range(0, 8)
          .parallel()
          .forEach(
              t -> {
                for (int b = t * 25; b < n; b += 8 * 25) {
                  List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> batch =
                      new ArrayList<>();
                  for (int k = b; k < Math.min(n, b + 25); k++) {
                    java.util.Map<
                            String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>
                        item = new java.util.HashMap<>();
                    item.put(
                        "pk",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                            "raw" + k));
                    for (int f = 1; f <= 20; f++) {
                      item.put(
                          "f%02d".formatted(f),
                          software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN(
                              Double.toString(Math.cos((double) k * f))));
                    }
                    batch.add(
                        software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
                            .putRequest(r -> r.item(item))
                            .build());
                  }
                  client.batchWriteItem(r -> r.requestItems(java.util.Map.of(table.name(), batch)));
                }
              });
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "raw SDK BatchWriteItem, 8 threads: %,d items in %.1f s = %,.0f items/s%n",
          n, seconds, n / seconds);
    }
  }

  public static void main(String[] args) {
    URI endpoint = URI.create(args[0]);
    int n = Integer.parseInt(args[1]);
    List<Column> features = new ArrayList<>();
    for (int f = 1; f <= 20; f++) {
      features.add(new Column("f%02d".formatted(f), "double"));
    }
    OnlineTable table =
        OnlineTable.of(
            "throughput_" + ProcessHandle.current().pid(),
            1,
            List.of(new Column("id", "bigint")),
            features);
    List<OnlineRecord> records = new ArrayList<>(n);
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    for (long k = 1; k <= n; k++) {
      Object[] values = new Object[20];
      for (int f = 0; f < 20; f++) {
        values[f] = Math.cos((double) k * (f + 1));
      }
      records.add(
          new OnlineRecord(List.of(k), t0.plusSeconds(k), Arrays.asList(values), Optional.empty()));
    }
    try (DynamoDbOnlineStore store = DynamoDbOnlineStore.connectLocal(endpoint, "us-east-1")) {
      store.drop(table);
      store.create(table);
      for (WriteMode mode : List.of(WriteMode.INITIAL_LOAD, WriteMode.CONDITIONAL)) {
        long start = System.nanoTime();
        WriteSummary summary = WriteSummary.NONE;
        for (int i = 0; i < n; i += 5_000) {
          summary =
              summary.plus(store.write(table, records.subList(i, Math.min(n, i + 5_000)), mode));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "%s: %,d records in %.1f s = %,.0f items/s (%s)%n",
            mode, n, seconds, n / seconds, summary);
      }
      rawWrites(endpoint, table, n);
      long[] nanos = new long[5_000];
      for (int i = 0; i < nanos.length; i++) {
        long start = System.nanoTime();
        store.read(table, List.of(List.of((long) (i % n) + 1)));
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      System.out.printf(
          "1-key read: p50 %.2f ms, p99 %.2f ms%n", nanos[2_500] / 1e6, nanos[4_950] / 1e6);
      store.drop(table);
    }
  }
}
