package io.asof.compiler.window;

import io.asof.compiler.dialect.SqlText;
import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.Output;
import io.asof.model.window.WindowedAggregation.State;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Statements over an aggregation view's events that need no spine: its features per key as of now,
 * which is what its published view shows and what online serves.
 */
public final class WindowSql {

  private WindowSql() {}

  /**
   * Every key's features as of the moment the statement runs: for each window, the events with
   * event time in {@code [floor_minute(now) - w, now]} (and, with a created time, created by now).
   * Keys with events only outside every window get each window's empty aggregate (count 0, sum
   * NULL).
   */
  public static String asOfNow(WindowedAggregation aggregation) {
    List<String> keys = aggregation.keys().stream().map(SqlText::quote).toList();
    String e = "v." + SqlText.quote(WindowedAggregation.EVENT_TIME);
    String now = now(aggregation.eventTimeType());
    // coalesce(created, e) <= now, given e <= now; without coalesce, which would mix a time
    // with a zone and one without and read the latter in the session's zone
    String created = "v." + SqlText.quote(WindowedAggregation.CREATED_TIME);
    String visible =
        aggregation
            .createdTimeType()
            .map(type -> " AND (%s IS NULL OR %s <= %s)".formatted(created, created, now(type)))
            .orElse("");
    List<String> states = new ArrayList<>();
    for (int w = 0; w < aggregation.windows().size(); w++) {
      String inWindow =
          "%s >= date_trunc('minute', %s) - INTERVAL '%d' MINUTE AND %s <= %s%s"
              .formatted(e, now, aggregation.windows().get(w).toMinutes(), e, now, visible);
      for (int s = 0; s < aggregation.states().size(); s++) {
        State state = aggregation.states().get(s);
        String sum =
            aggregate(
                state, "CASE WHEN %s THEN %s END".formatted(inWindow, contribution(state, "v")));
        if (state.kind().isCount()) {
          sum = "coalesce(%s, 0)".formatted(sum);
        }
        states.add(sum + " AS " + SqlText.quote(WindowedAggregation.stateColumn(s, w)));
      }
    }
    List<String> features = new ArrayList<>();
    for (Output output : aggregation.outputs()) {
      for (int w = 0; w < aggregation.windows().size(); w++) {
        features.add(
            "CAST(%s AS %s) AS %s"
                .formatted(
                    output.perWindow().get(w),
                    output.type(),
                    SqlText.quote(
                        io.asof.model.FeatureViewSpec.featureName(
                            output.column(), aggregation.windows().get(w)))));
      }
    }
    return """
        SELECT %s,
          %s
        FROM (
          SELECT %s,
            %s
          FROM (
        %s
          ) AS v
          WHERE %s
          GROUP BY %s
        )"""
        .formatted(
            String.join(", ", keys),
            String.join(",\n  ", features),
            keys.stream().map(k -> "v." + k).collect(Collectors.joining(", ")),
            String.join(",\n    ", states),
            SqlText.indent(aggregation.eventsSql().strip(), 4),
            // a NULL key is no entity: no row for it, as online and in training sets
            Stream.concat(Stream.of(e), keys.stream().map(k -> "v." + k))
                .map(c -> c + " IS NOT NULL")
                .collect(Collectors.joining(" AND ")),
            keys.stream().map(k -> "v." + k).collect(Collectors.joining(", ")));
  }

  /**
   * The events of every key from minute {@code fromMinute} (since the epoch, UTC) on, summed per
   * key and minute: the key columns, {@code __asof_minute} (the minute since the epoch) and one
   * column per state ({@code __asof_s<i>}: a count's or sum's sum, a least or greatest value, or
   * the distinct values as a JSON array of text), for the online store's tiles ({@link
   * WindowTiles}).
   */
  public static String minuteTiles(WindowedAggregation aggregation, long fromMinute) {
    List<String> keys = aggregation.keys().stream().map(SqlText::quote).toList();
    String e = "v." + SqlText.quote(WindowedAggregation.EVENT_TIME);
    boolean zoned = aggregation.eventTimeType().toLowerCase(Locale.ROOT).endsWith("with time zone");
    String epoch =
        zoned ? "TIMESTAMP '1970-01-01 00:00:00 UTC'" : "TIMESTAMP '1970-01-01 00:00:00'";
    String from =
        "TIMESTAMP '%s%s'"
            .formatted(
                LocalDateTime.ofEpochSecond(fromMinute * 60, 0, ZoneOffset.UTC)
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)),
                zoned ? " UTC" : "");
    List<String> columns = new ArrayList<>();
    keys.forEach(k -> columns.add("v." + k));
    columns.add(
        "date_diff('minute', %s, date_trunc('minute', %s)) AS %s"
            .formatted(epoch, e, SqlText.quote(MINUTE)));
    for (int s = 0; s < aggregation.states().size(); s++) {
      State state = aggregation.states().get(s);
      String tile =
          state.kind() == WindowedAggregation.Kind.DISTINCT
              ? distinctValues(contribution(state, "v"))
              : aggregate(state, contribution(state, "v"));
      columns.add("%s AS %s".formatted(tile, SqlText.quote(tileState(s))));
    }
    return """
        SELECT %s
        FROM (
        %s
        ) AS v
        WHERE %s >= %s
        GROUP BY %s, date_trunc('minute', %s)"""
        .formatted(
            String.join(", ", columns),
            SqlText.indent(aggregation.eventsSql().strip(), 2),
            e,
            from,
            keys.stream().map(k -> "v." + k).collect(Collectors.joining(", ")),
            e);
  }

  /**
   * The events of an aggregation view over a push view ({@link WindowedAggregation#pushSource}),
   * read from the push view's table {@code table} (qualified and quoted) as the pushes up to
   * sequence {@code through} brought them: what an online load sums into tiles, whose pushes above
   * {@code through} are added as they come.
   */
  public static String pushEvents(WindowedAggregation aggregation, String table, long through) {
    WindowedAggregation.PushSource source =
        aggregation
            .pushSource()
            .orElseThrow(() -> new IllegalArgumentException("the aggregation reads no push view"));
    return "SELECT %s\nFROM %s\nWHERE %s <= %d"
        .formatted(
            source.columns().entrySet().stream()
                .map(c -> SqlText.quote(c.getValue()) + " AS " + SqlText.quote(c.getKey()))
                .collect(Collectors.joining(", ")),
            table,
            SqlText.quote(io.asof.model.PushTables.SEQUENCE_COLUMN),
            through);
  }

  /** The column of {@link #minuteTiles} with the minute since the epoch. */
  public static final String MINUTE = "__asof_minute";

  /** The column of {@link #minuteTiles} with state {@code state}'s sum over the minute. */
  public static String tileState(int state) {
    return "__asof_s" + state;
  }

  /**
   * The aggregate that makes a state of its events' {@link #contribution}s, {@code values}: {@code
   * min}, {@code max}, {@code count(DISTINCT ...)}, or {@code sum} for counts and sums.
   */
  public static String aggregate(State state, String values) {
    return switch (state.kind()) {
      case MIN -> "min(%s)".formatted(values);
      case MAX -> "max(%s)".formatted(values);
      case DISTINCT -> "count(DISTINCT %s)".formatted(values);
      default -> "sum(%s)".formatted(values);
    };
  }

  /**
   * A minute's distinct values of a {@link WindowedAggregation.Kind#DISTINCT} state's argument, as
   * a JSON array of their text (NULL when there is none): the online tile unions them.
   */
  private static String distinctValues(String argument) {
    return "json_format(CAST(array_agg(DISTINCT CAST(%s AS varchar)) FILTER (WHERE %s IS NOT NULL) AS json))"
        .formatted(argument, argument);
  }

  /**
   * What one event adds to a state: 1, 1 when its argument is not NULL or TRUE (else 0), its
   * argument (for a sum, a least or a greatest value); the argument read as a column of {@code row}
   * (an alias, or empty).
   */
  public static String contribution(State state, String row) {
    String argument =
        state.argument().map(a -> (row.isEmpty() ? "" : row + ".") + SqlText.quote(a)).orElse("");
    return switch (state.kind()) {
      case ROWS -> "1";
      case NON_NULL -> "CASE WHEN %s IS NOT NULL THEN 1 ELSE 0 END".formatted(argument);
      case TRUE -> "CASE WHEN %s THEN 1 ELSE 0 END".formatted(argument);
      case SUM, MIN, MAX, DISTINCT -> argument;
    };
  }

  /** The current time, comparable with times of {@code type}: times without a zone are UTC. */
  private static String now(String type) {
    String lower = type.toLowerCase(Locale.ROOT);
    if (lower.endsWith("with time zone")) {
      return "current_timestamp";
    }
    return "CAST(current_timestamp AT TIME ZONE 'UTC' AS %s)".formatted(lower);
  }
}
