package io.asof.compiler.pit;

import static io.asof.compiler.pit.PointInTimeSql.quote;

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
 * by time; leave rows fall on whole minutes, so those of one key and minute are summed into one row
 * before the sort (tiles of a minute). No intermediate result grows with probes times events: the
 * cost is one pass over the events and one sort of events plus probes.
 */
final class WindowedLookupSql {
  private static final String PREFIX = "__asof_";

  private WindowedLookupSql() {}

  /**
   * {@code found<index>}: the view's selected features at each pair of {@code probes<index>}, by
   * keys and {@code __asof_t}.
   */
  static String found(PitView view, int index, TimeKind time) {
    WindowedAggregation aggregation = view.aggregation().orElseThrow();
    List<String> keys = view.keys().stream().map(PointInTimeSql::quote).toList();
    String keyList = String.join(", ", keys);
    String e = time.of(quote(WindowedAggregation.EVENT_TIME), aggregation.eventTimeType());
    Optional<String> created =
        view.holdBackLate()
            ? Optional.of(
                time.of(
                    quote(WindowedAggregation.CREATED_TIME),
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

    // one row per event and per (window it leaves + the one it enters): i = 0 enters all, i = w+1
    // leaves window w
    List<String> eventColumns = new ArrayList<>(keys);
    eventColumns.add(
        "CASE %si WHEN 0 THEN %sv %s END AS %st"
            .formatted(PREFIX, PREFIX, leaveTimes(aggregation, windows), PREFIX));
    List<String> deltas = new ArrayList<>();
    List<String> running = new ArrayList<>();
    for (int w : windows) {
      for (int s = 0; s < states.size(); s++) {
        String name = WindowedAggregation.stateColumn(s, w);
        String contribution = WindowSql.contribution(states.get(s), "");
        String delta =
            "CASE %si WHEN 0 THEN %s WHEN %d THEN -(%s) END"
                .formatted(PREFIX, contribution, w + 1, contribution);
        if (created.isPresent()) {
          delta =
              "CASE WHEN %sv < %s THEN %s END".formatted(PREFIX, leaveTime(aggregation, w), delta);
        }
        eventColumns.add(delta + " AS " + quote(name));
        deltas.add("sum(%s) AS %s".formatted(quote(name), quote(name)));
        String sum =
            "sum(%s) OVER (PARTITION BY %s ORDER BY %st RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
                .formatted(quote(name), keyList, PREFIX);
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
    List<String> windowIndexes = new ArrayList<>();
    windowIndexes.add("0");
    windows.forEach(w -> windowIndexes.add(Integer.toString(w + 1)));
    String events =
        """
        SELECT %s, %s AS %sv, %s
        FROM (
        %s
        ) AS v
        WHERE %s IS NOT NULL"""
            .formatted(
                keys.stream().map(k -> "v." + k).collect(Collectors.joining(", ")),
                visible,
                PREFIX,
                argumentColumns(aggregation, e),
                indent(aggregation.eventsSql().strip(), 2),
                e);
    String sql =
        """
        found%d AS (
          SELECT %s, %st,
            %s
          FROM (
            SELECT %s, %st, %skind,
              %s
            FROM (
              SELECT %s, %st, 0 AS %skind, %s
              FROM (
                SELECT %s
                FROM (
        %s
                ) AS ev
                CROSS JOIN UNNEST(ARRAY[%s]) AS u(%si)
              )
              GROUP BY %s, %st
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
                String.join(", ", deltas),
                String.join(", ", eventColumns),
                indent(events, 10),
                String.join(", ", windowIndexes),
                PREFIX,
                keyList,
                PREFIX,
                keyList,
                PREFIX,
                nulls(deltas.size()),
                index,
                PREFIX);
    return indent(sql, 2);
  }

  /** The columns of the events' rows besides keys and visibility: times and arguments. */
  private static String argumentColumns(WindowedAggregation aggregation, String e) {
    List<String> columns = new ArrayList<>();
    columns.add("date_trunc('minute', %s) AS %sm".formatted(e, PREFIX));
    for (State state : aggregation.states()) {
      state
          .argument()
          .filter(a -> !columns.contains("v." + quote(a)))
          .ifPresent(a -> columns.add("v." + quote(a)));
    }
    return String.join(", ", columns);
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

  private static String nulls(int count) {
    List<String> nulls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nulls.add("NULL");
    }
    return String.join(", ", nulls);
  }

  private static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    return text.lines()
        .map(line -> line.isEmpty() ? line : pad + line)
        .collect(Collectors.joining("\n"));
  }
}
