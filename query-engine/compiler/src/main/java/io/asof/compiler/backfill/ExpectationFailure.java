package io.asof.compiler.backfill;

import static java.util.Objects.requireNonNull;

import io.asof.model.SourcePosition;
import java.util.List;

/**
 * An expectation a staged chunk does not keep: the rule as its view's header writes it, where it is
 * written, how many rows break it, and a few of them.
 *
 * @param offendingRows the rows that break the rule; for {@code unique_keys}, the rows that share
 *     their keys and event time with another; for {@code row_count}, the chunk's row count
 * @param examples up to five offending rows as JSON objects of the entity's keys, the event time
 *     and the rule's columns (NULLs as {@code null}), in text order; for {@code unique_keys}, the
 *     repeated keys and event time with the number of rows that share them; none for {@code
 *     row_count}
 */
public record ExpectationFailure(
    String rule, SourcePosition position, long offendingRows, List<String> examples) {
  public ExpectationFailure {
    requireNonNull(rule, "rule is null");
    requireNonNull(position, "position is null");
    if (offendingRows < 0) {
      throw new IllegalArgumentException("offendingRows is negative: " + offendingRows);
    }
    examples = List.copyOf(requireNonNull(examples, "examples is null"));
  }

  /** {@code file:line:column: expectation ... fails on n rows, e.g. {...}}, as compilers print. */
  @Override
  public String toString() {
    String rows = offendingRows == 1 ? "1 row" : offendingRows + " rows";
    String found =
        rule.startsWith("row_count")
            ? "fails: the chunk has " + rows
            : "fails on " + rows + (examples.isEmpty() ? "" : ", e.g. " + examples.getFirst());
    return position + ": expectation " + rule + " " + found;
  }
}
