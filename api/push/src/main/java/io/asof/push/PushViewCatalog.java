package io.asof.push;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.backfill.BackfillSql;
import io.asof.compiler.catalog.MetadataSql;
import io.asof.engine.QueryEngine;
import io.asof.engine.SqlQuoting;
import io.asof.model.Column;
import io.asof.model.Materialization;
import io.asof.model.PushTables;
import io.asof.model.Schemas;
import io.asof.model.Suggestions;
import io.asof.model.window.WindowedAggregation;
import io.asof.online.OnlineTable;
import io.asof.registry.AppliedView;
import io.asof.registry.OnlineGroup;
import io.asof.registry.ViewRegistry;
import io.asof.registry.ViewVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where {@link PushService} finds push views: a push names a view, and this says which version of
 * it the rows go to, its tables, whether it is online and which aggregation views online read it,
 * from a snapshot of the registry (read again at once when a push names a view it does not know, so
 * a view applied a moment ago is found).
 */
public final class PushViewCatalog implements PushService.Views {
  /** A push naming an unknown view reads the registry again at most this often. */
  private static final Duration MISS_REFRESH = Duration.ofSeconds(1);

  /** The registry as last read (the server's online catalog), read again on demand. */
  public interface Source {
    /** The last snapshot read; never waits on the registry. */
    Snapshot snapshot();

    /** Reads the registry again now. */
    void refresh();
  }

  /** Every view applied and the views online, as read at one moment. */
  public interface Snapshot {
    /** Every view applied, by name. */
    Map<String, AppliedView> views();

    /** The online groups (enabled and disabled), by view. */
    Map<String, ? extends Online> online();
  }

  /** One view in an online group. */
  public interface Online {
    OnlineGroup group();

    /** The view's online table (keys and features). */
    OnlineTable table();

    /** For an aggregation view, its tiles' table; empty for any other view. */
    Optional<OnlineTable> tileTable();

    /** For an aggregation view, the aggregation its tiles hold; empty for any other view. */
    Optional<WindowedAggregation> aggregation();

    /** Whether the group is kept up to date and served. */
    default boolean enabled() {
      return group().state() == OnlineGroup.State.ENABLED;
    }
  }

  private final Source source;
  private final ViewRegistry registry;
  private final QueryEngine engine;
  private final String sqlCatalog;

  /** Each view version's columns declared NOT NULL, read once from its table. */
  private final Map<String, List<String>> notNull = new ConcurrentHashMap<>();

  private volatile Instant lastMissRefresh = Instant.EPOCH;

  /**
   * @param registry where older versions are found (with their retirement)
   * @param engine reads which columns each version's table declares NOT NULL
   * @param sqlCatalog the engine's catalog holding the views' tables
   */
  public PushViewCatalog(
      Source source, ViewRegistry registry, QueryEngine engine, String sqlCatalog) {
    this.source = requireNonNull(source, "source is null");
    this.registry = requireNonNull(registry, "registry is null");
    this.engine = requireNonNull(engine, "engine is null");
    this.sqlCatalog = requireNonNull(sqlCatalog, "sqlCatalog is null");
  }

  @Override
  public PushView current(String name) {
    Snapshot snapshot = source.snapshot();
    AppliedView view = snapshot.views().get(name);
    if (view == null && Instant.now().isAfter(lastMissRefresh.plus(MISS_REFRESH))) {
      lastMissRefresh = Instant.now();
      source.refresh();
      snapshot = source.snapshot();
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
              .formatted(name, view.materialization().name().toLowerCase(Locale.ROOT)));
    }
    return pushView(view, snapshot);
  }

  @Override
  public Optional<PushView> version(String name, int version) {
    return registry
        .version(name, version)
        .filter(v -> v.retiredAt().isEmpty())
        .map(ViewVersion::view)
        .filter(v -> v.materialization() == Materialization.PUSH)
        .map(v -> pushView(v, source.snapshot()));
  }

  /**
   * The view version's online table when its group is enabled at that version (a group still
   * holding another version is not written to).
   */
  private static Optional<OnlineTable> online(Snapshot snapshot, AppliedView view) {
    Online served = snapshot.online().get(view.name());
    boolean online =
        served != null && served.enabled() && served.group().version() == view.version();
    return online ? Optional.of(served.table()) : Optional.empty();
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
    for (Online served : snapshot.online().values()) {
      if (!served.enabled() || served.aggregation().isEmpty() || served.tileTable().isEmpty()) {
        continue;
      }
      WindowedAggregation aggregation = served.aggregation().get();
      boolean reads =
          aggregation.pushSource().filter(source -> source.view().equals(view.name())).isPresent();
      if (reads) {
        targets.add(
            new TileTarget(
                served.group().view(),
                served.tileTable().get(),
                aggregation,
                served.group().loadedThrough().orElse(Instant.EPOCH)));
      }
    }
    return targets;
  }

  private PushView pushView(AppliedView view, Snapshot snapshot) {
    String table = PushTables.table(view.name(), view.version());
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
            view.name() + "@" + view.version(), k -> notNullColumns(view, table)),
        "%s.%s.%s"
            .formatted(
                SqlQuoting.identifier(sqlCatalog),
                SqlQuoting.identifier(Schemas.FEATURES),
                SqlQuoting.identifier(table)),
        "%s.%s.%s"
            .formatted(
                SqlQuoting.identifier(sqlCatalog),
                SqlQuoting.identifier(Schemas.STAGING),
                SqlQuoting.identifier(table + "__push")),
        view.ttl(),
        online(snapshot, view),
        tiles(snapshot, view));
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
