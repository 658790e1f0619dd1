package io.asof.online;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The latest value of one entity: its key, the event time of the row it came from, the feature
 * values in the table's feature order ({@code null} for SQL NULL, a value like any other), when it
 * expires (event time + the view's TTL; empty when the view has none) and the row's created time
 * (empty when the view has none, or the row's is NULL). Of two records of one key with the same
 * event time, stores keep the one offline takes ({@link #newer}).
 *
 * <p>Values are Java objects as the engine returns them and {@link OnlineStore#read} gives them
 * back, by Trino type: {@code bigint} Long, {@code integer} Integer, {@code smallint} Short, {@code
 * tinyint} Byte, {@code double} Double, {@code real} Float, {@code decimal} BigDecimal, {@code
 * boolean} Boolean, {@code varchar}/{@code char} String, {@code date} LocalDate, {@code
 * timestamp(p)} LocalDateTime. Keys take the same types and may not be NULL.
 */
public record OnlineRecord(
    List<Object> key,
    Instant eventTime,
    List<Object> values,
    Optional<Instant> expiresAt,
    Optional<Instant> createdTime) {
  public OnlineRecord {
    key = List.copyOf(requireNonNull(key, "key is null"));
    requireNonNull(eventTime, "eventTime is null");
    values =
        Collections.unmodifiableList(new ArrayList<>(requireNonNull(values, "values is null")));
    requireNonNull(expiresAt, "expiresAt is null");
    requireNonNull(createdTime, "createdTime is null");
  }

  /** A record of a view without a created-time column. */
  public OnlineRecord(
      List<Object> key, Instant eventTime, List<Object> values, Optional<Instant> expiresAt) {
    this(key, eventTime, values, expiresAt, Optional.empty());
  }

  /**
   * Of two records of one key, the one offline takes: the later event time; of equal ones the
   * greater created time (NULL lowest), then the greater feature values in order (NULL lowest), as
   * a training set breaks the tie; of equal ones {@code candidate}.
   */
  public static OnlineRecord newer(OnlineRecord kept, OnlineRecord candidate) {
    return TieBreak.newer(kept, candidate);
  }

  /** The bytes whose unsigned order is the offline tie-break order ({@link TieBreak}). */
  public byte[] tieBreak() {
    return TieBreak.of(createdTime, values);
  }

  /** Whether the value has expired at {@code now} (its TTL has passed: expiry ≤ now). */
  public boolean expired(Instant now) {
    return expiresAt.isPresent() && !expiresAt.get().isAfter(now);
  }
}
