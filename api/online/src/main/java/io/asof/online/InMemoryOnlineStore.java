package io.asof.online;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * An online store in this process's memory: every table a map from a key's text ({@link
 * OnlineValues#keyText}) to its record, written and read under the same rules as the DynamoDB store
 * ({@link OnlineStore}'s contract, which both pass). What it holds is lost when the process ends,
 * and expired records stay until overwritten (DynamoDB's TTL deletes them eventually; readers look
 * at {@link OnlineRecord#expired} either way).
 *
 * <p>For a single process that serves what it loads itself, and for tests of the services above the
 * store that need no DynamoDB.
 */
public final class InMemoryOnlineStore implements OnlineStore {
  /** A record, and of a tile record the highest push-log sequence added to it (else empty). */
  private record Stored(OnlineRecord record, Optional<Long> sequence) {}

  private final Map<String, Map<String, Stored>> tables = new ConcurrentHashMap<>();
  private final String where;

  /**
   * @param where how the store is named in messages, e.g. {@code "the in-memory store"}
   */
  public InMemoryOnlineStore(String where) {
    this.where = requireNonNull(where, "where is null");
  }

  public InMemoryOnlineStore() {
    this("the in-memory online store");
  }

  @Override
  public boolean create(OnlineTable table) {
    OnlineValues.checkTable(table);
    return tables.putIfAbsent(table.name(), new ConcurrentHashMap<>()) == null;
  }

  @Override
  public boolean exists(OnlineTable table) {
    return tables.containsKey(table.name());
  }

  @Override
  public WriteSummary write(OnlineTable table, List<OnlineRecord> records, WriteMode mode) {
    requireNonNull(mode, "mode is null");
    // of the two a write leaves one: the one written, unless the kept one wins
    @SuppressWarnings("ReferenceEquality")
    BiPredicate<Stored, OnlineRecord> takes =
        (kept, record) -> TieBreak.kept(mode, kept.record(), record) == record;
    return put(table, records, takes, Optional.empty());
  }

  /**
   * Stores each record under its key where nothing is stored or {@code takes} says it replaces what
   * is, with {@code sequence}.
   */
  private WriteSummary put(
      OnlineTable table,
      List<OnlineRecord> records,
      BiPredicate<Stored, OnlineRecord> takes,
      Optional<Long> sequence) {
    for (OnlineRecord record : records) {
      OnlineValues.checkRecord(table, record);
    }
    Map<String, Stored> rows = rows(table);
    long written = 0;
    long kept = 0;
    for (OnlineRecord record : records) {
      boolean[] stored = {false};
      rows.compute(
          OnlineValues.keyText(table, record.key()),
          (key, old) -> {
            stored[0] = old == null || takes.test(old, record);
            return stored[0] ? new Stored(record, sequence) : old;
          });
      if (stored[0]) {
        written++;
      } else {
        kept++;
      }
    }
    return new WriteSummary(written, kept, 0);
  }

  @Override
  public List<KeyRead> read(OnlineTable table, List<List<Object>> keys) {
    Map<String, Stored> rows = rows(table);
    List<KeyRead> reads = new ArrayList<>(keys.size());
    for (List<Object> key : keys) {
      Stored stored = rows.get(OnlineValues.keyText(table, key));
      reads.add(stored == null ? KeyRead.MISSING : KeyRead.found(stored.record()));
    }
    return reads;
  }

  @Override
  public WriteSummary addTiles(OnlineTable table, List<TileUpdate> updates) {
    Map<String, Stored> rows = rows(table);
    long written = 0;
    long skipped = 0;
    for (TileUpdate update : updates) {
      boolean[] added = {false};
      rows.compute(
          OnlineValues.keyText(table, update.key()),
          (key, kept) -> {
            long known = kept == null ? 0 : kept.sequence().orElse(0L);
            Map<Long, Map<Integer, Object>> adding = update.above(known);
            if (adding.isEmpty()) {
              return kept;
            }
            List<Object> tiles =
                new ArrayList<>(
                    kept == null
                        ? Collections.nCopies(table.features().size(), null)
                        : kept.record().values());
            long last = known;
            for (Map.Entry<Long, Map<Integer, Object>> batch : adding.entrySet()) {
              batch.getValue().forEach((i, v) -> tiles.set(i, TileUpdate.add(tiles.get(i), v)));
              last = batch.getKey();
            }
            added[0] = true;
            return new Stored(
                new OnlineRecord(
                    update.key(),
                    kept == null ? update.eventTime() : kept.record().eventTime(),
                    tiles,
                    Optional.of(update.expiresAt())),
                Optional.of(last));
          });
      if (added[0]) {
        written++;
      } else {
        skipped++;
      }
    }
    return new WriteSummary(written, skipped, 0);
  }

  @Override
  public WriteSummary writeTiles(
      OnlineTable table, List<OnlineRecord> records, long through, boolean initial) {
    return put(
        table,
        records,
        (old, record) -> initial || old.sequence().isEmpty() || old.sequence().get() <= through,
        Optional.of(through));
  }

  @Override
  public void scan(OnlineTable table, Consumer<OnlineRecord> consumer) {
    for (Stored stored : List.copyOf(rows(table).values())) {
      consumer.accept(stored.record());
    }
  }

  @Override
  public void drop(OnlineTable table) {
    tables.remove(table.name());
  }

  @Override
  public void close() {}

  private Map<String, Stored> rows(OnlineTable table) {
    Map<String, Stored> rows = tables.get(table.name());
    if (rows == null) {
      throw OnlineStoreException.missingTable(table, where, null);
    }
    return rows;
  }
}
