package io.asof.jobs;

import io.asof.model.Column;
import io.asof.online.OnlineTable;
import io.asof.online.OnlineValues;
import io.asof.registry.AppliedView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The online store's table of a view version: its keys and served features (every output column but
 * keys and times), checked for types the store can hold.
 */
public final class OnlineTables {
  private OnlineTables() {}

  /**
   * The store table of a view version, with its keys and served features.
   *
   * @throws IllegalArgumentException when a key or feature has a type the store cannot hold
   */
  public static OnlineTable table(AppliedView view) {
    OnlineTable table = tableOf(view);
    List<String> problems = new ArrayList<>();
    for (Column column : concat(table.keys(), table.features())) {
      if (!OnlineValues.servable(column.type())) {
        problems.add("%s is %s".formatted(column.name(), column.type()));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "view %s cannot be served online: %s; online views hold numbers, booleans, strings, dates and timestamps (cast the others in the view's SQL, e.g. CAST(x AS varchar) or json_format)"
              .formatted(view.name(), String.join(", ", problems)));
    }
    return table;
  }

  /** The store table of a view version, unchecked (for reading and dropping what was loaded). */
  public static OnlineTable tableOf(AppliedView view) {
    Map<String, String> types = new HashMap<>();
    view.columns().forEach(c -> types.put(c.name(), c.type()));
    List<Column> keys = new ArrayList<>();
    for (String key : view.keyColumns()) {
      keys.add(new Column(key, types.get(key)));
    }
    return OnlineTable.of(view.name(), view.version(), keys, features(view), view.createdTime());
  }

  /** The feature columns of an applied view: every output column but keys and times. */
  public static List<Column> features(AppliedView view) {
    List<String> notFeatures = new ArrayList<>(view.keyColumns());
    notFeatures.add(view.eventTime());
    view.createdTime().ifPresent(notFeatures::add);
    return view.columns().stream().filter(c -> !notFeatures.contains(c.name())).toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
