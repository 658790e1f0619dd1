package io.asof.registry;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import io.asof.model.Materialization;
import io.asof.model.window.WindowedAggregation;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A feature view as the registry recorded it when it was applied: its definition, the version it
 * has, a fingerprint of what makes it compute different rows, its output columns, their lineage
 * (output column to the source columns that feed it) and descriptions.
 *
 * <p>Of a push view ({@link Materialization#PUSH}), {@code columns} are the declared ones with
 * their declared types, in order; its rows are kept in {@link
 * io.asof.model.PushTables#qualifiedTable} of {@code version}, and {@code sql} reads them from
 * there.
 *
 * @param sql what the view is published as: its own SQL, or of a push view the read of its
 *     version's table ({@code SELECT ... FROM features."<view>__v<N>"}); of an aggregation view its
 *     own SQL, which with {@code windows} compiles again into what it is published as
 * @param windows of an aggregation view ({@link io.asof.model.FeatureViewSpec#windows()}), the
 *     windows its features are evaluated over, in header order; empty for any other view
 * @param compiled of an aggregation view, its compiled aggregation (its events query, states and
 *     outputs), which serves it online without the repository or the engine; empty for any other
 *     view, and for one applied before it was recorded
 * @param columnDescriptions the description of each column that has one (a push view's {@code
 *     COMMENT}s), by column name
 */
public record AppliedView(
    String name,
    int version,
    String fingerprint,
    String entity,
    List<String> keyColumns,
    String eventTime,
    Optional<String> createdTime,
    Optional<Duration> ttl,
    List<Duration> windows,
    Materialization materialization,
    boolean online,
    String owner,
    String description,
    String sql,
    List<Column> columns,
    Map<String, List<String>> lineage,
    Map<String, String> columnDescriptions,
    Instant appliedAt,
    Optional<WindowedAggregation> compiled) {
  public AppliedView {
    requireNonNull(name, "name is null");
    if (version < 1) {
      throw new IllegalArgumentException("version starts at 1, got " + version);
    }
    requireNonNull(fingerprint, "fingerprint is null");
    requireNonNull(entity, "entity is null");
    keyColumns = List.copyOf(requireNonNull(keyColumns, "keyColumns is null"));
    requireNonNull(eventTime, "eventTime is null");
    requireNonNull(createdTime, "createdTime is null");
    requireNonNull(ttl, "ttl is null");
    windows = List.copyOf(requireNonNull(windows, "windows is null"));
    requireNonNull(materialization, "materialization is null");
    requireNonNull(owner, "owner is null");
    requireNonNull(description, "description is null");
    requireNonNull(sql, "sql is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    Map<String, List<String>> copy = new LinkedHashMap<>();
    requireNonNull(lineage, "lineage is null").forEach((k, v) -> copy.put(k, List.copyOf(v)));
    lineage = Collections.unmodifiableMap(copy);
    columnDescriptions =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(requireNonNull(columnDescriptions, "columnDescriptions is null")));
    requireNonNull(appliedAt, "appliedAt is null");
    requireNonNull(compiled, "compiled is null");
  }

  /** A view without a recorded compiled aggregation. */
  public AppliedView(
      String name,
      int version,
      String fingerprint,
      String entity,
      List<String> keyColumns,
      String eventTime,
      Optional<String> createdTime,
      Optional<Duration> ttl,
      List<Duration> windows,
      Materialization materialization,
      boolean online,
      String owner,
      String description,
      String sql,
      List<Column> columns,
      Map<String, List<String>> lineage,
      Map<String, String> columnDescriptions,
      Instant appliedAt) {
    this(
        name,
        version,
        fingerprint,
        entity,
        keyColumns,
        eventTime,
        createdTime,
        ttl,
        windows,
        materialization,
        online,
        owner,
        description,
        sql,
        columns,
        lineage,
        columnDescriptions,
        appliedAt,
        Optional.empty());
  }

  /** Whether this is an aggregation view, whose features are evaluated over windows. */
  public boolean aggregation() {
    return !windows.isEmpty();
  }

  /**
   * The window a feature of an aggregation view is evaluated over; empty for a key and for every
   * column of any other view. An aggregation view's features follow its keys, each output column
   * over each window in turn ({@link io.asof.model.FeatureViewSpec#featureName}).
   */
  public Optional<Duration> window(String column) {
    if (windows.isEmpty() || keyColumns.contains(column)) {
      return Optional.empty();
    }
    List<String> features =
        columns.stream().map(Column::name).filter(c -> !keyColumns.contains(c)).toList();
    int index = features.indexOf(column);
    return index < 0 ? Optional.empty() : Optional.of(windows.get(index % windows.size()));
  }

  /** The description of a column; empty when it has none. */
  public String description(String column) {
    return columnDescriptions.getOrDefault(column, "");
  }

  /** The source columns that feed an output column, as the compiler found them. */
  public List<String> sources(String column) {
    return lineage.getOrDefault(column, List.of());
  }
}
