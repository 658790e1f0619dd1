package io.asof.jobs;

import static io.asof.jobs.TrainingSetService.TRAINING_SCHEMA;
import static java.util.Objects.requireNonNull;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.CompiledView;
import io.asof.compiler.catalog.MetadataSql;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryStats;
import io.asof.model.Column;
import io.asof.model.TrainingSetSpec;
import io.asof.registry.Lease;
import io.asof.registry.RegistryStore;
import io.asof.registry.TrainingBuild;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes compiled training sets into the training schema: builds one into an Iceberg table (each
 * build a snapshot, recorded in the registry, or no trace at all) or publishes it as a view.
 */
final class TrainingSetBuilder {
  private final QueryEngine engine;
  private final EngineDialect dialect;
  private final RegistryStore registry;
  private final String catalog;
  private final IcebergTableMetadata tables;

  TrainingSetBuilder(
      QueryEngine engine,
      EngineDialect dialect,
      RegistryStore registry,
      String catalog,
      IcebergTableMetadata tables) {
    this.engine = requireNonNull(engine, "engine is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.registry = requireNonNull(registry, "registry is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.tables = requireNonNull(tables, "tables is null");
  }

  /** The table (or view) a set is built (or published) as: {@code <catalog>.training.<name>}. */
  String table(String name) {
    return catalog + "." + TRAINING_SCHEMA + "." + name;
  }

  /**
   * What the engine holds under the set's name in the training schema: a table, a view, nothing.
   */
  Optional<String> existing(String name) {
    return tables.tableType(catalog, TRAINING_SCHEMA, name);
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
  @SuppressWarnings("try") // the lease is held, not called
  TrainingBuild build(CompiledTrainingSet set, BuildListener listener) {
    // one build of a set at a time, so that the snapshot recorded is the build's own
    try (Lease lease =
        Lease.acquire(registry, Lease.trainingSet(set.name()), "build " + set.name())) {
      return buildHeld(set, listener);
    }
  }

  private TrainingBuild buildHeld(CompiledTrainingSet set, BuildListener listener) {
    String name = set.name();
    String table = table(name);
    Optional<String> existing = existing(name);
    if (existing.filter("VIEW"::equals).isPresent()) {
      throw new IllegalArgumentException(
          "%s is published as a view; drop it (DROP VIEW %s) to build it as a table instead"
              .formatted(table, table));
    }
    if (existing.isPresent() && !dialect.replacesTables()) {
      checkSameColumns(set, table);
    }
    engine.execute(dialect.createSchema(catalog, TRAINING_SCHEMA));
    // what a failed build restores, so that the table always holds a recorded build
    Optional<Previous> previous = existing.isPresent() ? previous(name, table) : Optional.empty();
    Instant started = Instant.now();
    listener.starting(set, table);
    List<String> statements =
        dialect.replaceTableAs(table, Optional.of(comment(set)), set.sql(), existing.isPresent());
    boolean written = false;
    try {
      for (String statement : statements.subList(0, statements.size() - 1)) {
        engine.execute(statement, listener::progress);
        written = true;
      }
      // the last statement writes the rows
      QueryStats stats = engine.execute(statements.getLast(), listener::progress);
      written = true;
      for (Column column : set.columns()) {
        dialect
            .commentOnColumn(table, column.name(), Optional.of(columnComment(set, column)))
            .ifPresent(engine::execute);
      }
      long snapshot = tables.latestSnapshot(table);
      long bytes = tables.bytes(table);
      Duration took = Duration.between(started, Instant.now());
      TrainingBuild build =
          new TrainingBuild(
              name,
              table,
              snapshot,
              fingerprint(set.sql()),
              set.spec().spineSql(),
              versions(set),
              set.viewsAsOf(),
              stats.rows(),
              bytes,
              started,
              took);
      registry.recordBuild(build);
      return build;
    } catch (RuntimeException e) {
      if (!written) {
        throw e; // the table is as it was: one statement replaces it, or none did
      }
      throw restore(name, table, existing.isPresent(), previous, e);
    }
  }

  /**
   * What a failed build puts back: the table's current snapshot, and its columns (name, type,
   * comment) and comment, which a snapshot rollback leaves as the failed build set them.
   */
  private record Previous(long snapshot, List<List<Object>> columns, Optional<String> comment) {}

  /** The table as it is now, if it has a snapshot and the engine can roll it back. */
  private Optional<Previous> previous(String name, String table) {
    if (dialect.rollbackToSnapshot(table, 0).isEmpty()) {
      return Optional.empty(); // the engine cannot put a snapshot back
    }
    Optional<Long> snapshot = tables.mainSnapshot(table);
    if (snapshot.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> comment = tables.comment(catalog, TRAINING_SCHEMA, name);
    return Optional.of(new Previous(snapshot.get(), tables.columns(table), comment));
  }

  /**
   * After a build failed at any step from its first write on: puts the table back as the last
   * recorded build left it, so no table holds rows that no build records. With the same columns its
   * snapshot is made current again (Iceberg's {@code rollback_to_snapshot}); with others, whose
   * schema a rollback would not restore, its rows are copied back from that snapshot as a new one;
   * then its comments are set again. A table this build created is dropped. Returns the failure to
   * throw, saying what was done.
   */
  private RuntimeException restore(
      String name, String table, boolean existed, Optional<Previous> previous, RuntimeException e) {
    String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (existed && previous.isEmpty()) {
      return new IllegalStateException(
          "building %s failed after its table %s was written, and %s cannot restore its earlier snapshot: the table may hold rows no build records; build it again. The failure: %s"
              .formatted(name, table, dialect.name(), cause),
          e);
    }
    List<String> undo = new ArrayList<>();
    String done;
    try {
      if (!existed) {
        undo.add(dialect.dropTable(table));
        done = table + ", which this build created, was dropped";
      } else {
        Previous before = previous.get();
        List<List<Object>> now = tables.columns(table);
        if (names(now).equals(names(before.columns()))) {
          undo.add(dialect.rollbackToSnapshot(table, before.snapshot()).orElseThrow());
          done =
              "%s holds the last recorded build again (snapshot %d)"
                  .formatted(table, before.snapshot());
        } else {
          undo.addAll(
              dialect.replaceTableAs(
                  table, before.comment(), MetadataSql.atSnapshot(table, before.snapshot()), true));
          done =
              "%s holds the last recorded build again (its rows and columns copied back from snapshot %d, which stays recorded)"
                  .formatted(table, before.snapshot());
        }
        dialect.commentOnTable(table, before.comment()).ifPresent(undo::add);
        for (List<Object> column : before.columns()) {
          dialect
              .commentOnColumn(
                  table, (String) column.get(0), Optional.ofNullable((String) column.get(2)))
              .ifPresent(undo::add);
        }
      }
      for (String statement : undo) {
        engine.execute(statement);
      }
    } catch (RuntimeException undoFailed) {
      e.addSuppressed(undoFailed);
      return new IllegalStateException(
          "building %s failed after its table %s was written, and restoring it failed too (%s): the table may hold rows no build records; build it again. The failure: %s"
              .formatted(name, table, undoFailed.getMessage(), cause),
          e);
    }
    return new IllegalStateException(
        "building %s failed, nothing was recorded, and %s: %s".formatted(name, done, cause), e);
  }

  /** Column names and types, without comments. */
  private static List<List<Object>> names(List<List<Object>> columns) {
    return columns.stream().map(c -> c.subList(0, 2)).toList();
  }

  /** Publishes the set as the view {@link #table(String)}: always current, nothing stored. */
  void publish(CompiledTrainingSet set) {
    String table = table(set.name());
    if (existing(set.name()).filter(type -> !type.equals("VIEW")).isPresent()) {
      throw new IllegalArgumentException(
          "%s holds builds of this training set (a table); publish it under another name, or drop the table first"
              .formatted(table));
    }
    engine.execute(dialect.createSchema(catalog, TRAINING_SCHEMA));
    engine.execute(dialect.createOrReplaceView(table, Optional.of(comment(set)), set.sql()));
  }

  /**
   * Refuses a build whose columns are not those of the table it would refill: without {@code CREATE
   * OR REPLACE TABLE}, a build replaces the rows only.
   */
  private void checkSameColumns(CompiledTrainingSet set, String table) {
    List<String> stored = tables.columnNames(catalog, TRAINING_SCHEMA, set.name());
    List<String> built = set.columns().stream().map(Column::name).toList();
    if (!stored.equals(built)) {
      throw new IllegalArgumentException(
          "%s holds builds with the columns %s, and this build has %s; %s has no CREATE OR REPLACE TABLE, so a build replaces only the rows of the table it finds: drop the table (%s; the snapshots of earlier builds go with it) and build again, or build the set under another name"
              .formatted(table, stored, built, dialect.name(), dialect.dropTable(table)));
    }
  }

  /** A hash of a statement, as builds record it. */
  static String fingerprint(String sql) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Integer> versions(CompiledTrainingSet set) {
    Map<String, Integer> versions = new LinkedHashMap<>();
    for (CompiledView view : set.views()) {
      versions.put(
          view.name(),
          set.pinned().containsKey(view.name())
              ? set.pinned().get(view.name())
              : registry.view(view.name()).orElseThrow().version());
    }
    return versions;
  }

  private static String comment(CompiledTrainingSet set) {
    TrainingSetSpec spec = set.spec();
    String description = spec.description().isEmpty() ? "" : spec.description() + " ";
    return description
        + "[training set %s; as of %s%s; features from %s]"
            .formatted(
                spec.name(),
                spec.timestamp(),
                spec.label().map(l -> "; label " + l).orElse(""),
                String.join(", ", set.views().stream().map(CompiledView::name).toList()));
  }

  private static String columnComment(CompiledTrainingSet set, Column column) {
    for (CompiledView view : set.views()) {
      for (Column feature : view.features()) {
        if (column.name().equals(feature.name())
            || column.name().equals(view.name() + "__" + feature.name())) {
          return "Feature %s:%s as of %s."
              .formatted(view.name(), feature.name(), set.spec().timestamp());
        }
      }
      if (column.name().equals(view.name() + "__event_time")) {
        return "Event time of the %s row the features came from.".formatted(view.name());
      }
    }
    if (set.spec().label().filter(column.name()::equals).isPresent()) {
      return "Label, from the spine.";
    }
    return column.name().equals(set.spec().timestamp())
        ? "Spine time: features are as of this moment."
        : "From the spine.";
  }
}
