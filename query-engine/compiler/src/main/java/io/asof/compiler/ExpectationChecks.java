package io.asof.compiler;

import io.asof.model.Column;
import io.asof.model.Diagnostic;
import io.asof.model.Expectation;
import io.asof.model.Expectation.AcceptedValues;
import io.asof.model.Expectation.Range;
import io.asof.model.Expectation.TextValue;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Suggestions;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a view's expectations against its output: each column a rule names is output, {@code
 * range} is on a number, and {@code accepted_values} lists values of the column's kind.
 */
final class ExpectationChecks {
  private static final Set<String> NUMERIC =
      Set.of("tinyint", "smallint", "integer", "bigint", "real", "double", "decimal");
  private static final Set<String> TEXT = Set.of("varchar", "char");

  private ExpectationChecks() {}

  /** Reports each rule that names a column not in {@code names}, the view's output. */
  static void checkColumns(FeatureViewSpec view, List<String> names, List<Diagnostic> problems) {
    for (Expectation expectation : view.expectations()) {
      for (String column : expectation.columns()) {
        if (!names.contains(column)) {
          problems.add(
              new Diagnostic(
                  expectation.position(),
                  "expectation %s names column %s, which the view does not output%s: expectations check the view's output columns (%s)"
                      .formatted(
                          expectation.rule(),
                          column,
                          Suggestions.didYouMean(column, names),
                          String.join(", ", names))));
        }
      }
    }
  }

  /** Reports each rule whose values do not fit its column's Trino type. */
  static void checkTypes(FeatureViewSpec view, List<Column> columns, List<Diagnostic> problems) {
    for (Expectation expectation : view.expectations()) {
      switch (expectation) {
        case Range range -> {
          String type = typeOf(columns, range.column());
          if (!NUMERIC.contains(base(type))) {
            problems.add(
                new Diagnostic(
                    range.position(),
                    "range needs a numeric column, but %s is %s: use accepted_values or not_null for it instead"
                        .formatted(range.column(), type)));
          }
        }
        case AcceptedValues accepted -> {
          String type = typeOf(columns, accepted.column());
          boolean text = accepted.values().getFirst() instanceof TextValue;
          boolean fits = text ? TEXT.contains(base(type)) : NUMERIC.contains(base(type));
          if (!fits) {
            problems.add(
                new Diagnostic(
                    accepted.position(),
                    "accepted_values lists %s, but %s is %s: %s"
                        .formatted(
                            text ? "strings" : "numbers",
                            accepted.column(),
                            type,
                            text
                                ? "write the values without quotes for a numeric column"
                                : "write the values in single quotes for a text column")));
          }
        }
        default -> {}
      }
    }
  }

  private static String typeOf(List<Column> columns, String name) {
    return columns.stream()
        .filter(c -> c.name().equals(name))
        .map(Column::type)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no output column " + name));
  }

  /** {@code decimal(10,2)} → {@code decimal}. */
  static String base(String type) {
    int paren = type.indexOf('(');
    return (paren < 0 ? type : type.substring(0, paren)).strip().toLowerCase(Locale.ROOT);
  }
}
