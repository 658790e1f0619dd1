package io.asof.compiler;

import io.asof.engine.QueryEngineException;
import io.asof.model.Column;
import io.asof.model.Diagnostic;
import io.asof.model.SourcePosition;
import io.asof.model.Suggestions;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Translates what Calcite's parser and validator and the engine throw into {@link Diagnostic}s at
 * the line and column in the user's file, each saying what to do.
 */
final class CompileErrors {
  private static final Pattern TRINO_POSITION =
      Pattern.compile("line (\\d+):(\\d+): (.*)", Pattern.DOTALL);
  private static final Pattern UNKNOWN_COLUMN =
      Pattern.compile("Column '([^']+)' not found in (?:any table|table '([^']+)')");
  private static final Pattern UNKNOWN_OBJECT =
      Pattern.compile("(?:Object|Table) '([^']+)' not found(?: within '([^']+)')?");
  private static final Pattern AMBIGUOUS = Pattern.compile("Column '([^']+)' is ambiguous");

  private CompileErrors() {}

  /** A parse error of {@code sql}, at the token where parsing stopped. */
  static Diagnostic syntaxError(SqlParseException e, String sql, Positions positions) {
    SqlParserPos pos = e.getPos();
    if (pos == null) {
      return new Diagnostic(positions.start(), "syntax error: " + firstLine(e.getMessage()));
    }
    // the token where parsing stopped, read from the SQL itself
    String rest = textFrom(sql, pos.getLineNum(), pos.getColumnNum());
    Matcher token = Pattern.compile("^\\s*(\\w+|\\S)").matcher(rest);
    if (!token.find()) {
      return new Diagnostic(
          positions.at(pos),
          "syntax error: the statement ends too early; check for an unfinished clause or a missing parenthesis");
    }
    String sentence =
        "syntax error at '%s': check for a missing comma, parenthesis or keyword just before it"
            .formatted(token.group(1));
    String before = textBefore(sql, pos.getLineNum(), pos.getColumnNum());
    if (token.group(1).matches("\\w+")
        && Pattern.compile("\\bAS\\s*$", Pattern.CASE_INSENSITIVE).matcher(before).find()
        && SqlParser.create("", FeatureSql.PARSER)
            .getMetadata()
            .isReservedWord(token.group(1).toUpperCase(Locale.ROOT))) {
      sentence =
          "syntax error at '%s': %s is a reserved word in standard SQL, which the compiler follows: quote the name (AS \"%s\") or choose another"
              .formatted(
                  token.group(1),
                  token.group(1).toUpperCase(Locale.ROOT),
                  token.group(1).toLowerCase(Locale.ROOT));
    }
    if (Pattern.compile("^\\s*AT\\s+TIME\\s+ZONE\\b", Pattern.CASE_INSENSITIVE)
        .matcher(rest)
        .find()) {
      sentence +=
          "; AT TIME ZONE is not supported in feature SQL: keep times in UTC, or use with_timezone(ts, 'UTC')";
    }
    return new Diagnostic(positions.at(pos), sentence);
  }

  /** The text of line {@code line} before column {@code column}. */
  private static String textBefore(String sql, int line, int column) {
    String[] lines = sql.split("\n", -1);
    if (line < 1 || line > lines.length) {
      return "";
    }
    return lines[line - 1].substring(
        0, Math.min(Math.max(column - 1, 0), lines[line - 1].length()));
  }

  private static String textFrom(String sql, int line, int column) {
    String[] lines = sql.split("\n", -1);
    if (line < 1 || line > lines.length) {
      return "";
    }
    StringBuilder rest =
        new StringBuilder(
            lines[line - 1].substring(Math.min(Math.max(column - 1, 0), lines[line - 1].length())));
    for (int i = line; i < lines.length; i++) {
      rest.append('\n').append(lines[i]);
    }
    return rest.toString();
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  /**
   * A validation error: an unknown column (with the closest names of the tables read), an unknown
   * table, an ambiguous column, or Calcite's own words.
   */
  static Diagnostic validationError(
      CalciteContextException e, Positions positions, WarehouseSchemas schemas) {
    SourcePosition position = positions.at(e.getPosLine(), e.getPosColumn());
    String cause =
        e.getCause() == null || e.getCause().getMessage() == null
            ? e.getMessage()
            : e.getCause().getMessage();
    Matcher column = UNKNOWN_COLUMN.matcher(cause);
    if (column.find()) {
      List<String> known =
          schemas.tablesRead().values().stream()
              .flatMap(t -> t.columns().stream())
              .map(Column::name)
              .distinct()
              .toList();
      String where = column.group(2) == null ? "" : " in " + column.group(2);
      return new Diagnostic(
          position,
          "unknown column %s%s%s: check the spelling against the table's columns"
              .formatted(column.group(1), where, Suggestions.didYouMean(column.group(1), known)));
    }
    Matcher object = UNKNOWN_OBJECT.matcher(cause);
    if (object.find()) {
      String name =
          object.group(2) == null ? object.group(1) : object.group(2) + "." + object.group(1);
      return new Diagnostic(
          position,
          "unknown table %s: it is not in the warehouse; check the name, and write tables as schema.table or catalog.schema.table"
              .formatted(name));
    }
    Matcher ambiguous = AMBIGUOUS.matcher(cause);
    if (ambiguous.find()) {
      return new Diagnostic(
          position,
          "column %s is ambiguous: more than one table in FROM has it; qualify it with its table's alias, e.g. r.%s"
              .formatted(ambiguous.group(1), ambiguous.group(1)));
    }
    return new Diagnostic(position, "invalid SQL: " + cause);
  }

  /**
   * The engine's refusal, at the line and column it names in the SQL, or at {@code fallback} when
   * it names none.
   */
  static Diagnostic engineError(
      QueryEngineException e, Positions positions, SourcePosition fallback) {
    String message = e.getMessage();
    int colon = message.indexOf("): ");
    if (message.startsWith("Query failed") && colon > 0) {
      message = message.substring(colon + 3);
    }
    Matcher located = TRINO_POSITION.matcher(message);
    if (located.matches()) {
      return new Diagnostic(
          positions.at(Integer.parseInt(located.group(1)), Integer.parseInt(located.group(2))),
          "Trino rejects this: " + located.group(3).strip());
    }
    return new Diagnostic(fallback, "Trino rejects this view: " + message);
  }
}
