package io.asof.features.repository;

import io.asof.model.DeclaredColumn;
import io.asof.model.PushTables;
import io.asof.model.Schemas;
import io.asof.model.SourcePosition;
import io.asof.model.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code CREATE TABLE} of a push view: {@code CREATE TABLE name (column type [NOT NULL]
 * [COMMENT 'text'], ...)}, an optional semicolon after it, SQL comments anywhere. Column types are
 * those Asof stores and checks pushed rows against, normalized to Trino's spelling; every problem
 * is reported where it is written.
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

  private enum Kind {
    WORD,
    QUOTED,
    NUMBER,
    STRING,
    SYMBOL,
    END
  }

  /** A token of the statement: a word's text as written, a string's or quoted name's content. */
  private record Token(Kind kind, String text, SourcePosition position) {
    boolean isWord(String word) {
      return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isSymbol(String symbol) {
      return kind == Kind.SYMBOL && text.equals(symbol);
    }

    String shown() {
      return switch (kind) {
        case END -> "the end of the statement";
        case STRING -> "'" + text + "'";
        case QUOTED -> "\"" + text + "\"";
        default -> "'" + text + "'";
      };
    }
  }

  /** The statement did not parse; already reported. */
  private static final class Stop extends Exception {
    private static final long serialVersionUID = 1L;

    Stop() {
      super(null, null, false, false);
    }
  }

  private final String view;
  private final Diagnostics diagnostics;
  private final List<Token> tokens;
  private int next;

  private CreateTableParser(String view, List<Token> tokens, Diagnostics diagnostics) {
    this.view = view;
    this.tokens = tokens;
    this.diagnostics = diagnostics;
  }

  /**
   * Whether {@code sql} starts like a push view's declaration, {@code CREATE TABLE name (}, rather
   * than some other statement (a {@code CREATE TABLE ... AS SELECT} is the compiler's to refuse).
   */
  static Optional<SourcePosition> declaration(String sql, SourcePosition start) {
    Optional<List<Token>> tokens = tokenize(sql, start, new Diagnostics());
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    List<Token> list = tokens.get();
    int i = 0;
    if (!list.get(i).isWord("create") || !list.get(i + 1).isWord("table")) {
      return Optional.empty();
    }
    i += 2;
    if (list.get(i).isWord("if")) {
      i += 3;
    }
    while (i + 1 < list.size()
        && (list.get(i).kind() == Kind.WORD || list.get(i).kind() == Kind.QUOTED)
        && list.get(i + 1).isSymbol(".")) {
      i += 2;
    }
    return i + 1 < list.size() && list.get(i + 1).isSymbol("(")
        ? Optional.of(list.getFirst().position())
        : Optional.empty();
  }

  /**
   * The columns {@code sql} declares for push view {@code view}; empty when it has errors, which
   * are reported.
   */
  static Optional<List<DeclaredColumn>> parse(
      String view, String sql, SourcePosition start, Diagnostics diagnostics) {
    Optional<List<Token>> tokens = tokenize(sql, start, diagnostics);
    if (tokens.isEmpty()) {
      return Optional.empty();
    }
    return new CreateTableParser(view, tokens.get(), diagnostics).statement();
  }

  private Optional<List<DeclaredColumn>> statement() {
    int before = diagnostics.size();
    List<DeclaredColumn> columns = new ArrayList<>();
    try {
      Token first = peek();
      if (!first.isWord("create")) {
        throw error(
            first,
            "a push view declares the columns of its rows with CREATE TABLE %s (column type, ...), not with %s: write the CREATE TABLE, or remove '-- push: true' to compute the view with a SELECT"
                .formatted(view, first.shown()));
      }
      advance();
      expectWord("table", "CREATE TABLE");
      if (peek().isWord("if")) {
        advance();
        expectWord("not", "IF NOT EXISTS");
        expectWord("exists", "IF NOT EXISTS");
      }
      tableName();
      expectSymbol("(", "the column list, '(' after the table name");
      Map<String, DeclaredColumn> seen = new HashMap<>();
      do {
        column(seen).ifPresent(columns::add);
      } while (acceptSymbol(","));
      expectSymbol(")", "',' or ')' after a column");
      acceptSymbol(";");
      Token rest = peek();
      if (rest.kind() != Kind.END) {
        throw error(
            rest,
            "nothing may follow the column list, found %s: Asof sets the table's properties itself (partitioned by day of the event time) and takes its comment from '-- description:'"
                .formatted(rest.shown()));
      }
    } catch (Stop stop) {
      return Optional.empty();
    }
    return diagnostics.size() == before ? Optional.of(columns) : Optional.empty();
  }

  private void tableName() throws Stop {
    Token name = peek();
    if (name.kind() != Kind.WORD && name.kind() != Kind.QUOTED) {
      throw error(name, "expected the table's name, %s, found %s".formatted(view, name.shown()));
    }
    advance();
    if (peek().isSymbol(".")) {
      throw error(
          name,
          "name the table without catalog or schema, CREATE TABLE %s: Asof keeps each version's table as <catalog>.%s.%s"
              .formatted(view, Schemas.FEATURES, view + "__v<N>"));
    }
    String written = name.kind() == Kind.WORD ? name.text().toLowerCase(Locale.ROOT) : name.text();
    if (!written.equals(view)) {
      diagnostics.error(
          name.position(),
          "the table is named %s, but the view is %s: write CREATE TABLE %s (or name the view %s in '-- view:')"
              .formatted(name.text(), view, view, name.text()));
    }
  }

  /** One column definition; empty when its name or type is wrong (reported). */
  private Optional<DeclaredColumn> column(Map<String, DeclaredColumn> seen) throws Stop {
    Token name = peek();
    if (name.kind() != Kind.WORD && name.kind() != Kind.QUOTED) {
      throw error(name, "expected a column name, found %s".formatted(name.shown()));
    }
    advance();
    boolean valid = columnName(name, seen);
    Optional<String> type = type();
    boolean notNull = false;
    if (peek().isWord("not")) {
      advance();
      expectWord("null", "NOT NULL");
      notNull = true;
    }
    String description = "";
    if (peek().isWord("comment")) {
      advance();
      Token text = peek();
      if (text.kind() != Kind.STRING) {
        throw error(
            text,
            "COMMENT takes a text in single quotes, e.g. COMMENT 'what it means'; found %s"
                .formatted(text.shown()));
      }
      advance();
      description = text.text().strip();
    }
    Token after = peek();
    if (!after.isSymbol(",") && !after.isSymbol(")")) {
      throw error(
          after,
          "expected ',' or ')' after column %s, found %s: a column is written name type [NOT NULL] [COMMENT 'text']"
              .formatted(name.text(), after.shown()));
    }
    if (!valid || type.isEmpty()) {
      return Optional.empty();
    }
    DeclaredColumn column =
        new DeclaredColumn(name.text(), type.get(), notNull, description, name.position());
    seen.put(column.name().toLowerCase(Locale.ROOT), column);
    return Optional.of(column);
  }

  private boolean columnName(Token name, Map<String, DeclaredColumn> seen) {
    String text = name.text();
    if (!RepositoryLoader.IDENTIFIER.matcher(text).matches()) {
      diagnostics.error(
          name.position(),
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
          name.position(),
          "column name %s starts with __, which Asof keeps for its own columns (such as %s): rename it"
              .formatted(text, PushTables.SEQUENCE_COLUMN));
      return false;
    }
    DeclaredColumn earlier = seen.get(text.toLowerCase(Locale.ROOT));
    if (earlier != null) {
      diagnostics.error(
          name.position(),
          "column %s is declared twice (first at line %d): give each column its own name"
              .formatted(text, earlier.position().line()));
      return false;
    }
    return true;
  }

  /** A type in Trino's spelling; empty when it is not one a push view takes (reported). */
  private Optional<String> type() throws Stop {
    Token word = peek();
    if (word.kind() != Kind.WORD) {
      throw error(
          word, "expected a column type (%s), found %s".formatted(SUPPORTED_TYPES, word.shown()));
    }
    advance();
    String base = word.text().toLowerCase(Locale.ROOT);
    List<Integer> parameters = new ArrayList<>();
    if (acceptSymbol("(")) {
      do {
        Token number = peek();
        if (number.kind() != Kind.NUMBER) {
          throw error(
              number,
              "expected a whole number in the parentheses of %s, found %s"
                  .formatted(base, number.shown()));
        }
        advance();
        parameters.add(
            number.text().length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(number.text()));
      } while (acceptSymbol(","));
      expectSymbol(")", "')' after the parameters of " + base);
    }
    Optional<String> type = normalize(word, base, parameters);
    if (peek().isWord("with") || peek().isWord("without")) {
      // timestamp(p) with time zone, time with time zone, ...
      Token zone = peek();
      throw error(
          zone,
          "%s %s time zone is not a type push views take: declare timestamp(p) and push times in UTC; the types are %s"
              .formatted(type.orElse(base), zone.text().toLowerCase(Locale.ROOT), SUPPORTED_TYPES));
    }
    return type;
  }

  private Optional<String> normalize(Token word, String base, List<Integer> parameters) {
    SourcePosition at = word.position();
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
      default -> {
        return typeError(
            at,
            "unsupported type %s%s: a push view's columns take %s"
                .formatted(word.text(), Suggestions.didYouMean(base, TYPE_NAMES), SUPPORTED_TYPES));
      }
    }
  }

  private Optional<String> typeError(SourcePosition at, String message) {
    diagnostics.error(at, message);
    return Optional.empty();
  }

  private Token peek() {
    return tokens.get(next);
  }

  private void advance() {
    if (tokens.get(next).kind() != Kind.END) {
      next++;
    }
  }

  private boolean acceptSymbol(String symbol) {
    if (peek().isSymbol(symbol)) {
      advance();
      return true;
    }
    return false;
  }

  private void expectSymbol(String symbol, String what) throws Stop {
    if (!acceptSymbol(symbol)) {
      throw error(peek(), "expected %s, found %s".formatted(what, peek().shown()));
    }
  }

  private void expectWord(String word, String what) throws Stop {
    if (!peek().isWord(word)) {
      throw error(peek(), "expected %s, found %s".formatted(what, peek().shown()));
    }
    advance();
  }

  private Stop error(Token at, String message) {
    diagnostics.error(at.position(), message);
    return new Stop();
  }

  /** The tokens of {@code sql}, comments left out, ending with an END token; empty on a bad one. */
  private static Optional<List<Token>> tokenize(
      String sql, SourcePosition start, Diagnostics diagnostics) {
    List<Token> tokens = new ArrayList<>();
    int line = 1;
    int lineStart = 0;
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      SourcePosition position = position(start, line, i - lineStart + 1);
      if (c == '\n') {
        line++;
        lineStart = ++i;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          diagnostics.error(position, "this /* comment is not closed: end it with */");
          return Optional.empty();
        }
        for (int j = i; j < end; j++) {
          if (sql.charAt(j) == '\n') {
            line++;
            lineStart = j + 1;
          }
        }
        i = end + 2;
      } else if (c == '\'' || c == '"') {
        StringBuilder text = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= sql.length() || sql.charAt(j) == '\n') {
            diagnostics.error(
                position,
                c == '\''
                    ? "this text in single quotes is not closed on its line: end it with ' (a quote inside is written '')"
                    : "this quoted name is not closed on its line: end it with \"");
            return Optional.empty();
          }
          if (sql.charAt(j) == c) {
            if (j + 1 < sql.length() && sql.charAt(j + 1) == c) {
              text.append(c);
              j += 2;
              continue;
            }
            break;
          }
          text.append(sql.charAt(j++));
        }
        tokens.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED, text.toString(), position));
        i = j + 1;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < sql.length()
            && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
          j++;
        }
        tokens.add(new Token(Kind.WORD, sql.substring(i, j), position));
        i = j;
      } else if (Character.isDigit(c)) {
        int j = i;
        while (j < sql.length() && Character.isDigit(sql.charAt(j))) {
          j++;
        }
        tokens.add(new Token(Kind.NUMBER, sql.substring(i, j), position));
        i = j;
      } else {
        tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), position));
        i++;
      }
    }
    tokens.add(new Token(Kind.END, "", position(start, line, i - lineStart + 1)));
    // a few lookahead tokens past the end, so callers need not check bounds
    for (int k = 0; k < 4; k++) {
      tokens.add(tokens.getLast());
    }
    return Optional.of(tokens);
  }

  private static SourcePosition position(SourcePosition start, int line, int column) {
    return new SourcePosition(
        start.file(), start.line() + line - 1, line == 1 ? start.column() + column - 1 : column);
  }
}
