package io.asof.server;

import io.asof.compiler.backfill.BackfillSql;
import io.asof.compiler.catalog.MetadataSql;
import io.asof.engine.Column;
import io.asof.engine.QueryEngine;
import io.asof.engine.SqlQuoting;
import io.asof.jobs.WindowedOnline;
import io.asof.model.Materialization;
import io.asof.model.PushTables;
import io.asof.model.Schemas;
import io.asof.model.Suggestions;
import io.asof.push.PushAck;
import io.asof.push.PushRejectedException;
import io.asof.push.PushService;
import io.asof.push.PushView;
import io.asof.push.TileTarget;
import io.asof.registry.AppliedView;
import io.asof.registry.RegistryStore;
import io.asof.registry.ViewVersion;
import io.asof.server.OnlineCatalog.Served;
import io.asof.server.OnlineCatalog.Snapshot;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code POST /v1/push/{view}}: a batch of rows for a push view, as a JSON array or NDJSON,
 * answered once it is durable; and where {@link PushService} finds push views: the online catalog's
 * snapshot of the registry (read again at once when a push names a view it does not know, so a view
 * applied a moment ago is found).
 */
final class PushRoutes implements PushService.Views {
  /** A push naming an unknown view reads the registry again at most this often. */
  private static final Duration MISS_REFRESH = Duration.ofSeconds(1);

  private final OnlineCatalog catalog;
  private final RegistryStore registry;
  private final QueryEngine engine;
  private final String sqlCatalog;
  private final Json json;

  /** Each view version's columns declared NOT NULL, read once from its table. */
  private final Map<String, List<String>> notNull = new ConcurrentHashMap<>();

  private volatile Instant lastMissRefresh = Instant.EPOCH;

  PushRoutes(
      OnlineCatalog catalog,
      RegistryStore registry,
      QueryEngine engine,
      String sqlCatalog,
      Json json) {
    this.catalog = catalog;
    this.registry = registry;
    this.engine = engine;
    this.sqlCatalog = sqlCatalog;
    this.json = json;
  }

  /** The route, as errors and metrics name it. */
  static final String ROUTE = "/v1/push/{view}";

  /** The media types a push takes: the Content-Type alone says which format the body is. */
  static final String JSON = "application/json";

  static final String NDJSON = "application/x-ndjson";

  void push(Context ctx, PushService service, PushMetrics metrics, long maxBodyBytes)
      throws IOException {
    boolean dryRun = "true".equalsIgnoreCase(ctx.queryParam("dry_run"));
    byte[] rows = Security.body(ctx, ROUTE, maxBodyBytes);
    String contentType = format(ctx, rows);
    PushAck ack =
        dryRun
            ? service.check(ctx.pathParam("view"), rows, contentType)
            : service.push(ctx.pathParam("view"), rows, contentType);
    if (!dryRun) {
      metrics.pushed(ack.view(), ack.rows());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    if (dryRun) {
      body.put("dry_run", true);
    }
    body.put("view", ack.view());
    body.put("version", ack.version());
    body.put("rows", ack.rows());
    body.put("sequence", ack.sequence());
    body.put("online", ack.online());
    ctx.status(200).contentType("application/json").result(json.write(body));
  }

  /**
   * The body's format, from its Content-Type only (Security admits only these two): a JSON body
   * must be an array of rows, NDJSON is one object per line; the parser is told which.
   */
  private static String format(Context ctx, byte[] body) {
    String type = ctx.header("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (media.equals(NDJSON)) {
      return NDJSON;
    }
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        if (b != '[') {
          throw new PushRejectedException(
              400,
              "a push sent as application/json is a JSON array of rows [{...}, {...}]: send one object per line as 'Content-Type: application/x-ndjson' instead");
        }
        break;
      }
    }
    return JSON;
  }

  @Override
  public PushView current(String name) {
    Snapshot snapshot = catalog.snapshot();
    AppliedView view = snapshot.views().get(name);
    if (view == null && Instant.now().isAfter(lastMissRefresh.plus(MISS_REFRESH))) {
      lastMissRefresh = Instant.now();
      catalog.refresh();
      snapshot = catalog.snapshot();
      view = snapshot.views().get(name);
    }
    if (view == null) {
      List<String> push =
          snapshot.views().values().stream()
              .filter(v -> v.materialization() == Materialization.PUSH)
              .map(AppliedView::name)
              .toList();
      throw new PushRejectedException(
          404,
          "unknown view %s: the push views applied are %s%s"
              .formatted(
                  PushRejectedException.echo(name),
                  push.isEmpty()
                      ? "none (declare one with -- push: true, then ./asof apply)"
                      : push,
                  name.length() > PushRejectedException.ECHO_CHARACTERS
                      ? ""
                      : Suggestions.didYouMean(name, push)));
    }
    if (view.materialization() != Materialization.PUSH) {
      throw new PushRejectedException(
          400,
          "view %s is a %s view, computed by its SQL; only push views (declared with -- push: true) take pushed rows"
              .formatted(name, view.materialization().name().toLowerCase(java.util.Locale.ROOT)));
    }
    Served served = snapshot.online().get(name);
    boolean online =
        served != null && served.enabled() && served.group().version() == view.version();
    return pushView(view, online ? Optional.of(served) : Optional.empty(), tiles(snapshot, view));
  }

  /**
   * The aggregation views online that read push view {@code view} alone, whose tiles its pushes
   * update; only for the version applied now (they read its published view).
   */
  private static List<TileTarget> tiles(Snapshot snapshot, AppliedView view) {
    AppliedView current = snapshot.views().get(view.name());
    if (current == null || current.version() != view.version()) {
      return List.of();
    }
    List<TileTarget> targets = new ArrayList<>();
    for (Served served : snapshot.online().values()) {
      if (!served.enabled() || served.windowed().isEmpty()) {
        continue;
      }
      WindowedOnline windowed = served.windowed().get();
      boolean reads =
          windowed
              .aggregation()
              .pushSource()
              .filter(source -> source.view().equals(view.name()))
              .isPresent();
      if (reads) {
        targets.add(
            new TileTarget(
                served.view().name(),
                windowed.table(),
                windowed.aggregation(),
                served.group().loadedThrough().orElse(Instant.EPOCH)));
      }
    }
    return targets;
  }

  @Override
  public Optional<PushView> version(String name, int version) {
    return registry
        .version(name, version)
        .filter(v -> v.retiredAt().isEmpty())
        .map(ViewVersion::view)
        .filter(v -> v.materialization() == Materialization.PUSH)
        .map(
            v -> {
              Served served = catalog.snapshot().online().get(name);
              boolean online =
                  served != null && served.enabled() && served.group().version() == version;
              return pushView(
                  v, online ? Optional.of(served) : Optional.empty(), tiles(catalog.snapshot(), v));
            });
  }

  private PushView pushView(AppliedView view, Optional<Served> online, List<TileTarget> tiles) {
    return new PushView(
        view.name(),
        view.version(),
        view.columns(),
        view.columns().stream()
            .map(c -> new Column(c.name(), BackfillSql.storedType(c.type())))
            .toList(),
        view.keyColumns(),
        view.eventTime(),
        notNull.computeIfAbsent(
            view.name() + "@" + view.version(), k -> notNullColumns(view, version(view))),
        "%s.%s.%s"
            .formatted(
                SqlQuoting.identifier(sqlCatalog),
                SqlQuoting.identifier(Schemas.FEATURES),
                SqlQuoting.identifier(PushTables.table(view.name(), view.version()))),
        "%s.%s.%s"
            .formatted(
                SqlQuoting.identifier(sqlCatalog),
                SqlQuoting.identifier(Schemas.STAGING),
                SqlQuoting.identifier(PushTables.table(view.name(), view.version()) + "__push")),
        view.ttl(),
        online.map(Served::table),
        tiles);
  }

  private static String version(AppliedView view) {
    return PushTables.table(view.name(), view.version());
  }

  /**
   * The columns besides keys and event time that the version's table declares NOT NULL (the
   * registry keeps types, not nullability): a pushed row without them would fail its commit, so it
   * is refused when pushed.
   */
  private List<String> notNullColumns(AppliedView view, String table) {
    List<String> columns = new ArrayList<>();
    for (List<Object> row :
        engine.query(MetadataSql.notNullColumns(sqlCatalog, Schemas.FEATURES, table)).rows()) {
      String column = (String) row.getFirst();
      if (!view.keyColumns().contains(column) && !column.equals(view.eventTime())) {
        columns.add(column);
      }
    }
    return columns;
  }
}
