package io.asof.jobs;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.CompiledView;
import io.asof.compiler.ViewRows;
import io.asof.compiler.backfill.BackfillSql;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.compiler.push.PushTableSql;
import io.asof.model.Materialization;
import io.asof.model.PushTables;
import io.asof.model.Schemas;
import io.asof.registry.AppliedView;
import io.asof.registry.RegistryStore;
import io.asof.registry.ViewVersion;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a view's rows are found, the one place that decides it: a materialized view's version from
 * its backfilled table once a chunk of that version is committed, a push view's from its version's
 * table, any other view from the view published in the features schema. Training sets read a view's
 * rows here, and the online loads and checks read the keys their spines put at now.
 */
final class ViewSources {
  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  private final EngineDialect dialect;
  private final RegistryStore registry;
  private final String catalog;
  private final IcebergTableMetadata tables;

  ViewSources(
      EngineDialect dialect, RegistryStore registry, String catalog, IcebergTableMetadata tables) {
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.registry = requireNonNull(registry, "registry is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.tables = requireNonNull(tables, "tables is null");
  }

  /** The view published for {@code view}: {@code <catalog>.features.<view>}. */
  String published(String view) {
    return "%s.%s.%s".formatted(catalog, Schemas.FEATURES, view);
  }

  /**
   * Whether the rows of a view's version are read from its backfilled table: the view is
   * materialized and a backfill chunk of that version was committed.
   */
  boolean readsBackfill(Materialization materialization, String view, int version) {
    return materialization == Materialization.MATERIALIZED
        && BackfillService.backfilled(registry, view, version);
  }

  /**
   * Whether an older version can still be read: a push view's or a backfilled one from its table,
   * an aggregation view's from its recorded SQL and windows (its events are the warehouse's).
   */
  boolean readable(ViewVersion version) {
    return version.view().materialization() == Materialization.PUSH
        || version.view().aggregation()
        || BackfillService.backfilled(registry, version.name(), version.version());
  }

  /**
   * What an online load's or check's spine reads an applied view's keys from: the backfilled table,
   * else the published view.
   */
  String keys(AppliedView view) {
    if (readsBackfill(view.materialization(), view.name(), view.version())) {
      return BackfillService.table(catalog, view.name(), view.version());
    }
    return published(view.name());
  }

  /** The table of the applied version of push view {@code view}, which {@code reader} reads. */
  String pushTable(String view, String reader) {
    AppliedView push =
        registry
            .view(view)
            .filter(v -> v.materialization() == Materialization.PUSH)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "aggregation view %s reads push view %s, which is not applied: ./asof apply first"
                            .formatted(reader, view)));
    return "%s.%s.\"%s\""
        .formatted(catalog, Schemas.FEATURES, PushTables.table(push.name(), push.version()));
  }

  /**
   * Where a training set reads a view's rows: a backfilled view's table, with the range ends stored
   * there (so the statement need not sort the view's rows); a push view's table, as pushed; else
   * the published view. A view in {@code pinned} is read at that version; a stored table is read as
   * of {@code asOf}, or at the snapshot {@code snapshots} names for the view.
   *
   * @throws IllegalArgumentException when a snapshot is named for a view not read from a stored
   *     table, or its table has no such snapshot
   */
  ViewRows rows(
      CompiledView view,
      Map<String, Integer> pinned,
      Optional<Instant> asOf,
      Map<String, Long> snapshots) {
    if (view.spec().materialization() == Materialization.PUSH) {
      return pushRows(view, pinned, asOf, snapshots);
    }
    Optional<AppliedView> applied = registry.view(view.name());
    Optional<Integer> version =
        pinned.containsKey(view.name())
            ? Optional.of(pinned.get(view.name()))
            : applied
                .filter(
                    a ->
                        a.fingerprint().equals(ApplyPlanner.fingerprint(view))
                            && readsBackfill(
                                view.spec().materialization(), view.name(), a.version()))
                .map(AppliedView::version);
    Long snapshot = snapshots.get(view.name());
    if (snapshot != null && version.isEmpty()) {
      throw new IllegalArgumentException(
          "view %s is not read from a backfilled table (it is %s), so it has no snapshots to read: backfill it first"
              .formatted(
                  view.name(),
                  view.spec().materialization() == Materialization.MATERIALIZED
                      ? "materialized but not backfilled at its applied version"
                      : "virtual"));
    }
    if (snapshot != null) {
      String table = BackfillService.table(catalog, view.name(), version.get());
      tables.checkSnapshot(table, snapshot);
      return new ViewRows(
          BackfillService.statements(view, dialect)
              .read(table + " FOR VERSION AS OF " + snapshot, true),
          Optional.of(BackfillSql.VALID_UNTIL));
    }
    if (version.isPresent()) {
      String table =
          BackfillService.table(catalog, view.name(), version.get())
              + asOf.map(ViewSources::timeTravel).orElse("");
      return new ViewRows(
          BackfillService.statements(view, dialect).read(table, true),
          Optional.of(BackfillSql.VALID_UNTIL));
    }
    return ViewRows.of("SELECT * FROM " + published(view.name()));
  }

  /**
   * A push view's rows: its version's table as pushed (no stored range ends: the statement computes
   * them), at a snapshot or as of a moment when asked.
   */
  private ViewRows pushRows(
      CompiledView view,
      Map<String, Integer> pinned,
      Optional<Instant> asOf,
      Map<String, Long> snapshots) {
    Integer version = pinned.get(view.name());
    if (version == null) {
      // the training set refuses a view not applied as the repository has it; read nothing till
      // then
      Optional<AppliedView> applied = registry.view(view.name());
      if (applied.isEmpty()) {
        return ViewRows.of("SELECT * FROM " + published(view.name()));
      }
      version = applied.get().version();
    }
    String table = PushTables.qualifiedTable(catalog, view.name(), version);
    Long snapshot = snapshots.get(view.name());
    if (snapshot != null) {
      tables.checkSnapshot(table, snapshot);
      table += " FOR VERSION AS OF " + snapshot;
    } else if (asOf.isPresent()) {
      table += timeTravel(asOf.get());
    }
    return ViewRows.of(new PushTableSql(view.spec()).read(table));
  }

  /** {@code FOR TIMESTAMP AS OF} a moment, in UTC. */
  private static String timeTravel(Instant at) {
    return " FOR TIMESTAMP AS OF TIMESTAMP '%s UTC'"
        .formatted(LITERAL.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC)));
  }
}
