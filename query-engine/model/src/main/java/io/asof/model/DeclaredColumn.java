package io.asof.model;

import static java.util.Objects.requireNonNull;

/**
 * A column of a push view, as its {@code CREATE TABLE} declares it.
 *
 * @param type the Trino type, normalized to Trino's spelling: {@code bigint}, {@code
 *     decimal(12,2)}, {@code timestamp(3)}, ...
 * @param notNull whether the declaration says {@code NOT NULL}: pushed rows must have a value
 * @param description the column's {@code COMMENT}; empty when it has none
 * @param position where the column's name is in the file
 */
public record DeclaredColumn(
    String name, String type, boolean notNull, String description, SourcePosition position) {
  public DeclaredColumn {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(description, "description is null");
    requireNonNull(position, "position is null");
  }
}
