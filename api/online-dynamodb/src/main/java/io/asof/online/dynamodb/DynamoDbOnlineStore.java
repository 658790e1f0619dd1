package io.asof.online.dynamodb;

import static io.asof.online.dynamodb.DynamoDbCodec.PK;
import static java.util.Objects.requireNonNull;

import io.asof.online.KeyRead;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineStoreException;
import io.asof.online.OnlineTable;
import io.asof.online.TileUpdate;
import io.asof.online.WriteMode;
import io.asof.online.WriteSummary;
import io.asof.online.dynamodb.DynamoDbCalls.Unprocessed;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The online store in DynamoDB (AWS SDK v2): a table per view version, one item per entity.
 *
 * <p>An item: {@code pk} (the key values as text, joined with U+001F), one attribute per key
 * column, {@code __event_time} (epoch microseconds), one attribute per feature by name (N for
 * numbers, S for text, dates and timestamps in ISO form, BOOL, NULL for SQL NULL), and for views
 * with a TTL {@code __expires_at} (epoch microseconds) and {@code __ttl} (epoch seconds, rounded
 * up: DynamoDB's TTL attribute, which deletes expired items in the background), {@code
 * __created_time} (epoch microseconds) when the row has one, and {@code __tie} (B): the bytes of
 * created time and features whose order is the offline tie-break order ({@link
 * OnlineRecord#newer}).
 *
 * <p>A conditional write goes through when the table holds no item for the key, or one that offline
 * would not take over it: an older event time, or the same one and a {@code __tie} no greater (an
 * item written before {@code __tie} existed counts as lowest).
 *
 * <p>Calls run on virtual threads; a read of at most 100 keys runs on the caller's thread.
 */
public final class DynamoDbOnlineStore implements OnlineStore {
  /** The most keys DynamoDB takes in one BatchGetItem. */
  static final int READ_BATCH = 100;

  private final DynamoDbCalls calls;
  private final Map<OnlineTable, DynamoDbCodec> codecs = new ConcurrentHashMap<>();
  private final DynamoDbTables tables;
  private final DynamoDbWriter writer;

  private DynamoDbOnlineStore(DynamoDbClient client, String where) {
    this.calls = new DynamoDbCalls(client, where, Executors.newVirtualThreadPerTaskExecutor());
    this.tables = new DynamoDbTables(calls);
    this.writer = new DynamoDbWriter(calls, this::codec);
  }

  /**
   * The store at a DynamoDB endpoint (a VPC endpoint, a proxy, another DynamoDB), with the SDK's
   * default credential chain like {@link #connect(String)}: an endpoint on AWS signs with the
   * instance's or task's role.
   */
  public static DynamoDbOnlineStore connect(URI endpoint, String region) {
    requireNonNull(endpoint, "endpoint is null");
    return new DynamoDbOnlineStore(
        builder(region)
            .endpointOverride(endpoint)
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .build(),
        "DynamoDB at " + endpoint);
  }

  /**
   * The store at a DynamoDB Local endpoint (the local stack's, a test's), with the fixed keys
   * DynamoDB Local takes: it checks a signature, not who signed. Only for DynamoDB Local, which the
   * caller knows it started or was configured with; never for an endpoint on AWS.
   */
  public static DynamoDbOnlineStore connectLocal(URI endpoint, String region) {
    requireNonNull(endpoint, "endpoint is null");
    return new DynamoDbOnlineStore(
        builder(region)
            .endpointOverride(endpoint)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build(),
        "DynamoDB Local at " + endpoint);
  }

  /** The store in a region's DynamoDB, with the SDK's default credential chain. */
  public static DynamoDbOnlineStore connect(String region) {
    return new DynamoDbOnlineStore(
        builder(region).credentialsProvider(DefaultCredentialsProvider.builder().build()).build(),
        "DynamoDB in " + region);
  }

  /** The credentials the client signs with, resolved now (for tests). */
  AwsCredentialsIdentity credentials() {
    return calls
        .client()
        .serviceClientConfiguration()
        .credentialsProvider()
        .resolveIdentity()
        .join();
  }

  private static DynamoDbClientBuilder builder(String region) {
    requireNonNull(region, "region is null");
    return DynamoDbClient.builder()
        .region(Region.of(region))
        .httpClientBuilder(
            Apache5HttpClient.builder()
                .maxConnections(128)
                .connectionTimeout(Duration.ofSeconds(1))
                .connectionAcquisitionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(
            o ->
                o.retryStrategy(DynamoDbCalls.retryStrategy())
                    .apiCallTimeout(Duration.ofSeconds(30)));
  }

  @Override
  public boolean create(OnlineTable table) {
    codec(table);
    return tables.create(table);
  }

  @Override
  public boolean exists(OnlineTable table) {
    return tables.exists(table);
  }

  @Override
  public void drop(OnlineTable table) {
    tables.drop(table);
  }

  @Override
  public WriteSummary write(OnlineTable table, List<OnlineRecord> records, WriteMode mode) {
    return writer.write(table, records, mode);
  }

  @Override
  public WriteSummary writeTiles(
      OnlineTable table, List<OnlineRecord> records, long through, boolean initial) {
    return writer.writeTiles(table, records, through, initial);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code UpdateItem} per record ({@link DynamoDbWriter#addTiles}).
   */
  @Override
  public WriteSummary addTiles(OnlineTable table, List<TileUpdate> updates) {
    return writer.addTiles(table, updates);
  }

  @Override
  public List<KeyRead> read(OnlineTable table, List<List<Object>> keys) {
    DynamoDbCodec codec = codec(table);
    // each distinct key once; the answer of a key goes to each place it was asked at
    Map<String, List<Object>> distinct = new LinkedHashMap<>();
    List<String> pks = new ArrayList<>(keys.size());
    for (List<Object> key : keys) {
      String pk = codec.pk(key);
      pks.add(pk);
      distinct.putIfAbsent(pk, key);
    }
    List<String> wanted = new ArrayList<>(distinct.keySet());
    List<List<String>> chunks = DynamoDbCalls.slices(wanted, READ_BATCH);
    Map<String, KeyRead> found = new HashMap<>();
    if (chunks.size() == 1) {
      ChunkRead chunk = readChunk(table, codec, chunks.getFirst());
      if (chunk.unreachable().isPresent()) {
        throw chunk.unreachable().get();
      }
      found.putAll(chunk.reads());
    } else {
      List<Future<ChunkRead>> futures = new ArrayList<>();
      for (List<String> chunk : chunks) {
        futures.add(calls.executor().submit(() -> readChunk(table, codec, chunk)));
      }
      int unreachable = 0;
      OnlineStoreException last = null;
      for (Future<ChunkRead> future : futures) {
        ChunkRead chunk;
        try {
          chunk = future.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new OnlineStoreException("reading " + table.name() + " failed", false, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new OnlineStoreException("interrupted while reading " + table.name(), false, e);
        }
        if (chunk.unreachable().isPresent()) {
          unreachable++;
          last = chunk.unreachable().get();
        }
        found.putAll(chunk.reads());
      }
      if (unreachable == chunks.size()) {
        throw last;
      }
    }
    List<KeyRead> reads = new ArrayList<>(keys.size());
    for (String pk : pks) {
      reads.add(found.getOrDefault(pk, KeyRead.MISSING));
    }
    return reads;
  }

  /**
   * What one BatchGetItem chunk found: a read per key, or that the store could not be reached (the
   * keys then read as failed, unless every chunk failed so).
   */
  private record ChunkRead(
      Map<String, KeyRead> reads, Optional<OnlineStoreException> unreachable) {}

  private ChunkRead readChunk(OnlineTable table, DynamoDbCodec codec, List<String> pks) {
    Map<String, KeyRead> reads = new HashMap<>();
    List<Map<String, AttributeValue>> keys = new ArrayList<>(pks.size());
    for (String pk : pks) {
      keys.add(Map.of(PK, AttributeValue.fromS(pk)));
    }
    // the keys of the last BatchGetItem: those a failure leaves unread
    AtomicReference<List<Map<String, AttributeValue>>> asked = new AtomicReference<>(keys);
    Unprocessed<Map<String, AttributeValue>> unprocessed;
    try {
      unprocessed =
          DynamoDbCalls.untilProcessed(
              keys,
              asking -> {
                asked.set(asking);
                BatchGetItemResponse response =
                    calls
                        .client()
                        .batchGetItem(
                            b ->
                                b.requestItems(
                                    Map.of(
                                        table.name(),
                                        KeysAndAttributes.builder().keys(asking).build())));
                for (Map<String, AttributeValue> item :
                    response.responses().getOrDefault(table.name(), List.of())) {
                  reads.put(item.get(PK).s(), KeyRead.found(codec.record(item)));
                }
                KeysAndAttributes left = response.unprocessedKeys().get(table.name());
                return left == null ? List.of() : left.keys();
              });
    } catch (ResourceNotFoundException e) {
      throw calls.failure("read", table, e);
    } catch (SdkException e) {
      OnlineStoreException failure = calls.failure("read", table, e);
      asked.get().forEach(k -> reads.put(k.get(PK).s(), KeyRead.failed(failure.getMessage())));
      return new ChunkRead(reads, failure.unavailable() ? Optional.of(failure) : Optional.empty());
    }
    String message =
        "%s left the key unprocessed after %d attempts (throttled)"
            .formatted(calls.where(), DynamoDbCalls.ATTEMPTS);
    unprocessed.left().forEach(k -> reads.put(k.get(PK).s(), KeyRead.failed(message)));
    return new ChunkRead(reads, Optional.empty());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Scans in four parallel segments: {@code consumer} is called from several threads at once.
   */
  @Override
  public void scan(OnlineTable table, Consumer<OnlineRecord> consumer) {
    DynamoDbCodec codec = codec(table);
    int segments = 4;
    List<Future<?>> futures = new ArrayList<>();
    for (int s = 0; s < segments; s++) {
      int segment = s;
      futures.add(
          calls
              .executor()
              .submit(
                  () -> {
                    Map<String, AttributeValue> start = null;
                    do {
                      Map<String, AttributeValue> from = start;
                      ScanResponse page =
                          calls
                              .client()
                              .scan(
                                  b ->
                                      b.tableName(table.name())
                                          .segment(segment)
                                          .totalSegments(segments)
                                          .exclusiveStartKey(from));
                      for (Map<String, AttributeValue> item : page.items()) {
                        consumer.accept(codec.record(item));
                      }
                      start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
                    } while (start != null && !start.isEmpty());
                    return null;
                  }));
    }
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SdkException sdk) {
          throw calls.failure("scan", table, sdk);
        }
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new OnlineStoreException("scanning " + table.name() + " failed", false, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OnlineStoreException("interrupted while scanning " + table.name(), false, e);
      }
    }
  }

  @Override
  public void close() {
    calls.executor().shutdownNow();
    calls.client().close();
  }

  private DynamoDbCodec codec(OnlineTable table) {
    return codecs.computeIfAbsent(table, DynamoDbCodec::new);
  }
}
