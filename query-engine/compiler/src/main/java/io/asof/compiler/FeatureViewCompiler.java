package io.asof.compiler;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.catalog.TableSchema;
import io.asof.compiler.catalog.WarehouseCatalog;
import io.asof.engine.Column;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.model.DeclaredColumn;
import io.asof.model.Diagnostic;
import io.asof.model.Entity;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.RepositoryException;
import io.asof.model.Schemas;
import io.asof.model.SourcePosition;
import io.asof.model.Suggestions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;

/**
 * Compiles feature views: parses each with Calcite, rejects what is not one {@code SELECT} and what
 * leaks the future, validates names against the live warehouse, checks the entity's keys and the
 * event-time column and the columns its expectations name, and takes the exact output types from
 * the engine.
 *
 * <p>Every error names the file, line and column, and says what to do.
 */
public final class FeatureViewCompiler {
  /** How feature SQL is parsed: Trino's quoting and casing, Presto conformance. */
  public static final SqlParser.Config PARSER =
      SqlParser.config()
          .withQuoting(Quoting.DOUBLE_QUOTE)
          .withUnquotedCasing(Casing.TO_LOWER)
          .withQuotedCasing(Casing.UNCHANGED)
          .withCaseSensitive(false)
          .withConformance(SqlConformanceEnum.PRESTO);

  private static final Set<String> NOT_QUERIES =
      Set.of(
          "insert",
          "update",
          "delete",
          "merge",
          "create",
          "drop",
          "alter",
          "truncate",
          "grant",
          "revoke",
          "call",
          "set",
          "reset",
          "use",
          "commit",
          "rollback",
          "start",
          "prepare",
          "execute",
          "deallocate",
          "comment",
          "refresh",
          "analyze");
  private static final Pattern FIRST_WORD =
      Pattern.compile("^(?:\\s|--[^\\n]*\\n|/\\*.*?\\*/)*([A-Za-z]+)", Pattern.DOTALL);
  private static final Pattern TRINO_POSITION =
      Pattern.compile("line (\\d+):(\\d+): (.*)", Pattern.DOTALL);
  private static final Pattern UNKNOWN_COLUMN =
      Pattern.compile("Column '([^']+)' not found in (?:any table|table '([^']+)')");
  private static final Pattern UNKNOWN_OBJECT =
      Pattern.compile("(?:Object|Table) '([^']+)' not found(?: within '([^']+)')?");
  private static final Pattern AMBIGUOUS = Pattern.compile("Column '([^']+)' is ambiguous");

  private final WarehouseCatalog catalog;
  private final QueryEngine engine;
  private final String defaultCatalog;

  /**
   * @param defaultCatalog the catalog that two-part names ({@code dwh.reactions}) are read in
   */
  public FeatureViewCompiler(WarehouseCatalog catalog, QueryEngine engine, String defaultCatalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.defaultCatalog = requireNonNull(defaultCatalog, "defaultCatalog is null");
  }

  /** Compiles every view of a repository; throws once with every problem found. */
  public List<CompiledView> compileAll(FeatureRepository repository) {
    List<CompiledView> compiled = new ArrayList<>();
    List<Diagnostic> problems = new ArrayList<>();
    Map<String, List<Column>> pushViews = new LinkedHashMap<>();
    for (FeatureViewSpec view : repository.views()) {
      if (view.materialization() == Materialization.PUSH) {
        pushViews.put(
            view.name(),
            view.declaredColumns().stream().map(c -> new Column(c.name(), c.type())).toList());
      }
    }
    for (FeatureViewSpec view : repository.views()) {
      Entity entity =
          repository
              .entity(view.entity())
              .orElseThrow(() -> new IllegalArgumentException("unknown entity " + view.entity()));
      try {
        compiled.add(compile(view, entity, pushViews));
      } catch (RepositoryException e) {
        problems.addAll(e.diagnostics());
      }
    }
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
    return compiled;
  }

  /** Compiles one view of {@code entity}, or throws with what is wrong and where. */
  public CompiledView compile(FeatureViewSpec view, Entity entity) {
    return compile(view, entity, Map.of());
  }

  /**
   * {@link #compile(FeatureViewSpec, Entity)}, knowing the repository's push views (name and
   * declared columns): an aggregation view may read one alone as {@code features.<push view>} (its
   * published view, found by its declared columns even before it is applied), and its online tiles
   * are then updated by each push.
   */
  CompiledView compile(FeatureViewSpec view, Entity entity, Map<String, List<Column>> pushViews) {
    if (view.materialization() == Materialization.PUSH) {
      return compilePush(view, entity);
    }
    List<Diagnostic> problems = new ArrayList<>();
    String sql = view.sql();
    Positions positions = new Positions(view.sqlPosition());

    Optional<Diagnostic> notQuery = checkStatementKind(sql, positions);
    if (notQuery.isPresent()) {
      throw new RepositoryException(List.of(notQuery.get()));
    }
    SqlNode query;
    try {
      query = SqlParser.create(sql, PARSER).parseQuery();
    } catch (SqlParseException e) {
      throw new RepositoryException(List.of(syntaxError(e, sql, positions)));
    }
    problems.addAll(
        LeakageLint.check(sql, query, view.eventTime(), view.createdTime().isPresent(), positions));
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
    if (view.aggregation()) {
      AggregationViews.checkShape(view, entity, positions);
    }
    query = TrinoOperatorTable.bindTrinoFunctions(query);

    JavaTypeFactoryImpl types = new JavaTypeFactoryImpl(AsofTypeSystem.INSTANCE);
    Map<String, TableSchema> pushTables = new LinkedHashMap<>();
    if (view.aggregation()) {
      pushViews.forEach(
          (name, columns) -> {
            TableSchema table = new TableSchema(defaultCatalog, Schemas.FEATURES, name, columns);
            pushTables.put(table.qualifiedName(), table);
          });
    }
    WarehouseSchemas schemas = new WarehouseSchemas(catalog, pushTables);
    CalciteCatalogReader reader = catalogReader(schemas, types, defaultCatalog);
    SqlValidator validator = validator(reader, types);
    RelDataType rowType;
    SqlNode validated;
    try {
      validated = validator.validate(query);
      rowType = validator.getValidatedNodeType(validated);
    } catch (CalciteContextException e) {
      problems.add(validationError(e, positions, schemas));
      throw new RepositoryException(problems);
    }
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
    if (view.aggregation()) {
      return AggregationViews.compile(
          view,
          entity,
          positions,
          engine,
          pushTables.values().stream()
              .filter(t -> schemas.tablesRead().containsKey(t.qualifiedName()))
              .findFirst(),
          new ArrayList<>(new LinkedHashSet<>(schemas.tablesRead().keySet())),
          ColumnLineage.of(validated, validator, reader, types),
          events -> lineage(events, reader, types));
    }

    List<String> names =
        rowType.getFieldNames().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    SourcePosition select = positions.at(query.getParserPosition());
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        problems.add(
            new Diagnostic(
                select,
                "column %s is output twice: give each output column its own name".formatted(name)));
      }
    }
    for (String key : entity.keyColumns()) {
      if (!names.contains(key)) {
        problems.add(
            new Diagnostic(
                select,
                "missing key column %s: a view of entity %s must output %s"
                    .formatted(key, entity.name(), String.join(", ", entity.keyColumns()))));
      }
    }
    if (!names.contains(view.eventTime())) {
      problems.add(
          new Diagnostic(
              select,
              "the event_time column %s is not in the output: add it to the SELECT, or name another column in '-- event_time:'"
                  .formatted(view.eventTime())));
    }
    view.createdTime()
        .filter(created -> !names.contains(created))
        .ifPresent(
            created ->
                problems.add(
                    new Diagnostic(
                        select,
                        "the created_time column %s is not in the output: add it to the SELECT, or drop '-- created_time:'"
                            .formatted(created))));
    ExpectationChecks.checkColumns(view, names, problems);
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }

    List<Column> columns;
    try {
      columns = engine.describe(sql);
    } catch (QueryEngineException e) {
      throw new RepositoryException(List.of(engineError(e, positions, select)));
    }
    checkTimestamp(columns, view.eventTime(), "event_time", select, problems);
    view.createdTime()
        .ifPresent(created -> checkTimestamp(columns, created, "created_time", select, problems));
    ExpectationChecks.checkTypes(view, columns, problems);
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
    Set<String> structural = new HashSet<>(entity.keyColumns());
    structural.add(view.eventTime());
    view.createdTime().ifPresent(structural::add);
    List<Column> features = columns.stream().filter(c -> !structural.contains(c.name())).toList();
    return new CompiledView(
        view,
        entity,
        columns,
        features,
        new ArrayList<>(new LinkedHashSet<>(schemas.tablesRead().keySet())),
        ColumnLineage.of(validated, validator, reader, types));
  }

  /**
   * The column lineage of {@code sql}, a query the compiler wrote over the same warehouse (an
   * aggregation view's events), read with the view's catalog.
   */
  private static Map<String, List<String>> lineage(
      String sql, CalciteCatalogReader reader, JavaTypeFactoryImpl types) {
    try {
      SqlNode query =
          TrinoOperatorTable.bindTrinoFunctions(SqlParser.create(sql, PARSER).parseQuery());
      SqlValidator validator = validator(reader, types);
      return ColumnLineage.of(validator.validate(query), validator, reader, types);
    } catch (SqlParseException e) {
      throw new IllegalStateException("the compiler wrote SQL it cannot read back: " + sql, e);
    }
  }

  /**
   * A push view: its columns are those it declares, with their types as declared; nothing is read
   * from the warehouse, and no column has source columns (its values are pushed).
   */
  private static CompiledView compilePush(FeatureViewSpec view, Entity entity) {
    List<Diagnostic> problems = new ArrayList<>();
    Map<String, DeclaredColumn> declared = new LinkedHashMap<>();
    view.declaredColumns().forEach(c -> declared.put(c.name(), c));
    SourcePosition create = statementStart(view.sql(), new Positions(view.sqlPosition()));
    for (String key : entity.keyColumns()) {
      if (!declared.containsKey(key)) {
        problems.add(
            new Diagnostic(
                create,
                "missing key column %s: a view of entity %s must declare %s; add %s <type> to the CREATE TABLE"
                    .formatted(key, entity.name(), String.join(", ", entity.keyColumns()), key)));
      }
    }
    checkDeclaredTimestamp(declared, view.eventTime(), "event_time", create, problems);
    view.createdTime()
        .ifPresent(
            created -> checkDeclaredTimestamp(declared, created, "created_time", create, problems));
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
    Set<String> structural = new HashSet<>(entity.keyColumns());
    structural.add(view.eventTime());
    view.createdTime().ifPresent(structural::add);
    List<Column> columns =
        view.declaredColumns().stream().map(c -> new Column(c.name(), c.type())).toList();
    Map<String, List<String>> lineage = new LinkedHashMap<>();
    columns.forEach(c -> lineage.put(c.name(), List.of()));
    return new CompiledView(
        view,
        entity,
        columns,
        columns.stream().filter(c -> !structural.contains(c.name())).toList(),
        List.of(),
        lineage);
  }

  private static void checkDeclaredTimestamp(
      Map<String, DeclaredColumn> declared,
      String name,
      String header,
      SourcePosition create,
      List<Diagnostic> problems) {
    DeclaredColumn column = declared.get(name);
    if (column == null) {
      problems.add(
          new Diagnostic(
              create,
              "the %s column %s is not declared%s: add %s timestamp(6) to the CREATE TABLE, or name one of its columns (%s) in '-- %s:'"
                  .formatted(
                      header,
                      name,
                      Suggestions.didYouMean(name, declared.keySet()),
                      name,
                      String.join(", ", declared.keySet()),
                      header)));
    } else if (!column.type().startsWith("timestamp")) {
      problems.add(
          new Diagnostic(
              column.position(),
              "the %s column %s is declared %s, not a timestamp: declare it %s timestamp(6)"
                  .formatted(header, name, column.type(), name)));
    }
  }

  /** Where the statement's first word is, past blank lines and comments. */
  private static SourcePosition statementStart(String sql, Positions positions) {
    Matcher word = FIRST_WORD.matcher(sql);
    return word.find() ? positions.ofOffset(sql, word.start(1)) : positions.start();
  }

  static CalciteCatalogReader catalogReader(
      WarehouseSchemas schemas, JavaTypeFactoryImpl types, String defaultCatalog) {
    CalciteSchema root = CalciteSchema.createRootSchema(false, false, "", schemas.root());
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    return new CalciteCatalogReader(
        root, List.of(defaultCatalog), types, new CalciteConnectionConfigImpl(properties));
  }

  static SqlValidator validator(CalciteCatalogReader reader, JavaTypeFactoryImpl types) {
    return SqlValidatorUtil.newValidator(
        new TrinoOperatorTable(),
        reader,
        types,
        SqlValidator.Config.DEFAULT
            .withConformance(SqlConformanceEnum.PRESTO)
            .withIdentifierExpansion(true));
  }

  private static Optional<Diagnostic> checkStatementKind(String sql, Positions positions) {
    Matcher word = FIRST_WORD.matcher(sql);
    if (word.find() && NOT_QUERIES.contains(word.group(1).toLowerCase(Locale.ROOT))) {
      String keyword = word.group(1).toUpperCase(Locale.ROOT);
      return Optional.of(
          new Diagnostic(
              positions.ofOffset(sql, word.start(1)),
              "a feature view is one SELECT query, not %s: Asof writes and publishes the view's rows itself; keep only the SELECT"
                  .formatted(keyword)));
    }
    return Optional.empty();
  }

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
        && SqlParser.create("", PARSER)
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

  private static void checkTimestamp(
      List<Column> columns,
      String name,
      String header,
      SourcePosition select,
      List<Diagnostic> problems) {
    columns.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .filter(c -> !c.type().startsWith("timestamp"))
        .ifPresent(
            c ->
                problems.add(
                    new Diagnostic(
                        select,
                        "the %s column %s is %s, not a timestamp: output CAST(%s AS timestamp(6)) AS %s"
                            .formatted(header, name, c.type(), name, name))));
  }

  /** Maps positions inside a view's SQL to positions in its file. */
  record Positions(SourcePosition sqlStart) {
    SourcePosition start() {
      return sqlStart;
    }

    SourcePosition at(SqlParserPos pos) {
      return at(pos.getLineNum(), pos.getColumnNum());
    }

    SourcePosition at(int line, int column) {
      if (line < 1 || column < 1) {
        return sqlStart;
      }
      return new SourcePosition(
          sqlStart.file(),
          sqlStart.line() + line - 1,
          line == 1 ? sqlStart.column() + column - 1 : column);
    }

    SourcePosition ofOffset(String sql, int offset) {
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < offset; i++) {
        if (sql.charAt(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      return at(line, offset - lineStart + 1);
    }
  }
}
