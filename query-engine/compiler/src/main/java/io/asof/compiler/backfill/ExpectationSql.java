package io.asof.compiler.backfill;

import static io.asof.compiler.pit.PointInTimeSql.quote;
import static io.asof.engine.SqlQuoting.literal;
import static java.util.Objects.requireNonNull;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryResult;
import io.asof.model.Expectation;
import io.asof.model.Expectation.AcceptedValues;
import io.asof.model.Expectation.Literal;
import io.asof.model.Expectation.NotNull;
import io.asof.model.Expectation.NumberValue;
import io.asof.model.Expectation.Range;
import io.asof.model.Expectation.RowCount;
import io.asof.model.Expectation.TextValue;
import io.asof.model.Expectation.UniqueKeys;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a view's expectations on a staged table in one statement: every row-level rule and {@code
 * row_count} in one pass over the rows, {@code unique_keys} in one {@code GROUP BY} more. The
 * statement returns one row per failed rule: its ordinal in the list, the rule as written, the
 * number of offending rows and up to {@value #EXAMPLES} of them as JSON text ({@link
 * ExpectationFailure}).
 *
 * <p>Per row-level rule, the scan renders an example only for a row that breaks the rule (NULL
 * otherwise), so counting the examples counts the offending rows, and {@code min_by(e, e, 5)} keeps
 * the first five in text order in bounded memory.
 */
public final class ExpectationSql {
  static final int EXAMPLES = 5;
  private static final String PREFIX = "__asof_";

  private ExpectationSql() {}

  /**
   * The statement checking {@code expectations} on {@code table} ({@code catalog.schema.table}),
   * whose rows have the entity's {@code keys} and the event time {@code eventTime}.
   */
  public static String sql(
      String table, List<String> keys, String eventTime, List<Expectation> expectations) {
    requireNonNull(keys, "keys is null");
    requireNonNull(eventTime, "eventTime is null");
    if (expectations.isEmpty()) {
      throw new IllegalArgumentException("no expectations to check");
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a view has at least one key column");
    }
    String from = StagedSql.table(table);
    List<String> parts = new ArrayList<>();
    if (expectations.stream().anyMatch(e -> !(e instanceof UniqueKeys))) {
      parts.add(rowChecks(from, keys, eventTime, expectations));
    }
    for (int i = 0; i < expectations.size(); i++) {
      if (expectations.get(i) instanceof UniqueKeys unique) {
        parts.add(uniqueKeys(from, keys, eventTime, unique, i));
      }
    }
    return String.join("\nUNION ALL\n", parts) + "\nORDER BY ordinal";
  }

  /**
   * Runs the checks of {@code expectations} on {@code table}; the rules the rows break, in the
   * order given, none when the chunk keeps them all.
   */
  public static List<ExpectationFailure> check(
      QueryEngine engine,
      String table,
      List<String> keys,
      String eventTime,
      List<Expectation> expectations) {
    if (expectations.isEmpty()) {
      return List.of();
    }
    QueryResult result = engine.query(sql(table, keys, eventTime, expectations));
    List<ExpectationFailure> failures = new ArrayList<>();
    for (List<Object> row : result.rows()) {
      Expectation expectation = expectations.get(((Number) row.get(0)).intValue());
      List<String> examples = new ArrayList<>();
      if (row.get(3) instanceof List<?> list) {
        list.forEach(example -> examples.add(String.valueOf(example)));
      }
      failures.add(
          new ExpectationFailure(
              expectation.rule(),
              expectation.position(),
              ((Number) row.get(2)).longValue(),
              examples));
    }
    return failures;
  }

  /** The one pass over the rows: each row-level rule's examples, and the row count. */
  private static String rowChecks(
      String from, List<String> keys, String eventTime, List<Expectation> expectations) {
    List<String> rendered = new ArrayList<>();
    List<String> aggregates = new ArrayList<>();
    aggregates.add("count(*) AS %srows".formatted(PREFIX));
    List<String> ordinals = new ArrayList<>();
    List<String> rules = new ArrayList<>();
    List<String> counts = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < expectations.size(); i++) {
      Expectation expectation = expectations.get(i);
      if (expectation instanceof UniqueKeys) {
        continue;
      }
      ordinals.add(Integer.toString(i));
      rules.add(literal(expectation.rule()));
      if (expectation instanceof RowCount rowCount) {
        counts.add(PREFIX + "rows");
        examples.add("CAST(ARRAY[] AS array(varchar))");
        failed.add(outside(PREFIX + "rows", rowCount.min(), rowCount.max()));
        continue;
      }
      String e = PREFIX + "e" + i;
      Set<String> shown = new LinkedHashSet<>(keys);
      shown.add(eventTime);
      shown.addAll(expectation.columns());
      rendered.add(
          "CASE WHEN %s THEN %s END AS %s"
              .formatted(broken(expectation), json(List.copyOf(shown), Optional.empty()), e));
      aggregates.add("count(%s) AS %s_n".formatted(e, e));
      aggregates.add("min_by(%s, %s, %d) AS %s_x".formatted(e, e, EXAMPLES, e));
      counts.add(e + "_n");
      examples.add("coalesce(%s_x, CAST(ARRAY[] AS array(varchar)))".formatted(e));
      failed.add(e + "_n > 0");
    }
    String scanned =
        rendered.isEmpty()
            ? "  FROM %s\n".formatted(from)
            : """
                FROM (
                  SELECT
                    %s
                  FROM %s
                )
              """
                .formatted(String.join(",\n      ", rendered), from);
    return """
        SELECT f.ordinal, f.rule, f.offending_rows, f.examples
        FROM (
          SELECT
            %s
        %s) AS c
        CROSS JOIN UNNEST(
          ARRAY[%s],
          ARRAY[%s],
          ARRAY[%s],
          ARRAY[%s],
          ARRAY[%s]
        ) AS f(ordinal, rule, offending_rows, examples, failed)
        WHERE f.failed"""
        .formatted(
            String.join(",\n    ", aggregates),
            scanned,
            String.join(", ", ordinals),
            String.join(", ", rules),
            String.join(", ", counts),
            String.join(",\n    ", examples),
            String.join(",\n    ", failed));
  }

  /** Duplicates of (keys, event time): one more pass, grouped by them. */
  private static String uniqueKeys(
      String from, List<String> keys, String eventTime, UniqueKeys unique, int ordinal) {
    List<String> grouped = new ArrayList<>(keys);
    grouped.add(eventTime);
    String by = grouped.stream().map(c -> quote(c)).collect(Collectors.joining(", "));
    String e = PREFIX + "e" + ordinal;
    return """
        SELECT %d AS ordinal, %s AS rule, sum(%srows) AS offending_rows, min_by(%s, %s, %d) AS examples
        FROM (
          SELECT count(*) AS %srows, %s AS %s
          FROM %s
          GROUP BY %s
          HAVING count(*) > 1
        )
        HAVING count(*) > 0"""
        .formatted(
            ordinal,
            literal(unique.rule()),
            PREFIX,
            e,
            e,
            EXAMPLES,
            PREFIX,
            json(grouped, Optional.of("count(*)")),
            e,
            from,
            by);
  }

  /** The condition under which a row breaks a row-level rule; NULL counts as keeping it. */
  private static String broken(Expectation expectation) {
    return switch (expectation) {
      case NotNull notNull ->
          notNull.columns().stream()
              .map(c -> quote(c) + " IS NULL")
              .collect(Collectors.joining(" OR "));
      case Range range -> {
        // NOT (in range) rather than (below OR above): NaN is in no range, and breaks it
        List<String> within = new ArrayList<>();
        range.min().ifPresent(min -> within.add(quote(range.column()) + " >= " + number(min)));
        range.max().ifPresent(max -> within.add(quote(range.column()) + " <= " + number(max)));
        yield "NOT (" + String.join(" AND ", within) + ")";
      }
      case AcceptedValues accepted ->
          "%s NOT IN (%s)"
              .formatted(
                  quote(accepted.column()),
                  accepted.values().stream()
                      .map(ExpectationSql::value)
                      .collect(Collectors.joining(", ")));
      case UniqueKeys unique -> throw new IllegalArgumentException("not a row-level rule");
      case RowCount rowCount -> throw new IllegalArgumentException("not a row-level rule");
    };
  }

  private static String outside(String value, OptionalLong min, OptionalLong max) {
    List<String> outside = new ArrayList<>();
    min.ifPresent(m -> outside.add(value + " < " + m));
    max.ifPresent(m -> outside.add(value + " > " + m));
    return String.join(" OR ", outside);
  }

  /**
   * A JSON object of {@code columns}, in order, rendered with Trino's JSON cast so that strings are
   * quoted and NULLs read {@code null}; {@code rows} adds a {@code "rows"} member with the value of
   * that expression.
   */
  private static String json(List<String> columns, Optional<String> rows) {
    List<String> pieces = new ArrayList<>();
    for (String column : columns) {
      String member = "\"" + column.replace("\\", "\\\\").replace("\"", "\\\"") + "\":";
      pieces.add(
          "%s || coalesce(json_format(CAST(%s AS JSON)), 'null')"
              .formatted(literal((pieces.isEmpty() ? "{" : ",") + member), quote(column)));
    }
    rows.ifPresent(
        count -> pieces.add("%s || CAST(%s AS varchar)".formatted(literal(",\"rows\":"), count)));
    return String.join(" || ", pieces) + " || '}'";
  }

  private static String value(Literal literal) {
    return switch (literal) {
      case TextValue text -> literal(text.value());
      case NumberValue number -> number(number.value());
    };
  }

  private static String number(BigDecimal value) {
    return value.toPlainString();
  }
}
