package io.asof.features.repository;

import io.asof.model.Expectation;
import io.asof.model.Expectation.AcceptedValues;
import io.asof.model.Expectation.Literal;
import io.asof.model.Expectation.NotNull;
import io.asof.model.Expectation.NumberValue;
import io.asof.model.Expectation.Range;
import io.asof.model.Expectation.RowCount;
import io.asof.model.Expectation.TextValue;
import io.asof.model.Expectation.UniqueKeys;
import io.asof.model.SourcePosition;
import io.asof.model.Suggestions;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the rule of each {@code -- expect:} header line of a view ({@code not_null(a, b)}, {@code
 * range(col, min, max)}, {@code accepted_values(col, 'x', 'y')}, {@code unique_keys}, {@code
 * row_count(min, max)}, with {@code _} for an absent bound), reporting what does not parse where it
 * is written.
 */
final class ExpectationParser {
  static final List<String> RULES =
      List.of("not_null", "range", "accepted_values", "unique_keys", "row_count");

  private static final Pattern SHAPE =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:\\((.*)\\))?", Pattern.DOTALL);
  // at most 18 digits either side of the point, so Trino reads every bound as a literal
  private static final Pattern NUMBER = Pattern.compile("-?\\d{1,18}(?:\\.\\d{1,18})?");
  private static final Pattern WHOLE = Pattern.compile("\\d{1,18}");

  /** One argument between the parentheses, with where it starts in the entry's value. */
  private record Argument(String text, int offset, boolean quoted) {}

  private final SqlFileHeader.Entry entry;
  private final Diagnostics diagnostics;

  private ExpectationParser(SqlFileHeader.Entry entry, Diagnostics diagnostics) {
    this.entry = entry;
    this.diagnostics = diagnostics;
  }

  /** The rules of {@code entries}, in order; rules that do not parse or repeat are reported. */
  static List<Expectation> parseAll(List<SqlFileHeader.Entry> entries, Diagnostics diagnostics) {
    List<Expectation> expectations = new ArrayList<>();
    Map<String, Expectation> byRule = new HashMap<>();
    for (SqlFileHeader.Entry entry : entries) {
      new ExpectationParser(entry, diagnostics)
          .parse()
          .ifPresent(
              expectation -> {
                Expectation earlier = byRule.putIfAbsent(expectation.rule(), expectation);
                if (earlier == null) {
                  expectations.add(expectation);
                } else {
                  diagnostics.error(
                      expectation.position(),
                      "expectation %s is given twice (first at line %d): keep one"
                          .formatted(expectation.rule(), earlier.position().line()));
                }
              });
    }
    return expectations;
  }

  private Optional<Expectation> parse() {
    String value = entry.value();
    SourcePosition position = entry.valuePosition();
    Matcher shape = SHAPE.matcher(value);
    if (value.isEmpty() || !shape.matches()) {
      return error(
          position,
          "expectation '%s' does not parse: write one rule per '-- expect:' line, e.g. not_null(user_id), range(ctr_7d, 0, 1), accepted_values(country, 'de', 'fr'), unique_keys or row_count(1, _)"
              .formatted(value));
    }
    String rule = shape.group(1);
    if (!RULES.contains(rule)) {
      return error(
          position,
          "unknown expectation '%s'%s: the rules are %s"
              .formatted(rule, Suggestions.didYouMean(rule, RULES), String.join(", ", RULES)));
    }
    Optional<List<Argument>> parsed =
        shape.group(2) == null ? Optional.of(List.of()) : arguments(shape.group(2), shape.start(2));
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    List<Argument> arguments = parsed.get();
    return switch (rule) {
      case "not_null" -> notNull(arguments, position);
      case "range" -> range(arguments, position);
      case "accepted_values" -> acceptedValues(arguments, position);
      case "unique_keys" ->
          arguments.isEmpty()
              ? Optional.of(new UniqueKeys(position))
              : error(
                  position,
                  "unique_keys takes no arguments: it checks the entity's key columns and the event time together");
      case "row_count" -> rowCount(arguments, position);
      default -> throw new IllegalStateException("rule without a parser: " + rule);
    };
  }

  private Optional<Expectation> notNull(List<Argument> arguments, SourcePosition position) {
    if (arguments.isEmpty()) {
      return error(
          position, "not_null takes one or more columns, e.g. not_null(user_id, clicks_7d)");
    }
    List<String> columns = new ArrayList<>();
    for (Argument argument : arguments) {
      Optional<String> column = column(argument);
      if (column.isEmpty()) {
        return Optional.empty();
      }
      if (columns.contains(column.get())) {
        return error(at(argument), "column %s is listed twice".formatted(column.get()));
      }
      columns.add(column.get());
    }
    return Optional.of(new NotNull(columns, position));
  }

  private Optional<Expectation> range(List<Argument> arguments, SourcePosition position) {
    if (arguments.size() != 3) {
      return error(
          position,
          "range takes a column, a minimum and a maximum, e.g. range(ctr_7d, 0, 1) or range(clicks_7d, 0, _) with _ for no bound; got %s"
              .formatted(count(arguments)));
    }
    Optional<String> column = column(arguments.get(0));
    Optional<Optional<BigDecimal>> min = bound(arguments.get(1));
    Optional<Optional<BigDecimal>> max = bound(arguments.get(2));
    if (column.isEmpty() || min.isEmpty() || max.isEmpty()) {
      return Optional.empty();
    }
    if (min.get().isEmpty() && max.get().isEmpty()) {
      return error(
          position,
          "range(%s, _, _) checks nothing: give a minimum, a maximum or both"
              .formatted(column.get()));
    }
    if (min.get().isPresent()
        && max.get().isPresent()
        && min.get().get().compareTo(max.get().get()) > 0) {
      return error(
          position,
          "the minimum %s is above the maximum %s: no value could pass; swap them"
              .formatted(min.get().get().toPlainString(), max.get().get().toPlainString()));
    }
    return Optional.of(new Range(column.get(), min.get(), max.get(), position));
  }

  private Optional<Expectation> acceptedValues(List<Argument> arguments, SourcePosition position) {
    if (arguments.size() < 2) {
      return error(
          position,
          "accepted_values takes a column and the values it may hold, e.g. accepted_values(country, 'de', 'fr'); got %s"
              .formatted(count(arguments)));
    }
    Optional<String> column = column(arguments.getFirst());
    if (column.isEmpty()) {
      return Optional.empty();
    }
    List<Literal> values = new ArrayList<>();
    for (Argument argument : arguments.subList(1, arguments.size())) {
      if (argument.quoted()) {
        values.add(new TextValue(argument.text()));
      } else if (NUMBER.matcher(argument.text()).matches()) {
        values.add(new NumberValue(new BigDecimal(argument.text())));
      } else {
        return error(
            at(argument),
            "'%s' is not a value: write strings in single quotes ('%s') and numbers as they are"
                .formatted(argument.text(), argument.text()));
      }
      if (values.getFirst().getClass() != values.getLast().getClass()) {
        return error(
            at(argument),
            "accepted_values mixes strings and numbers: quote every value for a text column, none for a numeric one");
      }
    }
    return Optional.of(new AcceptedValues(column.get(), values, position));
  }

  private Optional<Expectation> rowCount(List<Argument> arguments, SourcePosition position) {
    if (arguments.size() != 2) {
      return error(
          position,
          "row_count takes a minimum and a maximum number of rows, e.g. row_count(1000, _) with _ for no bound; got %s"
              .formatted(count(arguments)));
    }
    List<OptionalLong> bounds = new ArrayList<>();
    for (Argument argument : arguments) {
      if (!argument.quoted() && argument.text().equals(Expectation.NO_BOUND)) {
        bounds.add(OptionalLong.empty());
      } else if (!argument.quoted() && WHOLE.matcher(argument.text()).matches()) {
        bounds.add(OptionalLong.of(Long.parseLong(argument.text())));
      } else {
        return error(
            at(argument),
            "'%s' is not a number of rows: write a whole number like 1000, or _ for no bound"
                .formatted(argument.text()));
      }
    }
    OptionalLong min = bounds.get(0);
    OptionalLong max = bounds.get(1);
    if (min.isEmpty() && max.isEmpty()) {
      return error(position, "row_count(_, _) checks nothing: give a minimum, a maximum or both");
    }
    if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
      return error(
          position,
          "the minimum %d is above the maximum %d: no chunk could pass; swap them"
              .formatted(min.getAsLong(), max.getAsLong()));
    }
    return Optional.of(new RowCount(min, max, position));
  }

  private Optional<String> column(Argument argument) {
    if (!argument.quoted() && RepositoryLoader.IDENTIFIER.matcher(argument.text()).matches()) {
      return Optional.of(argument.text());
    }
    diagnostics.error(
        at(argument),
        "'%s' is not a column name: name an output column of the view as the SELECT does, in lower case and without quotes"
            .formatted(argument.text()));
    return Optional.empty();
  }

  /** A bound: empty for {@code _}, a number, or nothing after reporting what is wrong. */
  private Optional<Optional<BigDecimal>> bound(Argument argument) {
    if (!argument.quoted() && argument.text().equals(Expectation.NO_BOUND)) {
      return Optional.of(Optional.empty());
    }
    if (!argument.quoted() && NUMBER.matcher(argument.text()).matches()) {
      return Optional.of(Optional.of(new BigDecimal(argument.text())));
    }
    diagnostics.error(
        at(argument),
        "'%s' is not a number: write a bound like 0, 1.5 or -3, or _ for no bound"
            .formatted(argument.text()));
    return Optional.empty();
  }

  /**
   * Splits {@code text} (which starts at {@code start} in the entry's value) at the commas outside
   * single-quoted strings; a quote inside a string is doubled ({@code 'it''s'}).
   */
  private Optional<List<Argument>> arguments(String text, int start) {
    List<Argument> arguments = new ArrayList<>();
    if (text.isBlank()) {
      return Optional.of(arguments);
    }
    int i = 0;
    while (true) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int begin = i;
      String argument;
      boolean quoted = i < text.length() && text.charAt(i) == '\'';
      if (quoted) {
        StringBuilder string = new StringBuilder();
        i++;
        while (true) {
          if (i >= text.length()) {
            diagnostics.error(
                entry.positionAt(start + begin),
                "this string has no closing quote: end it with ' (write a quote inside it as '')");
            return Optional.empty();
          }
          if (text.charAt(i) == '\'') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
              string.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          string.append(text.charAt(i++));
        }
        argument = string.toString();
      } else {
        while (i < text.length() && text.charAt(i) != ',') {
          i++;
        }
        argument = text.substring(begin, i).strip();
      }
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (!quoted && argument.isEmpty()) {
        diagnostics.error(
            entry.positionAt(start + begin),
            "an argument is missing here: remove the extra comma or fill it in");
        return Optional.empty();
      }
      if (i < text.length() && text.charAt(i) != ',') {
        diagnostics.error(
            entry.positionAt(start + i), "expected a comma or ')' after the string here");
        return Optional.empty();
      }
      arguments.add(new Argument(argument, start + begin, quoted));
      if (i >= text.length()) {
        return Optional.of(arguments);
      }
      i++;
    }
  }

  private SourcePosition at(Argument argument) {
    return entry.positionAt(argument.offset());
  }

  private static String count(List<Argument> arguments) {
    return arguments.size() == 1 ? "1 argument" : arguments.size() + " arguments";
  }

  private Optional<Expectation> error(SourcePosition position, String message) {
    diagnostics.error(position, message);
    return Optional.empty();
  }
}
