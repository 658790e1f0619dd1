package io.asof.online;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import java.util.List;
import java.util.Optional;

/**
 * Where one version of an online view keeps its latest values: a table of the online store, one
 * item per entity.
 *
 * @param name the store's table name, {@code asof_<view>__v<version>}
 * @param keys the entity's key columns with their Trino types, in the entity's order
 * @param features the served feature columns with their Trino types, in the view's order
 * @param createdTime the view's created-time column, which breaks ties on event time before the
 *     features do (its value is each record's {@link OnlineRecord#createdTime()})
 */
public record OnlineTable(
    String name,
    String view,
    int version,
    List<Column> keys,
    List<Column> features,
    Optional<String> createdTime) {
  public OnlineTable {
    requireNonNull(name, "name is null");
    requireNonNull(view, "view is null");
    keys = List.copyOf(requireNonNull(keys, "keys is null"));
    features = List.copyOf(requireNonNull(features, "features is null"));
    requireNonNull(createdTime, "createdTime is null");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("online table " + name + " has no key columns");
    }
  }

  /** The table a view version is kept in. */
  public static String name(String view, int version) {
    return "asof_" + view + "__v" + version;
  }

  /** The table of a version of a view without a created-time column. */
  public static OnlineTable of(String view, int version, List<Column> keys, List<Column> features) {
    return of(view, version, keys, features, Optional.empty());
  }

  /** The table of a view version. */
  public static OnlineTable of(
      String view,
      int version,
      List<Column> keys,
      List<Column> features,
      Optional<String> createdTime) {
    return new OnlineTable(name(view, version), view, version, keys, features, createdTime);
  }
}
