package io.asof.registry;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Where the registry lives. Implementations: an embedded H2 file, PostgreSQL. */
public interface RegistryStore extends AutoCloseable {
  /** Every applied view, by name. */
  List<AppliedView> views();

  Optional<AppliedView> view(String name);

  /**
   * Records views (replacing those of the same name, columns included) and removes others, all in
   * one transaction: on any failure nothing is changed.
   */
  void apply(Collection<AppliedView> upserts, Collection<String> removals);

  /** Records a training-set build. */
  void recordBuild(TrainingBuild build);

  /** The builds of a training set, newest first. */
  List<TrainingBuild> builds(String name);

  /** The schema version the store's tables are migrated to. */
  int schemaVersion();

  @Override
  void close();
}
