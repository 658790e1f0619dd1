package io.asof.compiler.backfill;

import static io.asof.compiler.pit.PointInTimeSql.quote;
import static java.util.Objects.requireNonNull;

import io.asof.compiler.TrainingSetCompiler;
import io.asof.compiler.dialect.SqlText;
import io.asof.compiler.pit.PitRequest;
import io.asof.compiler.pit.PitView;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryResult;
import io.asof.engine.SqlQuoting;
import io.asof.model.Column;
import io.asof.model.window.WindowedAggregation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Counts, in one scan of a table, how many rows of each feature fall in each bin of a drift report:
 * below, between and above a numeric feature's bin edges, or equal to each of a categorical
 * feature's categories. The same statement runs over a training set's table (at its snapshot) and
 * over a view's most recent backfilled window, so that both sides are binned alike; an aggregation
 * view, which has no backfilled window, is compared with its features evaluated over a recent
 * period of its events instead ({@link #newestSql}, {@link #reference}).
 */
public final class DriftSql {
  private DriftSql() {}

  /**
   * How one feature is binned.
   *
   * @param column the column of the table scanned
   * @param edges a numeric feature's bin edges, strictly increasing: bin 0 is {@code < edges[0]},
   *     bin i is {@code >= edges[i-1] AND < edges[i]}, the last is {@code >= edges[last]}
   * @param categories a categorical feature's categories (as {@code CAST(column AS varchar)} spells
   *     them); the last bin is every other non-NULL value
   */
  public record Binning(String column, List<Double> edges, List<String> categories) {
    public Binning {
      requireNonNull(column, "column is null");
      edges = List.copyOf(requireNonNull(edges, "edges is null"));
      categories = List.copyOf(requireNonNull(categories, "categories is null"));
      if (edges.isEmpty() == categories.isEmpty()) {
        throw new IllegalArgumentException(
            "feature %s is binned by edges (numeric) or by categories, one of them"
                .formatted(column));
      }
      for (int i = 0; i < edges.size(); i++) {
        if (!Double.isFinite(edges.get(i)) || (i > 0 && edges.get(i) <= edges.get(i - 1))) {
          throw new IllegalArgumentException(
              "the bin edges of %s are not finite and strictly increasing: %s"
                  .formatted(column, edges));
        }
      }
      if (new HashSet<>(categories).size() != categories.size()) {
        throw new IllegalArgumentException(
            "the categories of %s repeat: %s".formatted(column, categories));
      }
    }

    /** Bins by edges: one more bin than edges. */
    public static Binning numeric(String column, List<Double> edges) {
      return new Binning(column, edges, List.of());
    }

    /** Bins by categories, and one bin for every other value. */
    public static Binning categorical(String column, List<String> categories) {
      return new Binning(column, List.of(), categories);
    }

    /** How many bins: edges + 1, or categories + 1 (the others). */
    public int bins() {
      return (edges.isEmpty() ? categories.size() : edges.size()) + 1;
    }
  }

  /** What one feature's scan found: the rows, the NULLs, and the non-NULL rows in each bin. */
  public record Counts(long rows, long nulls, List<Long> bins) {
    public Counts {
      bins = List.copyOf(requireNonNull(bins, "bins is null"));
    }

    /** The rows with a value. */
    public long values() {
      return rows - nulls;
    }
  }

  /**
   * The statement counting {@code features}' bins over {@code table} (qualified {@code
   * catalog.schema.table}), read at {@code snapshot} when given (a training set's build), and
   * restricted by {@code where} when given (a view's window: a condition on its event time).
   */
  public static String sql(
      String table, OptionalLong snapshot, Optional<String> where, List<Binning> features) {
    requireNonNull(snapshot, "snapshot is null");
    requireNonNull(where, "where is null");
    String from = StagedSql.table(table);
    if (snapshot.isPresent()) {
      from += " FOR VERSION AS OF " + snapshot.getAsLong();
    }
    return sqlFrom(from + where.map(w -> "\nWHERE " + w).orElse(""), features);
  }

  /**
   * The statement counting {@code features}' bins over the rows of {@code query}: an aggregation
   * view's evaluated reference ({@link #reference}).
   */
  public static String sqlOverQuery(String query, List<Binning> features) {
    return sqlFrom(subquery(query), features);
  }

  /** {@code query} as a subquery to select from. */
  static String subquery(String query) {
    return "(\n%s\n) AS __asof_r".formatted(SqlText.indent(query.strip(), 2));
  }

  private static String sqlFrom(String from, List<Binning> features) {
    if (features.isEmpty()) {
      throw new IllegalArgumentException("no features to bin");
    }
    Set<String> names = new HashSet<>();
    for (Binning feature : features) {
      if (!names.add(feature.column())) {
        throw new IllegalArgumentException("feature " + feature.column() + " is given twice");
      }
    }
    List<String> select = new ArrayList<>();
    select.add("count(*) AS __asof_rows");
    for (int i = 0; i < features.size(); i++) {
      Binning feature = features.get(i);
      String c = quote(feature.column());
      String f = "__asof_f" + (i + 1) + "_";
      select.add("count_if(%s IS NULL) AS %snulls".formatted(c, f));
      if (!feature.edges().isEmpty()) {
        String value = "CAST(%s AS double)".formatted(c);
        List<Double> edges = feature.edges();
        for (int b = 0; b <= edges.size(); b++) {
          List<String> bounds = new ArrayList<>(2);
          if (b > 0) {
            bounds.add("%s >= %s".formatted(value, doubleLiteral(edges.get(b - 1))));
          }
          if (b < edges.size()) {
            bounds.add("%s < %s".formatted(value, doubleLiteral(edges.get(b))));
          }
          select.add("count_if(%s) AS %sb%d".formatted(String.join(" AND ", bounds), f, b));
        }
      } else {
        String value = "CAST(%s AS varchar)".formatted(c);
        List<String> categories = feature.categories();
        for (int b = 0; b < categories.size(); b++) {
          select.add(
              "count_if(%s = %s) AS %sb%d"
                  .formatted(value, SqlQuoting.literal(categories.get(b)), f, b));
        }
      }
    }
    return "SELECT\n  %s\nFROM %s".formatted(String.join(",\n  ", select), from);
  }

  /** Runs the statement {@link #sql} gives and reads each feature's counts, in the order given. */
  public static List<Counts> counts(
      QueryEngine engine,
      String table,
      OptionalLong snapshot,
      Optional<String> where,
      List<Binning> features) {
    return read(engine.query(sql(table, snapshot, where, features)), features);
  }

  /** Runs the statement {@link #sqlOverQuery} gives and reads each feature's counts, in order. */
  public static List<Counts> countsOverQuery(
      QueryEngine engine, String query, List<Binning> features) {
    return read(engine.query(sqlOverQuery(query, features)), features);
  }

  private static List<Counts> read(QueryResult result, List<Binning> features) {
    List<Object> row = result.rows().getFirst();
    long rows = whole(row.get(result.columnIndex("__asof_rows")));
    List<Counts> counts = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      Binning feature = features.get(i);
      String f = "__asof_f" + (i + 1) + "_";
      long nulls = whole(row.get(result.columnIndex(f + "nulls")));
      List<Long> bins = new ArrayList<>();
      long counted = 0;
      int named = feature.edges().isEmpty() ? feature.categories().size() : feature.bins();
      for (int b = 0; b < named; b++) {
        long count = whole(row.get(result.columnIndex(f + "b" + b)));
        bins.add(count);
        counted += count;
      }
      if (feature.edges().isEmpty()) {
        bins.add(rows - nulls - counted); // every other category
      }
      counts.add(new Counts(rows, nulls, bins));
    }
    return counts;
  }

  /** The column of {@link #newestSql} with the newest event time of a key. */
  public static final String NEWEST = "__asof_newest";

  /** The spine column of {@link #reference}: the time each pair is evaluated at. */
  public static final String AT = "__asof_at";

  /**
   * The newest event time of an aggregation view's events that have a key ({@link #NEWEST}, NULL
   * when there is none): where its drift reference ends.
   */
  public static String newestSql(WindowedAggregation aggregation) {
    return """
        SELECT max(v.%s) AS %s
        FROM (
        %s
        ) AS v
        WHERE %s"""
        .formatted(
            quote(WindowedAggregation.EVENT_TIME),
            NEWEST,
            SqlText.indent(aggregation.eventsSql().strip(), 2),
            withKeys(aggregation, "v."));
  }

  /**
   * An aggregation view's drift reference: its {@code features} evaluated, exactly as a training
   * set evaluates them ({@link PointInTimeSql}), at each distinct (key, event time) of its events
   * with a key and an event time in {@code [from, to]} (both included), holding late events back
   * when the view has a created time (a training set's default). One row per pair: the keys, {@link
   * #AT} and the features, named as given.
   *
   * @param keys the entity's key columns, with their types
   * @param columns the view's features, with their types
   */
  public static String reference(
      String view,
      WindowedAggregation aggregation,
      List<Column> keys,
      List<Column> columns,
      List<String> features,
      Instant from,
      Instant to) {
    String e = "v." + quote(WindowedAggregation.EVENT_TIME);
    String spine =
        """
        SELECT DISTINCT %s, %s AS %s
        FROM (
        %s
        ) AS v
        WHERE %s
          AND %s >= %s AND %s <= %s"""
            .formatted(
                keys.stream().map(k -> "v." + quote(k.name())).collect(Collectors.joining(", ")),
                e,
                quote(AT),
                SqlText.indent(aggregation.eventsSql().strip(), 2),
                withKeys(aggregation, "v."),
                e,
                BackfillSql.literal(from, aggregation.eventTimeType()),
                e,
                BackfillSql.literal(to, aggregation.eventTimeType()));
    List<Column> spineColumns = new ArrayList<>(keys);
    spineColumns.add(new Column(AT, aggregation.eventTimeType()));
    PitView pit =
        TrainingSetCompiler.aggregationView(
            view, aggregation, keys, columns, features, aggregation.createdTimeType().isPresent());
    return PointInTimeSql.plan(new PitRequest(spine, spineColumns, AT, List.of(pit))).sql();
  }

  /** {@code k1 IS NOT NULL AND ...}: the events that belong to an entity. */
  private static String withKeys(WindowedAggregation aggregation, String alias) {
    return aggregation.keys().stream()
        .map(k -> alias + quote(k) + " IS NOT NULL")
        .collect(Collectors.joining(" AND "));
  }

  private static long whole(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  /** A double as a Trino double literal (an exponent makes it one, not a decimal). */
  static String doubleLiteral(double value) {
    String text = Double.toString(value);
    return text.contains("E") ? text : text + "E0";
  }
}
