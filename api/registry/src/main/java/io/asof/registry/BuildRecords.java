package io.asof.registry;

import java.util.List;

/** The training-set builds. One role of the {@link RegistryStore}. */
public interface BuildRecords {
  /** Records a training-set build. */
  void recordBuild(TrainingBuild build);

  /** The builds of a training set, newest first. */
  List<TrainingBuild> builds(String name);

  /** Every training-set build, newest first. */
  List<TrainingBuild> builds();
}
