package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.compiler.dialect.AthenaDialect;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.compiler.pit.PitPlan;
import io.asof.compiler.pit.PitRequest;
import io.asof.model.Column;
import io.asof.model.SourcePosition;
import io.asof.model.TrainingSetSpec;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.registry.TrainingBuild;
import io.asof.testing.GoldenFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a training-set build sends each engine, on a scripted engine: Trino replaces the table in
 * one statement and comments its columns; Athena creates it the first time, then empties and
 * refills it, without comments, and refuses a build whose columns are not the table's.
 */
class TestTrainingSetBuildStatements {
  private static final Path REPO = Path.of("repo");
  private static final List<Column> COLUMNS =
      List.of(
          new Column("user_id", "bigint"),
          new Column("shown_at", "timestamp(6)"),
          new Column("clicked", "boolean"));

  @TempDir Path state;

  @Test
  void trinoReplacesTheTableInOneStatementAndCommentsItsColumns() {
    ScriptedEngine engine = engine(new AtomicReference<>(List.of()));
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state))) {
      TrainingBuild build =
          new TrainingSetService(engine, new TrinoDialect(), registry, REPO, "iceberg")
              .build(set(), BuildListener.NONE);
      // the schema, the table, three column comments
      assertThat(build.snapshotId()).isEqualTo(105L);
    }
    GoldenFiles.assertMatches(
        "training/build.trino.sql", String.join(";\n\n", engine.executed()) + ";");
  }

  @Test
  void athenaCreatesTheTableThenEmptiesAndRefillsIt() {
    AtomicReference<List<String>> stored = new AtomicReference<>(List.of());
    ScriptedEngine engine = engine(stored);
    EngineDialect athena = new AthenaDialect("s3://bucket/asof/");
    String golden;
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state))) {
      TrainingSetService service =
          new TrainingSetService(engine, athena, registry, REPO, "awsdatacatalog");
      service.build(set(), BuildListener.NONE);
      List<String> first = engine.executed();
      stored.set(List.of("user_id", "shown_at", "clicked"));
      TrainingBuild again = service.build(set(), BuildListener.NONE);
      List<String> later = engine.executed().subList(first.size(), engine.executed().size());
      // the INSERT, the fifth statement, made the recorded snapshot
      assertThat(again.snapshotId()).isEqualTo(105L);
      golden =
          "-- the first build\n"
              + String.join(";\n\n", first)
              + ";\n\n-- a later build (its recorded snapshot is the INSERT's)\n"
              + String.join(";\n\n", later)
              + ";";
    }
    GoldenFiles.assertMatches("training/build.athena.sql", golden);
  }

  @Test
  void athenaRefusesABuildWithOtherColumnsThanItsTable() {
    ScriptedEngine engine = engine(new AtomicReference<>(List.of("user_id", "shown_at")));
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state))) {
      TrainingSetService service =
          new TrainingSetService(
              engine, new AthenaDialect("s3://bucket/asof/"), registry, REPO, "awsdatacatalog");
      assertThatThrownBy(() -> service.build(set(), BuildListener.NONE))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "awsdatacatalog.training.click_model holds builds with the columns [user_id, shown_at], and this build has [user_id, shown_at, clicked]")
          .hasMessageContaining("Amazon Athena has no CREATE OR REPLACE TABLE")
          .hasMessageContaining("DROP TABLE IF EXISTS `training`.`click_model`");
    }
    assertThat(engine.executed()).isEmpty();
  }

  /**
   * An engine where the training table has the {@code stored} columns (none: no table), and each
   * statement executed makes a snapshot: the newest one's id is 100 plus their number.
   */
  private static ScriptedEngine engine(AtomicReference<List<String>> stored) {
    ScriptedEngine engine = new ScriptedEngine();
    return engine
        .answer(
            "information_schema.tables",
            () -> stored.get().isEmpty() ? List.of() : List.of(List.<Object>of("BASE TABLE")))
        .answer(
            "information_schema.columns",
            () -> stored.get().stream().map(c -> List.<Object>of(c)).toList())
        .answer("$snapshots", () -> List.of(List.<Object>of(100L + engine.executed().size())))
        .answer("$files", () -> List.of(List.<Object>of(1024L)));
  }

  private static CompiledTrainingSet set() {
    SourcePosition where = SourcePosition.start(REPO.resolve("training_sets/click_model.sql"));
    String spine = "SELECT user_id, shown_at, clicked FROM dwh.impressions";
    TrainingSetSpec spec =
        new TrainingSetSpec(
            "click_model",
            "Clicks.",
            spine,
            "shown_at",
            Optional.of("clicked"),
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
        new PitRequest(spine, COLUMNS, "shown_at", List.of()),
        new PitPlan(spine, COLUMNS));
  }
}
