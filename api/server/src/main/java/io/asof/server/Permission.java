package io.asof.server;

/**
 * What a route needs from the caller's token: each route needs one, and a handler may demand
 * another for what a request asks ({@link Security#demand}).
 */
public enum Permission {
  /** Read online features ({@code POST /v1/online-features}): what a model server needs. */
  ONLINE,
  /** Read the catalog, drift, the list of builds and the metrics. */
  READ,
  /** Run ad-hoc SQL against the warehouse ({@code POST /v1/training-sets/query}). */
  QUERY,
  /** Build training sets ({@code POST /v1/training-sets/{name}/builds}). */
  BUILD,
  /** Push rows into push views ({@code POST /v1/push/{view}}). */
  PUSH
}
