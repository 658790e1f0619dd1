package io.asof.compiler.pit;

import static io.asof.compiler.pit.PointInTimeSql.quote;

import io.asof.compiler.dialect.SqlText;
import io.asof.compiler.pit.PointInTimeSql.TimeKind;
import io.asof.compiler.window.WindowSql;
import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.FeatureOfWindow;
import io.asof.model.window.WindowedAggregation.Kind;
import io.asof.model.window.WindowedAggregation.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The lookup of an aggregation view's features at each of the spine's distinct (key, time) pairs,
 * exact at every time ({@link WindowedAggregation} states the window semantics), in one sort per
 * view whatever the number of windows.
 *
 * <p>Each event enters every window when it becomes visible (its event time, or, holding late
 * events back, the later of its event and created times) and leaves window {@code w} at {@code
 * floor_minute(e) + w + 1 minute}, the first time whose window no longer reaches it. A state over a
 * window at time {@code t} is then the running sum, up to and including {@code t}, of what entered
 * minus what left. The probes and the events' enter and leave rows are sorted together once per key
 * by time (enter and leave rows before the probes of the same time); leave rows fall on whole
 * minutes, so they come from the events summed per key and minute (tiles of a minute), one row per
 * tile and window. Only events of keys the spine asks about, from the widest window before the
 * key's first spine time to its last, are read. No intermediate result grows with probes times
 * events: the cost is two reads of those events (enter rows and tiles), a hash aggregation, and one
 * sort of events, tiles and probes. Least and greatest values ({@code min}, {@code max}) are no
 * running sums: they come from tiles of a minute, an hour and a day combined per probe ({@link
 * #extremes}), joined to the running sums by keys and time.
 */
final class WindowedLookupSql {
  private static final String PREFIX = "__asof_";

  /** Buckets of keys an exact prefix sum runs over (see {@link #differences}). */
  static final int BUCKETS = 1024;

  private WindowedLookupSql() {}

  /**
   * {@code events<index>} and {@code found<index>}: the view's events that can be in a window of a
   * spine row (of keys the spine asks about, from the widest window before the key's first spine
   * time to its last), and the view's selected features at each pair of {@code probes<index>}, by
   * keys and {@code __asof_t}.
   */
  static String found(PitView view, int index, TimeKind time) {
    WindowedAggregation aggregation = view.aggregation().orElseThrow();
    List<String> keys = view.keys().stream().map(PointInTimeSql::quote).toList();
    String keyList = String.join(", ", keys);
    String e = time.of("v." + quote(WindowedAggregation.EVENT_TIME), aggregation.eventTimeType());
    Optional<String> created =
        view.holdBackLate()
            ? Optional.of(
                time.of(
                    "v." + quote(WindowedAggregation.CREATED_TIME),
                    aggregation.createdTimeType().orElseThrow()))
            : Optional.empty();
    String visible =
        created.map(c -> "greatest(%s, coalesce(%s, %s))".formatted(e, c, e)).orElse(e);

    List<FeatureOfWindow> features =
        view.features().stream()
            .map(
                f ->
                    aggregation
                        .feature(f)
                        .orElseThrow(
                            () ->
                                new IllegalArgumentException(
                                    "view %s has no feature %s".formatted(view.name(), f))))
            .toList();
    TreeSet<Integer> windows = new TreeSet<>();
    features.forEach(f -> windows.add(f.window()));
    List<State> states = aggregation.states();
    long widest =
        windows.stream()
            .mapToLong(w -> aggregation.windows().get(w).toMinutes())
            .max()
            .orElseThrow();

    // enter rows: each event, when it becomes visible, adds to every window (holding late events
    // back, only to the windows it is visible in before it leaves them)
    List<String> enter = new ArrayList<>();
    // leave rows: per key and minute, what leaves window w at minute + w + 1 minute
    List<String> tileSums = new ArrayList<>();
    List<String> leave = new ArrayList<>();
    List<String> probeNulls = new ArrayList<>();
    List<String> running = new ArrayList<>();
    List<Integer> sums = new ArrayList<>();
    List<Integer> extremes = new ArrayList<>();
    for (int s = 0; s < states.size(); s++) {
      (states.get(s).kind().isExtreme() ? extremes : sums).add(s);
    }
    for (int w : windows) {
      for (int s : sums) {
        String name = WindowedAggregation.stateColumn(s, w);
        probeNulls.add("NULL");
        running.add(runningSum(states.get(s), name, keyList) + " AS " + quote(name));
        if (states.get(s).kind() == Kind.DISTINCT) {
          // entered and left by distinctRows
          enter.add("CAST(NULL AS bigint) AS " + quote(name));
          leave.add("NULL");
          continue;
        }
        String contribution = WindowSql.contribution(states.get(s), "");
        String visibleIn =
            created.isPresent()
                ? "CASE WHEN %sv < %s THEN %s END"
                    .formatted(PREFIX, leaveTime(aggregation, w), contribution)
                : contribution;
        enter.add(visibleIn + " AS " + quote(name));
        String tile = created.isPresent() ? name : "%stile_s%d".formatted(PREFIX, s);
        String tileSum = "sum(%s) AS %s".formatted(visibleIn, quote(tile));
        if (!tileSums.contains(tileSum)) {
          tileSums.add(tileSum);
        }
        leave.add(
            "CASE %si WHEN %d THEN -(%s) END AS %s"
                .formatted(PREFIX, w + 1, quote(tile), quote(name)));
      }
    }
    List<String> outputs = new ArrayList<>();
    for (FeatureOfWindow feature : features) {
      outputs.add(
          "CAST(%s AS %s) AS %s"
              .formatted(
                  feature.output().perWindow().get(feature.window()),
                  feature.output().type(),
                  quote(feature.name())));
    }
    List<String> leaveIndexes = new ArrayList<>();
    windows.forEach(w -> leaveIndexes.add(Integer.toString(w + 1)));

    List<String> on = new ArrayList<>();
    for (String key : keys) {
      on.add("k.%s = v.%s".formatted(key, key));
    }
    String events =
        """
        events%d AS (
          SELECT %s, %s AS %sv, date_trunc('minute', %s) AS %sm%s
          FROM (
        %s
          ) AS v
          JOIN (
            SELECT %s, min(%st) AS %slo, max(%st) AS %shi
            FROM probes%d
            GROUP BY %s
          ) AS k ON %s
          WHERE %s <= k.%shi
            AND %s >= date_trunc('minute', k.%slo) - INTERVAL '%d' MINUTE
        )"""
            .formatted(
                index,
                keys.stream().map(k -> "v." + k).collect(Collectors.joining(", ")),
                visible,
                PREFIX,
                e,
                PREFIX,
                argumentColumns(aggregation),
                SqlText.indent(aggregation.eventsSql().strip(), 4),
                keyList,
                PREFIX,
                PREFIX,
                PREFIX,
                PREFIX,
                index,
                keyList,
                String.join(" AND ", on),
                e,
                PREFIX,
                e,
                PREFIX,
                widest);
    if (sums.isEmpty()) {
      String found =
          """
          found%d AS (
            SELECT %s, %st,
              %s
            FROM extremes%d
          )"""
              .formatted(index, keyList, PREFIX, String.join(",\n    ", outputs), index);
      return SqlText.indent(
          String.join(
              ",\n", events, extremes(aggregation, keys, index, time, windows, extremes), found),
          2);
    }
    // the running sums as r, joined to the extremes when there are any
    String r = extremes.isEmpty() ? "" : "r.";
    String joined =
        extremes.isEmpty()
            ? ""
            : " AS r\n  LEFT JOIN extremes%d AS x ON %s AND x.%st = r.%st"
                .formatted(
                    index,
                    keys.stream()
                        .map(k -> "x.%s = r.%s".formatted(k, k))
                        .collect(Collectors.joining(" AND ")),
                    PREFIX,
                    PREFIX);
    if (created.isEmpty() && sums.stream().noneMatch(s -> states.get(s).kind() == Kind.DISTINCT)) {
      String found =
          differences(keys, index, states, sums, windows, aggregation, outputs, joined, r);
      return SqlText.indent(
          String.join(
              ",\n",
              Stream.of(
                      Optional.of(events),
                      extremes.isEmpty()
                          ? Optional.<String>empty()
                          : Optional.of(
                              extremes(aggregation, keys, index, time, windows, extremes)),
                      Optional.of(found))
                  .flatMap(Optional::stream)
                  .toList()),
          2);
    }
    List<String> branches = new ArrayList<>();
    if (!tileSums.isEmpty()) {
      branches.add(
          """
          SELECT %s, %sv AS %st, 0 AS %skind, %s
          FROM events%d"""
              .formatted(keyList, PREFIX, PREFIX, PREFIX, String.join(", ", enter), index));
      branches.add(
          """
          SELECT %s, CASE %si %s END, 0, %s
          FROM (
            SELECT %s, %sm, %s
            FROM events%d
            GROUP BY %s, %sm
          )
          CROSS JOIN UNNEST(ARRAY[%s]) AS u(%si)"""
              .formatted(
                  keyList,
                  PREFIX,
                  leaveTimes(aggregation, windows),
                  String.join(", ", leave),
                  keyList,
                  PREFIX,
                  String.join(", ", tileSums),
                  index,
                  keyList,
                  PREFIX,
                  String.join(", ", leaveIndexes),
                  PREFIX));
    }
    for (int s : sums) {
      if (states.get(s).kind() == Kind.DISTINCT) {
        branches.add(distinctRows(aggregation, keyList, index, windows, sums, s));
      }
    }
    branches.add(
        """
        SELECT %s, %st, 1, %s
        FROM probes%d"""
            .formatted(keyList, PREFIX, String.join(", ", probeNulls), index));
    String found =
        """
        found%d AS (
          SELECT %s, %st,
            %s
          FROM (
            SELECT %s, %st, %skind,
              %s
            FROM (
        %s
            )
          )%s
          WHERE %s%skind = 1
        )"""
            .formatted(
                index,
                keys.stream().map(k -> r + k).collect(Collectors.joining(", ")),
                r + PREFIX,
                String.join(",\n    ", outputs),
                keyList,
                PREFIX,
                PREFIX,
                String.join(",\n      ", running),
                SqlText.indent(String.join("\nUNION ALL\n", branches), 6),
                joined,
                r,
                PREFIX);
    if (extremes.isEmpty()) {
      return SqlText.indent(events + ",\n" + found, 2);
    }
    return SqlText.indent(
        String.join(
            ",\n", events, extremes(aggregation, keys, index, time, windows, extremes), found),
        2);
  }

  /**
   * {@code covers<index>}, the tiles ({@code __asof_l} minutes long, number {@code __asof_i} since
   * the epoch) of window {@code __asof_w} of each pair of {@code probes<index>} with keys and time,
   * and {@code extremes<index>}: the least and greatest values ({@link Kind#MIN}, {@link Kind#MAX})
   * at each such pair, per window. They are no running sums: the events are kept per key in tiles
   * of a minute, an hour and a day, and the window of {@code t} over {@code w}, the minutes {@code
   * [floor_minute(t) - w, floor_minute(t)]}, is the fewest such tiles that cover it (minutes up to
   * an hour boundary, hours up to a day boundary, days, then hours and minutes again: {@link
   * io.asof.compiler.window.WindowTiles#cover}, which online reads too), at most 59 + 23 + days +
   * 23 + 60 of them. In each tile, what is visible at {@code t} is what became visible at or before
   * {@code t}: the tile's events and its probes are sorted once by that time, and the running least
   * and greatest value at a probe row is the tile's at {@code t} (the events of {@code t}'s own
   * minute after {@code t} have not become visible yet, nor, holding late events back, those
   * created after {@code t}). The probe's value is the least (greatest) of its tiles'. The cost is
   * three rows per event and at most about 170 per probe and window, whatever the number of events
   * per key.
   */
  private static String extremes(
      WindowedAggregation aggregation,
      List<String> keys,
      int index,
      TimeKind time,
      Set<Integer> windows,
      List<Integer> extremes) {
    String keyList = String.join(", ", keys);
    List<State> states = aggregation.states();
    String epoch =
        time.zoned() ? "TIMESTAMP '1970-01-01 00:00:00 UTC'" : "TIMESTAMP '1970-01-01 00:00:00'";
    String l = PREFIX + "l";
    String i = PREFIX + "i";
    String a = PREFIX + "a";
    String b = PREFIX + "b";
    String hours = PREFIX + "h";
    // the cover of minutes [a, b): minutes [a, h), hours [h, d), days [d, dt), hours [dt, ht),
    // minutes [ht, b), as WindowTiles.cover chooses them
    String firstHour =
        "CASE WHEN %s + 60 <= %s THEN %s ELSE %s END".formatted(ceil(a, 60), b, ceil(a, 60), b);
    String hasDay = "(%s < %s AND %s + 1440 <= %s)".formatted(hours, b, ceil(hours, 1440), b);
    String firstDay =
        "CASE WHEN %s = %s THEN %s WHEN %s THEN %s ELSE %s END"
            .formatted(hours, b, b, hasDay, ceil(hours, 1440), floor(b, 60));
    String days = PREFIX + "d";
    String lastDay =
        "CASE WHEN %s THEN %s + 1440 * ((%s - %s) / 1440) ELSE %s END"
            .formatted(hasDay, days, b, days, days);
    String lastHour = "CASE WHEN %s = %s THEN %s ELSE %s END".formatted(hours, b, b, floor(b, 60));
    String daysTo = PREFIX + "dt";
    String hoursTo = PREFIX + "ht";
    String segments =
        "ARRAY[ROW(1, %s, %s), ROW(60, %s / 60, %s / 60), ROW(1440, %s / 1440, %s / 1440), ROW(60, %s / 60, %s / 60), ROW(1, %s, %s)]"
            .formatted(a, hours, hours, days, days, daysTo, daysTo, hoursTo, hoursTo, b);

    List<String> windowIndexes = new ArrayList<>();
    List<String> windowMinutes = new ArrayList<>();
    for (int w : windows) {
      windowIndexes.add(Integer.toString(w));
      windowMinutes.add(Long.toString(aggregation.windows().get(w).toMinutes()));
    }
    List<String> arguments = new ArrayList<>();
    List<String> nulls = new ArrayList<>();
    List<String> running = new ArrayList<>();
    List<String> perWindow = new ArrayList<>();
    for (int s : extremes) {
      State state = states.get(s);
      String argument = quote(state.argument().orElseThrow());
      if (!arguments.contains(argument)) {
        arguments.add(argument);
        nulls.add("NULL");
      }
      String tile = "%sr%d".formatted(PREFIX, s);
      running.add(
          "%s OVER (PARTITION BY %s, %s, %s ORDER BY %st, %skind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS %s"
              .formatted(
                  WindowSql.aggregate(state, argument), keyList, l, i, PREFIX, PREFIX, tile));
      for (int w : windows) {
        perWindow.add(
            "%s AS %s"
                .formatted(
                    WindowSql.aggregate(
                        state, "CASE WHEN %sw = %d THEN %s END".formatted(PREFIX, w, tile)),
                    quote(WindowedAggregation.stateColumn(s, w))));
      }
    }
    String minute = "date_diff('minute', %s, %sm)".formatted(epoch, PREFIX);
    String probeMinute =
        "date_diff('minute', %s, date_trunc('minute', %st))".formatted(epoch, PREFIX);
    String covers =
        """
        covers%d AS (
          SELECT %s, __asof_t, __asof_w, %s, %s
          FROM (
            SELECT %s, __asof_t, __asof_w, g.%s, g.__asof_lo, g.__asof_hi
            FROM (
              SELECT %s, __asof_t, __asof_w, %s, %s, %s, %s, %s AS %s, %s AS %s
              FROM (
                SELECT %s, __asof_t, __asof_w, %s, %s, %s, %s AS %s
                FROM (
                  SELECT %s, __asof_t, __asof_w, %s, %s, %s AS %s
                  FROM (
                    SELECT %s, __asof_t, u.__asof_w, %s - u.__asof_n AS %s, %s + 1 AS %s
                    FROM probes%d
                    CROSS JOIN UNNEST(ARRAY[%s], ARRAY[%s]) AS u(__asof_w, __asof_n)
                    WHERE %s
                  )
                )
              )
            )
            CROSS JOIN UNNEST(%s) AS g(%s, __asof_lo, __asof_hi)
            WHERE g.__asof_lo < g.__asof_hi
          )
          CROSS JOIN UNNEST(sequence(__asof_lo, __asof_hi - 1)) AS s(%s)
        )"""
            .formatted(
                index,
                keyList,
                l,
                i,
                keyList,
                l,
                keyList,
                a,
                b,
                hours,
                days,
                lastDay,
                daysTo,
                lastHour,
                hoursTo,
                keyList,
                a,
                b,
                hours,
                firstDay,
                days,
                keyList,
                a,
                b,
                firstHour,
                hours,
                keyList,
                probeMinute,
                a,
                probeMinute,
                b,
                index,
                String.join(", ", windowIndexes),
                String.join(", ", windowMinutes),
                keys.stream().map(k -> k + " IS NOT NULL").collect(Collectors.joining(" AND "))
                    + " AND __asof_t IS NOT NULL",
                segments,
                l,
                i);
    String extremesCte =
        """
        extremes%d AS (
          SELECT %s, __asof_t,
            %s
          FROM (
            SELECT %s, __asof_t, __asof_w, __asof_kind,
              %s
            FROM (
              SELECT %s, %s, %s AS %s, __asof_v AS __asof_t, 0 AS __asof_kind, CAST(NULL AS integer) AS __asof_w, %s
              FROM events%d
              CROSS JOIN UNNEST(ARRAY[1, 60, 1440]) AS u(%s)
              UNION ALL
              SELECT %s, %s, %s, __asof_t, 1, __asof_w, %s
              FROM covers%d
            )
          )
          WHERE __asof_kind = 1
          GROUP BY %s, __asof_t
        )"""
            .formatted(
                index,
                keyList,
                String.join(",\n    ", perWindow),
                keyList,
                String.join(",\n      ", running),
                keyList,
                l,
                floorDiv(minute, l),
                i,
                String.join(", ", arguments),
                index,
                l,
                keyList,
                l,
                i,
                String.join(", ", nulls),
                index,
                keyList);
    return covers + ",\n" + extremesCte;
  }

  /** The least multiple of {@code n} at or above {@code x}, both whole numbers. */
  private static String ceil(String x, int n) {
    return "%s + mod(mod(-%s, %d) + %d, %d)".formatted(x, x, n, n, n);
  }

  /** The greatest multiple of {@code n} at or below {@code x}. */
  private static String floor(String x, int n) {
    return "%s - mod(mod(%s, %d) + %d, %d)".formatted(x, x, n, n, n);
  }

  /** {@code x} divided by {@code n}, rounded down (before 1970 too). */
  private static String floorDiv(String x, String n) {
    return "(%s - mod(mod(%s, %s) + %s, %s)) / %s".formatted(x, x, n, n, n, n);
  }

  /**
   * {@code found<index>} when no event is held back and no state is a distinct count: each state's
   * running sum over the view's events, sorted once together with the probes and, per probe and
   * window, a lookup row at the window's start {@code floor_minute(t) - w} (sorted before events of
   * the same time, after them the probe). A state over window {@code w} at {@code t} is then the
   * running sum at the probe less the running sum at its lookup row: the events with {@code
   * floor_minute(t) - w <= e <= t}. The rows are those of the events plus {@code 1 + windows} per
   * probe, and one running sum per state whatever the windows. Since only the difference between
   * two rows of one key counts, the rows need not be partitioned by key, only sorted by it: when
   * every running sum is exact (counts, integer and decimal sums) they run over {@value #BUCKETS}
   * buckets of keys (a hash of the first key), which spares Trino one window partition per key
   * (about 3x faster for keys of a few dozen events); a floating-point sum is partitioned by key,
   * so that no other key's NaN or magnitude reaches it.
   */
  private static String differences(
      List<String> keys,
      int index,
      List<State> states,
      List<Integer> sums,
      Set<Integer> windows,
      WindowedAggregation aggregation,
      List<String> outputs,
      String joined,
      String r) {
    String keyList = String.join(", ", keys);
    boolean exact = sums.stream().allMatch(s -> exact(states.get(s)));
    String partition =
        exact
            ? "crc32(to_utf8(CAST(%s AS varchar))) %% %d".formatted(keys.getFirst(), BUCKETS)
            : keyList;
    List<String> contributions = new ArrayList<>();
    List<String> nulls = new ArrayList<>();
    List<String> running = new ArrayList<>();
    List<String> grouped = new ArrayList<>();
    for (int s : sums) {
      String column = "%sa%d".formatted(PREFIX, s);
      String cumulative = "%sc%d".formatted(PREFIX, s);
      contributions.add(WindowSql.contribution(states.get(s), "") + " AS " + column);
      nulls.add("NULL");
      running.add(
          "coalesce(sum(%s) OVER (PARTITION BY %s ORDER BY %s, %so, %skind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS %s"
              .formatted(column, partition, keyList, PREFIX, PREFIX, cumulative));
      for (int w : windows) {
        grouped.add(
            "max(CASE WHEN %skind = 1 THEN %s END) - max(CASE WHEN %sw = %d THEN %s END) AS %s"
                .formatted(
                    PREFIX,
                    cumulative,
                    PREFIX,
                    w,
                    cumulative,
                    quote(WindowedAggregation.stateColumn(s, w))));
      }
    }
    List<String> windowIndexes = new ArrayList<>();
    List<String> starts = new ArrayList<>();
    for (int w : windows) {
      windowIndexes.add(Integer.toString(w));
      starts.add(
          "WHEN %d THEN date_trunc('minute', %st) - INTERVAL '%d' MINUTE"
              .formatted(w, PREFIX, aggregation.windows().get(w).toMinutes()));
    }
    return """
        found%d AS (
          SELECT %s, %st,
            %s
          FROM (
            SELECT %s, %sp AS %st,
              %s
            FROM (
              SELECT %s, %sp, %skind, %sw,
                %s
              FROM (
                SELECT %s, %sv AS %so, 0 AS %skind, NULL AS %sp, CAST(NULL AS integer) AS %sw, %s
                FROM events%d
                UNION ALL
                SELECT %s, CASE u.%sw %s END, -1, %st, u.%sw, %s
                FROM probes%d
                CROSS JOIN UNNEST(ARRAY[%s]) AS u(%sw)
                UNION ALL
                SELECT %s, %st, 1, %st, NULL, %s
                FROM probes%d
              )
            )
            WHERE %skind <> 0
            GROUP BY %s, %sp
          )%s
        )"""
        .formatted(
            index,
            keys.stream().map(k -> r + k).collect(Collectors.joining(", ")),
            r + PREFIX,
            String.join(",\n    ", outputs),
            keyList,
            PREFIX,
            PREFIX,
            String.join(",\n      ", grouped),
            keyList,
            PREFIX,
            PREFIX,
            PREFIX,
            String.join(",\n        ", running),
            keyList,
            PREFIX,
            PREFIX,
            PREFIX,
            PREFIX,
            PREFIX,
            String.join(", ", contributions),
            index,
            keyList,
            PREFIX,
            String.join(" ", starts),
            PREFIX,
            PREFIX,
            String.join(", ", nulls),
            index,
            String.join(", ", windowIndexes),
            PREFIX,
            keyList,
            PREFIX,
            PREFIX,
            String.join(", ", nulls),
            index,
            PREFIX,
            keyList,
            PREFIX,
            joined);
  }

  /** Whether a running sum of the state is exact: a count, or a sum of integers or decimals. */
  private static boolean exact(State state) {
    if (state.kind().isCount()) {
      return true;
    }
    String type = state.type().toLowerCase(Locale.ROOT);
    return type.equals("bigint")
        || type.equals("integer")
        || type.equals("smallint")
        || type.equals("tinyint")
        || type.startsWith("decimal");
  }

  /** The running sum of state column {@code name} up to each row of its key. */
  private static String runningSum(State state, String name, String keyList) {
    String sum =
        "sum(%s) OVER (PARTITION BY %s ORDER BY %st, %skind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
            .formatted(quote(name), keyList, PREFIX, PREFIX);
    // a count over no events is 0; a sum over none stays NULL (its count says so)
    return state.kind().isCount() ? "coalesce(%s, 0)".formatted(sum) : sum;
  }

  /**
   * The enter and leave rows of a distinct count ({@link Kind#DISTINCT}, state {@code distinct}),
   * in the columns of the running sums ({@code sums} over {@code windows}, NULL but in the state's
   * own): each occurrence of a value is in window {@code w} from when it becomes visible until it
   * leaves ({@code floor_minute(e) + w + 1 minute}); the occurrences of one key and value are
   * sorted by when they become visible, and those whose time in the window overlaps or touches an
   * earlier one's are merged into one stretch (gaps and islands). Each stretch enters the count at
   * its start (+1) and leaves at its end (-1), so the running sum at {@code t} is the number of
   * values with an occurrence in the window: exact, with one sort of the events per window.
   */
  private static String distinctRows(
      WindowedAggregation aggregation,
      String keyList,
      int index,
      Set<Integer> windows,
      List<Integer> sums,
      int distinct) {
    List<String> columns = new ArrayList<>();
    for (int w : windows) {
      for (int s : sums) {
        String value =
            s == distinct ? "CASE %sw WHEN %d THEN %sd END".formatted(PREFIX, w, PREFIX) : "NULL";
        columns.add(
            "CAST(%s AS bigint) AS %s"
                .formatted(value, quote(WindowedAggregation.stateColumn(s, w))));
      }
    }
    String argument = quote(aggregation.states().get(distinct).argument().orElseThrow());
    String leaves =
        windows.stream()
            .map(w -> "WHEN %d THEN %s".formatted(w, leaveTime(aggregation, w)))
            .collect(Collectors.joining(" "));
    String island =
        "PARTITION BY %s, __asof_x, __asof_w ORDER BY __asof_v, __asof_to".formatted(keyList);
    return """
        SELECT %s, d.__asof_t, 0 AS __asof_kind, %s
        FROM (
          SELECT %s, __asof_w, min(__asof_v) AS __asof_from, max(__asof_to) AS __asof_to
          FROM (
            SELECT %s, __asof_x, __asof_w, __asof_v, __asof_to,
              sum(__asof_new) OVER (%s ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __asof_island
            FROM (
              SELECT %s, __asof_x, __asof_w, __asof_v, __asof_to,
                CASE WHEN __asof_v <= max(__asof_to) OVER (%s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS __asof_new
              FROM (
                SELECT %s, %s AS __asof_x, u.__asof_w, __asof_v, CASE u.__asof_w %s END AS __asof_to
                FROM events%d
                CROSS JOIN UNNEST(ARRAY[%s]) AS u(__asof_w)
                WHERE %s IS NOT NULL
              )
              WHERE __asof_v < __asof_to
            )
          )
          GROUP BY %s, __asof_x, __asof_w, __asof_island
        )
        CROSS JOIN UNNEST(ARRAY[__asof_from, __asof_to], ARRAY[1, -1]) AS d(__asof_t, __asof_d)"""
        .formatted(
            keyList,
            String.join(", ", columns),
            keyList,
            keyList,
            island,
            keyList,
            island,
            keyList,
            argument,
            leaves,
            index,
            windows.stream().map(String::valueOf).collect(Collectors.joining(", ")),
            argument,
            keyList);
  }

  /** {@code , v."__asof_x0", ...}: the aggregates' arguments, each once. */
  private static String argumentColumns(WindowedAggregation aggregation) {
    List<String> columns = new ArrayList<>();
    for (State state : aggregation.states()) {
      state
          .argument()
          .map(a -> "v." + quote(a))
          .filter(a -> !columns.contains(a))
          .ifPresent(columns::add);
    }
    return columns.stream().map(c -> ", " + c).collect(Collectors.joining());
  }

  /** {@code WHEN w+1 THEN <leave time of w>} for each window asked for. */
  private static String leaveTimes(WindowedAggregation aggregation, Set<Integer> windows) {
    return windows.stream()
        .map(w -> "WHEN %d THEN %s".formatted(w + 1, leaveTime(aggregation, w)))
        .collect(Collectors.joining(" "));
  }

  /**
   * When an event leaves window {@code w}: the first time t with {@code floor_minute(t) - w > e},
   * that is {@code floor_minute(e) + w + 1 minute}.
   */
  private static String leaveTime(WindowedAggregation aggregation, int w) {
    Duration window = aggregation.windows().get(w);
    return "%sm + INTERVAL '%d' MINUTE".formatted(PREFIX, window.toMinutes() + 1);
  }
}
