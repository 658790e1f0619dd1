package io.asof.registry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A view switched online: which version of it the online store holds, in which table, whether it is
 * kept up to date, and how far its last load got.
 *
 * @param view the feature view
 * @param version the view version the table holds
 * @param table the online store's table name
 * @param state whether loads keep it up to date and the server serves it
 * @param mode where the server reads it from: the store, or an in-process copy
 * @param cacheRefresh how often a {@link Mode#CACHE} group's copy is reloaded
 * @param loadedThrough the moment the last load computed values at; the next load takes only
 *     entities with rows from then on
 * @param items about how many entities the table holds, as loads counted them
 * @param enabledAt when it was first switched online (at this version)
 * @param updatedAt when it last changed (a load, a switch)
 */
public record OnlineGroup(
    String view,
    int version,
    String table,
    State state,
    Mode mode,
    Duration cacheRefresh,
    Optional<Instant> loadedThrough,
    long items,
    Instant enabledAt,
    Instant updatedAt) {
  /** Whether a group is kept up to date and served. */
  public enum State {
    ENABLED,
    DISABLED
  }

  /** Where the server reads a group from. */
  public enum Mode {
    /** Each request reads the online store. */
    DYNAMODB,
    /** The server holds a copy in memory, reloaded every {@code cacheRefresh}. */
    CACHE
  }

  public OnlineGroup {
    requireNonNull(view, "view is null");
    requireNonNull(table, "table is null");
    requireNonNull(state, "state is null");
    requireNonNull(mode, "mode is null");
    requireNonNull(cacheRefresh, "cacheRefresh is null");
    requireNonNull(loadedThrough, "loadedThrough is null");
    requireNonNull(enabledAt, "enabledAt is null");
    requireNonNull(updatedAt, "updatedAt is null");
  }

  /** This group switched to {@code state} at {@code at}. */
  public OnlineGroup withState(State state, Instant at) {
    return new OnlineGroup(
        view, version, table, state, mode, cacheRefresh, loadedThrough, items, enabledAt, at);
  }

  /** This group after a load through {@code through} that left about {@code items} entities. */
  public OnlineGroup withLoad(Instant through, long items, Instant at) {
    return new OnlineGroup(
        view,
        version,
        table,
        state,
        mode,
        cacheRefresh,
        Optional.of(through),
        items,
        enabledAt,
        at);
  }
}
