package io.asof.engine;

/** Optional abilities of a query engine that generated SQL may rely on. */
public enum EngineCapability {
  /** Reads an Iceberg table as of a snapshot id: {@code FOR VERSION AS OF <id>}. */
  TIME_TRAVEL,
  /** {@code MERGE INTO} on Iceberg tables. */
  MERGE,
  /** {@code ALTER TABLE ... EXECUTE optimize} and {@code expire_snapshots}. */
  TABLE_MAINTENANCE,
  /** Views with column comments that JDBC clients see as REMARKS. */
  COMMENTED_VIEWS,
}
