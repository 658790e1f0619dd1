package io.asof.compiler;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.catalog.TableSchema;
import io.asof.compiler.catalog.WarehouseCatalog;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.model.Column;
import io.asof.model.Diagnostic;
import io.asof.model.Entity;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.RepositoryException;
import io.asof.model.Schemas;
import io.asof.model.SourcePosition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * Compiles feature views: parses each with Calcite, rejects what is not one {@code SELECT} and what
 * leaks the future ({@link LeakageLint}), validates names against the live warehouse, checks the
 * entity's keys and the event-time column and the columns its expectations name, and takes the
 * exact output types from the engine. Push views are compiled from their declarations ({@link
 * PushViewCompiler}), aggregation views by {@link AggregationViews}.
 *
 * <p>Every error names the file, line and column, and says what to do ({@link CompileErrors}).
 */
public final class FeatureViewCompiler {
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
      return PushViewCompiler.compile(view, entity);
    }
    List<Diagnostic> problems = new ArrayList<>();
    String sql = view.sql();
    Positions positions = new Positions(view.sqlPosition());

    Optional<Diagnostic> notQuery = LeakageLint.checkStatementKind(sql, positions);
    if (notQuery.isPresent()) {
      throw new RepositoryException(List.of(notQuery.get()));
    }
    SqlNode query;
    try {
      query = SqlParser.create(sql, FeatureSql.PARSER).parseQuery();
    } catch (SqlParseException e) {
      throw new RepositoryException(List.of(CompileErrors.syntaxError(e, sql, positions)));
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
    CalciteCatalogReader reader = FeatureSql.catalogReader(schemas, types, defaultCatalog);
    SqlValidator validator = FeatureSql.validator(reader, types);
    RelDataType rowType;
    SqlNode validated;
    try {
      validated = validator.validate(query);
      rowType = validator.getValidatedNodeType(validated);
    } catch (CalciteContextException e) {
      problems.add(CompileErrors.validationError(e, positions, schemas));
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
      throw new RepositoryException(List.of(CompileErrors.engineError(e, positions, select)));
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
          TrinoOperatorTable.bindTrinoFunctions(
              SqlParser.create(sql, FeatureSql.PARSER).parseQuery());
      SqlValidator validator = FeatureSql.validator(reader, types);
      return ColumnLineage.of(validator.validate(query), validator, reader, types);
    } catch (SqlParseException e) {
      throw new IllegalStateException("the compiler wrote SQL it cannot read back: " + sql, e);
    }
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
}
