package io.asof.compiler.dialect;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A column of a table Asof creates: its name, its type in Trino's spelling (a dialect respells it),
 * whether it is declared {@code NOT NULL}, and its comment.
 */
public record ColumnDefinition(
    String name, String type, boolean notNull, Optional<String> comment) {
  public ColumnDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(comment, "comment is null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a column needs a name");
    }
  }

  /** A nullable column without a comment. */
  public static ColumnDefinition of(String name, String type) {
    return new ColumnDefinition(name, type, false, Optional.empty());
  }
}
