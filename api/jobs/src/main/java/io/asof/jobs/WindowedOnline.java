package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.compiler.push.PushTableSql;
import io.asof.compiler.window.WindowEvaluator;
import io.asof.compiler.window.WindowSql;
import io.asof.compiler.window.WindowTiles;
import io.asof.compiler.window.WindowTiles.Tile;
import io.asof.engine.QueryEngine;
import io.asof.model.Column;
import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.Kind;
import io.asof.model.window.WindowedAggregation.State;
import io.asof.online.KeyRead;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineStore;
import io.asof.online.OnlineTable;
import io.asof.online.TileUpdate;
import io.asof.online.WriteMode;
import io.asof.online.WriteSummary;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An aggregation view online: its states per key over tiles of a minute, an hour and a day ({@link
 * WindowTiles}: counts and sums summed, least and greatest values kept, distinct values united),
 * loaded from its events and combined when read, so a read at now gets the values the offline
 * statement computes at now — not those of the last load.
 *
 * <p>The view's online table has one record per key and bucket: the key columns, {@link #BUCKET},
 * and for each of the record's {@link WindowTiles#SLOTS} tiles one column per state.
 */
public final class WindowedOnline {
  /** The key column naming a record's bucket ({@link WindowTiles#bucket}). */
  public static final String BUCKET = "asof_bucket";

  private static final int BATCH = 500;

  /**
   * The most text (UTF-8 bytes) of distinct values one record may hold: a DynamoDB item holds 400
   * KB, names and the other states included.
   */
  static final int MAX_DISTINCT_TEXT = 300_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WindowedAggregation aggregation;
  private final OnlineTable table;
  private final WindowEvaluator evaluator;
  private final Duration longest;

  public WindowedOnline(
      String view, int version, List<Column> keys, WindowedAggregation aggregation) {
    this.aggregation = requireNonNull(aggregation, "aggregation is null");
    List<Column> tableKeys = new ArrayList<>(keys);
    tableKeys.add(new Column(BUCKET, "varchar"));
    List<Column> slots = new ArrayList<>();
    for (int slot = 0; slot < WindowTiles.SLOTS; slot++) {
      for (int s = 0; s < aggregation.states().size(); s++) {
        slots.add(new Column(slotColumn(slot, s), sumType(aggregation.states().get(s))));
      }
    }
    this.table = OnlineTable.of(view, version, tableKeys, slots);
    this.evaluator = new WindowEvaluator(aggregation);
    this.longest = aggregation.windows().stream().max(Comparator.naturalOrder()).orElseThrow();
  }

  /** The aggregation served. */
  public WindowedAggregation aggregation() {
    return aggregation;
  }

  /** The online table the view's tiles are kept in. */
  public OnlineTable table() {
    return table;
  }

  /** The column of a record holding state {@code state} of tile {@code slot}. */
  static String slotColumn(int slot, int state) {
    return "t%02d_s%d".formatted(slot, state);
  }

  /**
   * The type a state's tiles have: a count's bigint, a sum's as Trino sums the argument, a least or
   * greatest value's the argument's.
   */
  static String sumType(State state) {
    String type = state.type().toLowerCase(Locale.ROOT);
    if (state.kind().isExtreme()) {
      return type;
    }
    if (state.kind() == Kind.DISTINCT) {
      return "varchar";
    }
    if (state.kind() != Kind.SUM) {
      return "bigint";
    }
    if (type.equals("tinyint") || type.equals("smallint") || type.equals("integer")) {
      return "bigint";
    }
    if (type.startsWith("decimal(")) {
      return "decimal(38," + type.substring(type.indexOf(',') + 1);
    }
    return type;
  }

  /** What a load did: the events' minutes read and the records written. */
  public record Loaded(long minutes, WriteSummary written, Instant at) {}

  /**
   * Loads every key's tiles from the events a window can still reach at {@code now}: each record is
   * written whole, replacing the last load's.
   *
   * @param created whether the table was just created (nothing else writes it yet)
   */
  public Loaded load(QueryEngine engine, OnlineStore store, Instant now, boolean created) {
    WriteMode mode = created ? WriteMode.INITIAL_LOAD : WriteMode.RECOMPUTED;
    return load(engine, aggregation, now, batch -> store.write(table, batch, mode));
  }

  /**
   * Loads the tiles of an aggregation view over a push view ({@link
   * WindowedAggregation#pushSource}) from the push view's table {@code pushTable} (qualified and
   * quoted): the pushes committed when the load starts, up to sequence {@code S}, each record
   * written with {@code S} ({@link OnlineStore#writeTiles}); pushes above {@code S} are added by
   * push ingestion as they come, and a record a push above {@code S} reached already is kept.
   */
  public Loaded loadPushed(
      QueryEngine engine, OnlineStore store, Instant now, boolean created, String pushTable) {
    Object max =
        engine.query(PushTableSql.committedThrough(pushTable)).rows().getFirst().getFirst();
    long through = max == null ? 0 : ((Number) max).longValue();
    WindowedAggregation events =
        aggregation.withEventsSql(WindowSql.pushEvents(aggregation, pushTable, through));
    return load(engine, events, now, batch -> store.writeTiles(table, batch, through, created));
  }

  private Loaded load(
      QueryEngine engine,
      WindowedAggregation events,
      Instant now,
      java.util.function.Function<List<OnlineRecord>, WriteSummary> writer) {
    Map<List<Object>, Object[]> records = new LinkedHashMap<>();
    long[] minutes = {0};
    int states = aggregation.states().size();
    int keyCount = aggregation.keys().size();
    engine.streamUnordered(
        WindowSql.minuteTiles(events, WindowTiles.loadFrom(longest, now)),
        (columns, values) -> {
          minutes[0]++;
          List<Object> key = values.subList(0, keyCount);
          if (key.contains(null)) {
            return; // no spine row with a NULL key reads a value
          }
          long minute = ((Number) values.get(keyCount)).longValue();
          for (Tile tile : WindowTiles.tilesOf(minute)) {
            List<Object> recordKey = new ArrayList<>(key);
            recordKey.add(tile.bucket());
            Object[] slots =
                records.computeIfAbsent(recordKey, k -> new Object[WindowTiles.SLOTS * states]);
            for (int s = 0; s < states; s++) {
              int at = tile.slot() * states + s;
              slots[at] =
                  combine(
                      aggregation.states().get(s).kind(), slots[at], values.get(keyCount + 1 + s));
            }
          }
        });
    for (Map.Entry<List<Object>, Object[]> record : records.entrySet()) {
      distinctAsText(record.getKey(), record.getValue());
    }
    WriteSummary written = WriteSummary.NONE;
    List<OnlineRecord> batch = new ArrayList<>(BATCH);
    for (Map.Entry<List<Object>, Object[]> record : records.entrySet()) {
      String bucket = (String) record.getKey().get(keyCount);
      batch.add(
          new OnlineRecord(
              record.getKey(),
              now,
              java.util.Arrays.asList(record.getValue()),
              Optional.of(WindowTiles.expiresAt(bucket, longest))));
      if (batch.size() == BATCH) {
        written = written.plus(writer.apply(batch));
        batch = new ArrayList<>(BATCH);
      }
    }
    if (!batch.isEmpty()) {
      written = written.plus(writer.apply(batch));
    }
    return new Loaded(minutes[0], written, now);
  }

  /**
   * Every feature of each key at {@code now}, in {@link WindowedAggregation#features()} order, as a
   * record whose event time is {@code now}: each window's states summed over its tiles, the outputs
   * evaluated over them. A key without events in a window gets that window's empty aggregate (count
   * 0, sum NULL), as offline.
   */
  public List<KeyRead> read(OnlineStore store, List<List<Object>> keys, Instant now) {
    List<String> buckets = WindowTiles.buckets(aggregation.windows(), now);
    List<List<Object>> recordKeys = new ArrayList<>(keys.size() * buckets.size());
    for (List<Object> key : keys) {
      for (String bucket : buckets) {
        List<Object> recordKey = new ArrayList<>(key);
        recordKey.add(bucket);
        recordKeys.add(recordKey);
      }
    }
    List<KeyRead> found = store.read(table, recordKeys);
    int states = aggregation.states().size();
    List<KeyRead> reads = new ArrayList<>(keys.size());
    for (int k = 0; k < keys.size(); k++) {
      Map<String, List<Object>> byBucket = new HashMap<>();
      Optional<String> failure = Optional.empty();
      for (int b = 0; b < buckets.size(); b++) {
        KeyRead read = found.get(k * buckets.size() + b);
        if (read.failure().isPresent()) {
          failure = read.failure();
        }
        read.record().ifPresent(r -> byBucket.put(r.key().getLast().toString(), r.values()));
      }
      if (failure.isPresent()) {
        reads.add(KeyRead.failed(failure.get()));
        continue;
      }
      List<Object> values = new ArrayList<>();
      List<Object[]> perWindow = new ArrayList<>();
      for (Duration window : aggregation.windows()) {
        Object[] sums = new Object[states];
        for (Tile tile : WindowTiles.window(window, now)) {
          List<Object> record = byBucket.get(tile.bucket());
          if (record == null) {
            continue;
          }
          for (int s = 0; s < states; s++) {
            sums[s] =
                combine(
                    aggregation.states().get(s).kind(),
                    sums[s],
                    record.get(tile.slot() * states + s));
          }
        }
        for (int s = 0; s < states; s++) {
          if (sums[s] instanceof Set<?> distinct) {
            sums[s] = (long) distinct.size();
          }
          if (sums[s] == null && aggregation.states().get(s).kind().isCount()) {
            sums[s] = 0L;
          }
        }
        perWindow.add(sums);
      }
      for (int o = 0; o < aggregation.outputs().size(); o++) {
        for (int w = 0; w < aggregation.windows().size(); w++) {
          values.add(evaluator.evaluate(o, w, perWindow.get(w)));
        }
      }
      reads.add(KeyRead.found(new OnlineRecord(keys.get(k), now, values, Optional.empty())));
    }
    return reads;
  }

  /**
   * One state over two tiles' events: the sum of a count or sum, the least or greatest of a {@link
   * Kind#MIN} or {@link Kind#MAX} (as Trino's min and max: a NaN only when there is nothing else),
   * the union of the distinct values of a {@link Kind#DISTINCT}; NULL is no value yet.
   */
  static Object combine(Kind kind, Object a, Object b) {
    if (kind == Kind.DISTINCT) {
      return union(a, b);
    }
    if (!kind.isExtreme() || a == null || b == null) {
      return add(a, b);
    }
    int c;
    if (a instanceof BigDecimal x) {
      c = x.compareTo((BigDecimal) b);
    } else if (a instanceof Double || a instanceof Float) {
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      // Trino's min and max pass over NaN: it is the answer only when there is nothing else
      if (Double.isNaN(x) || Double.isNaN(y)) {
        return Double.isNaN(x) ? b : a;
      }
      c = x < y ? -1 : x > y ? 1 : 0;
    } else {
      c = Long.compare(((Number) a).longValue(), ((Number) b).longValue());
    }
    return (kind == Kind.MIN ? c <= 0 : c >= 0) ? a : b;
  }

  /**
   * The distinct values of two tiles, each NULL (none), a JSON array of their text (as a tile holds
   * them) or a set this class made (which is added to and returned).
   */
  @SuppressWarnings("unchecked")
  private static Object union(Object a, Object b) {
    if (b == null) {
      return a instanceof String text ? values(text) : a;
    }
    Set<String> union = a instanceof Set<?> set ? (Set<String>) set : values((String) a);
    if (b instanceof Set<?> set) {
      union.addAll((Set<String>) set);
    } else {
      union.addAll(values((String) b));
    }
    return union;
  }

  private static Set<String> values(String json) {
    Set<String> values = new TreeSet<>();
    if (json == null) {
      return values;
    }
    try {
      JSON.readTree(json).forEach(v -> values.add(v.asText()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tile of distinct values is not a JSON array: " + json, e);
    }
    return values;
  }

  /**
   * Replaces the sets of distinct values in a record's slots by their JSON text, as the record is
   * stored; fails, naming the key, when they would not fit in one item.
   */
  static void distinctAsText(List<Object> recordKey, Object[] slots) {
    long size = 0;
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] instanceof Set<?> set) {
        try {
          slots[i] = JSON.writeValueAsString(set);
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
        size += ((String) slots[i]).getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (size > MAX_DISTINCT_TEXT) {
      throw new IllegalStateException(
          "the distinct values of key %s in tile record %s take %d bytes, more than the %d an online item holds: count(DISTINCT x) online keeps every value of a key's minutes, hours and days; count fewer values per key (a coarser x), or shorter windows"
              .formatted(
                  recordKey.subList(0, recordKey.size() - 1),
                  recordKey.getLast(),
                  size,
                  MAX_DISTINCT_TEXT));
    }
  }

  /** {@code a + b} for sums of one state, NULL being no value yet. */
  static Object add(Object a, Object b) {
    return TileUpdate.add(a, b);
  }
}
