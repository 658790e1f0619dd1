package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.CompiledView;
import io.asof.compiler.SpineGuard;
import io.asof.compiler.TrainingSetCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.model.Diagnostic;
import io.asof.model.FeatureRef;
import io.asof.model.FeatureRepository;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import io.asof.model.Suggestions;
import io.asof.model.TrainingSetSpec;
import io.asof.registry.AppliedView;
import io.asof.registry.RegistryStore;
import io.asof.registry.TrainingBuild;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Point-in-time training sets of one feature repository on one engine: compiled from the
 * repository's {@code training_sets/*.sql} or ad hoc, read, built into {@code
 * <catalog>.training.<name>} (each build an Iceberg snapshot, recorded in the registry), published
 * as views. The CLI and the server both call it; it is thread-safe as its engine and registry are.
 *
 * <p>It compiles and reads sets itself; where a view's rows are found is {@link ViewSources}'s to
 * say, which older versions a set may pin {@link PinnedViews}', and building or publishing a set is
 * {@link TrainingSetBuilder}'s.
 */
public final class TrainingSetService {
  /** Where training sets are built and published, beside the features schema. */
  public static final String TRAINING_SCHEMA = "training";

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  private final QueryEngine engine;
  private final EngineDialect dialect;
  private final RegistryStore registry;
  private final Path repository;
  private final String catalog;
  private final Optional<AdHocAccess> adHocAccess;
  private final FeatureCatalog features;
  private final ViewSources sources;
  private final TrainingSetBuilder builder;
  private final PinnedViews pinnedViews;

  /**
   * How ad-hoc spines from callers who may not run any SQL (the server's) are run: checked by the
   * {@link SpineGuard} against the schemas the views read plus {@code allowedSchemas}, and read on
   * {@code engine} (which may run as another user, with session limits).
   *
   * @param allowedSchemas {@code catalog.schema} names an admin allows beside the views' own
   */
  public record AdHocAccess(Set<String> allowedSchemas, QueryEngine engine) {
    public AdHocAccess {
      allowedSchemas = Set.copyOf(requireNonNull(allowedSchemas, "allowedSchemas is null"));
      allowedSchemas.forEach(SpineGuard.Policy::checkSchemaName);
      requireNonNull(engine, "engine is null");
    }
  }

  /**
   * Training sets on the engine {@code dialect} spells for.
   *
   * @param repository the feature repository's directory, as the user named it (messages show it)
   * @param catalog the Iceberg catalog the views are published in and sets are built in
   */
  public TrainingSetService(
      QueryEngine engine,
      EngineDialect dialect,
      RegistryStore registry,
      Path repository,
      String catalog) {
    this(
        engine,
        dialect,
        registry,
        repository,
        catalog,
        Optional.empty(),
        new FeatureCatalog(engine, dialect, registry, repository, catalog),
        new ViewSources(dialect, registry, catalog, new IcebergTableMetadata(engine)),
        new TrainingSetBuilder(
            engine, dialect, registry, catalog, new IcebergTableMetadata(engine)));
  }

  private TrainingSetService(
      QueryEngine engine,
      EngineDialect dialect,
      RegistryStore registry,
      Path repository,
      String catalog,
      Optional<AdHocAccess> adHocAccess,
      FeatureCatalog features,
      ViewSources sources,
      TrainingSetBuilder builder) {
    this.engine = requireNonNull(engine, "engine is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.registry = requireNonNull(registry, "registry is null");
    this.repository = requireNonNull(repository, "repository is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.adHocAccess = requireNonNull(adHocAccess, "adHocAccess is null");
    this.features = requireNonNull(features, "features is null");
    this.sources = requireNonNull(sources, "sources is null");
    this.builder = requireNonNull(builder, "builder is null");
    this.pinnedViews = new PinnedViews(registry, sources, repository);
  }

  /**
   * This service for callers who may not run SQL of their own: every ad-hoc spine is checked by the
   * {@link SpineGuard} and run as the guard rewrote it, on {@code access}'s engine, as are {@link
   * #query} statements.
   */
  public TrainingSetService guardingSpines(AdHocAccess access) {
    return new TrainingSetService(
        engine,
        dialect,
        registry,
        repository,
        catalog,
        Optional.of(access),
        features,
        sources,
        builder);
  }

  /**
   * This service guarding spines as {@link #guardingSpines(AdHocAccess)} does; when it guards them
   * already, itself; else with no schemas beyond the views' own, on the same engine.
   */
  public TrainingSetService guardingSpines() {
    return adHocAccess.isPresent() ? this : guardingSpines(new AdHocAccess(Set.of(), engine));
  }

  /** Where the views' rows are found, as this service's sets read them. */
  ViewSources sources() {
    return sources;
  }

  /** Whether ad-hoc spines are checked before they run. */
  public boolean guardsSpines() {
    return adHocAccess.isPresent();
  }

  /** Refuses a name that is not a plain SQL name, as tables are named after sets. */
  public static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "training set name '%s' is not a plain SQL name: lower-case letters, digits and _"
              .formatted(name));
    }
  }

  /** The table (or view) a set is built (or published) as: {@code <catalog>.training.<name>}. */
  public String table(String name) {
    return builder.table(name);
  }

  /**
   * What the engine holds under the set's name in the training schema: a table, a view, nothing.
   */
  public Optional<String> existing(String name) {
    return builder.existing(name);
  }

  /**
   * Fails with {@link EngineUnavailableException} unless the engine answers a trivial query; the
   * compiler reads an engine that does not answer as one without tables.
   */
  public void checkReachable() {
    String probe = "SELECT 1";
    try {
      engine.query(probe);
    } catch (QueryEngineException e) {
      throw EngineUnavailableException.of(e).orElseThrow(() -> e);
    }
  }

  /** Whether the repository defines a training set of this name. */
  public boolean defines(String name) {
    return features.current().repository().trainingSets().stream()
        .anyMatch(t -> t.name().equals(name));
  }

  /**
   * Compiles the repository's set {@code name}, or {@code adHoc} under that name, against the
   * published views; every view it reads must be applied as the repository has it now.
   *
   * @throws RepositoryException with every problem found, each placed in its file
   * @throws UnknownTrainingSetException when there is no ad-hoc set and the repository has no set
   *     of this name
   * @throws IllegalArgumentException when the ad-hoc set names an unknown view or service
   */
  public CompiledTrainingSet compile(String name, Optional<AdHocTrainingSet> adHoc)
      throws IOException {
    return compile(name, adHoc, Optional.empty());
  }

  /**
   * {@link #compile(String, Optional)}, with every backfilled view and every push view read as its
   * table was at {@code viewsAsOf} (Iceberg time travel): a training set rebuilt from the feature
   * values of that moment. Views not backfilled are computed from their SQL, as of now.
   */
  public CompiledTrainingSet compile(
      String name, Optional<AdHocTrainingSet> adHoc, Optional<Instant> viewsAsOf)
      throws IOException {
    return compile(name, adHoc, viewsAsOf, Map.of());
  }

  /**
   * {@link #compile(String, Optional, Optional)}, with the backfilled and push views named in
   * {@code snapshots} read at that Iceberg snapshot of their table ({@code FOR VERSION AS OF})
   * instead.
   *
   * @throws IllegalArgumentException when a named view is not read by the set, is not backfilled,
   *     or its table has no such snapshot
   */
  public CompiledTrainingSet compile(
      String name,
      Optional<AdHocTrainingSet> adHoc,
      Optional<Instant> viewsAsOf,
      Map<String, Long> snapshots)
      throws IOException {
    checkName(name);
    // the views as compiled when the registry or the repository last changed; the spine's tables
    // are read fresh for each set
    FeatureCatalog.Compiled compiled = this.features.current();
    FeatureRepository features = compiled.repository();
    List<CompiledView> views = compiled.views();
    EngineWarehouseCatalog warehouse = new EngineWarehouseCatalog(engine, dialect);
    if (adHoc.isPresent() && adHocAccess.isPresent()) {
      adHoc = Optional.of(guarded(adHoc.get(), views, warehouse));
    }
    TrainingSetSpec spec =
        adHoc.isPresent() ? adHocSpec(name, adHoc.get(), features) : defined(name, features);
    Map<String, Integer> pinned = pinnedViews.versions(spec, features);
    List<CompiledView> read = new ArrayList<>();
    for (CompiledView view : views) {
      if (!pinned.containsKey(view.name())) {
        read.add(view);
      }
    }
    pinned.forEach((view, version) -> read.add(pinnedViews.view(view, version)));
    CompiledTrainingSet set =
        new TrainingSetCompiler(adHoc.isPresent() ? adHocEngine() : engine, warehouse, catalog)
            .compile(spec, features, read, view -> sources.rows(view, pinned, viewsAsOf, snapshots))
            .reading(pinned, viewsAsOf);
    for (String view : snapshots.keySet()) {
      if (set.views().stream().noneMatch(v -> v.name().equals(view))) {
        throw new IllegalArgumentException(
            "a snapshot is given for view %s, but training set %s reads no feature of it"
                .formatted(view, name));
      }
      if (set.views().stream()
          .anyMatch(v -> v.name().equals(view) && v.aggregation().isPresent())) {
        throw new IllegalArgumentException(
            "view %s is an aggregation view, evaluated from its events in the warehouse, not read from a backfilled table, so it has no snapshots to read: drop its --view-snapshot"
                .formatted(view));
      }
    }
    checkApplied(set);
    return set;
  }

  /**
   * {@code adHoc} with its spine checked by the guard and replaced by the statement the guard
   * wrote; nothing of the spine reaches the engine before.
   */
  private AdHocTrainingSet guarded(
      AdHocTrainingSet adHoc, List<CompiledView> views, EngineWarehouseCatalog warehouse)
      throws IOException {
    SpineGuard guard =
        new SpineGuard(
            warehouse,
            SpineGuard.Policy.of(catalog, views, adHocAccess.orElseThrow().allowedSchemas()));
    String checked = guard.check(adHoc.spine().sql(), SourcePosition.start(adHoc.spineOrigin()));
    return new AdHocTrainingSet(
        adHoc.description(),
        () -> checked,
        adHoc.spineOrigin(),
        adHoc.timestamp(),
        adHoc.features(),
        adHoc.featuresOrigin(),
        adHoc.featureService(),
        adHoc.label(),
        adHoc.eventTimes());
  }

  /** The engine ad-hoc spines are read on: the guard's, else this service's own. */
  private QueryEngine adHocEngine() {
    return adHocAccess.map(AdHocAccess::engine).orElse(engine);
  }

  /**
   * The set's first {@code limit} rows (of the one statement, in the engine's order), and whether
   * there were more.
   */
  public TrainingRows query(CompiledTrainingSet set, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit is negative: " + limit);
    }
    List<List<Object>> rows =
        new ArrayList<>(adHocEngine().query(set.firstRows((long) limit + 1)).rows());
    boolean truncated = rows.size() > limit;
    if (truncated) {
      rows.subList(limit, rows.size()).clear();
    }
    return new TrainingRows(set.columns(), rows, limit, truncated, set.sql());
  }

  /**
   * Hands the set's rows to {@code consumer} in any order, for large loads: the engine may read
   * them from files instead of paging them (Athena unloads them to Parquet on S3).
   */
  public io.asof.engine.QueryStats streamUnordered(
      CompiledTrainingSet set, io.asof.engine.RowConsumer consumer) {
    return engine.streamUnordered(set.sql(), consumer);
  }

  /** Streams the set's rows (of the one statement, in the engine's order) to {@code consumer}. */
  public io.asof.engine.QueryStats stream(
      CompiledTrainingSet set, io.asof.engine.RowConsumer consumer) {
    return engine.stream(set.sql(), consumer);
  }

  /**
   * Builds the set into {@link #table(String)}, a new Iceberg snapshot, with comments on the table
   * and its columns where the engine keeps them, and records the build in the registry. On an
   * engine without {@code CREATE OR REPLACE TABLE} (Athena) a rebuild empties the table and fills
   * it again, two snapshots, the second recorded, and the set must yield the columns the table has.
   *
   * <p>A build is recorded or leaves no trace: when a step fails after the table was written (a
   * comment, the snapshot lookup, the registry), the table's earlier snapshot is made current again
   * (Iceberg's {@code rollback_to_snapshot}; its later snapshots stay) or, when the build created
   * the table, the table is dropped.
   *
   * @throws IllegalArgumentException when the set is published as a view, or on Athena when the
   *     table holds other columns
   * @throws io.asof.registry.LeaseHeldException while another build of the set runs
   * @throws IllegalStateException when a step after the write failed, saying how the table was
   *     restored
   */
  public TrainingBuild build(CompiledTrainingSet set, BuildListener listener) {
    return builder.build(set, listener);
  }

  /** Publishes the set as the view {@link #table(String)}: always current, nothing stored. */
  public void publish(CompiledTrainingSet set) {
    builder.publish(set);
  }

  /** The recorded builds of a set, newest first. */
  public List<TrainingBuild> builds(String name) {
    return registry.builds(name);
  }

  /** A hash of a statement, as builds record it. */
  public static String fingerprint(String sql) {
    return TrainingSetBuilder.fingerprint(sql);
  }

  private TrainingSetSpec defined(String name, FeatureRepository features) {
    return features.trainingSets().stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new UnknownTrainingSetException(
                    name,
                    repository,
                    Suggestions.didYouMean(
                        name,
                        features.trainingSets().stream().map(TrainingSetSpec::name).toList())));
  }

  private static TrainingSetSpec adHocSpec(
      String name, AdHocTrainingSet adHoc, FeatureRepository features) throws IOException {
    Optional<String> service = adHoc.featureService();
    if (service.isPresent()
        && features.services().stream().noneMatch(s -> s.name().equals(service.get()))) {
      throw new IllegalArgumentException(
          "unknown feature service %s%s"
              .formatted(
                  service.get(),
                  Suggestions.didYouMean(
                      service.get(), features.services().stream().map(s -> s.name()).toList())));
    }
    String spineSql = adHoc.spine().sql();
    SourcePosition where = SourcePosition.start(adHoc.spineOrigin());
    List<FeatureRef> refs = new ArrayList<>();
    List<SourcePosition> positions = new ArrayList<>();
    for (String text : adHoc.features()) {
      if (text.isBlank()) {
        continue;
      }
      FeatureRef ref = FeatureRef.parse(text.strip());
      if (ref.version().isEmpty() && features.view(ref.view()).isEmpty()) {
        throw new IllegalArgumentException(
            "unknown feature view %s%s"
                .formatted(
                    ref.view(),
                    Suggestions.didYouMean(
                        ref.view(), features.views().stream().map(v -> v.name()).toList())));
      }
      refs.add(ref);
      positions.add(SourcePosition.start(adHoc.featuresOrigin()));
    }
    return new TrainingSetSpec(
        name,
        adHoc.description(),
        spineSql,
        adHoc.timestamp(),
        adHoc.label(),
        refs,
        positions,
        adHoc.featureService(),
        adHoc.eventTimes(),
        true,
        where,
        where);
  }

  /** The set reads the published views: each must be applied, as the repository has it now. */
  private void checkApplied(CompiledTrainingSet set) {
    List<Diagnostic> problems = new ArrayList<>();
    for (CompiledView view : set.views()) {
      if (set.pinned().containsKey(view.name())) {
        continue;
      }
      Optional<AppliedView> applied = registry.view(view.name());
      if (applied.isEmpty()) {
        problems.add(
            new Diagnostic(
                view.spec().position(),
                "view %s is not applied, so there is nothing to read its features from: run ./asof apply --repo %s first"
                    .formatted(view.name(), repository)));
      } else if (!applied.get().fingerprint().equals(ApplyPlanner.fingerprint(view))) {
        problems.add(
            new Diagnostic(
                view.spec().position(),
                "view %s changed since it was applied (v%d): run ./asof apply --repo %s, so the training set reads what the repository says"
                    .formatted(view.name(), applied.get().version(), repository)));
      }
    }
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
  }
}
