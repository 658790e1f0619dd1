package io.asof.model.window;

import static java.util.Objects.requireNonNull;

import io.asof.model.FeatureViewSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An aggregation view as the compiler rewrote it: its events, the running states its aggregates are
 * made of, and each output column as an expression over those states, per window.
 *
 * <p>Semantics: for a key {@code k}, a time {@code t} and a window {@code w}, the window holds the
 * events of {@code k} with event time {@code e} in {@code [floor_minute(t) - w, t]} (the far edge
 * at minute resolution, the near edge exact), and, holding late events back, only those created at
 * or before {@code t} (a NULL created time counts as the event time). An event with a NULL event
 * time is in no window. Each output column is its aggregate expression evaluated over the window's
 * events, as SQL evaluates it over a group: count 0, and sum, min and max NULL for an empty window.
 *
 * @param eventsSql one row per event: the key columns, {@link #EVENT_TIME}, {@link #CREATED_TIME}
 *     when the view has a created time, and one column per aggregate argument ({@link
 *     State#argument})
 * @param keys the entity's key columns, as {@code eventsSql} names them
 * @param eventTimeType the Trino type of {@link #EVENT_TIME}
 * @param createdTimeType the Trino type of {@link #CREATED_TIME}, when there is one
 * @param windows the windows, in header order
 * @param states what is summed over a window's events, in order: output expressions name them by
 *     {@link #stateColumn}
 * @param outputs the view's output columns other than its keys, in order
 * @param pushSource when the view reads a push view alone ({@link PushSource}): which, and which of
 *     its columns each column of {@code eventsSql} is, so that each pushed row can update the
 *     online tiles as it comes
 */
public record WindowedAggregation(
    String eventsSql,
    List<String> keys,
    String eventTimeType,
    Optional<String> createdTimeType,
    List<Duration> windows,
    List<State> states,
    List<Output> outputs,
    Optional<PushSource> pushSource) {
  /** The column of {@link #eventsSql} with each event's time. */
  public static final String EVENT_TIME = "__asof_e";

  /** The column of {@link #eventsSql} with when each event became known. */
  public static final String CREATED_TIME = "__asof_c";

  public WindowedAggregation {
    requireNonNull(eventsSql, "eventsSql is null");
    keys = List.copyOf(requireNonNull(keys, "keys is null"));
    requireNonNull(eventTimeType, "eventTimeType is null");
    requireNonNull(createdTimeType, "createdTimeType is null");
    windows = List.copyOf(requireNonNull(windows, "windows is null"));
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("an aggregation has at least one window");
    }
    states = List.copyOf(requireNonNull(states, "states is null"));
    outputs = List.copyOf(requireNonNull(outputs, "outputs is null"));
    requireNonNull(pushSource, "pushSource is null");
    for (Output output : outputs) {
      if (output.perWindow().size() != windows.size()) {
        throw new IllegalArgumentException(
            "output %s has %d expressions for %d windows"
                .formatted(output.column(), output.perWindow().size(), windows.size()));
      }
    }
  }

  /** An aggregation over events read by SQL from the warehouse (not from a push view). */
  public WindowedAggregation(
      String eventsSql,
      List<String> keys,
      String eventTimeType,
      Optional<String> createdTimeType,
      List<Duration> windows,
      List<State> states,
      List<Output> outputs) {
    this(
        eventsSql,
        keys,
        eventTimeType,
        createdTimeType,
        windows,
        states,
        outputs,
        Optional.empty());
  }

  /** The same aggregation over other events (the same columns), e.g. a push view's table. */
  public WindowedAggregation withEventsSql(String events) {
    return new WindowedAggregation(
        events, keys, eventTimeType, createdTimeType, windows, states, outputs, pushSource);
  }

  /**
   * The push view an aggregation view reads alone ({@code FROM features.<push view>}, no join, no
   * {@code WHERE}, aggregates of its plain columns): each column of {@link #eventsSql} is one of
   * its columns, so a pushed row is an event as it is.
   *
   * @param view the push view's name
   * @param columns each column of {@link #eventsSql} (the keys, {@link #EVENT_TIME}, {@link
   *     #CREATED_TIME} when there is one, the aggregates' arguments) and the push view's column it
   *     is, in {@link #eventsSql}'s order
   */
  public record PushSource(String view, java.util.Map<String, String> columns) {
    public PushSource {
      requireNonNull(view, "view is null");
      columns =
          java.util.Collections.unmodifiableMap(
              new java.util.LinkedHashMap<>(requireNonNull(columns, "columns is null")));
    }
  }

  /**
   * The column that holds state {@code state} over window {@code window} (indexes into {@link
   * #states} and {@link #windows}); output expressions refer to it.
   */
  public static String stateColumn(int state, int window) {
    return "__asof_s%d_w%d".formatted(state, window);
  }

  /** The features, in order: each output over each window ({@code reads_1h, reads_1d, ...}). */
  public List<String> features() {
    return outputs.stream()
        .flatMap(o -> windows.stream().map(w -> FeatureViewSpec.featureName(o.column(), w)))
        .toList();
  }

  /** The output column and window a feature is evaluated from. */
  public Optional<FeatureOfWindow> feature(String name) {
    for (Output output : outputs) {
      for (int w = 0; w < windows.size(); w++) {
        if (FeatureViewSpec.featureName(output.column(), windows.get(w)).equals(name)) {
          return Optional.of(new FeatureOfWindow(name, output, w));
        }
      }
    }
    return Optional.empty();
  }

  /** A feature: an output column over one window (index into {@link #windows}). */
  public record FeatureOfWindow(String name, Output output, int window) {}

  /**
   * One state over a window's events: the number of them ({@link Kind#ROWS}), of those whose
   * argument is not NULL ({@link Kind#NON_NULL}) or TRUE ({@link Kind#TRUE}), the sum of the
   * argument ({@link Kind#SUM}), its least or greatest value ({@link Kind#MIN}, {@link Kind#MAX}:
   * NULL when no argument is not NULL), or the number of its distinct values that are not NULL
   * ({@link Kind#DISTINCT}, exact).
   *
   * @param argument the column of {@link #eventsSql} the state reads; empty for {@link Kind#ROWS}
   * @param type the Trino type of the argument (of the sum, for {@link Kind#SUM})
   */
  public record State(Kind kind, Optional<String> argument, String type) {
    public State {
      requireNonNull(kind, "kind is null");
      requireNonNull(argument, "argument is null");
      requireNonNull(type, "type is null");
      if (argument.isEmpty() != (kind == Kind.ROWS)) {
        throw new IllegalArgumentException(kind + " state with argument " + argument);
      }
    }
  }

  /** What a state counts, sums or keeps. */
  public enum Kind {
    ROWS,
    NON_NULL,
    TRUE,
    SUM,
    MIN,
    MAX,
    DISTINCT;

    /** Whether the state is a count: 0, not NULL, over no events. */
    public boolean isCount() {
      return this == ROWS || this == NON_NULL || this == TRUE || this == DISTINCT;
    }

    /**
     * Whether the state is the least or greatest argument: not a running sum, so it is combined
     * over tiles rather than added and subtracted.
     */
    public boolean isExtreme() {
      return this == MIN || this == MAX;
    }
  }

  /**
   * An output column of the view.
   *
   * @param type its Trino type, as the view run as-is outputs it (every feature of it has this
   *     type)
   * @param perWindow its expression over window {@code i}'s states ({@link #stateColumn}), in Trino
   *     SQL, for each window
   */
  public record Output(String column, String type, List<String> perWindow) {
    public Output {
      requireNonNull(column, "column is null");
      requireNonNull(type, "type is null");
      perWindow = List.copyOf(requireNonNull(perWindow, "perWindow is null"));
    }
  }
}
