package io.asof.registry;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The applied views and every version of them. One role of the {@link RegistryStore}. */
public interface ViewRegistry {
  /** Every applied view, by name. */
  List<AppliedView> views();

  Optional<AppliedView> view(String name);

  /**
   * Records views (replacing those of the same name, columns included) and removes others, all in
   * one transaction: on any failure nothing is changed.
   */
  void apply(Collection<AppliedView> upserts, Collection<String> removals);

  /**
   * Every version of every view ever applied, current or not, retired or not: by name, then newest
   * version first. {@link #apply} records each applied view's version here (replacing the
   * definition recorded for the same name and version); removing a view from the repository keeps
   * its versions.
   */
  List<ViewVersion> versions();

  /** The recorded versions of a view, newest first; empty when it was never applied. */
  List<ViewVersion> versions(String name);

  Optional<ViewVersion> version(String name, int version);

  /**
   * Records that a view's version was retired at {@code at}.
   *
   * @throws RegistryException when there is no such version, or it is already retired
   */
  void retire(String name, int version, Instant at);
}
