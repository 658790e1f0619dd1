package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.compiler.pit.PitPlan;
import io.asof.compiler.pit.PitRequest;
import io.asof.engine.ForwardingQueryEngine;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryProgress;
import io.asof.engine.QueryResult;
import io.asof.engine.QueryStats;
import io.asof.engine.RowConsumer;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.model.Column;
import io.asof.model.SourcePosition;
import io.asof.model.TrainingSetSpec;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.registry.TrainingBuild;
import io.asof.testing.AsofStackExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training-set builds on a real Trino: a spine column whose name needs quotes builds and is
 * commented, and a build that fails after its table was written leaves the last recorded build's
 * table and record as they were (or no table, when it was the first).
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestTrainingSetBuildOnTrino {
  private static final Path REPO = Path.of("repo");

  private QueryEngine trino;
  private RegistryStore registry;
  private String catalog;

  @BeforeAll
  void start(StackEndpoints stack, @TempDir Path state) {
    catalog = stack.catalog();
    trino =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/" + catalog, stack.trinoUser()));
    registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
  }

  @AfterAll
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (trino != null) {
      trino.close();
    }
  }

  @Test
  void aSpineColumnNamedWithASpaceBuildsAndIsCommented() {
    String name = "quoted_columns";
    trino.execute("DROP TABLE IF EXISTS %s.training.%s".formatted(catalog, name));
    TrainingBuild build =
        service(trino)
            .build(
                set(
                    name,
                    "SELECT CAST(7 AS bigint) AS \"user id\", TIMESTAMP '2026-01-01 00:00:00' AS shown_at",
                    List.of(
                        new Column("user id", "bigint"), new Column("shown_at", "timestamp(3)"))),
                BuildListener.NONE);

    assertThat(build.rows()).isEqualTo(1);
    assertThat(registry.builds(name))
        .extracting(TrainingBuild::snapshotId)
        .contains(build.snapshotId());
    assertThat(comments(name))
        .containsExactly(
            List.of("user id", "From the spine."),
            List.of("shown_at", "Spine time: features are as of this moment."));
  }

  @Test
  void aFailureAfterTheWriteLeavesTheLastRecordedBuild() {
    String name = "restored_on_failure";
    trino.execute("DROP TABLE IF EXISTS %s.training.%s".formatted(catalog, name));
    TrainingBuild recorded =
        service(trino)
            .build(
                set(
                    name,
                    "SELECT CAST(1 AS bigint) AS user_id, TIMESTAMP '2026-01-01 00:00:00' AS shown_at",
                    List.of(
                        new Column("user_id", "bigint"), new Column("shown_at", "timestamp(3)"))),
                BuildListener.NONE);

    List<List<Object>> commented = showColumns(name);

    // the same columns, other rows; the first comment after the write fails: the recorded
    // snapshot is made current again
    FailingEngine failing = new FailingEngine(trino, "COMMENT ON COLUMN");
    assertThatThrownBy(
            () ->
                service(failing)
                    .build(
                        set(
                            name,
                            "SELECT CAST(3 AS bigint) AS user_id, TIMESTAMP '2026-03-01 00:00:00' AS shown_at",
                            List.of(
                                new Column("user_id", "bigint"),
                                new Column("shown_at", "timestamp(3)"))),
                        BuildListener.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "building %s failed, nothing was recorded, and %s.training.%s holds the last recorded build again (snapshot %d)"
                .formatted(name, catalog, name, recorded.snapshotId()))
        .hasMessageContaining("injected failure");
    assertThat(failing.failed).isTrue();
    assertUnchanged(name, recorded, commented);
    assertThat(currentSnapshot(name)).isEqualTo(recorded.snapshotId());

    // other columns and rows, failing the same way: a rollback would keep the new columns, so the
    // recorded snapshot's rows and columns are copied back
    CompiledTrainingSet other =
        set(
            name,
            "SELECT CAST(2 AS bigint) AS \"user id\", 'x' AS extra, TIMESTAMP '2026-02-01 00:00:00' AS shown_at",
            List.of(
                new Column("user id", "bigint"),
                new Column("extra", "varchar(1)"),
                new Column("shown_at", "timestamp(3)")));
    FailingEngine failingAgain = new FailingEngine(trino, "COMMENT ON COLUMN");
    assertThatThrownBy(() -> service(failingAgain).build(other, BuildListener.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "building %s failed, nothing was recorded, and %s.training.%s holds the last recorded build again (its rows and columns copied back from snapshot %d, which stays recorded)"
                .formatted(name, catalog, name, recorded.snapshotId()));
    assertUnchanged(name, recorded, commented);

    // and the next build goes through, recorded with the snapshot it made
    TrainingBuild next = service(trino).build(other, BuildListener.NONE);
    assertThat(registry.builds(name).getFirst().snapshotId()).isEqualTo(next.snapshotId());
    assertThat(currentSnapshot(name)).isEqualTo(next.snapshotId());
  }

  @Test
  void aFailedFirstBuildLeavesNoTable() {
    String name = "dropped_on_failure";
    trino.execute("DROP TABLE IF EXISTS %s.training.%s".formatted(catalog, name));
    FailingEngine failing = new FailingEngine(trino, "$files");
    assertThatThrownBy(
            () ->
                service(failing)
                    .build(
                        set(
                            name,
                            "SELECT CAST(1 AS bigint) AS user_id, TIMESTAMP '2026-01-01 00:00:00' AS shown_at",
                            List.of(
                                new Column("user_id", "bigint"),
                                new Column("shown_at", "timestamp(3)"))),
                        BuildListener.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("which this build created, was dropped");
    assertThat(
            trino
                .query(
                    "SELECT table_name FROM %s.information_schema.tables WHERE table_schema = 'training' AND table_name = '%s'"
                        .formatted(catalog, name))
                .rows())
        .isEmpty();
    assertThat(registry.builds(name)).isEmpty();
  }

  /** The table holds the recorded build's rows, columns and comments; the registry only it. */
  private void assertUnchanged(String name, TrainingBuild recorded, List<List<Object>> commented) {
    assertThat(trino.query("SELECT user_id FROM %s.training.%s".formatted(catalog, name)).rows())
        .containsExactly(List.of(1L));
    assertThat(showColumns(name)).isEqualTo(commented);
    assertThat(registry.builds(name))
        .extracting(TrainingBuild::snapshotId)
        .containsExactly(recorded.snapshotId());
    // the recorded snapshot stays readable as the build recorded it
    assertThat(
            trino
                .query(
                    "SELECT user_id FROM %s.training.%s FOR VERSION AS OF %d"
                        .formatted(catalog, name, recorded.snapshotId()))
                .rows())
        .containsExactly(List.of(1L));
  }

  private TrainingSetService service(QueryEngine engine) {
    return new TrainingSetService(engine, new TrinoDialect(), registry, REPO, catalog);
  }

  private long currentSnapshot(String name) {
    return (Long)
        trino
            .query(
                "SELECT snapshot_id FROM %s.training.\"%s$refs\" WHERE name = 'main'"
                    .formatted(catalog, name))
            .onlyValue();
  }

  /** The table's columns: name, type, extra, comment. */
  private List<List<Object>> showColumns(String name) {
    return trino.query("SHOW COLUMNS FROM %s.training.%s".formatted(catalog, name)).rows();
  }

  /** The table's columns with their comments, in order. */
  private List<List<Object>> comments(String name) {
    return trino.query("SHOW COLUMNS FROM %s.training.%s".formatted(catalog, name)).rows().stream()
        .map(row -> List.of(row.get(0), row.get(3)))
        .toList();
  }

  private static CompiledTrainingSet set(String name, String spine, List<Column> columns) {
    SourcePosition where = SourcePosition.start(REPO.resolve("training_sets/" + name + ".sql"));
    TrainingSetSpec spec =
        new TrainingSetSpec(
            name,
            "",
            spine,
            "shown_at",
            Optional.empty(),
            List.of(),
            List.of(),
            Optional.empty(),
            false,
            false,
            where,
            where);
    return new CompiledTrainingSet(
        spec,
        List.of(),
        new PitRequest(spine, columns, "shown_at", List.of()),
        new PitPlan(spine, columns));
  }

  /** The real engine, but the first statement containing {@code fragment} fails. */
  private static final class FailingEngine extends ForwardingQueryEngine {
    private final QueryEngine engine;
    private final String fragment;
    volatile boolean failed;

    FailingEngine(QueryEngine engine, String fragment) {
      this.engine = engine;
      this.fragment = fragment;
    }

    @Override
    protected QueryEngine delegate() {
      return engine;
    }

    private void maybeFail(String sql) {
      if (!failed && sql.contains(fragment)) {
        failed = true;
        throw new IllegalStateException("injected failure at: " + fragment);
      }
    }

    @Override
    public QueryStats execute(String sql) {
      maybeFail(sql);
      return engine.execute(sql);
    }

    @Override
    public QueryStats execute(String sql, Consumer<QueryProgress> progress) {
      maybeFail(sql);
      return engine.execute(sql, progress);
    }

    @Override
    public QueryResult query(String sql) {
      maybeFail(sql);
      return engine.query(sql);
    }

    @Override
    public QueryStats stream(String sql, RowConsumer consumer) {
      maybeFail(sql);
      return engine.stream(sql, consumer);
    }

    @Override
    public void close() {
      // the real engine is the test's
    }
  }
}
