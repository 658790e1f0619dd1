package io.asof.model;

/** How a feature view's rows exist offline. */
public enum Materialization {
  /** Published as a view and computed when read; costs nothing until used. */
  VIRTUAL,
  /** Backed by an Iceberg table filled by backfill and incremental materialization. */
  MATERIALIZED,
  /**
   * Fed by rows pushed to the server instead of computed by SQL; stored in an Iceberg table per
   * version ({@link PushTables}).
   */
  PUSH,
}
