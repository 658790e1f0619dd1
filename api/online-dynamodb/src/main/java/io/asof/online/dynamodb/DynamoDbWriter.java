package io.asof.online.dynamodb;

import static io.asof.online.dynamodb.DynamoDbCalls.ATTEMPTS;
import static io.asof.online.dynamodb.DynamoDbCalls.slices;
import static io.asof.online.dynamodb.DynamoDbCalls.untilProcessed;
import static io.asof.online.dynamodb.DynamoDbCodec.EVENT_TIME;
import static io.asof.online.dynamodb.DynamoDbCodec.EXPIRES_AT;
import static io.asof.online.dynamodb.DynamoDbCodec.PK;
import static io.asof.online.dynamodb.DynamoDbCodec.SEQUENCE;
import static io.asof.online.dynamodb.DynamoDbCodec.TIE_BREAK;
import static io.asof.online.dynamodb.DynamoDbCodec.TTL;
import static io.asof.online.dynamodb.DynamoDbCodec.instant;
import static io.asof.online.dynamodb.DynamoDbCodec.micros;
import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStoreException;
import io.asof.online.OnlineTable;
import io.asof.online.TileUpdate;
import io.asof.online.WriteMode;
import io.asof.online.WriteSummary;
import io.asof.online.dynamodb.DynamoDbCalls.Unprocessed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The DynamoDB store's writes: records in parallel batches (unconditional BatchWriteItems for an
 * initial load, conditional PutItems otherwise), and tile records added to exactly once per batch.
 */
final class DynamoDbWriter {
  /** The most items DynamoDB takes in one BatchWriteItem. */
  static final int WRITE_BATCH = 25;

  /** Write calls in flight at once, for all the store's writes together. */
  static final int WRITE_PARALLELISM = Integer.getInteger("asof.online.write-parallelism", 32);

  private final DynamoDbCalls calls;

  /**
   * Permits for {@link #WRITE_PARALLELISM} write calls: shared by concurrent writes (a load's next
   * batch while its last one ends, a push beside a load), so that one write's last slices and the
   * next one's first overlap without putting more calls in flight than one write would.
   */
  private final Semaphore inFlight = new Semaphore(WRITE_PARALLELISM);

  private final Function<OnlineTable, DynamoDbCodec> codecs;

  DynamoDbWriter(DynamoDbCalls calls, Function<OnlineTable, DynamoDbCodec> codecs) {
    this.calls = calls;
    this.codecs = codecs;
  }

  WriteSummary write(OnlineTable table, List<OnlineRecord> records, WriteMode mode) {
    requireNonNull(mode, "mode is null");
    if (records.isEmpty()) {
      return WriteSummary.NONE;
    }
    DynamoDbCodec codec = codecs.apply(table);
    List<Map<String, AttributeValue>> items = new ArrayList<>(records.size());
    for (OnlineRecord record : records) {
      items.add(codec.item(record));
    }
    return switch (mode) {
      case INITIAL_LOAD -> parallel(table, slices(items, WRITE_BATCH), batch -> load(table, batch));
      case CONDITIONAL, RECOMPUTED ->
          parallel(
              table,
              slices(
                  items, Math.max(1, (items.size() + WRITE_PARALLELISM - 1) / WRITE_PARALLELISM)),
              slice -> put(table, slice, mode));
    };
  }

  /** One BatchWriteItem, its unprocessed items sent again with backoff. */
  private WriteSummary load(OnlineTable table, List<Map<String, AttributeValue>> items) {
    List<WriteRequest> requests = new ArrayList<>(items.size());
    for (Map<String, AttributeValue> item : items) {
      requests.add(
          WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
    }
    Unprocessed<WriteRequest> unprocessed =
        untilProcessed(
            requests,
            sending -> {
              try {
                return calls
                    .client()
                    .batchWriteItem(b -> b.requestItems(Map.of(table.name(), sending)))
                    .unprocessedItems()
                    .getOrDefault(table.name(), List.of());
              } catch (SdkException e) {
                throw calls.failure("write", table, e);
              }
            });
    if (!unprocessed.left().isEmpty()) {
      throw new OnlineStoreException(
          "%s left %d items of %s unprocessed after %d attempts: the table is throttled; try again later"
              .formatted(calls.where(), unprocessed.left().size(), table.name(), ATTEMPTS),
          false);
    }
    return new WriteSummary(items.size(), 0, unprocessed.resent());
  }

  /**
   * Conditional PutItems, one after the other: an item replaces only one offline would not take
   * over it (an older event time, or an equal one that loses the tie-break).
   */
  private WriteSummary put(
      OnlineTable table, List<Map<String, AttributeValue>> items, WriteMode mode) {
    boolean offlineOrder = mode == WriteMode.CONDITIONAL;
    // the offline order; or, for recomputed values, any item whose event time is not later
    String condition =
        offlineOrder
            ? "attribute_not_exists(%s) OR #e < :e OR (#e = :e AND (attribute_not_exists(#t) OR #t <= :t))"
                .formatted(PK)
            : "attribute_not_exists(%s) OR #e <= :e".formatted(PK);
    long written = 0;
    long skipped = 0;
    for (Map<String, AttributeValue> item : items) {
      try {
        calls
            .client()
            .putItem(
                b ->
                    b.tableName(table.name())
                        .item(item)
                        .conditionExpression(condition)
                        .expressionAttributeNames(
                            offlineOrder
                                ? Map.of("#e", EVENT_TIME, "#t", TIE_BREAK)
                                : Map.of("#e", EVENT_TIME))
                        .expressionAttributeValues(
                            offlineOrder
                                ? Map.of(":e", item.get(EVENT_TIME), ":t", item.get(TIE_BREAK))
                                : Map.of(":e", item.get(EVENT_TIME))));
        written++;
      } catch (ConditionalCheckFailedException e) {
        skipped++;
      } catch (SdkException e) {
        throw calls.failure("write", table, e);
      }
    }
    return new WriteSummary(written, skipped, 0);
  }

  /** One slice's calls, once a permit is free. */
  private <T> WriteSummary permitted(
      OnlineTable table, Function<List<T>, WriteSummary> call, List<T> slice) {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OnlineStoreException("interrupted while writing " + table.name(), false, e);
    }
    try {
      return call.apply(slice);
    } finally {
      inFlight.release();
    }
  }

  private <T> WriteSummary parallel(
      OnlineTable table, List<List<T>> slices, Function<List<T>, WriteSummary> call) {
    if (slices.size() == 1) {
      return permitted(table, call, slices.getFirst());
    }
    // at most WRITE_PARALLELISM calls in flight: each worker takes the next slice
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Future<WriteSummary>> workers = new ArrayList<>();
    for (int w = 0; w < Math.min(WRITE_PARALLELISM, slices.size()); w++) {
      workers.add(
          calls
              .executor()
              .submit(
                  () -> {
                    WriteSummary total = WriteSummary.NONE;
                    for (int i = next.getAndIncrement();
                        i < slices.size();
                        i = next.getAndIncrement()) {
                      total = total.plus(permitted(table, call, slices.get(i)));
                    }
                    return total;
                  }));
    }
    WriteSummary total = WriteSummary.NONE;
    RuntimeException failure = null;
    for (Future<WriteSummary> worker : workers) {
      try {
        total = total.plus(worker.get());
      } catch (ExecutionException e) {
        next.set(slices.size()); // the others stop at their next slice
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException runtime
                  ? runtime
                  : new OnlineStoreException(
                      "writing " + table.name() + " failed: " + e.getCause(), false, e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OnlineStoreException("interrupted while writing " + table.name(), false, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return total;
  }

  WriteSummary writeTiles(
      OnlineTable table, List<OnlineRecord> records, long through, boolean initial) {
    if (records.isEmpty()) {
      return WriteSummary.NONE;
    }
    DynamoDbCodec codec = codecs.apply(table);
    List<Map<String, AttributeValue>> items = new ArrayList<>(records.size());
    for (OnlineRecord record : records) {
      Map<String, AttributeValue> item = tileItem(codec, record);
      item.put(SEQUENCE, AttributeValue.fromN(Long.toString(through)));
      items.add(item);
    }
    if (initial) {
      return parallel(table, slices(items, WRITE_BATCH), batch -> load(table, batch));
    }
    return parallel(
        table,
        slices(items, Math.max(1, (items.size() + WRITE_PARALLELISM - 1) / WRITE_PARALLELISM)),
        slice -> {
          long written = 0;
          long kept = 0;
          for (Map<String, AttributeValue> item : slice) {
            if (putTile(
                table,
                item,
                "attribute_not_exists(%s) OR attribute_not_exists(#q) OR #q <= :q".formatted(PK),
                Map.of(":q", item.get(SEQUENCE)))) {
              written++;
            } else {
              kept++;
            }
          }
          return new WriteSummary(written, kept, 0);
        });
  }

  /**
   * Adds pushed batches to tile records ({@link io.asof.online.OnlineStore#addTiles}).
   *
   * <p>One {@code UpdateItem} per record: {@code ADD} of the batches' sums to its tiles and {@code
   * SET} of {@code __seq} to the highest batch, on condition that {@code __seq} is below the lowest
   * (or absent). When the condition fails the record's {@code __seq} comes back with the failure
   * ({@code ReturnValuesOnConditionCheckFailure ALL_OLD}) and only the batches above it are added,
   * on condition that it is still that. A record whose tiles cannot be added to in place (a sum of
   * doubles that is NaN or infinite, kept as text) is read, added to and put back, on the same
   * condition.
   */
  WriteSummary addTiles(OnlineTable table, List<TileUpdate> updates) {
    if (updates.isEmpty()) {
      return WriteSummary.NONE;
    }
    DynamoDbCodec codec = codecs.apply(table);
    return parallel(
        table,
        slices(updates, Math.max(1, (updates.size() + WRITE_PARALLELISM - 1) / WRITE_PARALLELISM)),
        slice -> {
          WriteSummary total = WriteSummary.NONE;
          for (TileUpdate update : slice) {
            total = total.plus(addTile(table, codec, update));
          }
          return total;
        });
  }

  private WriteSummary addTile(OnlineTable table, DynamoDbCodec codec, TileUpdate update) {
    // the record's sequence once a condition failed: -1 unknown, 0 none
    long known = -1;
    long retried = 0;
    for (int attempt = 0; ; attempt++) {
      Map<Long, Map<Integer, Object>> adding = known < 0 ? update.batches() : update.above(known);
      if (adding.isEmpty()) {
        return new WriteSummary(0, 1, retried);
      }
      Map<Integer, Object> sums = new java.util.TreeMap<>();
      adding.values().forEach(b -> b.forEach((i, v) -> sums.merge(i, v, TileUpdate::add)));
      if (!sums.values().stream().allMatch(DynamoDbWriter::finite)) {
        return readAddPut(table, codec, update).plus(new WriteSummary(0, 0, retried));
      }
      long first = adding.keySet().iterator().next();
      long last = ((java.util.NavigableMap<Long, ?>) new java.util.TreeMap<>(adding)).lastKey();
      Map<String, String> names = new HashMap<>();
      Map<String, AttributeValue> values = new HashMap<>();
      List<String> sets = new ArrayList<>();
      List<String> adds = new ArrayList<>();
      names.put("#q", SEQUENCE);
      values.put(":q", AttributeValue.fromN(Long.toString(last)));
      sets.add("#q = :q");
      names.put("#e", EVENT_TIME);
      values.put(":e", AttributeValue.fromN(Long.toString(micros(update.eventTime()))));
      sets.add("#e = if_not_exists(#e, :e)");
      names.put("#x", EXPIRES_AT);
      values.put(":x", AttributeValue.fromN(Long.toString(micros(update.expiresAt()))));
      sets.add("#x = :x");
      names.put("#l", TTL);
      long ttl = update.expiresAt().plusNanos(999_999_999).getEpochSecond();
      values.put(":l", AttributeValue.fromN(Long.toString(ttl)));
      sets.add("#l = :l");
      for (int k = 0; k < codec.keys.size(); k++) {
        names.put("#k" + k, codec.keys.get(k).name());
        values.put(":k" + k, codec.encode(update.key().get(k), codec.keys.get(k)));
        sets.add("#k%d = :k%d".formatted(k, k));
      }
      for (Map.Entry<Integer, Object> sum : sums.entrySet()) {
        Column column = codec.features.get(sum.getKey());
        names.put("#a" + sum.getKey(), column.name());
        values.put(":a" + sum.getKey(), codec.encode(sum.getValue(), column));
        adds.add("#a%d :a%d".formatted(sum.getKey(), sum.getKey()));
      }
      String condition;
      if (known < 0) {
        values.put(":f", AttributeValue.fromN(Long.toString(first)));
        condition = "attribute_not_exists(#q) OR #q < :f";
      } else if (known == 0) {
        condition = "attribute_not_exists(#q)";
      } else {
        values.put(":o", AttributeValue.fromN(Long.toString(known)));
        condition = "#q = :o";
      }
      String expression =
          "SET "
              + String.join(", ", sets)
              + (adds.isEmpty() ? "" : " ADD " + String.join(", ", adds));
      try {
        calls
            .client()
            .updateItem(
                b ->
                    b.tableName(table.name())
                        .key(Map.of(PK, AttributeValue.fromS(codec.pk(update.key()))))
                        .updateExpression(expression)
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValuesOnConditionCheckFailure(
                            ReturnValuesOnConditionCheckFailure.ALL_OLD));
        return new WriteSummary(1, 0, retried);
      } catch (ConditionalCheckFailedException e) {
        Map<String, AttributeValue> old = e.hasItem() ? e.item() : Map.of();
        AttributeValue sequence = old.get(SEQUENCE);
        known = sequence == null ? 0 : Long.parseLong(sequence.n());
        retried++;
      } catch (DynamoDbException e) {
        if (e.statusCode() == 400
            && e.getMessage() != null
            && e.getMessage().contains("data type")) {
          // a tile kept as text (a NaN or infinite sum of doubles) cannot be added to in place
          return readAddPut(table, codec, update).plus(new WriteSummary(0, 0, retried));
        }
        throw calls.failure("write", table, e);
      } catch (SdkException e) {
        throw calls.failure("write", table, e);
      }
      if (attempt + 1 >= ATTEMPTS) {
        throw new OnlineStoreException(
            "%s: the tiles of %s changed under %d updates in a row; tried again later"
                .formatted(calls.where(), table.name(), ATTEMPTS),
            false);
      }
    }
  }

  /**
   * Adds the batches above a record's sequence by reading it and putting it back, conditionally.
   */
  private WriteSummary readAddPut(OnlineTable table, DynamoDbCodec codec, TileUpdate update) {
    Map<String, AttributeValue> key = Map.of(PK, AttributeValue.fromS(codec.pk(update.key())));
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Map<String, AttributeValue> item;
      try {
        var response =
            calls.client().getItem(b -> b.tableName(table.name()).key(key).consistentRead(true));
        item = response.hasItem() && !response.item().isEmpty() ? response.item() : null;
      } catch (SdkException e) {
        throw calls.failure("read", table, e);
      }
      AttributeValue sequence = item == null ? null : item.get(SEQUENCE);
      long known = sequence == null ? 0 : Long.parseLong(sequence.n());
      Map<Long, Map<Integer, Object>> adding = update.above(known);
      if (adding.isEmpty()) {
        return new WriteSummary(0, 1, 0);
      }
      List<Object> tiles =
          new ArrayList<>(
              item == null
                  ? java.util.Collections.nCopies(codec.features.size(), null)
                  : codec.record(item).values());
      adding
          .values()
          .forEach(b -> b.forEach((i, v) -> tiles.set(i, TileUpdate.add(tiles.get(i), v))));
      Map<String, AttributeValue> next =
          tileItem(
              codec,
              new OnlineRecord(
                  update.key(),
                  item == null
                      ? update.eventTime()
                      : instant(Long.parseLong(item.get(EVENT_TIME).n())),
                  tiles,
                  Optional.of(update.expiresAt())));
      long last = ((java.util.NavigableMap<Long, ?>) new java.util.TreeMap<>(adding)).lastKey();
      next.put(SEQUENCE, AttributeValue.fromN(Long.toString(last)));
      String condition =
          item == null
              ? "attribute_not_exists(%s)".formatted(PK)
              : sequence == null ? "attribute_not_exists(#q)" : "#q = :q";
      if (putTile(table, next, condition, sequence == null ? Map.of() : Map.of(":q", sequence))) {
        return new WriteSummary(1, 0, attempt);
      }
    }
    throw new OnlineStoreException(
        "%s: a tile record of %s changed under %d updates in a row; tried again later"
            .formatted(calls.where(), table.name(), ATTEMPTS),
        false);
  }

  /** A conditional PutItem of a tile record; false when the condition failed. */
  private boolean putTile(
      OnlineTable table,
      Map<String, AttributeValue> item,
      String condition,
      Map<String, AttributeValue> values) {
    try {
      calls
          .client()
          .putItem(
              b -> {
                b.tableName(table.name()).item(item).conditionExpression(condition);
                if (condition.contains("#q")) {
                  b.expressionAttributeNames(Map.of("#q", SEQUENCE));
                }
                if (!values.isEmpty()) {
                  b.expressionAttributeValues(values);
                }
              });
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw calls.failure("write", table, e);
    }
  }

  /**
   * A tile record's item, without the attributes of its empty tiles (an {@code ADD} creates them,
   * and cannot add to a NULL).
   */
  private static Map<String, AttributeValue> tileItem(DynamoDbCodec codec, OnlineRecord record) {
    Map<String, AttributeValue> item = codec.item(record);
    item.values().removeIf(v -> Boolean.TRUE.equals(v.nul()));
    return item;
  }

  private static boolean finite(Object value) {
    return switch (value) {
      case Double d -> Double.isFinite(d);
      case Float f -> Float.isFinite(f);
      default -> true;
    };
  }
}
