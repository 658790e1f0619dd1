package io.asof.compiler.backfill;

import static io.asof.compiler.pit.PointInTimeSql.quote;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryResult;
import io.asof.model.Column;
import io.asof.model.statistics.FeatureStatistics;
import io.asof.model.statistics.FeatureStatistics.Quantile;
import io.asof.model.statistics.FeatureStatistics.ValueCount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Computes {@link FeatureStatistics} of every feature of a staged chunk in one aggregation, so one
 * scan of the table however many features the view has: exact counts, extremes and means, and
 * approximate distinct counts, quantiles and most frequent values, each of which keeps a small
 * fixed-size summary per feature.
 */
public final class ChunkStatisticsSql {
  /** The fractions at which quantiles of numeric features are taken. */
  public static final List<Double> QUANTILES = List.of(0.01, 0.25, 0.5, 0.75, 0.99);

  /** How many of the most frequent values of a string or boolean feature are kept. */
  public static final int TOP_VALUES = 10;

  /** How many distinct values the most-frequent-values summary tracks exactly. */
  public static final int TOP_CAPACITY = 1000;

  private static final Set<String> NUMERIC_TYPES =
      Set.of("tinyint", "smallint", "integer", "bigint", "real", "double", "decimal");
  private static final Set<String> CATEGORICAL_TYPES = Set.of("varchar", "char", "boolean");
  private static final Set<String> TIME_TYPES = Set.of("date", "timestamp");

  private ChunkStatisticsSql() {}

  /** What a feature's type allows to be computed. */
  private enum Kind {
    NUMERIC,
    CATEGORICAL,
    TIME,
    /** Arrays, maps, rows, JSON, binary: counts only. */
    OTHER;

    static Kind of(String type) {
      String lower = type.toLowerCase(Locale.ROOT);
      int paren = lower.indexOf('(');
      String base = (paren < 0 ? lower : lower.substring(0, paren)).strip();
      if (NUMERIC_TYPES.contains(base)) {
        return NUMERIC;
      }
      if (CATEGORICAL_TYPES.contains(base)) {
        return CATEGORICAL;
      }
      // timestamp(6), timestamp(3) with time zone, date
      return TIME_TYPES.contains(base) ? TIME : OTHER;
    }
  }

  /** The statement computing the statistics of {@code features} on {@code table}. */
  public static String sql(String table, List<Column> features) {
    return sqlFrom(StagedSql.table(table), features);
  }

  /**
   * The statement computing the statistics of {@code features} over the rows of {@code query} (a
   * drift report's evaluated reference, see {@link DriftSql#reference}).
   */
  public static String sqlOverQuery(String query, List<Column> features) {
    return sqlFrom(DriftSql.subquery(query), features);
  }

  private static String sqlFrom(String from, List<Column> features) {
    if (features.isEmpty()) {
      throw new IllegalArgumentException("no features to compute statistics of");
    }
    Set<String> names = new HashSet<>();
    for (Column feature : features) {
      if (!names.add(feature.name())) {
        throw new IllegalArgumentException("feature " + feature.name() + " is given twice");
      }
    }
    List<String> select = new ArrayList<>();
    select.add("count(*) AS __asof_rows");
    for (int i = 0; i < features.size(); i++) {
      Column feature = features.get(i);
      String c = quote(feature.name());
      String f = "__asof_f" + (i + 1) + "_";
      select.add("count_if(%s IS NULL) AS %snulls".formatted(c, f));
      switch (Kind.of(feature.type())) {
        case NUMERIC -> {
          select.add("CAST(min(%s) AS double) AS %smin".formatted(c, f));
          select.add("CAST(max(%s) AS double) AS %smax".formatted(c, f));
          select.add("avg(CAST(%s AS double)) AS %smean".formatted(c, f));
          select.add("approx_distinct(%s) AS %sdistinct".formatted(c, f));
          select.add(
              "approx_percentile(CAST(%s AS double), ARRAY[%s]) AS %squantiles"
                  .formatted(
                      c,
                      QUANTILES.stream().map(String::valueOf).collect(Collectors.joining(", ")),
                      f));
        }
        case CATEGORICAL -> {
          select.add("approx_distinct(%s) AS %sdistinct".formatted(c, f));
          select.add(
              "approx_most_frequent(%d, CAST(%s AS varchar), %d) AS %stop"
                  .formatted(TOP_VALUES, c, TOP_CAPACITY, f));
        }
        case TIME -> {
          select.add("CAST(min(%s) AS varchar) AS %searliest".formatted(c, f));
          select.add("CAST(max(%s) AS varchar) AS %slatest".formatted(c, f));
        }
        case OTHER -> {}
      }
    }
    return "SELECT\n  %s\nFROM %s".formatted(String.join(",\n  ", select), from);
  }

  /** Computes the statistics of {@code features} on {@code table}, in the order given. */
  public static List<FeatureStatistics> statistics(
      QueryEngine engine, String table, List<Column> features) {
    return read(engine.query(sql(table, features)), features);
  }

  /** Computes the statistics of {@code features} over the rows of {@code query}, in order. */
  public static List<FeatureStatistics> statisticsOverQuery(
      QueryEngine engine, String query, List<Column> features) {
    return read(engine.query(sqlOverQuery(query, features)), features);
  }

  private static List<FeatureStatistics> read(QueryResult result, List<Column> features) {
    List<Object> row = result.rows().getFirst();
    long rows = ((Number) row.get(result.columnIndex("__asof_rows"))).longValue();
    List<FeatureStatistics> statistics = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      Column feature = features.get(i);
      Values values = new Values(result, row, "__asof_f" + (i + 1) + "_");
      Kind kind = Kind.of(feature.type());
      statistics.add(
          new FeatureStatistics(
              feature.name(),
              feature.type(),
              rows,
              values.whole("nulls").orElseThrow(),
              kind == Kind.NUMERIC ? values.real("min") : OptionalDouble.empty(),
              kind == Kind.NUMERIC ? values.real("max") : OptionalDouble.empty(),
              kind == Kind.NUMERIC ? values.real("mean") : OptionalDouble.empty(),
              kind == Kind.NUMERIC || kind == Kind.CATEGORICAL
                  ? values.whole("distinct")
                  : OptionalLong.empty(),
              kind == Kind.NUMERIC ? values.quantiles() : List.of(),
              kind == Kind.CATEGORICAL ? values.top() : List.of(),
              kind == Kind.TIME ? values.text("earliest") : Optional.empty(),
              kind == Kind.TIME ? values.text("latest") : Optional.empty()));
    }
    return statistics;
  }

  /** The result's values of one feature, found by their aliases. */
  private record Values(QueryResult result, List<Object> row, String prefix) {
    private Object get(String name) {
      return row.get(result.columnIndex(prefix + name));
    }

    OptionalLong whole(String name) {
      return get(name) instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    OptionalDouble real(String name) {
      return get(name) instanceof Number n
          ? OptionalDouble.of(n.doubleValue())
          : OptionalDouble.empty();
    }

    Optional<String> text(String name) {
      return Optional.ofNullable(get(name)).map(String::valueOf);
    }

    List<Quantile> quantiles() {
      if (!(get("quantiles") instanceof List<?> list)) {
        return List.of();
      }
      List<Quantile> quantiles = new ArrayList<>();
      for (int q = 0; q < QUANTILES.size(); q++) {
        quantiles.add(new Quantile(QUANTILES.get(q), ((Number) list.get(q)).doubleValue()));
      }
      return quantiles;
    }

    List<ValueCount> top() {
      if (!(get("top") instanceof Map<?, ?> map)) {
        return List.of();
      }
      return map.entrySet().stream()
          .map(e -> new ValueCount(String.valueOf(e.getKey()), ((Number) e.getValue()).longValue()))
          .sorted(
              Comparator.comparingLong(ValueCount::count)
                  .reversed()
                  .thenComparing(ValueCount::value))
          .limit(TOP_VALUES)
          .toList();
    }
  }
}
