package io.asof.online;

/** How {@link OnlineStore#write} writes. */
public enum WriteMode {
  /**
   * Each record only when the table holds no item for its key or one with an event time ≤ the
   * record's: an older event never overwrites a newer one. For every write into a table others may
   * have written.
   */
  CONDITIONAL,
  /**
   * Unconditional batches, for the first load of a table this load created and no one else writes
   * yet, with at most one record per key; fastest.
   */
  INITIAL_LOAD
}
