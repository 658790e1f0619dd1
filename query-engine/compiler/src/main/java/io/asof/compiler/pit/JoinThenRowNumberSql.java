package io.asof.compiler.pit;

import static io.asof.compiler.pit.PointInTimeSql.interval;
import static io.asof.compiler.pit.PointInTimeSql.quote;

import io.asof.compiler.pit.PointInTimeSql.TimeKind;
import io.asof.model.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The formulation Asof does <em>not</em> use, written out so that benchmarks can measure against
 * it: join each spine row with every earlier row of its key, then keep the first by {@code
 * ROW_NUMBER()}. Its cost grows with spine rows × view rows per key. It has the same semantics as
 * {@link PointInTimeSql} (same ties, TTL, late rows, NULLs and output), so both must give the same
 * rows; tests check it against the oracle too.
 */
public final class JoinThenRowNumberSql {
  private static final String PREFIX = "__asof_";

  private JoinThenRowNumberSql() {}

  /** The join-then-ROW_NUMBER statement for {@code request}, and its output columns. */
  public static PitPlan plan(PitRequest request) {
    TimeKind time = TimeKind.of(request);
    String t = time.of("p." + quote(request.timestamp()), request.spineType(request.timestamp()));
    StringBuilder sql = new StringBuilder("WITH\n");
    sql.append("  spine AS (\n")
        .append(request.spineSql().strip().indent(4).stripTrailing())
        .append("\n  ),\n");
    sql.append(
        "  step0 AS (\n    SELECT *, row_number() OVER () AS " + PREFIX + "rid FROM spine\n  )");
    List<String> carried = new ArrayList<>();
    for (Column column : request.spineColumns()) {
      carried.add(quote(column.name()));
    }
    carried.add(PREFIX + "rid");
    List<String> select = new ArrayList<>();
    for (Column column : request.spineColumns()) {
      select.add(quote(column.name()));
    }
    List<Column> output = new ArrayList<>(request.spineColumns());
    for (int i = 0; i < request.views().size(); i++) {
      PitView view = request.views().get(i);
      int index = i + 1;
      String e = time.of("v." + quote(view.eventTime()), view.type(view.eventTime()));
      List<String> on = new ArrayList<>();
      for (String key : view.keys()) {
        on.add("v.%s = p.%s".formatted(quote(key), quote(key)));
      }
      on.add("%s <= %s".formatted(e, t));
      view.ttl().ifPresent(ttl -> on.add("%s > %s - %s".formatted(e, t, interval(ttl))));
      if (view.holdBackLate()) {
        String c =
            time.of(
                "v." + quote(view.createdTime().orElseThrow()),
                view.type(view.createdTime().orElseThrow()));
        on.add("coalesce(%s, %s) <= %s".formatted(c, e, t));
      }
      List<String> order = new ArrayList<>();
      order.add(e + " DESC");
      view.createdTime()
          .ifPresent(c -> order.add(time.of("v." + quote(c), view.type(c)) + " DESC NULLS LAST"));
      for (String tieBreak : PointInTimeSql.tieBreakers(view)) {
        order.add("v." + quote(tieBreak) + " DESC NULLS LAST");
      }
      // the view's values this step takes, under names of their own
      List<String> taken = new ArrayList<>();
      List<String> aliases = new ArrayList<>();
      for (String feature : view.features()) {
        String alias = quote("%sv%d_%s".formatted(PREFIX, index, feature));
        String name = PointInTimeSql.outputName(request, view, feature);
        taken.add("v.%s AS %s".formatted(quote(feature), alias));
        aliases.add(alias);
        select.add("%s AS %s".formatted(alias, quote(name)));
        output.add(new Column(name, view.type(feature)));
      }
      if (view.withEventTime()) {
        String alias = quote("%sv%d_e".formatted(PREFIX, index));
        String name = view.name() + "__event_time";
        taken.add("v.%s AS %s".formatted(quote(view.eventTime()), alias));
        aliases.add(alias);
        select.add("%s AS %s".formatted(alias, quote(name)));
        output.add(new Column(name, view.type(view.eventTime())));
      }
      String previous = carried.stream().map(c -> "p." + c).collect(Collectors.joining(", "));
      carried.addAll(aliases);
      sql.append(
          """
          ,
            step%d AS (
              SELECT %s
              FROM (
                SELECT %s, %s,
                  row_number() OVER (PARTITION BY p.%srid ORDER BY %s) AS %srn
                FROM step%d p
                LEFT JOIN (
          %s
                ) AS v
                  ON %s
              )
              WHERE %srn = 1
            )"""
              .formatted(
                  index,
                  String.join(", ", carried),
                  previous,
                  String.join(", ", taken),
                  PREFIX,
                  String.join(", ", order),
                  PREFIX,
                  index - 1,
                  view.sourceSql().strip().indent(8).stripTrailing(),
                  String.join("\n          AND ", on),
                  PREFIX)
              .stripTrailing());
    }
    sql.append("\nSELECT\n  ")
        .append(String.join(",\n  ", select))
        .append("\nFROM step")
        .append(request.views().size());
    return new PitPlan(sql.toString(), output);
  }
}
