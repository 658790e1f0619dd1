package io.asof.online;

import java.util.List;
import java.util.function.Consumer;

/**
 * The latest value per entity of online views, one {@link OnlineTable} per view version.
 * Implementations are thread-safe. Every method throws {@link OnlineStoreException} when the store
 * cannot do it; {@link OnlineStoreException#unavailable()} tells an unreachable store apart.
 */
public interface OnlineStore extends AutoCloseable {
  /**
   * Creates the table unless it exists (with expiry on the records' {@code expiresAt}), and waits
   * until it takes reads and writes.
   *
   * @return whether this call created it
   */
  boolean create(OnlineTable table);

  /** Whether the table exists. */
  boolean exists(OnlineTable table);

  /**
   * Writes records, in parallel batches, retrying what the store leaves unprocessed or throttles
   * with backoff. In {@link WriteMode#CONDITIONAL} mode a record is skipped (counted, not an error)
   * when its key holds one offline takes over it ({@link OnlineRecord#newer}): a newer event time,
   * or the same one winning the tie-break.
   *
   * @throws IllegalArgumentException when a record does not fit the table (key or value count or
   *     type)
   */
  WriteSummary write(OnlineTable table, List<OnlineRecord> records, WriteMode mode);

  /**
   * Reads the records of {@code keys} (each a key in the table's key order and types), one {@link
   * KeyRead} per key in the same order; expired records are returned with their expiry (the caller
   * decides what {@code now} is). At most 100 keys per store call, calls in parallel beyond that.
   */
  List<KeyRead> read(OnlineTable table, List<List<Object>> keys);

  /**
   * Adds pushed batches to records of an aggregation view's tiles, exactly once per batch however
   * often it is added: each record keeps the highest sequence added to it, an update adds only the
   * batches above it (all of them in one write per record), and a record a load wrote through
   * sequence {@code S} ({@link #writeTiles}) takes only batches above {@code S}. The batches of one
   * record must be added in sequence order (a batch below one added already counts as added).
   *
   * @return written: records updated; skippedOlder: records none of whose batches was new
   */
  default WriteSummary addTiles(OnlineTable table, List<TileUpdate> updates) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no tiles");
  }

  /**
   * Writes records of an aggregation view's tiles, computed from the pushed batches up to sequence
   * {@code through}, whole: a record that took a batch above {@code through} already is kept (it
   * holds the load's batches and that one). With {@code initial}, the table was just created and
   * nothing else writes it: unconditional batches.
   */
  default WriteSummary writeTiles(
      OnlineTable table, List<OnlineRecord> records, long through, boolean initial) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no tiles");
  }

  /** Hands every record of the table to {@code consumer}, in no particular order. */
  void scan(OnlineTable table, Consumer<OnlineRecord> consumer);

  /** Deletes the table and its records; nothing when it does not exist. */
  void drop(OnlineTable table);

  @Override
  void close();
}
