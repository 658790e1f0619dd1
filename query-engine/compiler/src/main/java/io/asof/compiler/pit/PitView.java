package io.asof.compiler.pit;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import io.asof.model.window.WindowedAggregation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One feature view as a point-in-time join sees it: where its rows come from, their keys and times,
 * and which features to take.
 *
 * @param sourceSql a query yielding the view's rows (its SQL, or a read of its table)
 * @param columns every output column of {@code sourceSql}, with Trino types
 * @param features the columns to attach to the spine, in order
 * @param holdBackLate take only rows whose created time is at or before the spine time (needs a
 *     created-time column)
 * @param withEventTime also output the event time of the row each value came from
 * @param prune read only the view rows of the keys and times the spine asks about, at the cost of
 *     one more pass over the spine: worth it when the spine is small next to the view
 * @param lookup how spine rows find their view row; views that hold late rows back are always
 *     looked up by {@link Lookup#DISTINCT_PAIRS}
 * @param validUntil the column of {@code sourceSql} that holds, for each row, the event time of the
 *     next row of its key in the view's row order (NULL for the last), as a backfilled table stores
 *     it: the join then needs no sort of the view's rows; empty to compute it in the statement
 * @param aggregation for an aggregation view, its windowed aggregation: {@code sourceSql} is then
 *     its events query, {@code eventTime} and {@code createdTime} its columns, {@code features}
 *     names of {@link WindowedAggregation#features()}, and the lookup is by distinct pairs
 */
public record PitView(
    String name,
    String sourceSql,
    List<String> keys,
    String eventTime,
    Optional<String> createdTime,
    Optional<Duration> ttl,
    List<Column> columns,
    List<String> features,
    boolean holdBackLate,
    boolean withEventTime,
    boolean prune,
    Lookup lookup,
    Optional<String> validUntil,
    Optional<WindowedAggregation> aggregation) {
  public PitView {
    requireNonNull(name, "name is null");
    requireNonNull(sourceSql, "sourceSql is null");
    keys = List.copyOf(requireNonNull(keys, "keys is null"));
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("view " + name + " has no key columns");
    }
    requireNonNull(eventTime, "eventTime is null");
    requireNonNull(createdTime, "createdTime is null");
    requireNonNull(ttl, "ttl is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    features = List.copyOf(requireNonNull(features, "features is null"));
    if (holdBackLate && createdTime.isEmpty()) {
      throw new IllegalArgumentException(
          "view " + name + " cannot hold back late rows: it has no created-time column");
    }
    requireNonNull(lookup, "lookup is null");
    if (holdBackLate && lookup != Lookup.DISTINCT_PAIRS) {
      throw new IllegalArgumentException(
          "view " + name + " holds late rows back, so it is looked up by distinct pairs");
    }
    requireNonNull(validUntil, "validUntil is null");
    requireNonNull(aggregation, "aggregation is null");
    if (aggregation.isPresent() && lookup != Lookup.DISTINCT_PAIRS) {
      throw new IllegalArgumentException(
          "aggregation view " + name + " is looked up by distinct pairs");
    }
  }

  /** A view whose rows are its values (not an aggregation view). */
  public PitView(
      String name,
      String sourceSql,
      List<String> keys,
      String eventTime,
      Optional<String> createdTime,
      Optional<Duration> ttl,
      List<Column> columns,
      List<String> features,
      boolean holdBackLate,
      boolean withEventTime,
      boolean prune,
      Lookup lookup,
      Optional<String> validUntil) {
    this(
        name,
        sourceSql,
        keys,
        eventTime,
        createdTime,
        ttl,
        columns,
        features,
        holdBackLate,
        withEventTime,
        prune,
        lookup,
        validUntil,
        Optional.empty());
  }

  /** How the spine's rows find the one view row each takes its values from. */
  public enum Lookup {
    /**
     * The spine's distinct (key, time) pairs look their row up once each, and the spine rows join
     * the answers on (key, time): right when many spine rows share a pair (all orders of a nation
     * on one day), at the cost of one more pass over the spine.
     */
    DISTINCT_PAIRS,
    /**
     * Every spine row finds its row directly, by an equi-join on the key with a range condition:
     * right when the spine's pairs are mostly distinct, where the extra pass over the spine and the
     * join back would cost more than they save.
     */
    SPINE_ROWS
  }

  /** The Trino type of one of the view's columns. */
  public String type(String column) {
    return columns.stream()
        .filter(c -> c.name().equals(column))
        .map(Column::type)
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("view " + name + " has no column " + column));
  }
}
