package io.asof.compiler.pit;

import static io.asof.compiler.pit.PointInTimeSql.quote;

import io.asof.compiler.dialect.SqlText;
import io.asof.compiler.pit.PointInTimeSql.TimeKind;
import io.asof.compiler.window.WindowSql;
import io.asof.compiler.window.WindowedAggregation;
import io.asof.compiler.window.WindowedAggregation.FeatureOfWindow;
import io.asof.compiler.window.WindowedAggregation.Kind;
import io.asof.compiler.window.WindowedAggregation.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

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
 * sort of events, tiles and probes.
 */
final class WindowedLookupSql {
  private static final String PREFIX = "__asof_";

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
    for (int w : windows) {
      for (int s = 0; s < states.size(); s++) {
        String name = WindowedAggregation.stateColumn(s, w);
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
        probeNulls.add("NULL");
        String sum =
            "sum(%s) OVER (PARTITION BY %s ORDER BY %st, %skind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
                .formatted(quote(name), keyList, PREFIX, PREFIX);
        // a count over no events is 0; a sum over none stays NULL (its count says so)
        if (states.get(s).kind() != Kind.SUM) {
          sum = "coalesce(%s, 0)".formatted(sum);
        }
        running.add(sum + " AS " + quote(name));
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
    String found =
        """
        found%d AS (
          SELECT %s, %st,
            %s
          FROM (
            SELECT %s, %st, %skind,
              %s
            FROM (
              SELECT %s, %sv AS %st, 0 AS %skind, %s
              FROM events%d
              UNION ALL
              SELECT %s, CASE %si %s END, 0, %s
              FROM (
                SELECT %s, %sm, %s
                FROM events%d
                GROUP BY %s, %sm
              )
              CROSS JOIN UNNEST(ARRAY[%s]) AS u(%si)
              UNION ALL
              SELECT %s, %st, 1, %s
              FROM probes%d
            )
          )
          WHERE %skind = 1
        )"""
            .formatted(
                index,
                keyList,
                PREFIX,
                String.join(",\n    ", outputs),
                keyList,
                PREFIX,
                PREFIX,
                String.join(",\n      ", running),
                keyList,
                PREFIX,
                PREFIX,
                PREFIX,
                String.join(", ", enter),
                index,
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
                PREFIX,
                keyList,
                PREFIX,
                String.join(", ", probeNulls),
                index,
                PREFIX);
    return SqlText.indent(events + ",\n" + found, 2);
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
