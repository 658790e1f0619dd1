package io.asof.registry;

import java.util.List;

/** What jobs' queries cost. One role of the {@link RegistryStore}. */
public interface CostLedger {
  /**
   * Records what a job's queries cost.
   *
   * @throws IllegalArgumentException when its kind or engine is longer than 40 characters, or its
   *     job longer than 400
   * @throws RegistryException when a cost of the same kind and job is recorded at the same moment
   */
  void recordCost(JobCost cost);

  /** The costs recorded for one job of a kind, oldest first; empty when there are none. */
  List<JobCost> costs(String kind, String job);

  /** The costs recorded for every job, newest first (then by kind and job). */
  List<JobCost> costs();
}
