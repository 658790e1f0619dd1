package io.asof.model;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;

/**
 * A thing features describe ({@code user}, {@code article}), identified by one or more join-key
 * columns ({@code user_id}; or {@code user_id, category}).
 */
public record Entity(
    String name, List<String> keyColumns, String description, SourcePosition position) {
  public Entity {
    requireNonNull(name, "name is null");
    keyColumns = List.copyOf(requireNonNull(keyColumns, "keyColumns is null"));
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("entity " + name + " has no key columns");
    }
    if (new HashSet<>(keyColumns).size() != keyColumns.size()) {
      throw new IllegalArgumentException("entity " + name + " repeats a key column: " + keyColumns);
    }
    requireNonNull(description, "description is null");
    requireNonNull(position, "position is null");
  }
}
