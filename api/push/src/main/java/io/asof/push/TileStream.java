package io.asof.push;

import io.asof.compiler.window.WindowTiles;
import io.asof.compiler.window.WindowTiles.Tile;
import io.asof.engine.QueryEngine;
import io.asof.engine.SqlQuoting;
import io.asof.model.Column;
import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.Kind;
import io.asof.model.window.WindowedAggregation.PushSource;
import io.asof.model.window.WindowedAggregation.State;
import io.asof.online.TileUpdate;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns pushed rows into updates of an aggregation view's tiles ({@link TileTarget}): each row is
 * one event of its key, added to the tiles of its minute, hour and day, the batches coalesced per
 * tile record (one {@link TileUpdate} per record, carrying each batch's sums by its sequence).
 * Events with a NULL key or event time count in no window, and events no window can reach any more
 * are left out, as a load leaves them out.
 */
final class TileStream {
  private final List<State> states;

  /**
   * Per key column, where the push view's rows have it; the event time's; per state, its argument's
   * (-1: none).
   */
  private final int[] keys;

  private final int time;
  private final int[] arguments;
  private final Duration longest;

  /** Per state, the Java type its sums have in the tiles table. */
  private final List<String> sumTypes;

  TileStream(PushView view, TileTarget target) {
    WindowedAggregation aggregation = target.aggregation();
    PushSource source = aggregation.pushSource().orElseThrow();
    this.states = aggregation.states();
    this.keys = new int[aggregation.keys().size()];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = index(view, source, aggregation.keys().get(k));
    }
    this.time = index(view, source, WindowedAggregation.EVENT_TIME);
    this.arguments = new int[states.size()];
    List<String> types = new ArrayList<>();
    for (int s = 0; s < states.size(); s++) {
      State state = states.get(s);
      arguments[s] = state.argument().map(a -> index(view, source, a)).orElse(-1);
      types.add(target.table().features().get(s).type());
    }
    this.sumTypes = types;
    this.longest = aggregation.windows().stream().max(Comparator.naturalOrder()).orElseThrow();
  }

  private static int index(PushView view, PushSource source, String eventsColumn) {
    String column = source.columns().get(eventsColumn);
    int index = column == null ? -1 : view.indexOf(column);
    if (index < 0) {
      throw new IllegalStateException(
          "aggregation view reads column %s of push view %s, which %s does not have"
              .formatted(column, source.view(), view.label()));
    }
    return index;
  }

  /** Adds the rows of a batch to {@code coalesced}. */
  void addRows(Coalesced coalesced, ViewPipeline.Batch batch) {
    {
      for (Object[] row : batch.rows()) {
        List<Object> key = new ArrayList<>(keys.length);
        for (int k : keys) {
          key.add(row[k]);
        }
        Object[] values = new Object[states.size()];
        for (int s = 0; s < values.length; s++) {
          values[s] = arguments[s] < 0 ? null : row[arguments[s]];
        }
        Long minute =
            row[time] instanceof LocalDateTime at
                ? WindowTiles.minute(at.toInstant(ZoneOffset.UTC))
                : null;
        coalesced.add(batch.sequence(), key, minute, values);
      }
    }
  }

  /** An event read back from the push view's table: its batch, key, minute and arguments. */
  record Event(long sequence, List<Object> key, Long minute, List<Object> values) {}

  /**
   * The events of the push view's table from batches above sequence {@code from} that a window can
   * still reach at {@code now}, each key and argument in the push view's declared type.
   */
  List<Event> committed(QueryEngine engine, PushView view, long from, Instant now) {
    List<String> columns = new ArrayList<>();
    columns.add(SqlQuoting.identifier(PushView.SEQUENCE_COLUMN));
    String time = SqlQuoting.identifier(view.columns().get(this.time).name());
    columns.add(
        "date_diff('minute', TIMESTAMP '1970-01-01 00:00:00', date_trunc('minute', %s))"
            .formatted(time));
    for (int k : keys) {
      columns.add(cast(view.columns().get(k)));
    }
    for (int a : arguments) {
      columns.add(a < 0 ? "NULL" : cast(view.columns().get(a)));
    }
    long first = WindowTiles.loadFrom(longest, now);
    String sql =
        "SELECT %s FROM %s WHERE %s > %d AND %s >= TIMESTAMP '%s'"
            .formatted(
                String.join(", ", columns),
                view.table(),
                SqlQuoting.identifier(PushView.SEQUENCE_COLUMN),
                from,
                time,
                LocalDateTime.ofEpochSecond(first * 60, 0, ZoneOffset.UTC)
                    .format(
                        java.time.format.DateTimeFormatter.ofPattern(
                            "yyyy-MM-dd HH:mm:ss", java.util.Locale.ROOT)));
    List<Event> events = new ArrayList<>();
    engine.streamUnordered(
        sql,
        (names, row) -> {
          List<Object> key = new ArrayList<>(row.subList(2, 2 + keys.length));
          List<Object> values = new ArrayList<>(row.subList(2 + keys.length, row.size()));
          Object minute = row.get(1);
          events.add(
              new Event(
                  ((Number) row.getFirst()).longValue(),
                  key,
                  minute == null ? null : ((Number) minute).longValue(),
                  values));
        });
    return events;
  }

  private static String cast(Column column) {
    return "CAST(%s AS %s)".formatted(SqlQuoting.identifier(column.name()), column.type());
  }

  /** The updates of events given one by one (read back from the push view's table). */
  Coalesced coalesced(Instant now) {
    return new Coalesced(now);
  }

  /**
   * Hour and day tiles held back: a window reads an hour's (a day's) tile only from the last minute
   * of that hour (day) on, and reads the minute tiles before, so their updates can wait and be
   * written together, in fewer writes. Each record is written no later than two minutes before the
   * last minute of its earliest tile held back, and at least every {@link #EVERY}; a record with
   * anything to write now takes what is held back of it along (a record takes its batches in
   * sequence order). Written by one thread; read under the pipeline's lock.
   */
  static final class Deferred {
    /** The longest an update is held back: the log keeps its push that long. */
    static final Duration EVERY = Duration.ofSeconds(10);

    private final Map<List<Object>, Map<Long, Map<Integer, Object>>> records =
        new LinkedHashMap<>();
    private final Map<List<Object>, Long> flushBy = new HashMap<>();
    private long since;

    boolean isEmpty() {
      return records.isEmpty();
    }

    /** The lowest sequence held back; MAX_VALUE when none. */
    long oldestSequence() {
      long oldest = Long.MAX_VALUE;
      for (Map<Long, Map<Integer, Object>> batches : records.values()) {
        oldest = Math.min(oldest, ((TreeMap<Long, Map<Integer, Object>>) batches).firstKey());
      }
      return oldest;
    }

    /** Whether something held back is to be written at {@code now}. */
    boolean due(Instant now, long nanos) {
      if (records.isEmpty()) {
        return false;
      }
      if (nanos - since >= EVERY.toNanos()) {
        return true;
      }
      long minute = WindowTiles.minute(now);
      return flushBy.values().stream().anyMatch(by -> by <= minute);
    }
  }

  /** Events summed per tile record and batch. */
  final class Coalesced {
    private final Instant now;
    private final long nowMinute;
    private final long first;
    private final Map<List<Object>, Map<Long, Map<Integer, Object>>> records =
        new LinkedHashMap<>();

    /** Hour and day tiles no window reads yet: they may be held back. */
    private final Map<List<Object>, Map<Long, Map<Integer, Object>>> later = new LinkedHashMap<>();

    private final Map<List<Object>, Long> laterBy = new HashMap<>();

    /** The records {@link #updates} took from what was held back, and whether it took all. */
    private final java.util.Set<List<Object>> taken = new java.util.HashSet<>();

    private boolean all;

    Coalesced(Instant now) {
      this.now = now;
      this.nowMinute = WindowTiles.minute(now);
      this.first = WindowTiles.loadFrom(longest, now);
    }

    /**
     * Adds one event of batch {@code sequence}: its key, its minute since the epoch (null for a
     * NULL event time) and each state's argument (ignored for row counts).
     */
    void add(long sequence, List<Object> key, Long minute, Object[] values) {
      if (minute == null || minute < first || key.contains(null)) {
        return;
      }
      Object[] amounts = new Object[states.size()];
      boolean any = false;
      for (int s = 0; s < amounts.length; s++) {
        amounts[s] = contribution(s, values[s]);
        any |= amounts[s] != null;
      }
      if (!any) {
        return;
      }
      for (Tile tile : WindowTiles.tilesOf(minute)) {
        List<Object> record = new ArrayList<>(key.size() + 1);
        record.addAll(key);
        record.add(tile.bucket());
        long by = flushBy(tile, minute);
        Map<List<Object>, Map<Long, Map<Integer, Object>>> into = records;
        if (nowMinute < by) {
          into = later;
          laterBy.merge(record, by, Math::min);
        }
        Map<Integer, Object> sums =
            into.computeIfAbsent(record, r -> new TreeMap<>())
                .computeIfAbsent(sequence, q -> new HashMap<>());
        for (int s = 0; s < amounts.length; s++) {
          if (amounts[s] != null) {
            sums.merge(tile.slot() * states.size() + s, amounts[s], TileUpdate::add);
          }
        }
      }
    }

    /**
     * The updates to write now, one per tile record: the events' minute tiles and the hour and day
     * tiles a window may read now, each record with what {@code deferred} holds back of it, and the
     * records of {@code deferred} that are due ({@code all}: everything). {@link #commit} once they
     * are written.
     */
    List<TileUpdate> updates(Deferred deferred, boolean all) {
      this.all = all;
      Map<List<Object>, Map<Long, Map<Integer, Object>>> out = new LinkedHashMap<>();
      boolean every =
          !deferred.isEmpty() && System.nanoTime() - deferred.since >= Deferred.EVERY.toNanos();
      for (Map.Entry<List<Object>, Map<Long, Map<Integer, Object>>> held :
          deferred.records.entrySet()) {
        List<Object> record = held.getKey();
        if (all
            || every
            || records.containsKey(record)
            || deferred.flushBy.get(record) <= nowMinute) {
          taken.add(record);
          merge(out.computeIfAbsent(record, r -> new TreeMap<>()), held.getValue());
        }
      }
      records.forEach(
          (record, batches) -> merge(out.computeIfAbsent(record, r -> new TreeMap<>()), batches));
      later.forEach(
          (record, batches) -> {
            if (all || out.containsKey(record)) {
              merge(out.computeIfAbsent(record, r -> new TreeMap<>()), batches);
            }
          });
      List<TileUpdate> updates = new ArrayList<>(out.size());
      out.forEach(
          (record, batches) ->
              updates.add(
                  new TileUpdate(
                      record,
                      now,
                      WindowTiles.expiresAt((String) record.getLast(), longest),
                      batches)));
      return updates;
    }

    /**
     * Once the {@link #updates} are written: what they took leaves {@code deferred}, the rest
     * joins.
     */
    void commit(Deferred deferred) {
      for (List<Object> record : taken) {
        deferred.records.remove(record);
        deferred.flushBy.remove(record);
      }
      if (!all) {
        later.forEach(
            (record, batches) -> {
              if (!records.containsKey(record) && !taken.contains(record)) {
                if (deferred.records.isEmpty()) {
                  deferred.since = System.nanoTime();
                }
                merge(deferred.records.computeIfAbsent(record, r -> new TreeMap<>()), batches);
                deferred.flushBy.merge(record, laterBy.get(record), Math::min);
              }
            });
      }
    }
  }

  /** Adds {@code from}'s sums to {@code into}'s, batch by batch, without changing {@code from}. */
  private static void merge(
      Map<Long, Map<Integer, Object>> into, Map<Long, Map<Integer, Object>> from) {
    from.forEach(
        (sequence, sums) -> {
          Map<Integer, Object> target = into.computeIfAbsent(sequence, q -> new HashMap<>());
          sums.forEach((index, value) -> target.merge(index, value, TileUpdate::add));
        });
  }

  /**
   * The minute from which a window may read {@code tile} of an event in {@code minute}, less a
   * minute of margin: never for a minute tile (read at once), two minutes before the last minute of
   * its hour or day for an hour or day tile.
   */
  private static long flushBy(Tile tile, long minute) {
    return switch (tile.level()) {
      case MINUTES -> Long.MIN_VALUE;
      case HOURS -> Math.floorDiv(minute, 60) * 60 + 59 - 2;
      case DAYS -> Math.floorDiv(minute, 1440) * 1440 + 1439 - 2;
    };
  }

  /** What one event adds to state {@code s}: 1 or nothing for counts, the argument for sums. */
  private Object contribution(int s, Object argument) {
    Kind kind = states.get(s).kind();
    return switch (kind) {
      case ROWS -> 1L;
      case NON_NULL -> argument == null ? null : 1L;
      case TRUE -> Boolean.TRUE.equals(argument) ? 1L : null;
      case SUM -> argument == null ? null : sum(argument, sumTypes.get(s));
      case MIN, MAX, DISTINCT ->
          throw new IllegalStateException(
              "a push cannot add to a %s state: the compiler refuses it over a push view"
                  .formatted(kind));
    };
  }

  /** A pushed value as the tiles table sums it: bigint, double, real or decimal. */
  private static Object sum(Object value, String type) {
    Number number = (Number) value;
    if (type.startsWith("decimal")) {
      return number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
    }
    return switch (type) {
      case "double" -> number.doubleValue();
      case "real" -> number.floatValue();
      default -> number.longValue();
    };
  }
}
