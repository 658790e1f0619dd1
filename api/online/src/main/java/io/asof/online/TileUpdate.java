package io.asof.online;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What pushed batches add to one record of an aggregation view's tiles ({@link
 * OnlineStore#addTiles}): per batch, by its push-log sequence, the amounts to add to some of the
 * record's values (by index into the table's features).
 *
 * @param key the record's key, its bucket last
 * @param eventTime the event time a record created by the update gets (a tile record's event time
 *     is informational)
 * @param expiresAt when no window can read the record any more
 * @param batches per batch sequence, the amounts by feature index: Long, Double, Float or
 *     BigDecimal
 */
public record TileUpdate(
    List<Object> key,
    Instant eventTime,
    Instant expiresAt,
    Map<Long, Map<Integer, Object>> batches) {
  public TileUpdate {
    key = List.copyOf(requireNonNull(key, "key is null"));
    requireNonNull(eventTime, "eventTime is null");
    requireNonNull(expiresAt, "expiresAt is null");
    batches =
        Collections.unmodifiableMap(new TreeMap<>(requireNonNull(batches, "batches is null")));
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("a tile update adds at least one batch");
    }
  }

  /** The batches above sequence {@code sequence}, in order. */
  public Map<Long, Map<Integer, Object>> above(long sequence) {
    return new TreeMap<>(batches).tailMap(sequence, false);
  }

  /** {@code a + b} for sums of one state, NULL being no value yet. */
  public static Object add(Object a, Object b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return switch (a) {
      case Long x -> x + ((Number) b).longValue();
      case Double x -> x + ((Number) b).doubleValue();
      case Float x -> x + ((Number) b).floatValue();
      case java.math.BigDecimal x ->
          x.add(b instanceof java.math.BigDecimal y ? y : new java.math.BigDecimal(b.toString()));
      case Integer x -> (long) x + ((Number) b).longValue();
      default -> throw new IllegalArgumentException("not a sum: " + a.getClass().getName());
    };
  }
}
