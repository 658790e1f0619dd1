package io.asof.online.dynamodb;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The AWS SDK's BatchWriteItem with nothing around it, writing the smallest item an online table
 * could hold (a key and one binary attribute of {@code features} doubles): what a DynamoDB endpoint
 * costs per item at the least. For benchmarks; not used for serving.
 */
public final class RawBatchWrite implements AutoCloseable {
  private final DynamoDbClient client;

  private RawBatchWrite(DynamoDbClient client) {
    this.client = client;
  }

  /** A client of a DynamoDB Local endpoint (static local credentials). */
  public static RawBatchWrite connect(URI endpoint, String region) {
    return new RawBatchWrite(RawBatchGet.localClient(endpoint, region));
  }

  /**
   * Creates {@code table} afresh, writes {@code items} minimal items into it in batches of 25 from
   * {@code parallelism} threads (unprocessed items sent again), and drops it.
   *
   * @return the nanoseconds the writes took
   */
  public long writeMinimal(String table, int items, int features, int parallelism)
      throws InterruptedException {
    drop(table);
    client.createTable(
        b ->
            b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("pk")
                        .attributeType(ScalarAttributeType.S)
                        .build())
                .keySchema(
                    KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
    client.waiter().waitUntilTableExists(b -> b.tableName(table));
    AtomicInteger next = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(parallelism);
    long start = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < parallelism; t++) {
        running.add(
            threads.submit(
                () -> {
                  for (int from = next.getAndAdd(25); from < items; from = next.getAndAdd(25)) {
                    write(table, from, Math.min(items, from + 25), features);
                  }
                  return null;
                }));
      }
      for (Future<?> future : running) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("a raw BatchWriteItem failed: " + e.getCause(), e);
    } finally {
      threads.shutdownNow();
    }
    long took = System.nanoTime() - start;
    drop(table);
    return took;
  }

  private void write(String table, int from, int to, int features) {
    List<WriteRequest> pending = new ArrayList<>(to - from);
    for (int k = from; k < to; k++) {
      ByteBuffer values = ByteBuffer.allocate(8 * features);
      for (int f = 1; f <= features; f++) {
        values.putDouble(Math.cos((double) k * f));
      }
      Map<String, AttributeValue> item = new HashMap<>();
      item.put("pk", AttributeValue.fromS(Integer.toString(k)));
      item.put("v", AttributeValue.fromB(SdkBytes.fromByteArray(values.array())));
      pending.add(WriteRequest.builder().putRequest(r -> r.item(item)).build());
    }
    while (!pending.isEmpty()) {
      List<WriteRequest> sending = pending;
      pending =
          client
              .batchWriteItem(b -> b.requestItems(Map.of(table, sending)))
              .unprocessedItems()
              .getOrDefault(table, List.of());
    }
  }

  private void drop(String table) {
    try {
      client.deleteTable(b -> b.tableName(table));
      client.waiter().waitUntilTableNotExists(b -> b.tableName(table));
    } catch (ResourceNotFoundException e) {
      // not there
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
