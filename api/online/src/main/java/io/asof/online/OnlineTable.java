package io.asof.online;

import static java.util.Objects.requireNonNull;

import io.asof.engine.Column;
import java.util.List;

/**
 * Where one version of an online view keeps its latest values: a table of the online store, one
 * item per entity.
 *
 * @param name the store's table name, {@code asof_<view>__v<version>}
 * @param keys the entity's key columns with their Trino types, in the entity's order
 * @param features the served feature columns with their Trino types, in the view's order
 */
public record OnlineTable(
    String name, String view, int version, List<Column> keys, List<Column> features) {
  public OnlineTable {
    requireNonNull(name, "name is null");
    requireNonNull(view, "view is null");
    keys = List.copyOf(requireNonNull(keys, "keys is null"));
    features = List.copyOf(requireNonNull(features, "features is null"));
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("online table " + name + " has no key columns");
    }
  }

  /** The table a view version is kept in. */
  public static String name(String view, int version) {
    return "asof_" + view + "__v" + version;
  }

  /** The table of a view version. */
  public static OnlineTable of(String view, int version, List<Column> keys, List<Column> features) {
    return new OnlineTable(name(view, version), view, version, keys, features);
  }
}
