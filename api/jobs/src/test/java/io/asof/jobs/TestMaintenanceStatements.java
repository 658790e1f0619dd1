package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.compiler.dialect.AthenaDialect;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.model.Column;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.testing.GoldenFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What maintaining one table sends each engine, on a scripted engine with small files to compact
 * and snapshots older than the retention: Trino's two table procedures, Athena's table properties
 * with {@code OPTIMIZE} and {@code VACUUM}.
 */
class TestMaintenanceStatements {
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final MaintenanceService.Target TARGET =
      new MaintenanceService.Target(
          "iceberg.features.clicks__v1",
          MaintenanceService.Target.Kind.FEATURES,
          "clicks",
          OptionalInt.of(1));
  private static final MaintenanceService.Policy POLICY =
      new MaintenanceService.Policy(Duration.ofDays(7), 32L * 1024 * 1024, false);

  @TempDir Path state;

  @Test
  void trinoCompactsAndExpiresWithItsTableProcedures() {
    GoldenFiles.assertMatches("maintain/clicks.trino.sql", maintain(new TrinoDialect()));
  }

  @Test
  void athenaSetsTheTablePropertiesItsOptimizeAndVacuumRead() {
    GoldenFiles.assertMatches(
        "maintain/clicks.athena.sql", maintain(new AthenaDialect("s3://bucket/asof/")));
  }

  private String maintain(EngineDialect dialect) {
    ScriptedEngine engine =
        new ScriptedEngine()
            .answer("information_schema.tables", () -> List.of(List.<Object>of(1)))
            .answer("HAVING count(*) > 1", () -> List.of(List.<Object>of(2L)))
            .answer("count_if(", () -> List.of(List.<Object>of(10L, 6L)))
            .answer(
                "to_unixtime(committed_at)",
                () -> {
                  long now = System.currentTimeMillis();
                  return List.of(
                      List.<Object>of(1L, now - 30 * DAY),
                      List.<Object>of(2L, now - 20 * DAY),
                      List.<Object>of(3L, now - DAY));
                })
            // the engine's clock, in milliseconds rounded up: never before the service's now, so
            // the retention asked for is a week and the service's margin, 604,803 seconds
            .answer(
                "to_unixtime(current_timestamp)",
                () -> List.of(List.<Object>of(System.currentTimeMillis() + 1)))
            .describing("$partitions", List.of(new Column("partition", "row(e_day date)")));
    try (RegistryStore registry = JooqRegistryStore.open(RegistryConfig.embedded(state))) {
      MaintenanceService.TableReport report =
          new MaintenanceService(engine, dialect, registry, Path.of("repo"), "iceberg")
              .maintain(TARGET, POLICY);
      assertThat(report.compacted()).isTrue();
    }
    return String.join(";\n\n", engine.executed()) + ";";
  }
}
