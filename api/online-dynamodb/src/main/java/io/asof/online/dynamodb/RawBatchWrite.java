package io.asof.online.dynamodb;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The AWS SDK's unconditional BatchWriteItem with nothing around it: the baseline a benchmark
 * compares {@code online enable} with, writing the very items a load wrote, into the same endpoint,
 * from as many threads as the store writes with. For benchmarks; not used for serving.
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
   * What {@link #copy} wrote and how long the writes took.
   *
   * @param items the items written
   * @param nanos the time of the writes alone (not the scan, not creating the table)
   */
  public record Copy(long items, long nanos) {
    public double itemsPerSecond() {
      return nanos <= 0 ? 0 : items / (nanos / 1e9);
    }
  }

  /**
   * Reads every item of {@code source}, creates {@code target} afresh with its key schema, and
   * times writing the items into it in batches of 25 from as many threads as the online store
   * writes a load with (unprocessed items sent again, {@link DynamoDbCalls#untilProcessed}); drops
   * {@code target} after.
   */
  public Copy copy(String source, String target) throws InterruptedException {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    // small pages: DynamoDB Local holds a whole page in its (small) heap
    client.scanPaginator(b -> b.tableName(source).limit(500)).items().forEach(items::add);
    TableDescription table = client.describeTable(b -> b.tableName(source)).table();
    drop(target);
    client.createTable(
        b ->
            b.tableName(target)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(table.attributeDefinitions())
                .keySchema(table.keySchema()));
    client.waiter().waitUntilTableExists(b -> b.tableName(target));
    int parallelism = DynamoDbWriter.WRITE_PARALLELISM;
    AtomicInteger next = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(parallelism);
    long start = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < parallelism; t++) {
        running.add(
            threads.submit(
                () -> {
                  for (int from = next.getAndAdd(DynamoDbWriter.WRITE_BATCH);
                      from < items.size();
                      from = next.getAndAdd(DynamoDbWriter.WRITE_BATCH)) {
                    write(
                        target,
                        items.subList(
                            from, Math.min(items.size(), from + DynamoDbWriter.WRITE_BATCH)));
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
    drop(target);
    return new Copy(items.size(), took);
  }

  private void write(String table, List<Map<String, AttributeValue>> items) {
    List<WriteRequest> pending = new ArrayList<>(items.size());
    for (Map<String, AttributeValue> item : items) {
      pending.add(WriteRequest.builder().putRequest(r -> r.item(item)).build());
    }
    List<WriteRequest> left =
        DynamoDbCalls.untilProcessed(
                pending,
                sending ->
                    client
                        .batchWriteItem(b -> b.requestItems(Map.of(table, sending)))
                        .unprocessedItems()
                        .getOrDefault(table, List.of()))
            .left();
    if (!left.isEmpty()) {
      throw new IllegalStateException(left.size() + " items were left unprocessed");
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
