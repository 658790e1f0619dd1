package io.asof.compiler.pit;

import io.asof.compiler.dialect.SqlText;
import io.asof.compiler.pit.PitView.Lookup;
import io.asof.model.Column;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Compiles a point-in-time join into one Trino statement. Per view: one sort of the view's rows per
 * key gives each row the time range it is the answer for (until the next row's event time), and
 * each spine (key, time) finds the one range that holds it by an equi-join on the key with a range
 * condition. With late rows held back, pairs and rows are sorted together by when rows became known
 * instead, keeping the best row so far. No intermediate result grows with spine rows × view rows
 * per key, as "join every earlier row, then ROW_NUMBER" does.
 *
 * <p>Semantics (DESIGN §4), for a spine row with keys {@code k} and time {@code t}:
 *
 * <ul>
 *   <li>the value comes from the row with the same keys whose event time {@code e} is the greatest
 *       with {@code e <= t}, and with a TTL also {@code e > t - ttl}; otherwise NULL;
 *   <li>ties on {@code (k, e)}: the greatest created time wins (NULL lowest), then the greatest
 *       feature values in the view's column order (NULL lowest; arrays, maps, rows and JSON do not
 *       take part), so the choice never depends on how Trino reads the rows;
 *   <li>holding back late rows: a row counts only if its created time is at or before {@code t} (a
 *       NULL created time counts as its event time);
 *   <li>a spine row with a NULL key or a NULL time gets NULL features; duplicate spine rows are
 *       each returned once; a stored NULL is a value and is not replaced by an older one;
 *   <li>timestamps with a time zone compare as instants; when any time involved has a time zone,
 *       times without one are read as UTC.
 * </ul>
 *
 * <p>Per view, either the spine's distinct (key, time) pairs are looked up once each and the spine
 * rows take their values from those lookups with equi-joins on (key, time), or, when the spine's
 * pairs are mostly distinct anyway, every spine row looks its row up directly ({@link
 * PitView.Lookup}). For small spines the view's rows are pruned to the keys asked about and, per
 * key, to the times asked about (minus the TTL) before sorting. The sort never carries the spine's
 * columns.
 */
public final class PointInTimeSql {
  private static final String PREFIX = "__asof_";
  private static final Pattern TIMESTAMP =
      Pattern.compile("timestamp(?:\\((\\d+)\\))?( with time zone)?");
  private static final Set<String> ORDERABLE =
      Set.of(
          "boolean",
          "tinyint",
          "smallint",
          "integer",
          "bigint",
          "real",
          "double",
          "decimal",
          "varchar",
          "char",
          "date",
          "timestamp",
          "time",
          "varbinary",
          "uuid");

  private PointInTimeSql() {}

  /** The statement for {@code request}, and its output columns. */
  public static PitPlan plan(PitRequest request) {
    if (request.views().isEmpty()) {
      throw new IllegalArgumentException("a point-in-time join needs at least one view");
    }
    Set<String> names = new HashSet<>();
    for (PitView view : request.views()) {
      if (!names.add(view.name())) {
        throw new IllegalArgumentException("view " + view.name() + " is requested twice");
      }
      for (String key : view.keys()) {
        request.spineType(key);
      }
    }
    TimeKind time = TimeKind.of(request);
    List<Column> spine = request.spineColumns();
    String t = time.of(quote(request.timestamp()), request.spineType(request.timestamp()));

    StringBuilder sql = new StringBuilder("WITH\n");
    sql.append("  spine AS (\n")
        .append(SqlText.indent(request.spineSql().strip(), 4))
        .append("\n  )");
    for (int i = 0; i < request.views().size(); i++) {
      PitView view = request.views().get(i);
      int index = i + 1;
      if (view.lookup() == Lookup.DISTINCT_PAIRS) {
        sql.append(",\n");
        appendProbes(sql, view, index, t);
      }
      sql.append(",\n");
      if (view.aggregation().isPresent()) {
        sql.append(WindowedLookupSql.found(view, index, time));
        continue;
      }
      appendViewRows(sql, view, index, time, t);
      sql.append(",\n");
      appendFound(sql, view, index, time);
    }

    List<Column> output = new ArrayList<>(spine);
    List<String> select = new ArrayList<>();
    for (Column column : spine) {
      select.add("s." + quote(column.name()));
    }
    String spineTime =
        time.of("s." + quote(request.timestamp()), request.spineType(request.timestamp()));
    List<String> joins = new ArrayList<>();
    for (int i = 0; i < request.views().size(); i++) {
      PitView view = request.views().get(i);
      String alias = "f" + (i + 1);
      for (String feature : view.features()) {
        String name = outputName(request, view, feature);
        select.add("%s AS %s".formatted(taken(view, alias, quote(feature)), quote(name)));
        output.add(new Column(name, view.type(feature)));
      }
      if (view.withEventTime() && view.aggregation().isEmpty()) {
        String name = view.name() + "__event_time";
        select.add("%s AS %s".formatted(taken(view, alias, PREFIX + "e"), quote(name)));
        output.add(new Column(name, view.type(view.eventTime())));
      }
      List<String> on = new ArrayList<>();
      for (String key : view.keys()) {
        on.add("%s.%s = s.%s".formatted(alias, quote(key), quote(key)));
      }
      if (view.lookup() == Lookup.SPINE_ROWS) {
        on.addAll(inRange(view, alias, spineTime));
        joins.add(
            "LEFT JOIN ranges%d %s\n  ON %s".formatted(i + 1, alias, String.join("\n  AND ", on)));
      } else {
        on.add("%s.%st = %s".formatted(alias, PREFIX, spineTime));
        joins.add(
            "LEFT JOIN found%d %s\n  ON %s".formatted(i + 1, alias, String.join(" AND ", on)));
      }
    }
    sql.append("\nSELECT\n  ")
        .append(String.join(",\n  ", select))
        .append("\nFROM spine s\n")
        .append(String.join("\n", joins));
    return new PitPlan(sql.toString(), output);
  }

  /**
   * The distinct (key, time) pairs the spine asks a view about: many spine rows often share one
   * (all orders of a nation on a day), and each pair is looked up once.
   */
  private static void appendProbes(StringBuilder sql, PitView view, int index, String t) {
    // NULL keys and times need no filter: no view row has them, and no spine row joins on them
    String keys = view.keys().stream().map(PointInTimeSql::quote).collect(Collectors.joining(", "));
    sql.append(
        """
          probes%d AS (
            SELECT DISTINCT %s, %s AS %st
            FROM spine
          )"""
            .formatted(index, keys, t, PREFIX)
            .indent(2)
            .stripTrailing());
  }

  /**
   * The output name of a view's feature: the feature's own name, or {@code view__feature} when a
   * spine column or another view's feature has that name too.
   */
  static String outputName(PitRequest request, PitView view, String feature) {
    int uses = 0;
    for (Column column : request.spineColumns()) {
      uses += column.name().equals(feature) ? 1 : 0;
    }
    for (PitView other : request.views()) {
      uses += other.features().contains(feature) ? 1 : 0;
    }
    return uses > 1 ? view.name() + "__" + feature : feature;
  }

  /**
   * The view's rows that can matter. Pruned ({@link PitView#prune()}): those of keys the spine asks
   * about, from before the key's last spine time, and (with a TTL) not expired before its first;
   * the join with each key's time range prunes by keys and times at once, at the cost of one more
   * pass over the spine. Not pruned: every row. Rows with a NULL key need no filter: no equi-join
   * matches them, and a filter of their own can cost more than the rows (on Trino's TPC-H
   * connector, an {@code IS NOT NULL} tripled the CPU time of the scan).
   */
  private static void appendViewRows(
      StringBuilder sql, PitView view, int index, TimeKind time, String t) {
    String e = time.of("v." + quote(view.eventTime()), view.type(view.eventTime()));
    String keys = view.keys().stream().map(PointInTimeSql::quote).collect(Collectors.joining(", "));
    List<String> on = new ArrayList<>();
    for (String key : view.keys()) {
      on.add("k.%s = v.%s".formatted(quote(key), quote(key)));
    }
    List<String> where = new ArrayList<>();
    where.add("%s <= k.%shi".formatted(e, PREFIX));
    view.ttl().ifPresent(ttl -> where.add("%s > k.%slo - %s".formatted(e, PREFIX, interval(ttl))));
    List<String> columns = new ArrayList<>();
    for (String key : view.keys()) {
      columns.add(quote(key));
    }
    columns.add(quote(view.eventTime()));
    view.createdTime().ifPresent(c -> columns.add(quote(c)));
    for (String feature : view.features()) {
      if (!columns.contains(quote(feature))) {
        columns.add(quote(feature));
      }
    }
    if (view.validUntil().isPresent()) {
      columns.add(quote(view.validUntil().get()));
    } else {
      for (String tieBreak : tieBreakers(view)) {
        if (!columns.contains(quote(tieBreak))) {
          columns.add(quote(tieBreak));
        }
      }
    }
    if (!view.prune()) {
      sql.append(
          """
            rows%d AS (
              SELECT %s
              FROM (
          %s
              ) AS v
            )"""
              .formatted(
                  index,
                  columns.stream().map(c -> "v." + c).collect(Collectors.joining(", ")),
                  SqlText.indent(view.sourceSql().strip(), 6))
              .stripTrailing());
      return;
    }
    sql.append(
        """
          rows%d AS (
            SELECT %s
            FROM (
        %s
            ) AS v
            JOIN (
              SELECT %s, min(%s) AS %slo, max(%s) AS %shi
              FROM spine
              GROUP BY %s
            ) AS k ON %s
            WHERE %s
          )"""
            .formatted(
                index,
                columns.stream().map(c -> "v." + c).collect(Collectors.joining(", ")),
                SqlText.indent(view.sourceSql().strip(), 6),
                keys,
                t,
                PREFIX,
                t,
                PREFIX,
                keys,
                String.join(" AND ", on),
                String.join("\n      AND ", where))
            .stripTrailing());
  }

  /** How each view's values are found: by validity ranges, or, holding late rows back, by sort. */
  private static void appendFound(StringBuilder sql, PitView view, int index, TimeKind time) {
    if (view.holdBackLate()) {
      appendHeldBack(sql, view, index, time);
    } else {
      appendIntervals(sql, view, index, time);
    }
  }

  /**
   * Holding late rows back, visibility depends on two times, so ranges do not apply: probes and
   * view rows are sorted together per key by when each row became known, and each probe keeps the
   * best row seen so far by its rank in the view's row order.
   */
  private static void appendHeldBack(StringBuilder sql, PitView view, int index, TimeKind time) {
    String e = time.of(quote(view.eventTime()), view.type(view.eventTime()));
    String created =
        time.of(
            quote(view.createdTime().orElseThrow()), view.type(view.createdTime().orElseThrow()));
    String keys = view.keys().stream().map(PointInTimeSql::quote).collect(Collectors.joining(", "));
    String probeSide =
        "%s, 1 AS %skind, %st, CAST(NULL AS bigint) AS %srank, CAST(NULL AS %s) AS %sr"
            .formatted(keys, PREFIX, PREFIX, PREFIX, payloadType(view, time), PREFIX);
    String viewSide =
        "%s, 0, greatest(%s, coalesce(%s, %s)), %srank, %s"
            .formatted(keys, e, created, e, PREFIX, payloadRow(view, time));
    String viewSource =
        "(SELECT *, row_number() OVER (PARTITION BY %s ORDER BY %s) AS %srank FROM rows%d)"
            .formatted(keys, rowOrder(view, time), PREFIX, index);
    String pick = "max_by(%sr, %srank)".formatted(PREFIX, PREFIX);
    String order = PREFIX + "t, " + PREFIX + "kind";
    sql.append(
        """
          found%d AS (
            SELECT %s, %st, %sv
            FROM (
              SELECT %s, %st, %skind,
                %s OVER (
                  PARTITION BY %s
                  ORDER BY %s
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS %sv
              FROM (
                SELECT %s
                FROM probes%d
                UNION ALL
                SELECT %s
                FROM %s
              )
            )
            WHERE %skind = 1
          )"""
            .formatted(
                index,
                keys,
                PREFIX,
                PREFIX,
                keys,
                PREFIX,
                PREFIX,
                pick,
                keys,
                order,
                PREFIX,
                probeSide,
                index,
                viewSide,
                viewSource,
                PREFIX)
            .indent(2)
            .stripTrailing());
  }

  /**
   * Without late rows held back, each view row is valid from its event time until the next row's of
   * its key (a sort of the view's rows alone, by {@code lead}); of rows tied on (key, event time)
   * only the winner, sorted last, gets a non-empty range. A (key, time) pair then finds the one row
   * whose range holds it, by an equi-join on the key with a range condition, which Trino runs over
   * each key's rows sorted by time, bounded below by the TTL when there is one: the spine's
   * distinct pairs here ({@link Lookup#DISTINCT_PAIRS}), or every spine row in the final join
   * ({@link Lookup#SPINE_ROWS}).
   */
  private static void appendIntervals(StringBuilder sql, PitView view, int index, TimeKind time) {
    String e = time.of(quote(view.eventTime()), view.type(view.eventTime()));
    String keys = view.keys().stream().map(PointInTimeSql::quote).collect(Collectors.joining(", "));
    List<String> carried = new ArrayList<>();
    if (view.withEventTime()) {
      carried.add(quote(view.eventTime()) + " AS " + PREFIX + "e");
    }
    for (String feature : view.features()) {
      carried.add(quote(feature));
    }
    String to =
        view.validUntil()
            .map(column -> time.of(quote(column), view.type(view.eventTime())))
            .orElseGet(
                () ->
                    "lead(%s) OVER (PARTITION BY %s ORDER BY %s)"
                        .formatted(e, keys, rowOrder(view, time)));
    sql.append(
        """
          ranges%d AS (
            SELECT %s, %s AS %sfrom,
              %s AS %sto,
              %s
            FROM rows%d
          )"""
            .formatted(index, keys, e, PREFIX, to, PREFIX, String.join(", ", carried), index)
            .indent(2)
            .stripTrailing());
    if (view.lookup() == Lookup.SPINE_ROWS) {
      return;
    }
    List<String> on = new ArrayList<>();
    for (String key : view.keys()) {
      on.add("r.%s = p.%s".formatted(quote(key), quote(key)));
    }
    on.addAll(inRange(view, "r", "p." + PREFIX + "t"));
    List<String> taken = new ArrayList<>();
    for (String key : view.keys()) {
      taken.add("p." + quote(key));
    }
    taken.add("p." + PREFIX + "t");
    for (String column : rangeColumns(view)) {
      taken.add("r." + column);
    }
    sql.append(
        """
          ,
            found%d AS (
              SELECT %s
              FROM probes%d p
              JOIN ranges%d r
                ON %s
            )"""
            .formatted(
                index, String.join(", ", taken), index, index, String.join("\n        AND ", on))
            .stripTrailing());
  }

  /** The columns a view's ranges carry to the spine: the event time if asked for, the features. */
  private static List<String> rangeColumns(PitView view) {
    List<String> columns = new ArrayList<>();
    if (view.withEventTime()) {
      columns.add(PREFIX + "e");
    }
    for (String feature : view.features()) {
      columns.add(quote(feature));
    }
    return columns;
  }

  /**
   * The conditions under which the range {@code alias} holds time {@code t}: from its event time,
   * inclusive, until the next row's, exclusive (for ever when there is none), and within the TTL.
   * {@code coalesce} rather than {@code IS NULL OR}, which made Trino's range join 20 % slower.
   */
  private static List<String> inRange(PitView view, String alias, String t) {
    List<String> conditions = new ArrayList<>();
    conditions.add("%s.%sfrom <= %s".formatted(alias, PREFIX, t));
    conditions.add("coalesce(%s < %s.%sto, true)".formatted(t, alias, PREFIX));
    view.ttl()
        .ifPresent(
            ttl ->
                conditions.add("%s.%sfrom > %s - %s".formatted(alias, PREFIX, t, interval(ttl))));
    return conditions;
  }

  /**
   * The expression that takes {@code column} (a feature, or the event time) for a spine row from
   * the view's match {@code alias}: NULL when nothing matched. Held-back lookups carry the best row
   * whatever its age, so the TTL is checked here.
   */
  private static String taken(PitView view, String alias, String column) {
    if (!view.holdBackLate() || view.aggregation().isPresent()) {
      return alias + "." + column;
    }
    String found = alias + "." + PREFIX + "v";
    if (view.ttl().isEmpty()) {
      return found + "." + column;
    }
    return "CASE WHEN %s.%st > %s.%st - %s THEN %s.%s END"
        .formatted(found, PREFIX, alias, PREFIX, interval(view.ttl().get()), found, column);
  }

  /**
   * The order of a view's rows within a key, last wins: event time, then created time, then feature
   * values, NULL lowest.
   */
  private static String rowOrder(PitView view, TimeKind time) {
    List<String> order = new ArrayList<>();
    order.add(time.of(quote(view.eventTime()), view.type(view.eventTime())));
    view.createdTime()
        .ifPresent(c -> order.add(time.of(quote(c), view.type(c)) + " ASC NULLS FIRST"));
    for (String tieBreak : tieBreakers(view)) {
      order.add(quote(tieBreak) + " ASC NULLS FIRST");
    }
    return String.join(", ", order);
  }

  /**
   * The order of a view's rows within a key, last wins, over its own columns (as a backfill sorts
   * them to store each row's range end): event time, then created time, then feature values, NULL
   * lowest. Converting times for comparison with other views keeps this order, so it is the same
   * order the statement uses.
   */
  public static String rowOrder(
      List<String> keys, String eventTime, Optional<String> createdTime, List<Column> columns) {
    List<String> order = new ArrayList<>();
    order.add(quote(eventTime));
    createdTime.ifPresent(c -> order.add(quote(c) + " ASC NULLS FIRST"));
    for (String tieBreak : tieBreakers(keys, eventTime, createdTime, columns)) {
      order.add(quote(tieBreak) + " ASC NULLS FIRST");
    }
    return String.join(", ", order);
  }

  /** What a view row hands to the spine rows it is found for: its times and its features. */
  private static String payloadRow(PitView view, TimeKind time) {
    List<String> fields = new ArrayList<>();
    fields.add(time.of(quote(view.eventTime()), view.type(view.eventTime())));
    fields.add(quote(view.eventTime()));
    for (String feature : view.features()) {
      fields.add(quote(feature));
    }
    return "CAST(ROW(%s) AS %s)".formatted(String.join(", ", fields), payloadType(view, time));
  }

  /** The row type carrying what a spine row takes from a view row. */
  private static String payloadType(PitView view, TimeKind time) {
    List<String> fields = new ArrayList<>();
    fields.add(PREFIX + "t " + time.type(view.type(view.eventTime())));
    fields.add(PREFIX + "e " + view.type(view.eventTime()));
    for (String feature : view.features()) {
      fields.add(quote(feature) + " " + view.type(feature));
    }
    return "row(" + String.join(", ", fields) + ")";
  }

  /** The feature columns that order rows tied on keys, event and created time. */
  static List<String> tieBreakers(PitView view) {
    return tieBreakers(view.keys(), view.eventTime(), view.createdTime(), view.columns());
  }

  private static List<String> tieBreakers(
      List<String> keys, String eventTime, Optional<String> createdTime, List<Column> columns) {
    Set<String> structural = new HashSet<>(keys);
    structural.add(eventTime);
    createdTime.ifPresent(structural::add);
    return columns.stream()
        .filter(c -> !structural.contains(c.name()))
        .filter(c -> orderable(c.type()))
        .map(Column::name)
        .toList();
  }

  private static boolean orderable(String type) {
    int paren = type.indexOf('(');
    String base = (paren < 0 ? type : type.substring(0, paren)).strip();
    if (base.startsWith("timestamp") || base.startsWith("time")) {
      return true;
    }
    return ORDERABLE.contains(base);
  }

  static String interval(Duration ttl) {
    long seconds = ttl.toSeconds();
    if (seconds % 86_400 == 0) {
      return "INTERVAL '%d' DAY".formatted(seconds / 86_400);
    }
    return "INTERVAL '%d' SECOND".formatted(seconds);
  }

  /** {@code name} as a quoted Trino identifier. */
  public static String quote(String name) {
    return SqlText.quote(name);
  }

  /**
   * How times are compared: as they are when none has a time zone, else all as instants (times
   * without a zone read as UTC), always at the finest precision involved.
   */
  record TimeKind(boolean zoned, int precision) {
    static TimeKind of(PitRequest request) {
      List<String> types = new ArrayList<>();
      types.add(request.spineType(request.timestamp()));
      for (PitView view : request.views()) {
        types.add(view.type(view.eventTime()));
        view.createdTime().ifPresent(c -> types.add(view.type(c)));
      }
      boolean zoned = false;
      int precision = 0;
      for (String type : types) {
        Matcher m = TIMESTAMP.matcher(type.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
          throw new IllegalArgumentException("not a timestamp type: " + type);
        }
        zoned |= m.group(2) != null;
        precision = Math.max(precision, m.group(1) == null ? 3 : Integer.parseInt(m.group(1)));
      }
      return new TimeKind(zoned, precision);
    }

    String type(String ignored) {
      return zoned
          ? "timestamp(%d) with time zone".formatted(precision)
          : "timestamp(%d)".formatted(precision);
    }

    String of(String expression, String type) {
      if (type.equalsIgnoreCase(type(null))) {
        return expression;
      }
      boolean hasZone = type.toLowerCase(Locale.ROOT).endsWith("with time zone");
      if (zoned && !hasZone) {
        expression = "with_timezone(%s, 'UTC')".formatted(expression);
      }
      return "CAST(%s AS %s)".formatted(expression, type(null));
    }
  }
}
