package io.asof.compiler;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.catalog.TableSchema;
import io.asof.compiler.catalog.WarehouseCatalog;
import io.asof.model.Diagnostic;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * Checks a spine query that a caller sent (over HTTP) before any of it reaches the engine, and
 * writes the statement that is run: Calcite's unparse of the tree it checked, never the caller's
 * text, so the engine runs exactly what was checked.
 *
 * <p>The rules, in the order they are applied (the first three need no engine at all):
 *
 * <ol>
 *   <li>{@link Rule#ONE_QUERY}: the text is exactly one query ({@code SELECT}, {@code WITH}, {@code
 *       VALUES}, a set operation), which Calcite parses;
 *   <li>{@link Rule#NO_TABLE_FUNCTIONS}: no {@code TABLE(f(...))} anywhere;
 *   <li>{@link Rule#NO_METADATA}: no table of the {@code system} catalog, of an {@code
 *       information_schema}, nor a metadata table ({@code "t$snapshots"}, {@code "t$files"}, any
 *       name with {@code $});
 *   <li>{@link Rule#ALLOWED_SCHEMAS}: every table is in a schema the repository's views read, or
 *       one an admin allowed;
 *   <li>{@link Rule#VALID}: the query validates against those schemas alone.
 * </ol>
 *
 * <p>Refusals by rules 2-4 are {@link ForbiddenSpineException}s (the caller may not read that); the
 * others are plain {@link RepositoryException}s (the query cannot work as written). Each names the
 * rule, and the line and column in the spine.
 */
public final class SpineGuard {
  /** A rule a spine must keep. */
  public enum Rule {
    ONE_QUERY("one-query"),
    NO_TABLE_FUNCTIONS("no-table-functions"),
    NO_METADATA("no-metadata"),
    ALLOWED_SCHEMAS("allowed-schemas"),
    VALID("valid");

    private final String label;

    Rule(String label) {
      this.label = label;
    }

    /** The rule's name in messages: {@code [rule one-query]}. */
    public String label() {
      return label;
    }
  }

  /** A spine that broke a rule about what a caller may read. */
  public static final class ForbiddenSpineException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    ForbiddenSpineException(List<Diagnostic> diagnostics) {
      super(diagnostics);
    }
  }

  /**
   * What a spine may read.
   *
   * @param defaultCatalog the catalog that two-part names ({@code dwh.impressions}) are read in
   * @param allowedSchemas {@code catalog.schema} names, lower case
   */
  public record Policy(String defaultCatalog, SortedSet<String> allowedSchemas) {
    public Policy {
      requireNonNull(defaultCatalog, "defaultCatalog is null");
      allowedSchemas = new TreeSet<>(requireNonNull(allowedSchemas, "allowedSchemas is null"));
      for (String schema : allowedSchemas) {
        checkSchemaName(schema);
      }
      allowedSchemas = java.util.Collections.unmodifiableSortedSet(allowedSchemas);
    }

    /**
     * The schemas of the tables the views read ({@code catalog.schema.table}), and {@code allowed}.
     */
    public static Policy of(
        String defaultCatalog, List<CompiledView> views, Set<String> alsoAllowed) {
      SortedSet<String> schemas = new TreeSet<>();
      for (CompiledView view : views) {
        for (String table : view.sourceTables()) {
          int dot = table.lastIndexOf('.');
          if (dot > 0) {
            schemas.add(table.substring(0, dot).toLowerCase(Locale.ROOT));
          }
        }
      }
      alsoAllowed.forEach(s -> schemas.add(s.toLowerCase(Locale.ROOT)));
      return new Policy(defaultCatalog, schemas);
    }

    /**
     * Refuses a name that is not {@code catalog.schema}, or that names what no spine may read.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkSchemaName(String schema) {
      String[] parts = schema.split("\\.", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException(
            "allowed schema '%s' is not catalog.schema, e.g. iceberg.dwh".formatted(schema));
      }
      if (parts[0].equalsIgnoreCase("system")
          || parts[1].equalsIgnoreCase("information_schema")
          || schema.contains("$")) {
        throw new IllegalArgumentException(
            "allowed schema '%s' holds the engine's metadata, which no spine may read"
                .formatted(schema));
      }
    }
  }

  private static final Set<SqlKind> QUERIES =
      Set.of(
          SqlKind.SELECT,
          SqlKind.UNION,
          SqlKind.INTERSECT,
          SqlKind.EXCEPT,
          SqlKind.VALUES,
          SqlKind.WITH,
          SqlKind.ORDER_BY);

  private final WarehouseCatalog catalog;
  private final Policy policy;

  public SpineGuard(WarehouseCatalog catalog, Policy policy) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.policy = requireNonNull(policy, "policy is null");
  }

  /**
   * The statement to run for {@code sql}, checked by every rule.
   *
   * @param origin where the spine came from ({@code spine_sql}), named in the problems
   * @throws ForbiddenSpineException when it reads what a caller may not
   * @throws RepositoryException when it is not one valid query
   */
  public String check(String sql, SourcePosition origin) {
    requireNonNull(sql, "sql is null");
    Positions positions = new Positions(requireNonNull(origin, "origin is null"));
    SqlNode query = parseOne(sql, positions);

    List<Diagnostic> forbidden = new ArrayList<>();
    query.accept(new TableReferences(positions, forbidden));
    if (!forbidden.isEmpty()) {
      throw new ForbiddenSpineException(forbidden);
    }

    JavaTypeFactoryImpl types = new JavaTypeFactoryImpl(AsofTypeSystem.INSTANCE);
    WarehouseSchemas schemas = new WarehouseSchemas(new AllowedOnly(catalog, policy));
    CalciteCatalogReader reader = FeatureSql.catalogReader(schemas, types, policy.defaultCatalog());
    SqlValidator validator = FeatureSql.validator(reader, types);
    try {
      validator.validate(TrinoOperatorTable.bindTrinoFunctions(parseOne(sql, positions)));
    } catch (CalciteContextException e) {
      Diagnostic problem = CompileErrors.validationError(e, positions, schemas);
      throw new RepositoryException(
          List.of(new Diagnostic(problem.position(), rule(Rule.VALID, problem.message()))));
    }
    return AggregationViews.unparse(query);
  }

  private static SqlNode parseOne(String sql, Positions positions) {
    SqlNodeList statements;
    try {
      statements = SqlParser.create(sql, FeatureSql.PARSER).parseStmtList();
    } catch (SqlParseException e) {
      Diagnostic problem = CompileErrors.syntaxError(e, sql, positions);
      throw new RepositoryException(
          List.of(new Diagnostic(problem.position(), rule(Rule.ONE_QUERY, problem.message()))));
    }
    if (statements.size() != 1) {
      SqlParserPos second =
          statements.size() > 1 ? statements.get(1).getParserPosition() : SqlParserPos.ZERO;
      throw new RepositoryException(
          List.of(
              new Diagnostic(
                  positions.at(second),
                  rule(
                      Rule.ONE_QUERY,
                      "the spine is one query, and this text holds %d statements: send only the SELECT"
                          .formatted(statements.size())))));
    }
    SqlNode query = statements.get(0);
    if (!QUERIES.contains(query.getKind())) {
      throw new RepositoryException(
          List.of(
              new Diagnostic(
                  positions.at(query.getParserPosition()),
                  rule(
                      Rule.ONE_QUERY,
                      "the spine is a query (SELECT, WITH or VALUES), not %s"
                          .formatted(query.getKind().sql)))));
    }
    return query;
  }

  private static String rule(Rule rule, String message) {
    return "[rule %s] %s".formatted(rule.label(), message);
  }

  /** Finds every table a query names and refuses those a spine may not read. */
  private final class TableReferences extends SqlBasicVisitor<Void> {
    private final Positions positions;
    private final List<Diagnostic> problems;
    private final Set<String> commonTables = new HashSet<>();

    TableReferences(Positions positions, List<Diagnostic> problems) {
      this.positions = positions;
      this.problems = problems;
    }

    @Override
    public Void visit(SqlCall call) {
      if (call instanceof SqlWith with) {
        for (SqlNode item : with.withList) {
          commonTables.add(((SqlWithItem) item).name.getSimple().toLowerCase(Locale.ROOT));
        }
      }
      if (call instanceof SqlSelect select && select.getFrom() != null) {
        from(select.getFrom());
      }
      if (call.getKind() == SqlKind.COLLECTION_TABLE) {
        problems.add(
            new Diagnostic(
                positions.at(call.getParserPosition()),
                rule(
                    Rule.NO_TABLE_FUNCTIONS,
                    "table functions are not allowed in a spine: select from a table or from VALUES")));
        return null;
      }
      if (call.getKind() == SqlKind.EXPLICIT_TABLE
          && call.operand(0) instanceof SqlIdentifier table) {
        table(table);
      }
      return super.visit(call);
    }

    /** The relations of a FROM clause; subqueries are visited as any other call. */
    private void from(SqlNode node) {
      switch (node) {
        case SqlIdentifier table -> table(table);
        case SqlJoin join -> {
          from(join.getLeft());
          from(join.getRight());
        }
        case SqlCall call
            when call.getKind() == SqlKind.AS
                || call.getKind() == SqlKind.LATERAL
                || call.getKind() == SqlKind.TABLESAMPLE
                || call.getKind() == SqlKind.SNAPSHOT -> {
          if (!call.getOperandList().isEmpty() && call.operand(0) != null) {
            from(call.operand(0));
          }
        }
        default -> {
          // a subquery, VALUES, UNNEST or a table function: the visitor looks inside
        }
      }
    }

    private void table(SqlIdentifier table) {
      SourcePosition at = positions.at(table.getParserPosition());
      List<String> names = table.names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
      String written = String.join(".", names);
      if (names.stream().anyMatch(n -> n.contains("$"))) {
        problems.add(
            new Diagnostic(
                at,
                rule(
                    Rule.NO_METADATA,
                    "%s is a metadata table (a name with $): a spine reads data tables only"
                        .formatted(written))));
        return;
      }
      if (names.size() == 1) {
        if (!commonTables.contains(names.getFirst())) {
          problems.add(
              new Diagnostic(
                  at,
                  rule(
                      Rule.ALLOWED_SCHEMAS,
                      "table %s names no schema: write it as schema.table (allowed schemas: %s)"
                          .formatted(written, allowed()))));
        }
        return;
      }
      if (names.size() > 3) {
        problems.add(
            new Diagnostic(
                at,
                rule(
                    Rule.ALLOWED_SCHEMAS,
                    "%s is not a table name: write schema.table or catalog.schema.table"
                        .formatted(written))));
        return;
      }
      String tableCatalog = names.size() == 3 ? names.get(0) : policy.defaultCatalog();
      String schema = names.get(names.size() - 2);
      if (tableCatalog.equals("system")) {
        problems.add(
            new Diagnostic(
                at,
                rule(
                    Rule.NO_METADATA,
                    "%s is in the system catalog (the engine's queries, nodes and metadata), which no spine may read"
                        .formatted(written))));
      } else if (schema.equals("information_schema")) {
        problems.add(
            new Diagnostic(
                at,
                rule(
                    Rule.NO_METADATA,
                    "%s is the engine's metadata (information_schema), which no spine may read"
                        .formatted(written))));
      } else if (!policy.allowedSchemas().contains(tableCatalog + "." + schema)) {
        problems.add(
            new Diagnostic(
                at,
                rule(
                    Rule.ALLOWED_SCHEMAS,
                    "%s is in schema %s.%s, which ad-hoc spines may not read (allowed: %s): read a table of those, or have an admin allow the schema (asof serve --query-allow-schema %s.%s)"
                        .formatted(
                            written, tableCatalog, schema, allowed(), tableCatalog, schema))));
      }
    }

    private String allowed() {
      return policy.allowedSchemas().isEmpty()
          ? "none"
          : String.join(", ", policy.allowedSchemas());
    }
  }

  /**
   * The warehouse as a spine may see it: the allowed schemas only; everything else does not exist
   * and is never looked up on the engine.
   */
  private record AllowedOnly(WarehouseCatalog catalog, Policy policy) implements WarehouseCatalog {
    @Override
    public boolean catalogExists(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ".";
      return policy.allowedSchemas().stream().anyMatch(s -> s.startsWith(prefix));
    }

    @Override
    public boolean schemaExists(String catalogName, String schema) {
      return allowed(catalogName, schema);
    }

    @Override
    public Optional<TableSchema> table(String catalogName, String schema, String table) {
      return allowed(catalogName, schema)
          ? catalog.table(catalogName, schema, table)
          : Optional.empty();
    }

    @Override
    public void refresh() {
      catalog.refresh();
    }

    private boolean allowed(String catalogName, String schema) {
      return policy
          .allowedSchemas()
          .contains((catalogName + "." + schema).toLowerCase(Locale.ROOT));
    }
  }
}
