package io.asof.compiler.pit;

import io.asof.engine.Column;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Compiles a point-in-time join into one Trino statement, as a sort-merge: per view, the spine rows
 * and the view's rows are put in one relation, ordered per entity key by time, and each spine row
 * takes the last view row before it. Its cost is a sort of (spine rows + view rows), not the spine
 * rows × view rows per key that "join every earlier row, then ROW_NUMBER" costs.
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
 * <p>Each view's rows are pruned to the spine's keys, and per key to the spine's time range (minus
 * the TTL), before sorting. Views are joined one after the other, each step carrying the spine's
 * columns and the rows found so far, so no row id or join back is needed.
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
    }
    TimeKind time = TimeKind.of(request);
    List<Column> spine = request.spineColumns();
    String ts = request.timestamp();
    request.spineType(ts);

    StringBuilder sql = new StringBuilder("WITH\n");
    sql.append("  spine AS (\n").append(indent(request.spineSql().strip(), 4)).append("\n  ),\n");
    sql.append("  step0 AS (\n    SELECT ")
        .append(spine.stream().map(c -> quote(c.name())).collect(Collectors.joining(", ")))
        .append("\n    FROM spine\n  )");

    List<Column> carried = new ArrayList<>(spine);
    for (int i = 0; i < request.views().size(); i++) {
      PitView view = request.views().get(i);
      for (String key : view.keys()) {
        request.spineType(key);
      }
      sql.append(",\n");
      appendViewRows(sql, request, view, i + 1, time);
      sql.append(",\n");
      appendStep(sql, request, view, i + 1, carried, time);
      carried.add(new Column(payload(i + 1), payloadType(view, time)));
    }

    List<Column> output = new ArrayList<>(spine);
    List<String> select = new ArrayList<>();
    for (Column column : spine) {
      select.add(quote(column.name()));
    }
    for (int i = 0; i < request.views().size(); i++) {
      PitView view = request.views().get(i);
      String found = payload(i + 1);
      String valid = validity(request, view, found, time);
      for (String feature : view.features()) {
        String name = outputName(request, view, feature);
        select.add(
            "CASE WHEN %s THEN %s.%s END AS %s"
                .formatted(valid, found, quote(feature), quote(name)));
        output.add(new Column(name, view.type(feature)));
      }
      if (view.withEventTime()) {
        String name = view.name() + "__event_time";
        select.add(
            "CASE WHEN %s THEN %s.%s END AS %s"
                .formatted(valid, found, quote(PREFIX + "e"), quote(name)));
        output.add(new Column(name, view.type(view.eventTime())));
      }
    }
    sql.append("\nSELECT\n  ")
        .append(String.join(",\n  ", select))
        .append("\nFROM step")
        .append(request.views().size());
    return new PitPlan(sql.toString(), output);
  }

  /**
   * The view's rows that can matter: those of keys the spine has, from before the key's last spine
   * time, and (with a TTL) not expired before its first. One pass over the spine gives each key's
   * time range; the join with it prunes by keys and times at once.
   */
  private static void appendViewRows(
      StringBuilder sql, PitRequest request, PitView view, int index, TimeKind time) {
    String e = time.of("v." + quote(view.eventTime()), view.type(view.eventTime()));
    String t = time.of(quote(request.timestamp()), request.spineType(request.timestamp()));
    String keys = view.keys().stream().map(PointInTimeSql::quote).collect(Collectors.joining(", "));
    List<String> notNull = new ArrayList<>();
    List<String> on = new ArrayList<>();
    for (String key : view.keys()) {
      notNull.add(quote(key) + " IS NOT NULL");
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
    for (String tieBreak : tieBreakers(view)) {
      if (!columns.contains(quote(tieBreak))) {
        columns.add(quote(tieBreak));
      }
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
              WHERE %s
              GROUP BY %s
            ) AS k ON %s
            WHERE %s
          )"""
            .formatted(
                index,
                columns.stream().map(c -> "v." + c).collect(Collectors.joining(", ")),
                indent(view.sourceSql().strip(), 6),
                keys,
                t,
                PREFIX,
                t,
                PREFIX,
                String.join(" AND ", notNull),
                keys,
                String.join(" AND ", on),
                String.join("\n      AND ", where))
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

  /** One sort-merge step: the previous step's rows, each with the view's row found for it. */
  private static void appendStep(
      StringBuilder sql,
      PitRequest request,
      PitView view,
      int index,
      List<Column> carried,
      TimeKind time) {
    String rowType = payloadType(view, time);
    List<String> tieBreakers = tieBreakers(view);
    String e = time.of(quote(view.eventTime()), view.type(view.eventTime()));
    String createdType = view.createdTime().map(view::type).orElse("timestamp(6)");
    String created =
        view.createdTime()
            .map(c -> time.of(quote(c), view.type(c)))
            .orElse("CAST(NULL AS timestamp(6))");
    boolean holdBack = view.holdBackLate();

    // the spine side: the previous step's columns, a time, and NULL where view rows have values
    List<String> spineSide = new ArrayList<>();
    List<String> viewSide = new ArrayList<>();
    for (Column column : carried) {
      spineSide.add(quote(column.name()));
      if (view.keys().contains(column.name())) {
        viewSide.add(quote(column.name()));
      } else {
        viewSide.add("CAST(NULL AS %s) AS %s".formatted(column.type(), quote(column.name())));
      }
    }
    String t = time.of(quote(request.timestamp()), request.spineType(request.timestamp()));
    spineSide.add("1 AS " + PREFIX + "kind");
    viewSide.add("0");
    spineSide.add(t + " AS " + PREFIX + "t");
    viewSide.add(holdBack ? "greatest(%s, coalesce(%s, %s))".formatted(e, created, e) : e);
    String order;
    String pick;
    String viewSource = "rows" + index;
    List<String> payloadFields = new ArrayList<>();
    payloadFields.add(e);
    payloadFields.add(quote(view.eventTime()));
    for (String feature : view.features()) {
      payloadFields.add(quote(feature));
    }
    String payloadRow = "CAST(ROW(%s) AS %s)".formatted(String.join(", ", payloadFields), rowType);
    String partition =
        view.keys().stream().map(PointInTimeSql::quote).collect(Collectors.joining(", "));
    if (!holdBack) {
      // rows before the spine rows at the same time (e <= t); among rows of one time, the winner
      // last: greatest created time, then greatest feature values
      spineSide.add("CAST(NULL AS %s) AS %sc".formatted(time.type(createdType), PREFIX));
      viewSide.add(
          view.createdTime().isPresent()
              ? created
              : "CAST(NULL AS %s)".formatted(time.type(createdType)));
      for (int j = 0; j < tieBreakers.size(); j++) {
        String tieBreak = tieBreakers.get(j);
        spineSide.add("CAST(NULL AS %s) AS %sb%d".formatted(view.type(tieBreak), PREFIX, j));
        viewSide.add(quote(tieBreak));
      }
      List<String> orderBy = new ArrayList<>();
      orderBy.add(PREFIX + "t");
      orderBy.add(PREFIX + "kind");
      orderBy.add(PREFIX + "c ASC NULLS FIRST");
      for (int j = 0; j < tieBreakers.size(); j++) {
        orderBy.add(PREFIX + "b" + j + " ASC NULLS FIRST");
      }
      order = String.join(", ", orderBy);
      pick = "last_value(%sr) IGNORE NULLS".formatted(PREFIX);
    } else {
      // late rows count from when they became known: order by that, and keep the best row seen
      // so far by its rank in (event time, created time, feature values)
      List<String> rankOrder = new ArrayList<>();
      rankOrder.add(e);
      rankOrder.add(created + " ASC NULLS FIRST");
      for (String tieBreak : tieBreakers) {
        rankOrder.add(quote(tieBreak) + " ASC NULLS FIRST");
      }
      viewSource =
          "(SELECT *, row_number() OVER (PARTITION BY %s ORDER BY %s) AS %srank FROM rows%d)"
              .formatted(partition, String.join(", ", rankOrder), PREFIX, index);
      spineSide.add("CAST(NULL AS bigint) AS %srank".formatted(PREFIX));
      viewSide.add(PREFIX + "rank");
      order = PREFIX + "t, " + PREFIX + "kind";
      pick = "max_by(%sr, %srank)".formatted(PREFIX, PREFIX);
    }
    spineSide.add("CAST(NULL AS %s) AS %sr".formatted(rowType, PREFIX));
    viewSide.add(payloadRow);

    String carriedNames =
        carried.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    sql.append(
        """
          step%d AS (
            SELECT %s, %s
            FROM (
              SELECT %s, %skind,
                %s OVER (
                  PARTITION BY %s
                  ORDER BY %s
                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS %s
              FROM (
                SELECT %s
                FROM step%d
                UNION ALL
                SELECT %s
                FROM %s
              )
            )
            WHERE %skind = 1
          )"""
            .formatted(
                index,
                carriedNames,
                payload(index),
                carriedNames,
                PREFIX,
                pick,
                partition,
                order,
                payload(index),
                String.join(", ", spineSide),
                index - 1,
                String.join(", ", viewSide),
                viewSource,
                PREFIX)
            .stripTrailing()
            .indent(2)
            .stripTrailing());
  }

  /** When the row found for a spine row counts: found, the spine time known, within the TTL. */
  private static String validity(PitRequest request, PitView view, String found, TimeKind time) {
    String t = time.of(quote(request.timestamp()), request.spineType(request.timestamp()));
    String valid = "%s IS NOT NULL AND %s IS NOT NULL".formatted(found, quote(request.timestamp()));
    if (view.ttl().isPresent()) {
      valid += " AND %s.%st > %s - %s".formatted(found, PREFIX, t, interval(view.ttl().get()));
    }
    return valid;
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
    Set<String> structural = new HashSet<>(view.keys());
    structural.add(view.eventTime());
    view.createdTime().ifPresent(structural::add);
    return view.columns().stream()
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

  private static String payload(int index) {
    return PREFIX + "v" + index;
  }

  static String interval(Duration ttl) {
    long seconds = ttl.toSeconds();
    if (seconds % 86_400 == 0) {
      return "INTERVAL '%d' DAY".formatted(seconds / 86_400);
    }
    return "INTERVAL '%d' SECOND".formatted(seconds);
  }

  static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    return text.lines()
        .map(line -> line.isEmpty() ? line : pad + line)
        .collect(Collectors.joining("\n"));
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
