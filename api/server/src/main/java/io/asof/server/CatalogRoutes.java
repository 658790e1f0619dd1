package io.asof.server;

import io.asof.engine.Column;
import io.asof.features.repository.RepositoryLoader;
import io.asof.jobs.DriftService;
import io.asof.jobs.TrainingSetService;
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
    List<Map<String, Object>> views = new ArrayList<>();
    List<AppliedView> applied = new ArrayList<>(registry.views());
    applied.sort(
        Comparator.comparing((AppliedView v) -> !v.name().contains(query.toLowerCase(Locale.ROOT)))
            .thenComparing(AppliedView::name));
    for (AppliedView view : applied) {
      Map<String, Object> summary = summary(view, repo, online);
      String text = searchText(view, summary);
      if (words.stream().allMatch(text::contains)) {
        views.add(summary);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", query);
    body.put("views", views);
    respond(ctx, body);
  }

  /** {@code GET /v1/catalog/views/{name}}: everything the view page shows. */
  void view(Context ctx) {
    AppliedView view = applied(ctx.pathParam("name"));
    FeatureRepository repo = repository();
    Map<String, Object> body = summary(view, repo, onlineGroups());
    body.put("event_time", view.eventTime());
    body.put("created_time", view.createdTime().orElse(null));
    body.put("ttl", view.ttl().map(Durations::format).orElse(null));
    body.put("fingerprint", view.fingerprint());
    body.put("sql", view.sql());
    List<Map<String, Object>> columns = new ArrayList<>();
    Map<String, Set<String>> tables = new TreeMap<>();
    List<Map<String, Object>> edges = new ArrayList<>();
    for (Column column : view.columns()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("name", column.name());
      c.put("type", column.type());
      c.put("role", role(view, column.name()));
      c.put("description", view.description(column.name()));
      c.put("sources", view.sources(column.name()));
      c.put("window", view.window(column.name()).map(Durations::format).orElse(null));
      columns.add(c);
      for (String source : view.sources(column.name())) {
        int dot = source.lastIndexOf('.');
        tables
            .computeIfAbsent(source.substring(0, dot), t -> new TreeSet<>())
            .add(source.substring(dot + 1));
        edges.add(edge(source, column.name()));
      }
    }
    body.put("columns", columns);
    List<Map<String, Object>> sources = new ArrayList<>();
    tables.forEach(
        (table, cols) -> {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("table", table);
          t.put("columns", List.copyOf(cols));
          sources.add(t);
        });
    Map<String, Object> lineage = new LinkedHashMap<>();
    lineage.put("tables", sources);
    lineage.put("edges", edges);
    body.put("lineage", lineage);
    body.put("freshness", freshness(view));
    body.put(
        "online_status", registry.onlineGroup(view.name()).map(CatalogRoutes::online).orElse(null));
    List<Map<String, Object>> versions = new ArrayList<>();
    for (ViewVersion version : registry.versions(view.name())) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("version", version.version());
      v.put("fingerprint", version.view().fingerprint());
      v.put("applied_at", version.view().appliedAt().toString());
      v.put("retired_at", version.retiredAt().map(Instant::toString).orElse(null));
      v.put("current", version.version() == view.version());
      versions.add(v);
    }
    body.put("versions", versions);
    body.put("training_sets", trainingSetsUsing(view.name(), repo));
    List<Map<String, Object>> services = new ArrayList<>();
    for (FeatureServiceSpec service : repo.services()) {
      if (service.features().stream().anyMatch(f -> f.view().equals(view.name()))) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", service.name());
        s.put("description", service.description());
        s.put("features", service.features().stream().map(FeatureRef::toString).toList());
        services.add(s);
      }
    }
    body.put("feature_services", services);
    respond(ctx, body);
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
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("view", view.name());
    body.put("version", view.version());
    body.put("materialization", materialization(view));
    body.put(
        "note",
        view.materialization() == Materialization.MATERIALIZED
            ? null
            : "view %s is %s: statistics are recorded per backfilled chunk of a materialized view"
                .formatted(view.name(), materialization(view)));
    List<Map<String, Object>> out = new ArrayList<>();
    for (String name : features) {
      List<ChunkStatistics> chunks = registry.statistics(view.name(), view.version(), name);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("name", name);
      f.put(
          "type",
          view.columns().stream()
              .filter(c -> c.name().equals(name))
              .findFirst()
              .map(Column::type)
              .orElse(""));
      f.put("chunks", chunks.stream().map(CatalogRoutes::chunk).toList());
      Optional<ChunkStatistics> latest =
          chunks.stream().max(Comparator.comparing(ChunkStatistics::to));
      f.put("latest", latest.map(CatalogRoutes::chunk).orElse(null));
      f.put("histogram", latest.map(l -> histogram(l.statistics())).orElse(List.of()));
      out.add(f);
    }
    body.put("features", out);
    respond(ctx, body);
  }

  /** {@code GET /v1/catalog/training-sets}: the repository's sets and every set built. */
  void trainingSets(Context ctx) {
    FeatureRepository repo = repository();
    Map<String, Map<String, Object>> sets = new TreeMap<>();
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
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("training_sets", List.copyOf(sets.values()));
    respond(ctx, body);
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
    Map<String, Object> body = trainingSet(name, spec, builds);
    body.put("spine_sql", spec.map(TrainingSetSpec::spineSql).orElse(null));
    body.put("builds", builds.stream().map(TrainingSetRoutes::build).toList());
    respond(ctx, body);
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

  private Map<String, Object> trainingSet(
      String name, Optional<TrainingSetSpec> spec, List<TrainingBuild> builds) {
    Map<String, Object> set = new LinkedHashMap<>();
    set.put("name", name);
    set.put("in_repository", spec.isPresent());
    set.put("description", spec.map(TrainingSetSpec::description).orElse(""));
    set.put("timestamp", spec.map(TrainingSetSpec::timestamp).orElse(null));
    set.put("label", spec.flatMap(TrainingSetSpec::label).orElse(null));
    set.put(
        "features",
        spec.map(s -> s.features().stream().map(FeatureRef::toString).toList()).orElse(List.of()));
    set.put("feature_service", spec.flatMap(TrainingSetSpec::featureService).orElse(null));
    set.put("build_count", builds.size());
    set.put("last_build", builds.isEmpty() ? null : TrainingSetRoutes.build(builds.getFirst()));
    return set;
  }

  /** The training sets whose definition or builds read the view. */
  private List<Map<String, Object>> trainingSetsUsing(String view, FeatureRepository repo) {
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
    List<Map<String, Object>> sets = new ArrayList<>();
    names.forEach((name, spec) -> sets.add(trainingSet(name, spec, registry.builds(name))));
    return sets;
  }

  private Map<String, Object> summary(
      AppliedView view, FeatureRepository repo, Map<String, OnlineGroup> online) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("name", view.name());
    summary.put("version", view.version());
    summary.put("description", view.description());
    summary.put("owner", view.owner());
    summary.put("entity", view.entity());
    summary.put("key_columns", view.keyColumns());
    summary.put("tags", repo.view(view.name()).map(FeatureViewSpec::tags).orElse(List.of()));
    summary.put("materialization", materialization(view));
    OnlineGroup group = online.get(view.name());
    summary.put("online", group != null && group.state() == OnlineGroup.State.ENABLED);
    summary.put("features", features(view));
    summary.put("windows", view.windows().stream().map(Durations::format).toList());
    summary.put("applied_at", view.appliedAt().toString());
    return summary;
  }

  private static String searchText(AppliedView view, Map<String, Object> summary) {
    List<String> parts = new ArrayList<>();
    parts.add(view.name());
    parts.add(view.description());
    parts.add(view.owner());
    parts.add(view.entity());
    parts.add(String.valueOf(summary.get("materialization")));
    if (view.aggregation()) {
      parts.add("aggregation");
    }
    if (Boolean.TRUE.equals(summary.get("online"))) {
      parts.add("online");
    }
    for (Object tag : (List<?>) summary.get("tags")) {
      parts.add(String.valueOf(tag));
    }
    parts.addAll(features(view));
    view.columnDescriptions().values().forEach(parts::add);
    return String.join("\n", parts).toLowerCase(Locale.ROOT);
  }

  /** Where the view's table is filled up to, and when it was last written. */
  private Map<String, Object> freshness(AppliedView view) {
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
    Map<String, Object> freshness = new LinkedHashMap<>();
    freshness.put("table", table);
    freshness.put("filled_from", from == null ? null : from.toString());
    freshness.put("watermark", watermark == null ? null : watermark.toString());
    freshness.put("last_materialized_at", last == null ? null : last.toString());
    freshness.put("committed_chunks", committed);
    return freshness;
  }

  private static Map<String, Object> online(OnlineGroup group) {
    Map<String, Object> online = new LinkedHashMap<>();
    online.put("state", group.state().name().toLowerCase(Locale.ROOT));
    online.put("mode", group.mode().name().toLowerCase(Locale.ROOT));
    online.put("version", group.version());
    online.put("table", group.table());
    online.put("loaded_through", group.loadedThrough().map(Instant::toString).orElse(null));
    online.put("items", group.items());
    online.put("enabled_at", group.enabledAt().toString());
    online.put("updated_at", group.updatedAt().toString());
    return online;
  }

  private static Map<String, Object> chunk(ChunkStatistics chunk) {
    FeatureStatistics s = chunk.statistics();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("job_id", chunk.jobId());
    c.put("chunk", chunk.chunkIndex());
    c.put("from", chunk.from().toString());
    c.put("to", chunk.to().toString());
    c.put("rows", s.rows());
    c.put("nulls", s.nulls());
    c.put("min", DriftJson.number(s.min()));
    c.put("max", DriftJson.number(s.max()));
    c.put("mean", DriftJson.number(s.mean()));
    c.put("distinct", whole(s.distinct()));
    c.put(
        "quantiles",
        s.quantiles().stream()
            .map(q -> Map.<String, Object>of("fraction", q.fraction(), "value", q.value()))
            .toList());
    c.put(
        "top_values",
        s.topValues().stream()
            .map(v -> Map.<String, Object>of("value", v.value(), "count", v.count()))
            .toList());
    c.put("earliest", s.earliest().orElse(null));
    c.put("latest", s.latest().orElse(null));
    return c;
  }

  /**
   * A numeric feature's distribution in one chunk as bins between its minimum, quantiles and
   * maximum, each with the share of values the quantiles put in it.
   */
  private static List<Map<String, Object>> histogram(FeatureStatistics s) {
    if (s.quantiles().isEmpty() || s.min().isEmpty() || s.max().isEmpty()) {
      return List.of();
    }
    List<Map<String, Object>> bins = new ArrayList<>();
    double lower = s.min().getAsDouble();
    double fraction = 0;
    List<FeatureStatistics.Quantile> edges = new ArrayList<>(s.quantiles());
    edges.add(new FeatureStatistics.Quantile(1, s.max().getAsDouble()));
    for (FeatureStatistics.Quantile q : edges) {
      Map<String, Object> bin = new LinkedHashMap<>();
      bin.put("lower", lower);
      bin.put("upper", q.value());
      bin.put("share", q.fraction() - fraction);
      bins.add(bin);
      lower = q.value();
      fraction = q.fraction();
    }
    return bins;
  }

  private static Long whole(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }

  private static Map<String, Object> edge(String from, String to) {
    Map<String, Object> edge = new LinkedHashMap<>();
    edge.put("from", from);
    edge.put("to", to);
    return edge;
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
