package io.asof.compiler.pit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The windowed aggregation of {@link io.asof.model.window.WindowedAggregation} by brute force: for
 * every spine (keys, time) and window, scan every event. Slow and plain on purpose, so that it can
 * be read against the javadoc of {@code WindowedAggregation}:
 *
 * <ul>
 *   <li>the window of keys {@code k} at time {@code t} over {@code w} holds the events of {@code k}
 *       with event time {@code e} in {@code [floor_minute(t) - w, t]};
 *   <li>holding late events back, only those with {@code coalesce(created, e) <= t};
 *   <li>an event with a NULL event time is in no window, one with a NULL key in none either;
 *   <li>each output is its aggregate expression over the window's events as SQL evaluates it over a
 *       group (count 0, sum, min and max NULL over no events);
 *   <li>a spine row with a NULL key or a NULL time gets NULL features.
 * </ul>
 *
 * <p>Times are {@link Long} microseconds since the epoch: an instant, times without a zone taken as
 * UTC (which is how the statement reads them when any time involved has a zone, and compares the
 * same as wall-clock times when none has). Every zone used has a whole-minute offset, so the minute
 * floor of an instant is the same in every zone.
 */
final class WindowOracle {
  private static final long MINUTE = 60_000_000L;

  private WindowOracle() {}

  /**
   * One event: its keys in the entity's key order, its event and created times (either may be
   * NULL), and its aggregates' arguments by column name.
   */
  record Event(List<Object> keys, Long time, Long created, Map<String, Object> values) {}

  /** An output column: its value over a window's events, as SQL computes it over a group. */
  interface Aggregate extends Function<List<Event>, Object> {}

  /**
   * The value of {@code output} for spine keys {@code keys} at time {@code t} over {@code window};
   * NULL for a NULL key or time.
   */
  static Object feature(
      List<Event> events,
      List<Object> keys,
      Long t,
      Duration window,
      boolean holdBackLate,
      Aggregate output) {
    if (t == null || keys.contains(null)) {
      return null;
    }
    return output.apply(window(events, keys, t, window, holdBackLate));
  }

  /** The events in the window of {@code keys} at {@code t} over {@code window}. */
  static List<Event> window(
      List<Event> events, List<Object> keys, long t, Duration window, boolean holdBackLate) {
    long from = floorMinute(t) - window.toNanos() / 1_000L;
    List<Event> in = new ArrayList<>();
    for (Event event : events) {
      if (event.keys().contains(null) || !event.keys().equals(keys)) {
        continue;
      }
      Long e = event.time();
      if (e == null || e < from || e > t) {
        continue;
      }
      if (holdBackLate && (event.created() == null ? e : event.created()) > t) {
        continue;
      }
      in.add(event);
    }
    return in;
  }

  /** The start of the minute {@code micros} falls in. */
  static long floorMinute(long micros) {
    return Math.floorDiv(micros, MINUTE) * MINUTE;
  }

  /** {@code count(*)}. */
  static long countRows(List<Event> events) {
    return events.size();
  }

  /** {@code count(column)}: the events whose value is not NULL. */
  static long count(List<Event> events, String column) {
    return events.stream().filter(e -> e.values().get(column) != null).count();
  }

  /** {@code count_if(column)}: the events whose value is TRUE. */
  static long countIf(List<Event> events, String column) {
    return events.stream().filter(e -> Boolean.TRUE.equals(e.values().get(column))).count();
  }

  /** {@code sum(column)} of a bigint column: NULL when no value is not NULL. */
  static Long sumLong(List<Event> events, String column) {
    Long sum = null;
    for (Event event : events) {
      Object value = event.values().get(column);
      if (value != null) {
        sum = (sum == null ? 0L : sum) + (Long) value;
      }
    }
    return sum;
  }

  /** {@code sum(column)} of a double column: NULL when no value is not NULL. */
  static Double sumDouble(List<Event> events, String column) {
    Double sum = null;
    for (Event event : events) {
      Object value = event.values().get(column);
      if (value != null) {
        sum = (sum == null ? 0.0 : sum) + (Double) value;
      }
    }
    return sum;
  }

  /**
   * {@code min(column)} ({@code greatest} false) or {@code max(column)}: the least (greatest) value
   * that is not NULL, of a bigint or double column; NULL when there is none.
   */
  static Object extreme(List<Event> events, String column, boolean greatest) {
    Comparable<Object> best = null;
    for (Event event : events) {
      @SuppressWarnings("unchecked")
      Comparable<Object> value = (Comparable<Object>) event.values().get(column);
      if (value != null
          && (best == null || (greatest ? value.compareTo(best) > 0 : value.compareTo(best) < 0))) {
        best = value;
      }
    }
    return best;
  }

  /** {@code count(DISTINCT column)}: the number of distinct values that are not NULL. */
  static long countDistinct(List<Event> events, String column) {
    return events.stream()
        .map(e -> e.values().get(column))
        .filter(java.util.Objects::nonNull)
        .distinct()
        .count();
  }

  /** {@code avg(column)}: the sum over the count of values, as double; NULL over none. */
  static Double avg(List<Event> events, String column) {
    long count = count(events, column);
    if (count == 0) {
      return null;
    }
    double sum = 0;
    for (Event event : events) {
      Object value = event.values().get(column);
      if (value != null) {
        sum += ((Number) value).doubleValue();
      }
    }
    return sum / count;
  }
}
