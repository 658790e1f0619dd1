package io.asof.model;

import static java.util.Objects.requireNonNull;

/**
 * One output column of a query: its name and the engine's own type name, e.g. {@code timestamp(6)}.
 */
public record Column(String name, String type) {
  public Column {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }
}
