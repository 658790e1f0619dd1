package io.asof.online;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a read found for one key: the stored record, nothing ({@code NOT_FOUND}), or a failure for
 * this key alone (a batch that failed while others of the same read succeeded) — reported, never
 * hidden as a miss.
 */
public record KeyRead(Optional<OnlineRecord> record, Optional<String> failure) {
  public static final KeyRead MISSING = new KeyRead(Optional.empty(), Optional.empty());

  public KeyRead {
    requireNonNull(record, "record is null");
    requireNonNull(failure, "failure is null");
    if (record.isPresent() && failure.isPresent()) {
      throw new IllegalArgumentException("a key read either found a record or failed, not both");
    }
  }

  public static KeyRead found(OnlineRecord record) {
    return new KeyRead(Optional.of(record), Optional.empty());
  }

  public static KeyRead failed(String failure) {
    return new KeyRead(Optional.empty(), Optional.of(failure));
  }
}
