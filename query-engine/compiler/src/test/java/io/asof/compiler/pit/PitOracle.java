package io.asof.compiler.pit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * DESIGN §4 by brute force: for every spine row and view, look at every view row. Slow and plain on
 * purpose, so that it can be read against the text.
 *
 * <p>Rows are maps from column name to value; times are {@link Long} microseconds since the epoch
 * (an instant; times without a zone are taken as UTC), other values are {@link Comparable}.
 */
final class PitOracle {
  private PitOracle() {}

  /** A view as the oracle sees it: keys, times, TTL, and every row. */
  record View(
      String name,
      List<String> keys,
      String eventTime,
      Optional<String> createdTime,
      Optional<Long> ttlMicros,
      List<String> columns,
      List<String> features,
      boolean holdBackLate,
      List<Map<String, Object>> rows) {}

  /** For each spine row, in spine order: the view row found per view (or empty), in view order. */
  static List<List<Optional<Map<String, Object>>>> join(
      List<Map<String, Object>> spine, String timestamp, List<View> views) {
    List<List<Optional<Map<String, Object>>>> result = new ArrayList<>();
    for (Map<String, Object> spineRow : spine) {
      List<Optional<Map<String, Object>>> found = new ArrayList<>();
      for (View view : views) {
        found.add(find(spineRow, timestamp, view));
      }
      result.add(found);
    }
    return result;
  }

  private static Optional<Map<String, Object>> find(
      Map<String, Object> spineRow, String timestamp, View view) {
    Long t = (Long) spineRow.get(timestamp);
    if (t == null) {
      return Optional.empty();
    }
    for (String key : view.keys()) {
      if (spineRow.get(key) == null) {
        return Optional.empty();
      }
    }
    Map<String, Object> best = null;
    for (Map<String, Object> row : view.rows()) {
      if (!sameKeys(spineRow, row, view.keys())) {
        continue;
      }
      Long e = (Long) row.get(view.eventTime());
      if (e == null || e > t) {
        continue;
      }
      if (view.ttlMicros().isPresent() && e <= t - view.ttlMicros().get()) {
        continue;
      }
      if (view.holdBackLate()) {
        Long c = (Long) row.get(view.createdTime().orElseThrow());
        if ((c == null ? e : c) > t) {
          continue;
        }
      }
      if (best == null || order(view).compare(row, best) > 0) {
        best = row;
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean sameKeys(
      Map<String, Object> spineRow, Map<String, Object> row, List<String> keys) {
    for (String key : keys) {
      if (row.get(key) == null || !Objects.equals(spineRow.get(key), row.get(key))) {
        return false;
      }
    }
    return true;
  }

  /** Event time, then created time, then the other columns in order; NULL lowest. */
  private static Comparator<Map<String, Object>> order(View view) {
    List<String> by = new ArrayList<>();
    by.add(view.eventTime());
    view.createdTime().ifPresent(by::add);
    Set<String> structural = new HashSet<>(view.keys());
    structural.add(view.eventTime());
    view.createdTime().ifPresent(structural::add);
    for (String column : view.columns()) {
      if (!structural.contains(column)) {
        by.add(column);
      }
    }
    return (a, b) -> {
      for (String column : by) {
        int c = compareNullsFirst(a.get(column), b.get(column));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareNullsFirst(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return ((Comparable) a).compareTo(b);
  }
}
