package io.asof.online;

/** How {@link OnlineStore#write} writes. */
public enum WriteMode {
  /**
   * Each record only when the table holds no item for its key or one offline would not take over it
   * ({@link OnlineRecord#newer}): an older event time, or an equal one that loses the tie-break on
   * created time, then feature values. For every write into a table others may have written.
   */
  CONDITIONAL,
  /**
   * Each record unless the table holds one with a later event time: the records are the view's
   * values just recomputed offline, so at an equal event time a record replaces what is there (a
   * value from rows a backfill has since replaced). For loads of views whose rows are recomputed
   * (materialized and virtual views), where no other writer adds rows.
   */
  RECOMPUTED,
  /**
   * Unconditional batches, for the first load of a table this load created and no one else writes
   * yet, with at most one record per key; fastest.
   */
  INITIAL_LOAD
}
