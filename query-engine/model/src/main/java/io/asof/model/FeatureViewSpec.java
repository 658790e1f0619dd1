package io.asof.model;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A feature view as its author wrote it: one {@code .sql} file whose {@code SELECT} yields the
 * entity's key columns, an event-time column and feature columns, with metadata in a header; or,
 * for a push view ({@link Materialization#PUSH}), whose {@code CREATE TABLE} declares the columns
 * of the rows pushed to it.
 *
 * @param declaredColumns the columns a push view's {@code CREATE TABLE} declares, in order; empty
 *     for a view computed by SQL
 * @param sql the statement after the header, as written
 * @param sqlPosition where {@code sql} starts in the file, to place errors in it
 * @param createdTime the column saying when a row became known, used to break ties and to hold back
 *     late data
 * @param ttl how long a value stays valid after its event time; empty for forever
 * @param online whether the latest value per entity is also kept in the online store
 * @param expectations the rules its rows must keep, in header order; checked on each backfilled
 *     chunk before it is committed
 * @param tags words to find the view by in the catalog, in header order, without repeats
 * @param windows for an aggregation view (a {@code SELECT} grouped by the entity's keys), the
 *     windows each aggregate is evaluated over at every time t, in header order: each output column
 *     {@code c} becomes one feature {@code c_<window>} per window ({@link #featureName}); empty for
 *     a view whose rows are the values themselves
 */
public record FeatureViewSpec(
    String name,
    String entity,
    String eventTime,
    Optional<String> createdTime,
    Optional<Duration> ttl,
    Materialization materialization,
    boolean online,
    String owner,
    String description,
    List<Expectation> expectations,
    List<DeclaredColumn> declaredColumns,
    String sql,
    SourcePosition position,
    SourcePosition sqlPosition,
    List<String> tags,
    List<Duration> windows) {
  public FeatureViewSpec {
    requireNonNull(name, "name is null");
    requireNonNull(entity, "entity is null");
    requireNonNull(eventTime, "eventTime is null");
    requireNonNull(createdTime, "createdTime is null");
    requireNonNull(ttl, "ttl is null");
    ttl.ifPresent(
        value -> {
          if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(
                "ttl of view " + name + " is not positive: " + value);
          }
        });
    requireNonNull(materialization, "materialization is null");
    requireNonNull(owner, "owner is null");
    requireNonNull(description, "description is null");
    expectations = List.copyOf(requireNonNull(expectations, "expectations is null"));
    declaredColumns = List.copyOf(requireNonNull(declaredColumns, "declaredColumns is null"));
    if ((materialization == Materialization.PUSH) == declaredColumns.isEmpty()) {
      throw new IllegalArgumentException(
          "view %s: a push view declares its columns, and only a push view does".formatted(name));
    }
    requireNonNull(sql, "sql is null");
    requireNonNull(position, "position is null");
    requireNonNull(sqlPosition, "sqlPosition is null");
    tags = List.copyOf(requireNonNull(tags, "tags is null"));
    windows = List.copyOf(requireNonNull(windows, "windows is null"));
    for (Duration window : windows) {
      if (window.isNegative() || window.isZero() || window.toSeconds() % 60 != 0) {
        throw new IllegalArgumentException(
            "window %s of view %s is not a positive whole number of minutes"
                .formatted(window, name));
      }
    }
    if (windows.size() != windows.stream().distinct().count()) {
      throw new IllegalArgumentException("view " + name + " names a window twice: " + windows);
    }
    if (!windows.isEmpty() && materialization == Materialization.PUSH) {
      throw new IllegalArgumentException(
          "view %s: a push view has no windows; aggregate over it instead".formatted(name));
    }
  }

  /** Whether this is an aggregation view, whose features are evaluated over windows. */
  public boolean aggregation() {
    return !windows.isEmpty();
  }

  /** The feature an aggregation view's output column yields over a window: {@code reads_7d}. */
  public static String featureName(String column, Duration window) {
    return column + "_" + Durations.format(window);
  }
}
