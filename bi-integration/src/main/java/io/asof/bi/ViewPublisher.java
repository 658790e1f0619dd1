package io.asof.bi;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.CompiledView;
import io.asof.compiler.catalog.MetadataSql;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.compiler.push.PushTableSql;
import io.asof.compiler.window.WindowSql;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.engine.SqlQuoting;
import io.asof.model.Column;
import io.asof.model.DeclaredColumn;
import io.asof.model.Durations;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.PushTables;
import io.asof.model.window.WindowedAggregation.FeatureOfWindow;
import io.asof.registry.AppliedView;
import io.asof.registry.ApplyPlan;
import io.asof.registry.ApplyPlan.Change;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Publishes feature views where BI tools and JDBC clients find them: one view per feature view in
 * the features schema, with a comment on the view and on each column where the engine keeps them
 * (Trino; Athena keeps none, so there the descriptions are in the catalog view only), and a catalog
 * view listing every feature with its description. A push view is published over its version's
 * Iceberg table ({@link PushTables}), which publishing creates when it is not there yet; push
 * ingestion needs Trino ({@link EngineDialect#supportsPush()}), and on Athena the table is created
 * for rows written by other means.
 *
 * <p>Publishing is all or nothing: when a statement fails, the views already replaced get their
 * previous definitions back and the views and tables created are dropped (the comments of tables
 * that were there put back), and the error is rethrown.
 */
public final class ViewPublisher {
  /** The view listing every feature: name, type, description, owner, view, version, ... */
  public static final String CATALOG_VIEW = "asof_features";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  private final QueryEngine engine;
  private final EngineDialect dialect;
  private final String catalog;
  private final String schema;

  /** Publishes on the engine {@code dialect} spells for. */
  public ViewPublisher(QueryEngine engine, EngineDialect dialect, String catalog, String schema) {
    this.engine = requireNonNull(engine, "engine is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.catalog = identifier(catalog);
    this.schema = identifier(schema);
  }

  /**
   * The statements that publish one view over its own SQL (a push view over its version's table):
   * the view with its comment, then its column comments (where the engine keeps comments).
   */
  public List<String> statements(CompiledView view, int version) {
    return statements(view, version, body(view, version));
  }

  /**
   * What a view is published as unless told otherwise: its own SQL, or of a push view the read of
   * its version's table, as the registry records it ({@link AppliedView#sql()}).
   */
  public static String body(CompiledView view, int version) {
    if (view.aggregation().isPresent()) {
      return WindowSql.asOfNow(view.aggregation().get());
    }
    return view.spec().materialization() == Materialization.PUSH
        ? new PushTableSql(view.spec()).read(version)
        : view.spec().sql();
  }

  /**
   * The statements that publish one view as {@code body}, a query yielding the view's columns: its
   * SQL, or (once it is backfilled) a read of its table.
   */
  public List<String> statements(CompiledView view, int version, String body) {
    FeatureViewSpec spec = view.spec();
    String name = qualified(identifier(spec.name()));
    List<String> statements = new ArrayList<>();
    statements.add(
        dialect.createOrReplaceView(name, Optional.of(viewComment(spec, version)), body));
    if (!dialect.supportsComments()) {
      return statements;
    }
    for (Column column : view.columns()) {
      statements.add(
          "COMMENT ON COLUMN %s.%s IS %s"
              .formatted(
                  name,
                  identifier(column.name()),
                  SqlQuoting.literal(columnComment(view, column, version))));
    }
    return statements;
  }

  /** The statement that (re)creates the catalog view from what the registry holds. */
  public String catalogStatement(List<AppliedView> views) {
    List<String> rows = new ArrayList<>();
    for (AppliedView view : views) {
      for (Column column : view.columns()) {
        if (isStructural(view, column.name())) {
          continue;
        }
        rows.add(
            "(%s, %s, %s, %s, %s, %s, %d, %s, %s, %s, %s, %s)"
                .formatted(
                    SqlQuoting.literal(view.name() + ":" + column.name()),
                    SqlQuoting.literal(view.name()),
                    SqlQuoting.literal(column.name()),
                    SqlQuoting.literal(column.type()),
                    SqlQuoting.literal(
                        view.description(column.name()).isEmpty()
                            ? view.description()
                            : view.description(column.name())),
                    SqlQuoting.literal(view.owner()),
                    view.version(),
                    SqlQuoting.literal(view.entity()),
                    view.online() ? "true" : "false",
                    SqlQuoting.literal(
                        view.materialization().name().toLowerCase(java.util.Locale.ROOT)),
                    array(view.sources(column.name())),
                    view.window(column.name())
                        .map(w -> SqlQuoting.literal(Durations.format(w)))
                        .orElse("CAST(NULL AS varchar)")));
      }
    }
    String columns =
        "feature, view_name, column_name, type, description, owner, version, entity, online, materialization, source_columns, window";
    String body =
        rows.isEmpty()
            ? "SELECT CAST(NULL AS varchar), CAST(NULL AS varchar), CAST(NULL AS varchar), CAST(NULL AS varchar), CAST(NULL AS varchar), CAST(NULL AS varchar), 0, CAST(NULL AS varchar), false, CAST(NULL AS varchar), CAST(NULL AS array(varchar)), CAST(NULL AS varchar) WHERE false"
            : "VALUES\n  " + String.join(",\n  ", rows);
    return dialect.createOrReplaceView(
        qualified(CATALOG_VIEW),
        Optional.of("Every feature Asof publishes: one row per feature column."),
        "SELECT t.*, CAST(NULL AS timestamp(6)) AS freshness\nFROM (%s) AS t(%s)"
            .formatted(body, columns));
  }

  /**
   * Publishes one view as {@code body} ({@link #statements(CompiledView, int, String)}); puts the
   * view back as it was if a statement fails.
   */
  public void publish(CompiledView view, int version, String body) {
    List<String> undo = restoreOrDrop(view.name());
    try {
      for (String statement : statements(view, version, body)) {
        engine.execute(statement);
      }
    } catch (QueryEngineException e) {
      restore(List.of(undo), e);
      throw e;
    }
  }

  /**
   * {@link #publish(ApplyPlan, List, List, boolean, Map, Consumer)}, every view over its own SQL.
   */
  public void publish(
      ApplyPlan plan,
      List<CompiledView> views,
      List<AppliedView> after,
      boolean prune,
      Consumer<String> progress) {
    publish(plan, views, after, prune, Map.of(), progress);
  }

  /**
   * Publishes what the plan adds or changes (and drops what it removes when pruning), then the
   * catalog view from {@code after}; restores every view it touched if any statement fails.
   *
   * @param bodies what a view is published as, by view name, when not its own SQL: the read of its
   *     backfilled table
   */
  public void publish(
      ApplyPlan plan,
      List<CompiledView> views,
      List<AppliedView> after,
      boolean prune,
      Map<String, String> bodies,
      Consumer<String> progress) {
    publish(plan, views, after, prune, bodies, progress, () -> {});
  }

  /**
   * {@link #publish(ApplyPlan, List, List, boolean, Map, Consumer)}, then {@code then} (what the
   * apply does once its views are readable: switching views online); the views are restored if that
   * fails too.
   */
  public void publish(
      ApplyPlan plan,
      List<CompiledView> views,
      List<AppliedView> after,
      boolean prune,
      Map<String, String> bodies,
      Consumer<String> progress,
      Runnable then) {
    Map<String, CompiledView> byName =
        views.stream().collect(Collectors.toMap(CompiledView::name, v -> v));
    // the schema may not be there yet (a new Glue catalog); creating it is idempotent
    engine.execute(dialect.createSchema(catalog, schema));
    List<List<String>> undo = new ArrayList<>();
    try {
      undo.add(0, restoreOrDrop(CATALOG_VIEW));
      // push views first: an aggregation view may read one's published view
      List<Change> ordered = new ArrayList<>(plan.changes());
      ordered.sort(
          java.util.Comparator.comparing(
              c ->
                  !(byName.containsKey(c.view())
                      && byName.get(c.view()).spec().materialization() == Materialization.PUSH)));
      for (Change change : ordered) {
        String name = change.view();
        switch (change.kind()) {
          case ADD, CHANGE, METADATA -> {
            CompiledView view = byName.get(name);
            if (view.spec().materialization() == Materialization.PUSH) {
              String table = PushTables.qualifiedTable(catalog, name, change.version());
              Optional<List<String>> comments = tableComments(table);
              undo.add(0, comments.orElse(List.of(dialect.dropTable(table))));
              PushTableSql push = new PushTableSql(view.spec());
              if (comments.isEmpty()) {
                engine.execute(push.createTable(table, change.version(), dialect));
                progress.accept(
                    "created "
                        + table
                        + (dialect.supportsPush()
                            ? ""
                            : " (push ingestion needs Trino: on %s, fill it with your own INSERTs)"
                                .formatted(dialect.name())));
              } else if (dialect.supportsComments()) {
                // the version's table is there: only its descriptions may have changed
                for (String statement : push.comments(table, change.version())) {
                  engine.execute(statement);
                }
              }
            }
            undo.add(0, restoreOrDrop(name));
            for (String statement :
                statements(
                    view,
                    change.version(),
                    bodies.getOrDefault(name, body(view, change.version())))) {
              engine.execute(statement);
            }
            progress.accept("published " + qualified(name));
          }
          case REMOVE -> {
            if (prune) {
              undo.add(0, restoreOrDrop(name));
              engine.execute("DROP VIEW IF EXISTS " + qualified(identifier(name)));
              progress.accept("dropped " + qualified(name));
            }
          }
          case UNCHANGED -> {}
        }
      }
      engine.execute(catalogStatement(after));
      then.run();
    } catch (RuntimeException e) {
      restore(undo, e);
      throw e;
    }
  }

  private void restore(List<List<String>> undo, RuntimeException failure) {
    for (List<String> restore : undo) {
      for (String statement : restore) {
        try {
          engine.execute(statement);
        } catch (QueryEngineException restoreFailure) {
          failure.addSuppressed(restoreFailure);
        }
      }
    }
  }

  /**
   * What puts a view back as it is now: its current definition and column comments, or a drop if it
   * does not exist.
   */
  private List<String> restoreOrDrop(String name) {
    String qualified = qualified(identifier(name));
    Optional<String> current;
    try {
      // Trino answers in one row; Athena in a row per line of the statement
      current =
          Optional.of(
              engine.query("SHOW CREATE VIEW " + qualified).rows().stream()
                  .map(row -> (String) row.getFirst())
                  .collect(Collectors.joining("\n")));
    } catch (QueryEngineException e) {
      current = Optional.empty();
    }
    if (current.isEmpty()) {
      return List.of("DROP VIEW IF EXISTS " + qualified);
    }
    List<String> restore = new ArrayList<>();
    // SHOW CREATE VIEW says CREATE VIEW and leaves out column comments
    restore.add(current.get().replaceFirst("^CREATE VIEW ", "CREATE OR REPLACE VIEW "));
    if (!dialect.supportsComments()) {
      return restore;
    }
    for (List<Object> row :
        engine
            .query(
                "SELECT column_name, remarks FROM system.jdbc.columns WHERE table_cat = %s AND table_schem = %s AND table_name = %s AND remarks IS NOT NULL"
                    .formatted(
                        SqlQuoting.literal(catalog),
                        SqlQuoting.literal(schema),
                        SqlQuoting.literal(name)))
            .rows()) {
      restore.add(
          "COMMENT ON COLUMN %s.%s IS %s"
              .formatted(
                  qualified,
                  identifier((String) row.get(0)),
                  SqlQuoting.literal((String) row.get(1))));
    }
    return restore;
  }

  /**
   * What puts a table's comments back as they are now (on the table and each column); empty when
   * there is no such table.
   */
  private Optional<List<String>> tableComments(String table) {
    int first = table.indexOf('.');
    int last = table.lastIndexOf('.');
    String tableCatalog = table.substring(0, first);
    String tableSchema = table.substring(first + 1, last);
    String name = table.substring(last + 1);
    if (!dialect.supportsComments()) {
      // no comments to restore: an existing table is kept as it is
      boolean exists =
          !engine.query(MetadataSql.tableExists(tableCatalog, tableSchema, name)).rows().isEmpty();
      return exists ? Optional.of(List.of()) : Optional.empty();
    }
    List<List<Object>> columns =
        engine
            .query(
                "SELECT column_name, remarks FROM system.jdbc.columns WHERE table_cat = %s AND table_schem = %s AND table_name = %s ORDER BY ordinal_position"
                    .formatted(
                        SqlQuoting.literal(tableCatalog),
                        SqlQuoting.literal(tableSchema),
                        SqlQuoting.literal(name)))
            .rows();
    if (columns.isEmpty()) {
      return Optional.empty();
    }
    List<String> restore = new ArrayList<>();
    Object comment =
        engine
            .query(
                "SELECT comment FROM system.metadata.table_comments WHERE catalog_name = %s AND schema_name = %s AND table_name = %s"
                    .formatted(
                        SqlQuoting.literal(tableCatalog),
                        SqlQuoting.literal(tableSchema),
                        SqlQuoting.literal(name)))
            .rows()
            .stream()
            .findFirst()
            .map(List::getFirst)
            .orElse(null);
    restore.add("COMMENT ON TABLE %s IS %s".formatted(table, nullableLiteral(comment)));
    for (List<Object> row : columns) {
      restore.add(
          "COMMENT ON COLUMN %s.%s IS %s"
              .formatted(table, identifier((String) row.get(0)), nullableLiteral(row.get(1))));
    }
    return Optional.of(restore);
  }

  private static String nullableLiteral(Object text) {
    return text == null ? "NULL" : SqlQuoting.literal((String) text);
  }

  private static String viewComment(FeatureViewSpec spec, int version) {
    List<String> facts = new ArrayList<>();
    facts.add("entity " + spec.entity());
    if (!spec.owner().isEmpty()) {
      facts.add("owner " + spec.owner());
    }
    if (spec.aggregation()) {
      facts.add("aggregation over " + windows(spec.windows()));
    } else {
      facts.add("ttl " + spec.ttl().map(Durations::format).orElse("none"));
    }
    facts.add(
        switch (spec.materialization()) {
          case VIRTUAL -> "virtual";
          case MATERIALIZED -> "materialized";
          case PUSH -> "push";
        });
    if (spec.online()) {
      facts.add("online");
    }
    facts.add("v" + version);
    String description = spec.description().isEmpty() ? "" : spec.description() + " ";
    return description + "[" + String.join("; ", facts) + "]";
  }

  private static String columnComment(CompiledView view, Column column, int version) {
    FeatureViewSpec spec = view.spec();
    String description =
        spec.declaredColumns().stream()
            .filter(c -> c.name().equals(column.name()))
            .map(DeclaredColumn::description)
            .findFirst()
            .orElse("");
    String also = description.isEmpty() ? "" : " " + description;
    if (view.entity().keyColumns().contains(column.name())) {
      return "Key of entity " + spec.entity() + "." + also;
    }
    if (column.name().equals(spec.eventTime())) {
      return "Event time: when this row's values became true." + also;
    }
    if (spec.createdTime().filter(column.name()::equals).isPresent()) {
      return "Created time: when this row became known." + also;
    }
    Optional<FeatureOfWindow> ofWindow =
        view.aggregation().flatMap(aggregation -> aggregation.feature(column.name()));
    if (ofWindow.isPresent()) {
      String window = Durations.format(spec.windows().get(ofWindow.get().window()));
      return "%s over the %s up to now (aggregation view %s, window %s; v%d%s)."
          .formatted(
              ofWindow.get().output().column(),
              window,
              spec.name(),
              window,
              version,
              spec.owner().isEmpty() ? "" : ", owned by " + spec.owner());
    }
    return "Feature %s:%s (v%d)%s%s"
        .formatted(
            spec.name(),
            column.name(),
            version,
            spec.owner().isEmpty() ? "" : ", owned by " + spec.owner(),
            description.isEmpty() ? "." : ": " + description);
  }

  private static String windows(List<Duration> windows) {
    return String.join(", ", windows.stream().map(Durations::format).toList());
  }

  private static boolean isStructural(AppliedView view, String column) {
    return view.keyColumns().contains(column)
        || column.equals(view.eventTime())
        || view.createdTime().filter(column::equals).isPresent();
  }

  private String qualified(String name) {
    return catalog + "." + schema + "." + name;
  }

  private static String identifier(String name) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain SQL name: " + name);
    }
    return name;
  }

  private static String array(List<String> texts) {
    return "CAST(ARRAY[%s] AS array(varchar))"
        .formatted(String.join(", ", texts.stream().map(SqlQuoting::literal).toList()));
  }
}
