package io.asof.server;

import io.asof.features.repository.RepositoryLoader;
import io.asof.jobs.DriftService;
import io.asof.jobs.TrainingSetService;
import io.asof.model.Column;
import io.asof.model.Durations;
import io.asof.model.FeatureRef;
import io.asof.model.FeatureRepository;
import io.asof.model.FeatureServiceSpec;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.RepositoryException;
import io.asof.model.Suggestions;
import io.asof.model.TrainingSetSpec;
import io.asof.model.statistics.FeatureStatistics;
import io.asof.registry.AppliedView;
import io.asof.registry.BackfillChunk;
import io.asof.registry.BackfillJob;
import io.asof.registry.ChunkStatistics;
import io.asof.registry.OnlineGroup;
import io.asof.registry.RegistryStore;
import io.asof.registry.TrainingBuild;
import io.asof.registry.ViewVersion;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The catalog endpoints the web UI reads: the applied views (searchable), one view with its SQL,
 * columns, lineage, freshness, online status, versions and users, its chunk statistics, the
 * training sets with their builds, and a training set's drift report. Views come from the registry
 * (what was applied); tags, training sets and feature services from the repository served.
 */
final class CatalogRoutes {
  private final RegistryStore registry;
  private final DriftService drift;
  private final Path repository;
  private final Json json;

  CatalogRoutes(RegistryStore registry, DriftService drift, Path repository, Json json) {
    this.registry = registry;
    this.drift = drift;
    this.repository = repository;
    this.json = json;
  }

  /** {@code GET /v1/catalog/views?q=}: the views whose every word of {@code q} matches. */
  void views(Context ctx) {
    String query = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
    FeatureRepository repo = repository();
    Map<String, OnlineGroup> online = onlineGroups();
    List<String> words =
        query.isEmpty() ? List.of() : List.of(query.toLowerCase(Locale.ROOT).split("\\s+"));
    List<CatalogReplies.ViewSummary> views = new ArrayList<>();
    List<AppliedView> applied = new ArrayList<>(registry.views());
    applied.sort(
        Comparator.comparing((AppliedView v) -> !v.name().contains(query.toLowerCase(Locale.ROOT)))
            .thenComparing(AppliedView::name));
    for (AppliedView view : applied) {
      CatalogReplies.ViewSummary summary = summary(view, repo, online);
      String text = searchText(view, summary);
      if (words.stream().allMatch(text::contains)) {
        views.add(summary);
      }
    }
    respond(ctx, new CatalogReplies.ViewList(query, views));
  }

  /** {@code GET /v1/catalog/views/{name}}: everything the view page shows. */
  void view(Context ctx) {
    AppliedView view = applied(ctx.pathParam("name"));
    FeatureRepository repo = repository();
    List<CatalogReplies.ViewColumn> columns = new ArrayList<>();
    Map<String, Set<String>> tables = new TreeMap<>();
    List<CatalogReplies.Edge> edges = new ArrayList<>();
    for (Column column : view.columns()) {
      columns.add(
          new CatalogReplies.ViewColumn(
              column.name(),
              column.type(),
              role(view, column.name()),
              view.description(column.name()),
              view.sources(column.name()),
              view.window(column.name()).map(Durations::format).orElse(null)));
      for (String source : view.sources(column.name())) {
        int dot = source.lastIndexOf('.');
        tables
            .computeIfAbsent(source.substring(0, dot), t -> new TreeSet<>())
            .add(source.substring(dot + 1));
        edges.add(new CatalogReplies.Edge(source, column.name()));
      }
    }
    List<CatalogReplies.LineageTable> sources = new ArrayList<>();
    tables.forEach(
        (table, cols) -> sources.add(new CatalogReplies.LineageTable(table, List.copyOf(cols))));
    List<CatalogReplies.Version> versions = new ArrayList<>();
    for (ViewVersion version : registry.versions(view.name())) {
      versions.add(
          new CatalogReplies.Version(
              version.version(),
              version.view().fingerprint(),
              version.view().appliedAt().toString(),
              version.retiredAt().map(Instant::toString).orElse(null),
              version.version() == view.version()));
    }
    List<CatalogReplies.FeatureService> services = new ArrayList<>();
    for (FeatureServiceSpec service : repo.services()) {
      if (service.features().stream().anyMatch(f -> f.view().equals(view.name()))) {
        services.add(
            new CatalogReplies.FeatureService(
                service.name(),
                service.description(),
                service.features().stream().map(FeatureRef::toString).toList()));
      }
    }
    respond(
        ctx,
        new CatalogReplies.ViewDetail(
            summary(view, repo, onlineGroups()),
            view.eventTime(),
            view.createdTime().orElse(null),
            view.ttl().map(Durations::format).orElse(null),
            view.fingerprint(),
            view.sql(),
            columns,
            new CatalogReplies.Lineage(sources, edges),
            freshness(view),
            registry.onlineGroup(view.name()).map(CatalogRoutes::online).orElse(null),
            versions,
            trainingSetsUsing(view.name(), repo),
            services));
  }

  /**
   * {@code GET /v1/catalog/views/{name}/statistics?feature=&version=}: each feature's statistics
   * per committed backfill chunk, and a histogram of the latest chunk from its quantiles.
   */
  void statistics(Context ctx) {
    AppliedView current = applied(ctx.pathParam("name"));
    AppliedView view = current;
    String version = ctx.queryParam("version");
    if (version != null) {
      int number;
      try {
        number = Integer.parseInt(version);
      } catch (NumberFormatException e) {
        throw new ApiException(400, "version is '%s': give a whole number".formatted(version));
      }
      view =
          registry
              .version(current.name(), number)
              .map(ViewVersion::view)
              .orElseThrow(
                  () ->
                      new ApiException(
                          404,
                          "view %s has no version %s: its versions are %s"
                              .formatted(
                                  current.name(),
                                  version,
                                  registry.versions(current.name()).stream()
                                      .map(v -> Integer.toString(v.version()))
                                      .toList())));
    }
    List<String> features = features(view);
    String feature = ctx.queryParam("feature");
    if (feature != null) {
      if (!features.contains(feature)) {
        throw new ApiException(
            404,
            "view %s has no feature %s%s: its features are %s"
                .formatted(
                    view.name(),
                    feature,
                    Suggestions.didYouMean(feature, features),
                    String.join(", ", features)));
      }
      features = List.of(feature);
    }
    List<CatalogReplies.FeatureStatistics> out = new ArrayList<>();
    for (String name : features) {
      List<ChunkStatistics> chunks = registry.statistics(view.name(), view.version(), name);
      Optional<ChunkStatistics> latest =
          chunks.stream().max(Comparator.comparing(ChunkStatistics::to));
      out.add(
          new CatalogReplies.FeatureStatistics(
              name,
              view.columns().stream()
                  .filter(c -> c.name().equals(name))
                  .findFirst()
                  .map(Column::type)
                  .orElse(""),
              chunks.stream().map(CatalogRoutes::chunk).toList(),
              latest.map(CatalogRoutes::chunk).orElse(null),
              latest.map(l -> histogram(l.statistics())).orElse(List.of())));
    }
    respond(
        ctx,
        new CatalogReplies.Statistics(
            view.name(),
            view.version(),
            materialization(view),
            view.materialization() == Materialization.MATERIALIZED
                ? null
                : "view %s is %s: statistics are recorded per backfilled chunk of a materialized view"
                    .formatted(view.name(), materialization(view)),
            out));
  }

  /** {@code GET /v1/catalog/training-sets}: the repository's sets and every set built. */
  void trainingSets(Context ctx) {
    FeatureRepository repo = repository();
    Map<String, CatalogReplies.TrainingSetSummary> sets = new TreeMap<>();
    for (TrainingSetSpec spec : repo.trainingSets()) {
      sets.put(spec.name(), trainingSet(spec.name(), Optional.of(spec), List.of()));
    }
    Map<String, List<TrainingBuild>> builds = new TreeMap<>();
    registry.builds().forEach(b -> builds.computeIfAbsent(b.name(), n -> new ArrayList<>()).add(b));
    builds.forEach(
        (name, list) ->
            sets.put(
                name,
                trainingSet(
                    name,
                    repo.trainingSets().stream().filter(t -> t.name().equals(name)).findFirst(),
                    list)));
    respond(ctx, new CatalogReplies.TrainingSets(List.copyOf(sets.values())));
  }

  /** {@code GET /v1/catalog/training-sets/{name}}: a set's definition and its builds. */
  void trainingSet(Context ctx) {
    String name = ctx.pathParam("name");
    FeatureRepository repo = repository();
    Optional<TrainingSetSpec> spec =
        repo.trainingSets().stream().filter(t -> t.name().equals(name)).findFirst();
    List<TrainingBuild> builds = registry.builds(name);
    if (spec.isEmpty() && builds.isEmpty()) {
      Set<String> known = new TreeSet<>();
      repo.trainingSets().forEach(t -> known.add(t.name()));
      registry.builds().forEach(b -> known.add(b.name()));
      throw new ApiException(
          404,
          "no training set %s%s: it is not in the repository and was never built"
              .formatted(name, Suggestions.didYouMean(name, known)));
    }
    respond(
        ctx,
        new CatalogReplies.TrainingSetDetail(
            trainingSet(name, spec, builds),
            spec.map(TrainingSetSpec::spineSql).orElse(null),
            builds.stream().map(TrainingSetRoutes::build).toList()));
  }

  /** {@code GET /v1/training-sets/{name}/drift?feature=}: the drift report of the latest build. */
  void drift(Context ctx) {
    String name = ctx.pathParam("name");
    try {
      TrainingSetService.checkName(name);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
    respond(ctx, DriftJson.of(drift.report(name, Optional.ofNullable(ctx.queryParam("feature")))));
  }

  private static CatalogReplies.TrainingSetSummary trainingSet(
      String name, Optional<TrainingSetSpec> spec, List<TrainingBuild> builds) {
    return new CatalogReplies.TrainingSetSummary(
        name,
        spec.isPresent(),
        spec.map(TrainingSetSpec::description).orElse(""),
        spec.map(TrainingSetSpec::timestamp).orElse(null),
        spec.flatMap(TrainingSetSpec::label).orElse(null),
        spec.map(s -> s.features().stream().map(FeatureRef::toString).toList()).orElse(List.of()),
        spec.flatMap(TrainingSetSpec::featureService).orElse(null),
        builds.size(),
        builds.isEmpty() ? null : TrainingSetRoutes.build(builds.getFirst()));
  }

  /** The training sets whose definition or builds read the view. */
  private List<CatalogReplies.TrainingSetSummary> trainingSetsUsing(
      String view, FeatureRepository repo) {
    Map<String, Optional<TrainingSetSpec>> names = new TreeMap<>();
    for (TrainingSetSpec spec : repo.trainingSets()) {
      List<FeatureRef> refs = new ArrayList<>(spec.features());
      spec.featureService()
          .flatMap(s -> repo.services().stream().filter(x -> x.name().equals(s)).findFirst())
          .ifPresent(s -> refs.addAll(s.features()));
      if (refs.stream().anyMatch(r -> r.view().equals(view))) {
        names.put(spec.name(), Optional.of(spec));
      }
    }
    for (TrainingBuild build : registry.builds()) {
      if (build.featureVersions().containsKey(view)) {
        names.putIfAbsent(build.name(), Optional.empty());
      }
    }
    List<CatalogReplies.TrainingSetSummary> sets = new ArrayList<>();
    names.forEach((name, spec) -> sets.add(trainingSet(name, spec, registry.builds(name))));
    return sets;
  }

  private static CatalogReplies.ViewSummary summary(
      AppliedView view, FeatureRepository repo, Map<String, OnlineGroup> online) {
    OnlineGroup group = online.get(view.name());
    return new CatalogReplies.ViewSummary(
        view.name(),
        view.version(),
        view.description(),
        view.owner(),
        view.entity(),
        view.keyColumns(),
        repo.view(view.name()).map(FeatureViewSpec::tags).orElse(List.of()),
        materialization(view),
        group != null && group.state() == OnlineGroup.State.ENABLED,
        features(view),
        view.windows().stream().map(Durations::format).toList(),
        view.appliedAt().toString());
  }

  private static String searchText(AppliedView view, CatalogReplies.ViewSummary summary) {
    List<String> parts = new ArrayList<>();
    parts.add(view.name());
    parts.add(view.description());
    parts.add(view.owner());
    parts.add(view.entity());
    parts.add(summary.materialization());
    if (view.aggregation()) {
      parts.add("aggregation");
    }
    if (summary.online()) {
      parts.add("online");
    }
    parts.addAll(summary.tags());
    parts.addAll(features(view));
    view.columnDescriptions().values().forEach(parts::add);
    return String.join("\n", parts).toLowerCase(Locale.ROOT);
  }

  /** Where the view's table is filled up to, and when it was last written. */
  private CatalogReplies.Freshness freshness(AppliedView view) {
    if (view.materialization() == Materialization.VIRTUAL) {
      return null;
    }
    Instant from = null;
    Instant watermark = null;
    Instant last = null;
    String table = null;
    int committed = 0;
    for (BackfillJob job : registry.backfills(view.name())) {
      if (job.version() != view.version()) {
        continue;
      }
      table = job.table();
      for (BackfillChunk chunk : job.chunks()) {
        if (chunk.status() != BackfillChunk.Status.COMMITTED) {
          continue;
        }
        committed++;
        from = from == null || chunk.from().isBefore(from) ? chunk.from() : from;
        watermark = watermark == null || chunk.to().isAfter(watermark) ? chunk.to() : watermark;
        Instant at = chunk.committedAt().orElse(null);
        last = at != null && (last == null || at.isAfter(last)) ? at : last;
      }
    }
    return new CatalogReplies.Freshness(
        table,
        from == null ? null : from.toString(),
        watermark == null ? null : watermark.toString(),
        last == null ? null : last.toString(),
        committed);
  }

  private static CatalogReplies.OnlineStatus online(OnlineGroup group) {
    return new CatalogReplies.OnlineStatus(
        group.state().name().toLowerCase(Locale.ROOT),
        group.mode().name().toLowerCase(Locale.ROOT),
        group.version(),
        group.table(),
        group.loadedThrough().map(Instant::toString).orElse(null),
        group.items(),
        group.enabledAt().toString(),
        group.updatedAt().toString());
  }

  private static CatalogReplies.Chunk chunk(ChunkStatistics chunk) {
    FeatureStatistics s = chunk.statistics();
    return new CatalogReplies.Chunk(
        chunk.jobId(),
        chunk.chunkIndex(),
        chunk.from().toString(),
        chunk.to().toString(),
        s.rows(),
        s.nulls(),
        DriftJson.number(s.min()),
        DriftJson.number(s.max()),
        DriftJson.number(s.mean()),
        whole(s.distinct()),
        s.quantiles().stream()
            .map(q -> new CatalogReplies.Quantile(q.fraction(), q.value()))
            .toList(),
        s.topValues().stream().map(v -> new CatalogReplies.TopValue(v.value(), v.count())).toList(),
        s.earliest().orElse(null),
        s.latest().orElse(null));
  }

  /**
   * A numeric feature's distribution in one chunk as bins between its minimum, quantiles and
   * maximum, each with the share of values the quantiles put in it.
   */
  private static List<CatalogReplies.HistogramBin> histogram(FeatureStatistics s) {
    if (s.quantiles().isEmpty() || s.min().isEmpty() || s.max().isEmpty()) {
      return List.of();
    }
    List<CatalogReplies.HistogramBin> bins = new ArrayList<>();
    double lower = s.min().getAsDouble();
    double fraction = 0;
    List<FeatureStatistics.Quantile> edges = new ArrayList<>(s.quantiles());
    edges.add(new FeatureStatistics.Quantile(1, s.max().getAsDouble()));
    for (FeatureStatistics.Quantile q : edges) {
      bins.add(new CatalogReplies.HistogramBin(lower, q.value(), q.fraction() - fraction));
      lower = q.value();
      fraction = q.fraction();
    }
    return bins;
  }

  private static Long whole(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }

  private static String role(AppliedView view, String column) {
    if (view.keyColumns().contains(column)) {
      return "key";
    }
    if (view.eventTime().equals(column)) {
      return "event_time";
    }
    return view.createdTime().equals(Optional.of(column)) ? "created_time" : "feature";
  }

  private static List<String> features(AppliedView view) {
    return view.columns().stream()
        .map(Column::name)
        .filter(c -> role(view, c).equals("feature"))
        .toList();
  }

  private static String materialization(AppliedView view) {
    return view.materialization().name().toLowerCase(Locale.ROOT);
  }

  private AppliedView applied(String name) {
    return registry
        .view(name)
        .orElseThrow(
            () -> {
              List<String> known = registry.views().stream().map(AppliedView::name).toList();
              return new ApiException(
                  404,
                  "no view %s%s: it is not applied; the views are %s (./asof apply publishes a repository's views)"
                      .formatted(
                          name, Suggestions.didYouMean(name, known), String.join(", ", known)));
            });
  }

  private Map<String, OnlineGroup> onlineGroups() {
    Map<String, OnlineGroup> groups = new LinkedHashMap<>();
    registry.onlineGroups().forEach(g -> groups.put(g.view(), g));
    return groups;
  }

  /** The repository served, or an empty one when it does not load (the registry still answers). */
  private FeatureRepository repository() {
    try {
      return RepositoryLoader.load(repository);
    } catch (RepositoryException e) {
      return new FeatureRepository(repository, List.of(), List.of(), List.of(), List.of());
    }
  }

  private void respond(Context ctx, Object body) {
    ctx.status(200).contentType("application/json").result(json.write(body));
  }
}
