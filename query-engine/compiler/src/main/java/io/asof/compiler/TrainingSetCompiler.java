package io.asof.compiler;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.catalog.WarehouseCatalog;
import io.asof.compiler.pit.PitRequest;
import io.asof.compiler.pit.PitView;
import io.asof.compiler.pit.PitView.Lookup;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.compiler.push.PushTableSql;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.model.Column;
import io.asof.model.Diagnostic;
import io.asof.model.FeatureRef;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureServiceSpec;
import io.asof.model.LabelLineageAcknowledgement;
import io.asof.model.Materialization;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import io.asof.model.Suggestions;
import io.asof.model.TrainingSetSpec;
import io.asof.model.window.WindowedAggregation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * Compiles a training set: resolves its features (listed, {@code view:*}, or through a feature
 * service), asks Trino for the spine's columns, checks that the spine has the timestamp, the label
 * and every entity key the views are joined on (with compatible types), and plans the point-in-time
 * statement.
 */
public final class TrainingSetCompiler {
  private static final Set<String> INTEGRAL = Set.of("tinyint", "smallint", "integer", "bigint");

  /**
   * A spine smaller than this (by Trino's estimate) is used to prune views: one more pass over it
   * is cheap. A bigger one prunes only views estimated ten times bigger than it.
   */
  static final long PRUNE_BELOW_SPINE_ROWS = 100_000;

  private static final Pattern ESTIMATED_ROWS = Pattern.compile("Estimates: \\{rows: (\\d+|\\?)");

  private final QueryEngine engine;
  private final WarehouseCatalog warehouse;
  private final String defaultCatalog;

  /**
   * @param engine the engine spines are described and estimated on
   * @param warehouse the warehouse's tables, to find which columns the label comes from
   * @param defaultCatalog the catalog that two-part names ({@code dwh.impressions}) are read in
   */
  public TrainingSetCompiler(
      QueryEngine engine, WarehouseCatalog warehouse, String defaultCatalog) {
    this.engine = requireNonNull(engine, "engine is null");
    this.warehouse = requireNonNull(warehouse, "warehouse is null");
    this.defaultCatalog = requireNonNull(defaultCatalog, "defaultCatalog is null");
  }

  /**
   * Compiles {@code spec}.
   *
   * @param views the repository's compiled views
   * @param source where a view's rows are read: its published view, its own SQL, or its backfilled
   *     table with stored range ends
   */
  public CompiledTrainingSet compile(
      TrainingSetSpec spec,
      FeatureRepository repository,
      List<CompiledView> views,
      Function<CompiledView, ViewRows> source) {
    Map<String, CompiledView> byName =
        views.stream().collect(Collectors.toMap(CompiledView::name, v -> v));
    versions(spec, repository);
    List<Diagnostic> problems = new ArrayList<>();

    // features by view, in the order they are first named, and where each is first named
    Map<String, Set<String>> selected = new LinkedHashMap<>();
    Map<String, SourcePosition> named = new HashMap<>();
    for (int i = 0; i < spec.features().size(); i++) {
      select(
          spec.features().get(i),
          spec.featurePositions().get(i),
          byName,
          selected,
          named,
          problems);
    }
    spec.featureService()
        .flatMap(
            name -> repository.services().stream().filter(s -> s.name().equals(name)).findFirst())
        .ifPresent(
            (FeatureServiceSpec service) -> {
              for (FeatureRef ref : service.features()) {
                select(ref, service.position(), byName, selected, named, problems);
              }
            });

    Positions positions = new Positions(spec.sqlPosition());
    SourcePosition select = spec.sqlPosition();
    List<Column> spine;
    try {
      spine = engine.describe(spec.spineSql());
    } catch (QueryEngineException e) {
      problems.add(CompileErrors.engineError(e, positions, select));
      throw new RepositoryException(problems);
    }
    Map<String, String> spineTypes = new LinkedHashMap<>();
    spine.forEach(c -> spineTypes.put(c.name(), c.type()));
    String known = String.join(", ", spineTypes.keySet());

    String timestamp = spec.timestamp();
    String timestampType = spineTypes.get(timestamp);
    if (timestampType == null) {
      problems.add(
          new Diagnostic(
              select,
              "the spine has no column %s, which '-- timestamp:' names%s: its columns are %s"
                  .formatted(
                      timestamp, Suggestions.didYouMean(timestamp, spineTypes.keySet()), known)));
    } else if (!timestampType.startsWith("timestamp")) {
      problems.add(
          new Diagnostic(
              select,
              "the spine's timestamp column %s is %s, not a timestamp: select CAST(%s AS timestamp(6)) AS %s"
                  .formatted(timestamp, timestampType, timestamp, timestamp)));
    }
    spec.label()
        .filter(label -> !spineTypes.containsKey(label))
        .ifPresent(
            label ->
                problems.add(
                    new Diagnostic(
                        select,
                        "the spine has no column %s, which '-- label:' names%s: its columns are %s"
                            .formatted(
                                label,
                                Suggestions.didYouMean(label, spineTypes.keySet()),
                                known))));

    List<CompiledView> used = new ArrayList<>();
    for (String name : selected.keySet()) {
      CompiledView view = byName.get(name);
      for (String key : view.entity().keyColumns()) {
        String spineType = spineTypes.get(key);
        String viewType = view.type(key);
        if (spineType == null) {
          problems.add(
              new Diagnostic(
                  select,
                  "the spine has no column %s, a key of entity %s that view %s is joined on: add it to the spine's SELECT"
                      .formatted(key, view.entity().name(), view.name())));
        } else if (!compatible(spineType, viewType)) {
          problems.add(
              new Diagnostic(
                  select,
                  "key %s is %s in the spine but %s in view %s: select CAST(%s AS %s) AS %s in the spine"
                      .formatted(key, spineType, viewType, view.name(), key, viewType, key)));
        }
      }
      used.add(view);
    }
    checkAcknowledgements(spec, selected, problems);
    if (problems.isEmpty()) {
      spec.label()
          .ifPresent(label -> checkLabelLineage(spec, label, byName, selected, named, problems));
    }
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }

    OptionalLong spineRows = estimatedRows(engine, spec.spineSql());
    List<PitView> pitViews = new ArrayList<>();
    // views of one entity share the spine's pairs: estimate them once
    Map<List<String>, Lookup> pairLookups = new HashMap<>();
    for (CompiledView view : used) {
      if (view.aggregation().isPresent()) {
        pitViews.add(
            aggregationView(
                view,
                List.copyOf(selected.get(view.name())),
                spec.holdBackLate() && view.spec().createdTime().isPresent()));
        continue;
      }
      ViewRows rows = source.apply(view);
      String viewSql = rows.sql();
      boolean holdBack = spec.holdBackLate() && view.spec().createdTime().isPresent();
      Lookup lookup =
          holdBack
              ? Lookup.DISTINCT_PAIRS
              : pairLookups.computeIfAbsent(
                  view.entity().keyColumns(),
                  keys ->
                      lookup(spineRows, distinctPairs(engine, spec.spineSql(), keys, timestamp)));
      pitViews.add(
          new PitView(
              view.name(),
              viewSql,
              view.entity().keyColumns(),
              view.spec().eventTime(),
              view.spec().createdTime(),
              view.spec().ttl(),
              view.columns(),
              List.copyOf(selected.get(view.name())),
              holdBack,
              spec.eventTimes(),
              shouldPrune(spineRows, estimatedRows(engine, viewSql)),
              lookup,
              rangeEnds(lookup, rows)));
    }
    PitRequest request = new PitRequest(spec.spineSql(), spine, timestamp, pitViews);
    return new CompiledTrainingSet(spec, used, request, PointInTimeSql.plan(request));
  }

  /**
   * An aggregation view as the statement reads it: its events, evaluated over its windows at each
   * of the spine's distinct (key, time) pairs ({@link WindowedAggregation}).
   */
  public static PitView aggregationView(
      CompiledView view, List<String> features, boolean holdBackLate) {
    List<Column> keys = new ArrayList<>();
    for (String key : view.entity().keyColumns()) {
      keys.add(new Column(key, view.type(key)));
    }
    return aggregationView(
        view.name(),
        view.aggregation().orElseThrow(),
        keys,
        view.features(),
        features,
        holdBackLate);
  }

  /**
   * An aggregation view as the statement reads it, from its compiled aggregation (as the registry
   * records it).
   *
   * @param keys the entity's key columns, with their types
   * @param columns the view's features, with their types
   * @param features those to take
   */
  public static PitView aggregationView(
      String name,
      WindowedAggregation aggregation,
      List<Column> keys,
      List<Column> columns,
      List<String> features,
      boolean holdBackLate) {
    List<Column> all = new ArrayList<>(keys);
    all.add(new Column(WindowedAggregation.EVENT_TIME, aggregation.eventTimeType()));
    aggregation
        .createdTimeType()
        .ifPresent(type -> all.add(new Column(WindowedAggregation.CREATED_TIME, type)));
    all.addAll(columns);
    return new PitView(
        name,
        aggregation.eventsSql(),
        keys.stream().map(Column::name).toList(),
        WindowedAggregation.EVENT_TIME,
        aggregation.createdTimeType().map(type -> WindowedAggregation.CREATED_TIME),
        Optional.empty(),
        all,
        features,
        holdBackLate,
        false,
        false,
        Lookup.DISTINCT_PAIRS,
        Optional.empty(),
        Optional.of(aggregation));
  }

  /**
   * The version each view of {@code spec} (its features and its feature service's) is read at: a
   * pinned one ({@code view@N}) or empty for the version applied now.
   *
   * @throws RepositoryException when a view is named at two versions (pinned and not, or pinned
   *     twice differently): a set reads one version of a view
   */
  public static Map<String, OptionalInt> versions(
      TrainingSetSpec spec, FeatureRepository repository) {
    Map<String, FeatureRef> first = new LinkedHashMap<>();
    List<Diagnostic> problems = new ArrayList<>();
    List<FeatureRef> refs = new ArrayList<>(spec.features());
    List<SourcePosition> positions = new ArrayList<>(spec.featurePositions());
    spec.featureService()
        .flatMap(
            name -> repository.services().stream().filter(s -> s.name().equals(name)).findFirst())
        .ifPresent(
            service ->
                service
                    .features()
                    .forEach(
                        ref -> {
                          refs.add(ref);
                          positions.add(service.position());
                        }));
    for (int i = 0; i < refs.size(); i++) {
      FeatureRef ref = refs.get(i);
      FeatureRef seen = first.putIfAbsent(ref.view(), ref);
      if (seen != null && !seen.version().equals(ref.version())) {
        problems.add(
            new Diagnostic(
                positions.get(i),
                "view %s is named both as %s and as %s: a training set reads one version of a view, so name the same version (or no version) in both"
                    .formatted(ref.view(), seen, ref)));
      }
    }
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
    Map<String, OptionalInt> versions = new LinkedHashMap<>();
    first.forEach((view, ref) -> versions.put(view, ref.version()));
    return versions;
  }

  /**
   * Checks what {@code plan} and {@code apply} check besides the views: every feature service names
   * features its views have, and every training set compiles against {@code views} as the
   * repository has them now (spine columns, keys, label, features). A set that pins a view's
   * version ({@code view@N}) is checked when it is built, against the registry's version.
   *
   * @throws RepositoryException with every problem found, each placed in its file
   */
  public void checkRepository(FeatureRepository repository, List<CompiledView> views) {
    Map<String, CompiledView> byName =
        views.stream().collect(Collectors.toMap(CompiledView::name, v -> v));
    List<Diagnostic> problems = new ArrayList<>();
    for (FeatureServiceSpec service : repository.services()) {
      for (FeatureRef ref : service.features()) {
        select(ref, service.position(), byName, new HashMap<>(), new HashMap<>(), problems);
      }
    }
    for (TrainingSetSpec set : repository.trainingSets()) {
      try {
        if (versions(set, repository).values().stream().anyMatch(OptionalInt::isPresent)) {
          continue;
        }
        compile(
            set,
            repository,
            views,
            view ->
                ViewRows.of(
                    view.spec().materialization() == Materialization.PUSH
                        ? new PushTableSql(view.spec()).empty()
                        : view.spec().sql()));
      } catch (RepositoryException e) {
        // a service's own problems are reported once, above
        e.diagnostics().stream().filter(d -> !problems.contains(d)).forEach(problems::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
  }

  private static void select(
      FeatureRef ref,
      SourcePosition position,
      Map<String, CompiledView> views,
      Map<String, Set<String>> selected,
      Map<String, SourcePosition> named,
      List<Diagnostic> problems) {
    CompiledView view = views.get(ref.view());
    if (view == null) {
      problems.add(
          new Diagnostic(
              position,
              "unknown feature view %s%s"
                  .formatted(ref.view(), Suggestions.didYouMean(ref.view(), views.keySet()))));
      return;
    }
    List<String> features = view.features().stream().map(Column::name).toList();
    if (ref.all()) {
      selected.computeIfAbsent(view.name(), k -> new LinkedHashSet<>()).addAll(features);
      features.forEach(f -> named.putIfAbsent(view.name() + ":" + f, position));
    } else if (features.contains(ref.feature())) {
      selected.computeIfAbsent(view.name(), k -> new LinkedHashSet<>()).add(ref.feature());
      named.putIfAbsent(view.name() + ":" + ref.feature(), position);
    } else {
      problems.add(
          new Diagnostic(
              position,
              "unknown feature %s%s: view %s has %s"
                  .formatted(
                      ref,
                      Suggestions.didYouMean(ref.feature(), features),
                      view.name(),
                      String.join(", ", features))));
    }
  }

  /** Each {@code label_lineage_ok} line names a feature the set selects. */
  private static void checkAcknowledgements(
      TrainingSetSpec spec, Map<String, Set<String>> selected, List<Diagnostic> problems) {
    for (LabelLineageAcknowledgement acknowledged : spec.labelLineageOk()) {
      FeatureRef ref = acknowledged.feature();
      if (!selected.getOrDefault(ref.view(), Set.of()).contains(ref.feature())) {
        List<String> features = new ArrayList<>();
        selected.forEach((view, names) -> names.forEach(f -> features.add(view + ":" + f)));
        problems.add(
            new Diagnostic(
                acknowledged.position(),
                "label_lineage_ok names %s, which this training set does not select%s: name one of its features (%s), or remove the line"
                    .formatted(
                        ref,
                        Suggestions.didYouMean(ref.view() + ":" + ref.feature(), features),
                        String.join(", ", features))));
      }
    }
  }

  /**
   * Refuses a feature computed from the warehouse column the label comes from: the spine row's own
   * outcome, and outcomes not yet known at its time, would enter its features. Let through when the
   * view's created time holds late rows back and the set does so, or when the set acknowledges the
   * feature with a reason. Skipped when Calcite cannot analyse the spine.
   */
  private void checkLabelLineage(
      TrainingSetSpec spec,
      String label,
      Map<String, CompiledView> views,
      Map<String, Set<String>> selected,
      Map<String, SourcePosition> named,
      List<Diagnostic> problems) {
    Optional<Map<String, List<String>>> spine = spineLineage(spec.spineSql());
    if (spine.isEmpty()) {
      return;
    }
    Set<String> labelSources = new LinkedHashSet<>(spine.get().getOrDefault(label, List.of()));
    if (labelSources.isEmpty()) {
      return;
    }
    Set<String> acknowledged = new HashSet<>();
    spec.labelLineageOk()
        .forEach(a -> acknowledged.add(a.feature().view() + ":" + a.feature().feature()));
    selected.forEach(
        (name, features) -> {
          CompiledView view = views.get(name);
          if (view.spec().createdTime().isPresent() && spec.holdBackLate()) {
            return;
          }
          for (String feature : features) {
            String ref = name + ":" + feature;
            List<String> shared =
                view.sources(feature).stream().filter(labelSources::contains).toList();
            if (shared.isEmpty() || acknowledged.contains(ref)) {
              continue;
            }
            problems.add(
                new Diagnostic(
                    named.getOrDefault(ref, spec.position()),
                    ("feature %s is computed from %s, the %s label %s comes from: the spine row's own outcome, and every outcome not yet known at its %s, enters its features. "
                            + "Hold late data back with a created_time that marks when the label became known (training set header '-- late_data: hold_back' and the view's created_time), "
                            + "or acknowledge it in the header: '-- label_lineage_ok: %s <reason>'")
                        .formatted(
                            ref,
                            String.join(", ", shared),
                            shared.size() == 1 ? "column" : "columns",
                            label,
                            spec.timestamp(),
                            ref)));
          }
        });
  }

  /**
   * The warehouse columns each spine column comes from, as for a view's columns; empty when Calcite
   * cannot parse, validate or convert the spine (Trino SQL it does not read).
   */
  private Optional<Map<String, List<String>>> spineLineage(String sql) {
    try {
      SqlNode query =
          TrinoOperatorTable.bindTrinoFunctions(
              SqlParser.create(sql, FeatureSql.PARSER).parseQuery());
      JavaTypeFactoryImpl types = new JavaTypeFactoryImpl(AsofTypeSystem.INSTANCE);
      CalciteCatalogReader reader =
          FeatureSql.catalogReader(new WarehouseSchemas(warehouse), types, defaultCatalog);
      SqlValidator validator = FeatureSql.validator(reader, types);
      SqlNode validated = validator.validate(query);
      return Optional.of(ColumnLineage.of(validated, validator, reader, types));
    } catch (SqlParseException | CalciteException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether to prune a view's rows by the spine's keys and times: yes when the spine is small, or
   * ten times smaller than the view, or of unknown size; no for a big spine next to a view of
   * similar or unknown size, which it likely asks about mostly anyway, so the extra pass over it
   * would cost more than it saves.
   */
  public static boolean shouldPrune(OptionalLong spineRows, OptionalLong viewRows) {
    if (spineRows.isEmpty()) {
      return true;
    }
    if (viewRows.isPresent() && spineRows.getAsLong() * 10 < viewRows.getAsLong()) {
      return true;
    }
    return spineRows.getAsLong() < PRUNE_BELOW_SPINE_ROWS;
  }

  /**
   * How spine rows look their view rows up: directly when the spine's (key, time) pairs are mostly
   * distinct (fewer than two rows a pair, by Trino's estimates), else once per distinct pair, which
   * costs one more pass over the spine but does the range lookup once for all of a pair's rows.
   * Measured on TPC-H sf1 orders: by customer (1.5M pairs for 1.5M rows) the direct lookup took 3.9
   * s against 5.4 s by pairs; by nation (60k pairs) pairs took 3.9 s against 4.1 s directly.
   */
  public static Lookup lookup(OptionalLong spineRows, OptionalLong distinctPairs) {
    if (spineRows.isPresent()
        && distinctPairs.isPresent()
        && distinctPairs.getAsLong() * 2 > spineRows.getAsLong()) {
      return Lookup.SPINE_ROWS;
    }
    return Lookup.DISTINCT_PAIRS;
  }

  /**
   * Whether the statement reads a view's stored range ends ({@link ViewRows#validUntil()}) or
   * computes them: stored ones only when spine rows look their rows up directly. Measured on TPC-H
   * sf1 orders (./asof bench training-set, one run each, same Trino): by customer (direct lookup)
   * the stored ends took 5.7 s against 9.6 s for join-then-ROW_NUMBER; by nation with a 365-day TTL
   * (lookup by pairs) they took 21.8 s, and computing them over the same table 6.4 s.
   */
  public static Optional<String> rangeEnds(Lookup lookup, ViewRows rows) {
    return lookup == Lookup.SPINE_ROWS ? rows.validUntil() : Optional.empty();
  }

  /** Trino's estimate of how many distinct (keys, time) pairs the spine has. */
  public static OptionalLong distinctPairs(
      QueryEngine engine, String spineSql, List<String> keys, String timestamp) {
    List<String> columns = new ArrayList<>();
    for (String key : keys) {
      columns.add(PointInTimeSql.quote(key));
    }
    columns.add(PointInTimeSql.quote(timestamp));
    return estimatedRows(
        engine,
        "SELECT DISTINCT %s FROM (\n%s\n) AS s".formatted(String.join(", ", columns), spineSql));
  }

  /**
   * Trino's estimate of a query's row count, from its plan; empty when it has none, or cannot plan
   * the query (a view not published yet: what reads it says so, with what to do).
   */
  public static OptionalLong estimatedRows(QueryEngine engine, String sql) {
    String plan;
    try {
      plan = engine.explain(sql);
    } catch (QueryEngineException e) {
      return OptionalLong.empty();
    }
    Matcher rows = ESTIMATED_ROWS.matcher(plan);
    if (!rows.find() || rows.group(1).equals("?")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(rows.group(1)));
  }

  /** Whether a spine key can be joined with a view key: the same type, or both integers. */
  static boolean compatible(String spineType, String viewType) {
    String a = base(spineType);
    String b = base(viewType);
    return a.equals(b) || (INTEGRAL.contains(a) && INTEGRAL.contains(b));
  }

  private static String base(String type) {
    int paren = type.indexOf('(');
    return (paren < 0 ? type : type.substring(0, paren)).strip().toLowerCase(Locale.ROOT);
  }
}
