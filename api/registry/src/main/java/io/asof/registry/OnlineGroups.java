package io.asof.registry;

import java.util.List;
import java.util.Optional;

/** Which views are online, how, and since when. One role of the {@link RegistryStore}. */
public interface OnlineGroups {
  /** Every online group, by view name. */
  List<OnlineGroup> onlineGroups();

  /** The online group of a view; empty when it was never switched online (or was purged). */
  Optional<OnlineGroup> onlineGroup(String view);

  /**
   * Records a view's online group, replacing the one recorded for the same view.
   *
   * @throws IllegalArgumentException when its cache refresh is not a positive whole number of
   *     milliseconds
   */
  void saveOnlineGroup(OnlineGroup group);

  /** Forgets a view's online group; nothing when there is none. */
  void removeOnlineGroup(String view);
}
