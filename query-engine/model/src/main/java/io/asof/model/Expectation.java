package io.asof.model;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * A rule a feature view's rows must keep, declared in its header as {@code -- expect: <rule>} and
 * checked on each chunk a backfill writes, before the chunk is committed.
 */
public sealed interface Expectation {
  /** How a rule writes an absent bound. */
  String NO_BOUND = "_";

  /** Where the rule is written in the view's file. */
  SourcePosition position();

  /** The rule as a header writes it, e.g. {@code range(ctr_7d, 0, 1)}. */
  String rule();

  /** The view's output columns the rule names; none for rules about whole rows. */
  List<String> columns();

  /** {@code not_null(a, b)}: none of the columns is NULL. */
  record NotNull(List<String> columns, SourcePosition position) implements Expectation {
    public NotNull {
      columns = List.copyOf(requireNonNull(columns, "columns is null"));
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("not_null needs at least one column");
      }
      if (new HashSet<>(columns).size() != columns.size()) {
        throw new IllegalArgumentException("not_null repeats a column: " + columns);
      }
      requireNonNull(position, "position is null");
    }

    @Override
    public String rule() {
      return "not_null(" + String.join(", ", columns) + ")";
    }
  }

  /**
   * {@code range(col, min, max)}: each non-NULL value lies within the bounds, both inclusive; an
   * absent bound ({@code _}) does not limit. NaN lies outside every range.
   */
  record Range(
      String column, Optional<BigDecimal> min, Optional<BigDecimal> max, SourcePosition position)
      implements Expectation {
    public Range {
      requireNonNull(column, "column is null");
      requireNonNull(min, "min is null");
      requireNonNull(max, "max is null");
      if (min.isEmpty() && max.isEmpty()) {
        throw new IllegalArgumentException("range of " + column + " has neither bound");
      }
      if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
        throw new IllegalArgumentException(
            "range of " + column + ": minimum " + min.get() + " is above maximum " + max.get());
      }
      requireNonNull(position, "position is null");
    }

    @Override
    public String rule() {
      return "range(%s, %s, %s)".formatted(column, bound(min), bound(max));
    }

    @Override
    public List<String> columns() {
      return List.of(column);
    }

    private static String bound(Optional<BigDecimal> bound) {
      return bound.map(BigDecimal::toPlainString).orElse(NO_BOUND);
    }
  }

  /**
   * {@code accepted_values(col, 'a', 'b')} or {@code accepted_values(col, 1, 2)}: each non-NULL
   * value is one of the listed ones.
   */
  record AcceptedValues(String column, List<Literal> values, SourcePosition position)
      implements Expectation {
    public AcceptedValues {
      requireNonNull(column, "column is null");
      values = List.copyOf(requireNonNull(values, "values is null"));
      if (values.isEmpty()) {
        throw new IllegalArgumentException("accepted_values of " + column + " lists no value");
      }
      if (values.stream().map(Object::getClass).distinct().count() > 1) {
        throw new IllegalArgumentException(
            "accepted_values of " + column + " mixes strings and numbers");
      }
      requireNonNull(position, "position is null");
    }

    @Override
    public String rule() {
      return "accepted_values(%s, %s)"
          .formatted(
              column, values.stream().map(Literal::toString).collect(Collectors.joining(", ")));
    }

    @Override
    public List<String> columns() {
      return List.of(column);
    }
  }

  /** {@code unique_keys}: no two rows share the entity's key columns and the event time. */
  record UniqueKeys(SourcePosition position) implements Expectation {
    public UniqueKeys {
      requireNonNull(position, "position is null");
    }

    @Override
    public String rule() {
      return "unique_keys";
    }

    @Override
    public List<String> columns() {
      return List.of();
    }
  }

  /** {@code row_count(min, max)}: the chunk has between min and max rows, both inclusive. */
  record RowCount(OptionalLong min, OptionalLong max, SourcePosition position)
      implements Expectation {
    public RowCount {
      requireNonNull(min, "min is null");
      requireNonNull(max, "max is null");
      if (min.isEmpty() && max.isEmpty()) {
        throw new IllegalArgumentException("row_count has neither bound");
      }
      if ((min.isPresent() && min.getAsLong() < 0) || (max.isPresent() && max.getAsLong() < 0)) {
        throw new IllegalArgumentException("row_count bounds are not negative");
      }
      if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
        throw new IllegalArgumentException(
            "row_count: minimum " + min.getAsLong() + " is above maximum " + max.getAsLong());
      }
      requireNonNull(position, "position is null");
    }

    @Override
    public String rule() {
      return "row_count(%s, %s)".formatted(bound(min), bound(max));
    }

    @Override
    public List<String> columns() {
      return List.of();
    }

    private static String bound(OptionalLong bound) {
      return bound.isPresent() ? Long.toString(bound.getAsLong()) : NO_BOUND;
    }
  }

  /** A value an {@link AcceptedValues} rule lists: a string or a number. */
  sealed interface Literal {}

  /** A string value, written {@code 'de'} (a quote inside doubled: {@code 'it''s'}). */
  record TextValue(String value) implements Literal {
    public TextValue {
      requireNonNull(value, "value is null");
    }

    @Override
    public String toString() {
      return "'" + value.replace("'", "''") + "'";
    }
  }

  /** A number value, written {@code 3} or {@code 2.5}. */
  record NumberValue(BigDecimal value) implements Literal {
    public NumberValue {
      requireNonNull(value, "value is null");
    }

    @Override
    public String toString() {
      return value.toPlainString();
    }
  }
}
