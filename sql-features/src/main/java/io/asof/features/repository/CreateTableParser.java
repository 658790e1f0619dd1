package io.asof.features.repository;

import io.asof.model.DeclaredColumn;
import io.asof.model.PushTables;
import io.asof.model.Schemas;
import io.asof.model.SourcePosition;
import io.asof.model.Suggestions;
import io.trino.grammar.sql.SqlBaseLexer;
import io.trino.sql.parser.ParsingException;
import io.trino.sql.parser.SqlParser;
import io.trino.sql.tree.ColumnDefinition;
import io.trino.sql.tree.CreateTable;
import io.trino.sql.tree.CreateTableAsSelect;
import io.trino.sql.tree.DataType;
import io.trino.sql.tree.DataTypeParameter;
import io.trino.sql.tree.DateTimeDataType;
import io.trino.sql.tree.GenericDataType;
import io.trino.sql.tree.Identifier;
import io.trino.sql.tree.Node;
import io.trino.sql.tree.NumericParameter;
import io.trino.sql.tree.Property;
import io.trino.sql.tree.SaveMode;
import io.trino.sql.tree.Statement;
import io.trino.sql.tree.TableElement;
import io.trino.sql.tree.TypeParameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;

/**
 * Reads the {@code CREATE TABLE} of a push view: {@code CREATE TABLE name (column type [NOT NULL]
 * [COMMENT 'text'], ...)}, an optional semicolon after it, SQL comments anywhere. The statement is
 * parsed by Trino's own parser; this class checks that it is one a push view takes and normalizes
 * the column types to Trino's spelling. Every problem is reported where it is written.
 */
final class CreateTableParser {
  /** The types a push view's columns may have, as the reference lists them. */
  static final String SUPPORTED_TYPES =
      "bigint, integer, smallint, tinyint, double, real, boolean, varchar, varchar(n), char(n), decimal(p,s), date, timestamp(p)";

  private static final List<String> TYPE_NAMES =
      List.of(
          "bigint",
          "integer",
          "smallint",
          "tinyint",
          "double",
          "real",
          "boolean",
          "varchar",
          "char",
          "decimal",
          "date",
          "timestamp");

  /** Iceberg keeps times at microseconds, so a finer timestamp would lose its digits. */
  private static final int MAX_TIMESTAMP_PRECISION = 6;

  private static final int MAX_DECIMAL_PRECISION = 38;

  /** How Trino's parser words a syntax error: the token found, then what it expected. */
  private static final Pattern MISMATCH =
      Pattern.compile("mismatched input ('.*')\\. Expecting: (.+)");

  private final String view;
  private final SourcePosition start;
  private final Diagnostics diagnostics;

  private CreateTableParser(String view, SourcePosition start, Diagnostics diagnostics) {
    this.view = view;
    this.start = start;
    this.diagnostics = diagnostics;
  }

  /**
   * Whether {@code sql} starts like a push view's declaration, {@code CREATE TABLE name (}, rather
   * than some other statement (a {@code CREATE TABLE ... AS SELECT} is the compiler's to refuse).
   * Only the first tokens count, so a declaration with a mistake further on is still recognized.
   */
  static Optional<SourcePosition> declaration(String sql, SourcePosition start) {
    List<Token> tokens = tokens(sql);
    if (tokens.size() < 4 || !is(tokens.get(0), "create") || !is(tokens.get(1), "table")) {
      return Optional.empty();
    }
    int i = is(tokens.get(2), "if") ? 5 : 2;
    while (i + 2 < tokens.size() && is(tokens.get(i + 1), ".")) {
      i += 2;
    }
    return i + 1 < tokens.size() && is(tokens.get(i + 1), "(")
        ? Optional.of(position(start, tokens.getFirst()))
        : Optional.empty();
  }

  /**
   * The columns {@code sql} declares for push view {@code view}; empty when it has errors, which
   * are reported.
   */
  static Optional<List<DeclaredColumn>> parse(
      String view, String sql, SourcePosition start, Diagnostics diagnostics) {
    return new CreateTableParser(view, start, diagnostics).statement(sql);
  }

  private Optional<List<DeclaredColumn>> statement(String sql) {
    List<Token> tokens = tokens(sql);
    if (tokens.isEmpty() || !is(tokens.getFirst(), "create")) {
      Token first = tokens.isEmpty() ? null : tokens.getFirst();
      diagnostics.error(
          first == null ? start : position(start, first),
          "a push view declares the columns of its rows with CREATE TABLE %s (column type, ...), not with %s: write the CREATE TABLE, or remove '-- push: true' to compute the view with a SELECT"
              .formatted(view, first == null ? "nothing" : "'" + first.getText() + "'"));
      return Optional.empty();
    }
    if (unclosed(tokens)) {
      return Optional.empty();
    }
    Statement statement;
    try {
      statement = new SqlParser().createStatement(withoutFinalSemicolon(sql, tokens));
    } catch (ParsingException e) {
      diagnostics.error(
          position(start, e.getLineNumber(), e.getColumnNumber()),
          "%s: a push view's columns are written CREATE TABLE %s (name type [NOT NULL] [COMMENT 'text'], ...)"
              .formatted(syntaxError(e.getErrorMessage()), view));
      return Optional.empty();
    }
    int before = diagnostics.size();
    if (statement instanceof CreateTableAsSelect) {
      diagnostics.error(
          at(statement),
          "a push view's rows are pushed, not selected: declare their columns with CREATE TABLE %s (column type, ...) and no AS SELECT"
              .formatted(view));
      return Optional.empty();
    }
    if (!(statement instanceof CreateTable table)) {
      diagnostics.error(
          at(statement),
          "a push view declares the columns of its rows with CREATE TABLE %s (column type, ...), not with %s %s: write the CREATE TABLE"
              .formatted(view, tokens.get(0).getText(), tokens.get(1).getText()));
      return Optional.empty();
    }
    if (table.getSaveMode() == SaveMode.REPLACE) {
      diagnostics.error(
          at(table),
          "a push view's table is not replaced by its declaration (a change makes a new version): write CREATE TABLE %s"
              .formatted(view));
    }
    tableName(table);
    List<DeclaredColumn> columns = new ArrayList<>();
    Map<String, DeclaredColumn> seen = new HashMap<>();
    for (TableElement element : table.getElements()) {
      if (element instanceof ColumnDefinition definition) {
        column(definition, seen).ifPresent(columns::add);
      } else {
        diagnostics.error(
            at(element),
            "a push view lists its own columns, not LIKE another table's: write each column as name type [NOT NULL] [COMMENT 'text']");
      }
    }
    if (!table.getProperties().isEmpty() || table.getComment().isPresent()) {
      Token rest = afterColumnList(tokens);
      diagnostics.error(
          position(start, rest),
          "nothing may follow the column list, found '%s': Asof sets the table's properties itself (partitioned by day of the event time) and takes its comment from '-- description:'"
              .formatted(rest.getText()));
    }
    return diagnostics.size() == before ? Optional.of(columns) : Optional.empty();
  }

  /**
   * Whether a comment, text or quoted name is not closed (reported), which Trino's lexer leaves as
   * stray characters; its syntax error would name only the first of them.
   */
  private boolean unclosed(List<Token> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      String message;
      if (token.getType() == SqlBaseLexer.UNRECOGNIZED && token.getText().equals("'")) {
        message =
            "this text in single quotes is not closed: end it with ' (a quote inside is written '')";
      } else if (token.getType() == SqlBaseLexer.UNRECOGNIZED && token.getText().equals("\"")) {
        message = "this quoted name is not closed: end it with \"";
      } else if (token.getType() == SqlBaseLexer.SLASH
          && i + 1 < tokens.size()
          && tokens.get(i + 1).getType() == SqlBaseLexer.ASTERISK
          && tokens.get(i + 1).getStartIndex() == token.getStopIndex() + 1) {
        message = "this /* comment is not closed: end it with */";
      } else {
        continue;
      }
      diagnostics.error(position(start, token), message);
      return true;
    }
    return false;
  }

  /**
   * Trino's syntax error in the words of this file's other messages: {@code mismatched input 'x'.
   * Expecting: <string>} reads {@code expected a text in single quotes, found 'x'}; the
   * alternatives Trino takes but a push view does not ({@code LIKE}, {@code WITH}) are left out.
   */
  static String syntaxError(String trino) {
    Matcher mismatch = MISMATCH.matcher(trino);
    if (!mismatch.matches()) {
      return trino;
    }
    String found = mismatch.group(1);
    List<String> expected = new ArrayList<>();
    for (String alternative : mismatch.group(2).split(", ", -1)) {
      switch (alternative) {
        case "'LIKE'", "'WITH'" -> {}
        case "<identifier>" -> expected.add("a name");
        case "<string>" -> expected.add("a text in single quotes");
        case "<integer>" -> expected.add("a whole number");
        default -> expected.add(alternative);
      }
    }
    return "expected %s, found %s"
        .formatted(
            expected.isEmpty() ? mismatch.group(2) : String.join(" or ", expected),
            found.equals("'<EOF>'") ? "the end of the statement" : found);
  }

  private void tableName(CreateTable table) {
    List<Identifier> parts = table.getName().getOriginalParts();
    if (parts.size() > 1) {
      diagnostics.error(
          at(parts.getFirst()),
          "name the table without catalog or schema, CREATE TABLE %s: Asof keeps each version's table as <catalog>.%s.%s"
              .formatted(view, Schemas.FEATURES, view + "__v<N>"));
      return;
    }
    Identifier name = parts.getFirst();
    String written =
        name.isDelimited() ? name.getValue() : name.getValue().toLowerCase(Locale.ROOT);
    if (!written.equals(view)) {
      diagnostics.error(
          at(name),
          "the table is named %s, but the view is %s: write CREATE TABLE %s (or name the view %s in '-- view:')"
              .formatted(name.getValue(), view, view, name.getValue()));
    }
  }

  /** One column definition; empty when it is wrong (reported). */
  private Optional<DeclaredColumn> column(
      ColumnDefinition definition, Map<String, DeclaredColumn> seen) {
    List<Identifier> parts = definition.getName().getOriginalParts();
    Identifier name = parts.getLast();
    boolean valid = parts.size() == 1 ? columnName(name, seen) : nested(definition);
    Optional<String> type = type(definition.getType());
    for (Property property : definition.getProperties()) {
      diagnostics.error(
          at(property),
          "column %s takes no properties (WITH (%s = ...)): a column is written name type [NOT NULL] [COMMENT 'text']"
              .formatted(name.getValue(), property.getName().getValue()));
      valid = false;
    }
    if (!valid || type.isEmpty()) {
      return Optional.empty();
    }
    DeclaredColumn column =
        new DeclaredColumn(
            name.getValue(),
            type.get(),
            !definition.isNullable(),
            definition.getComment().map(String::strip).orElse(""),
            at(name));
    seen.put(column.name().toLowerCase(Locale.ROOT), column);
    return Optional.of(column);
  }

  private boolean nested(ColumnDefinition definition) {
    diagnostics.error(
        at(definition.getName().getOriginalParts().getFirst()),
        "column name %s is not a plain SQL name: use lower-case letters, digits and _, starting with a letter"
            .formatted(definition.getName()));
    return false;
  }

  private boolean columnName(Identifier name, Map<String, DeclaredColumn> seen) {
    String text = name.getValue();
    SourcePosition at = at(name);
    if (!RepositoryLoader.IDENTIFIER.matcher(text).matches()) {
      diagnostics.error(
          at,
          "column name '%s' is not a plain SQL name: use lower-case letters, digits and _, starting with a letter%s"
              .formatted(
                  text,
                  RepositoryLoader.IDENTIFIER.matcher(text.toLowerCase(Locale.ROOT)).matches()
                      ? " (" + text.toLowerCase(Locale.ROOT) + ")"
                      : ""));
      return false;
    }
    if (text.startsWith("__")) {
      diagnostics.error(
          at,
          "column name %s starts with __, which Asof keeps for its own columns (such as %s): rename it"
              .formatted(text, PushTables.SEQUENCE_COLUMN));
      return false;
    }
    DeclaredColumn earlier = seen.get(text.toLowerCase(Locale.ROOT));
    if (earlier != null) {
      diagnostics.error(
          at,
          "column %s is declared twice (first at line %d): give each column its own name"
              .formatted(text, earlier.position().line()));
      return false;
    }
    return true;
  }

  /** A type in Trino's spelling; empty when it is not one a push view takes (reported). */
  private Optional<String> type(DataType type) {
    SourcePosition at = at(type);
    return switch (type) {
      case DateTimeDataType time when time.getType() == DateTimeDataType.Type.TIMESTAMP -> {
        Optional<List<Integer>> precision =
            parameters("timestamp", time.getPrecision().stream().toList());
        Optional<String> normalized = precision.flatMap(p -> normalize(at, "timestamp", p));
        if (time.isWithTimeZone()) {
          yield typeError(
              at,
              "%s with time zone is not a type push views take: declare timestamp(p) and push times in UTC; the types are %s"
                  .formatted(normalized.orElse("timestamp"), SUPPORTED_TYPES));
        }
        yield normalized;
      }
      case GenericDataType generic -> {
        String base = generic.getName().getValue().toLowerCase(Locale.ROOT);
        if (!TYPE_NAMES.contains(base)) {
          yield unsupported(at, generic.getName().getValue());
        }
        yield parameters(base, generic.getArguments()).flatMap(p -> normalize(at, base, p));
      }
      default -> unsupported(at, type.toString());
    };
  }

  private Optional<String> unsupported(SourcePosition at, String written) {
    return typeError(
        at,
        "unsupported type %s%s: a push view's columns take %s"
            .formatted(
                written,
                Suggestions.didYouMean(written.toLowerCase(Locale.ROOT), TYPE_NAMES),
                SUPPORTED_TYPES));
  }

  /**
   * The whole numbers in the parentheses of type {@code base}; empty when one is not (reported).
   */
  private Optional<List<Integer>> parameters(String base, List<DataTypeParameter> written) {
    List<Integer> parameters = new ArrayList<>();
    for (DataTypeParameter parameter : written) {
      if (!(parameter instanceof NumericParameter number)) {
        Node shown = parameter instanceof TypeParameter type ? type.getValue() : parameter;
        return typeError(
            at(shown),
            "expected a whole number in the parentheses of %s, found '%s'".formatted(base, shown));
      }
      String digits = number.getValue();
      parameters.add(digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits));
    }
    return Optional.of(parameters);
  }

  private Optional<String> normalize(SourcePosition at, String base, List<Integer> parameters) {
    switch (base) {
      case "bigint", "integer", "smallint", "tinyint", "double", "real", "boolean", "date" -> {
        if (!parameters.isEmpty()) {
          return typeError(at, "%s takes no parameters: write %s".formatted(base, base));
        }
        return Optional.of(base);
      }
      case "varchar", "char" -> {
        if (parameters.size() > 1) {
          return typeError(
              at, "%s takes one length at most: write %s or %s(n)".formatted(base, base, base));
        }
        if (parameters.isEmpty()) {
          // Trino reads a char without length as char(1)
          return Optional.of(base.equals("char") ? "char(1)" : "varchar");
        }
        if (parameters.getFirst() < 1) {
          return typeError(at, "the length of %s must be at least 1".formatted(base));
        }
        return Optional.of("%s(%d)".formatted(base, parameters.getFirst()));
      }
      case "decimal" -> {
        if (parameters.size() > 2) {
          return typeError(at, "decimal takes a precision and a scale: write decimal(p,s)");
        }
        int precision = parameters.isEmpty() ? MAX_DECIMAL_PRECISION : parameters.get(0);
        int scale = parameters.size() < 2 ? 0 : parameters.get(1);
        if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale > precision) {
          return typeError(
              at,
              "decimal(%d,%d) is not a decimal type: the precision is 1 to 38, the scale 0 to the precision"
                  .formatted(precision, scale));
        }
        return Optional.of("decimal(%d,%d)".formatted(precision, scale));
      }
      case "timestamp" -> {
        if (parameters.size() > 1) {
          return typeError(at, "timestamp takes one precision: write timestamp(p)");
        }
        // as in Trino, a timestamp without precision has milliseconds
        int precision = parameters.isEmpty() ? 3 : parameters.getFirst();
        if (precision > MAX_TIMESTAMP_PRECISION) {
          return typeError(
              at,
              "timestamp(%d) is finer than Iceberg keeps times (microseconds): write timestamp(6) or less"
                  .formatted(precision));
        }
        return Optional.of("timestamp(%d)".formatted(precision));
      }
      default -> throw new IllegalStateException("no normalization for type " + base);
    }
  }

  private <T> Optional<T> typeError(SourcePosition at, String message) {
    diagnostics.error(at, message);
    return Optional.empty();
  }

  private SourcePosition at(Node node) {
    return node.getLocation()
        .map(location -> position(start, location.getLineNumber(), location.getColumnNumber()))
        .orElse(start);
  }

  /**
   * The tokens Trino's lexer reads in {@code sql}, without comments and white space. Used where the
   * syntax tree has no position: the statement's first words, a final semicolon (which a single
   * statement may not have), what follows the column list.
   */
  private static List<Token> tokens(String sql) {
    SqlBaseLexer lexer = new SqlBaseLexer(CharStreams.fromString(sql));
    lexer.removeErrorListeners();
    CommonTokenStream stream = new CommonTokenStream(lexer);
    stream.fill();
    return stream.getTokens().stream()
        .filter(t -> t.getChannel() == Token.DEFAULT_CHANNEL && t.getType() != Token.EOF)
        .toList();
  }

  private static boolean is(Token token, String text) {
    return token.getText().equalsIgnoreCase(text);
  }

  /** {@code sql} with a final semicolon blanked out, so every position stays where it was. */
  private static String withoutFinalSemicolon(String sql, List<Token> tokens) {
    Token last = tokens.getLast();
    if (!is(last, ";")) {
      return sql;
    }
    // the lexer counts code points, a String counts chars
    int index = sql.offsetByCodePoints(0, last.getStartIndex());
    return sql.substring(0, index) + " " + sql.substring(index + 1);
  }

  /** The first token after the parentheses of the column list (the statement has one). */
  private static Token afterColumnList(List<Token> tokens) {
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      if (is(tokens.get(i), "(")) {
        depth++;
      } else if (is(tokens.get(i), ")") && --depth == 0 && i + 1 < tokens.size()) {
        return tokens.get(i + 1);
      }
    }
    return tokens.getLast();
  }

  private static SourcePosition position(SourcePosition start, Token token) {
    return position(start, token.getLine(), token.getCharPositionInLine() + 1);
  }

  private static SourcePosition position(SourcePosition start, int line, int column) {
    return new SourcePosition(
        start.file(), start.line() + line - 1, line == 1 ? start.column() + column - 1 : column);
  }
}
