package io.asof.server;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.SpineRows;
import io.asof.jobs.AdHocTrainingSet;
import io.asof.jobs.BuildListener;
import io.asof.jobs.TrainingRows;
import io.asof.jobs.TrainingSetService;
import io.asof.model.Column;
import io.asof.registry.TrainingBuild;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The training-set endpoints: ad-hoc queries, builds, the list of builds. */
final class TrainingSetRoutes {
  /** Rows a query returns when the request gives no limit. */
  static final int DEFAULT_LIMIT = 10_000;

  /** The most rows a query returns; build the set and read its table for more. */
  static final int MAX_LIMIT = 100_000;

  /** The name an ad-hoc query's set gets (it is never written anywhere). */
  private static final String QUERY_NAME = "adhoc";

  private final TrainingSetService service;
  private final Json json;

  TrainingSetRoutes(TrainingSetService service, Json json) {
    this.service = service;
    this.json = json;
  }

  /** {@code POST /v1/training-sets/query}: the first rows of an ad-hoc set, and its statement. */
  void query(Context ctx) throws IOException {
    TrainingSetRequest request = json.read(body(ctx), TrainingSetRequest.class);
    if (!request.hasSpine()) {
      throw new ApiException(
          400,
          "an ad-hoc training set needs a spine: spine_sql (a query) or spine_rows (at most %,d rows)"
              .formatted(SpineRows.MAX_ROWS));
    }
    int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new ApiException(
          400,
          "limit is %d: a query returns 0 to %,d rows; build the training set (POST /v1/training-sets/{name}/builds) and read its table for more"
              .formatted(limit, MAX_LIMIT));
    }
    AdHocTrainingSet adHoc = adHoc(request);
    service.checkReachable();
    CompiledTrainingSet set = service.compile(QUERY_NAME, Optional.of(adHoc));
    TrainingRows rows = service.query(set, limit);
    List<TrainingSetReplies.Column> columns = new ArrayList<>();
    for (Column column : rows.columns()) {
      columns.add(new TrainingSetReplies.Column(column.name(), column.type()));
    }
    List<Object> values = new ArrayList<>(rows.rows().size());
    for (List<Object> row : rows.rows()) {
      values.add(Json.value(row));
    }
    respond(
        ctx,
        200,
        new TrainingSetReplies.QueryResult(
            columns, values, rows.rows().size(), rows.limit(), rows.truncated(), rows.sql()));
  }

  /**
   * {@code POST /v1/training-sets/{name}/builds}: builds the repository's set, or an ad-hoc one.
   */
  void build(Context ctx) throws IOException {
    String name = name(ctx);
    String body = body(ctx);
    TrainingSetRequest request =
        body.isBlank() ? TrainingSetRequest.NONE : json.read(body, TrainingSetRequest.class);
    if (request.limit() != null) {
      throw new ApiException(
          400, "limit is for POST /v1/training-sets/query: a build writes every row");
    }
    Optional<AdHocTrainingSet> adHoc = Optional.empty();
    if (request.hasSpine()) {
      // an ad-hoc spine is SQL over the warehouse: building one needs what querying one does
      Security.demand(ctx, Permission.QUERY);
      if (service.defines(name)) {
        // an ad-hoc build would replace the table the repository's set is built into, and the
        // models trained on it
        throw new ApiException(
            409,
            "training set %s is defined by the repository (training_sets/%s.sql): build it without a body, or give the ad-hoc set a name of its own"
                .formatted(name, name));
      }
      adHoc = Optional.of(adHoc(request));
    } else if (!request.isEmpty()) {
      throw new ApiException(
          400,
          "an ad-hoc training set needs a spine: spine_sql or spine_rows; send no body (or {}) to build the repository's training set "
              + name);
    }
    service.checkReachable();
    CompiledTrainingSet set = service.compile(name, adHoc);
    TrainingBuild build = service.build(set, BuildListener.NONE);
    respond(ctx, 201, build(build));
  }

  /** {@code GET /v1/training-sets/{name}/builds}: the recorded builds, newest first. */
  void builds(Context ctx) {
    String name = name(ctx);
    List<TrainingBuild> builds = service.builds(name);
    if (builds.isEmpty() && !service.defines(name)) {
      throw new ApiException(
          404,
          "no training set %s: it is not in the repository and was never built".formatted(name));
    }
    respond(
        ctx,
        200,
        new TrainingSetReplies.Builds(
            name, builds.stream().map(TrainingSetRoutes::build).toList()));
  }

  private void respond(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(json.write(body));
  }

  private static String name(Context ctx) {
    String name = ctx.pathParam("name");
    try {
      TrainingSetService.checkName(name);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage());
    }
    return name;
  }

  private static String body(Context ctx) {
    return ctx.body();
  }

  /** The request as an ad-hoc set; the spine rows become a VALUES query here, before any work. */
  private static AdHocTrainingSet adHoc(TrainingSetRequest request) {
    if (request.spineSql() != null && request.spineRows() != null) {
      throw new ApiException(400, "give the spine once: spine_sql or spine_rows, not both");
    }
    if (request.timestamp() == null) {
      throw new ApiException(
          400, "an ad-hoc training set needs timestamp: the spine column features are taken as of");
    }
    List<String> features = request.features() == null ? List.of() : request.features();
    if (features.isEmpty() && request.featureService() == null) {
      throw new ApiException(
          400,
          "an ad-hoc training set needs features [\"view:feature\", \"view:*\", ...] or feature_service");
    }
    // List.of() (no features: a feature service alone) throws on contains(null)
    if (features.stream().anyMatch(Objects::isNull)) {
      throw new ApiException(400, "features holds a null: each is \"view:feature\" or \"view:*\"");
    }
    String spineSql =
        request.spineSql() != null
            ? request.spineSql()
            : SpineRows.fromObjects(request.spineRows(), "spine_rows");
    return new AdHocTrainingSet(
        "Ad hoc, over HTTP.",
        () -> spineSql,
        Path.of(request.spineSql() != null ? "spine_sql" : "spine_rows"),
        request.timestamp(),
        features,
        Path.of("features"),
        Optional.ofNullable(request.featureService()),
        Optional.ofNullable(request.label()),
        Boolean.TRUE.equals(request.eventTimes()));
  }

  /** A build as the API shows it. */
  static TrainingSetReplies.Build build(TrainingBuild build) {
    return new TrainingSetReplies.Build(
        build.name(),
        build.table(),
        build.snapshotId(),
        build.rows(),
        build.bytes(),
        build.took().toMillis() / 1000.0,
        build.builtAt().toString(),
        build.fingerprint(),
        build.featureVersions(),
        build.spineSql());
  }
}
