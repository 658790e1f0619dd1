package io.asof.compiler;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where a training set reads a view's rows from.
 *
 * @param sql a query yielding the view's columns (its published view, its SQL, or its table)
 * @param validUntil the extra column of {@code sql} holding each row's stored range end, when the
 *     rows come from a backfilled table ({@link io.asof.compiler.backfill.BackfillSql})
 */
public record ViewRows(String sql, Optional<String> validUntil) {
  public ViewRows {
    requireNonNull(sql, "sql is null");
    requireNonNull(validUntil, "validUntil is null");
  }

  /** Rows that carry no range ends: the statement computes them. */
  public static ViewRows of(String sql) {
    return new ViewRows(sql, Optional.empty());
  }
}
