package io.asof.catalog.glue;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.athena.emulator.AthenaEmulator;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.catalog.TableSchema;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The Glue catalog gives the compiler the same schemas as Trino's information_schema, read through
 * the AWS SDK from the local Glue emulator over the same Iceberg tables.
 */
@ExtendWith(AsofStackExtension.class)
class TestGlueWarehouseCatalog {
  @Test
  void glueSchemasEqualTheEnginesForTheSameTables(StackEndpoints stack) {
    QueryEngine trino =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()));
    String catalog = io.asof.local.StackEndpoints.ATHENA_CATALOG;
    trino.execute("CREATE SCHEMA IF NOT EXISTS %s.glue_test".formatted(catalog));
    trino.execute("DROP TABLE IF EXISTS %s.glue_test.typed".formatted(catalog));
    trino.execute(
        """
        CREATE TABLE %s.glue_test.typed (
          id bigint, name varchar, at timestamp(6), price decimal(10,2), score double,
          flag boolean, day date, tags array(varchar), point row(x bigint, label varchar),
          small integer, ratio real)
        WITH (partitioning = ARRAY['day(at)'])"""
            .formatted(catalog));
    try (AthenaEmulator emulator =
            AthenaEmulator.start(
                stack.trinoJdbcUrl(), stack.trinoUser(), "awsdatacatalog", catalog);
        GlueWarehouseCatalog glue =
            new GlueWarehouseCatalog(
                "us-east-1",
                "awsdatacatalog",
                Optional.empty(),
                Optional.of(emulator.endpoint()),
                // the emulator checks a signature, not who signed
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("emulator", "emulator")))) {
      TableSchema fromEngine =
          new EngineWarehouseCatalog(trino, new TrinoDialect())
              .table(catalog, "glue_test", "typed")
              .orElseThrow();
      TableSchema fromGlue = glue.table("awsdatacatalog", "glue_test", "typed").orElseThrow();
      assertThat(fromGlue.columns()).isEqualTo(fromEngine.columns());
      assertThat(fromGlue.qualifiedName()).isEqualTo("awsdatacatalog.glue_test.typed");

      assertThat(glue.catalogExists("AwsDataCatalog")).isTrue();
      assertThat(glue.catalogExists(stack.catalog())).isFalse();
      assertThat(glue.schemaExists("awsdatacatalog", "glue_test")).isTrue();
      assertThat(glue.schemaExists("awsdatacatalog", "no_such_database")).isFalse();
      assertThat(glue.table("awsdatacatalog", "glue_test", "no_such_table")).isEmpty();

      // cached until refresh: a table created since is seen only after it
      trino.execute("CREATE TABLE %s.glue_test.later (id bigint)".formatted(catalog));
      assertThat(glue.table("awsdatacatalog", "glue_test", "later")).isPresent();
      trino.execute("DROP TABLE %s.glue_test.later".formatted(catalog));
      assertThat(glue.table("awsdatacatalog", "glue_test", "later")).isPresent();
      glue.refresh();
      assertThat(glue.table("awsdatacatalog", "glue_test", "later")).isEmpty();
    }
  }

  @Test
  void hiveTypesAreSpelledAsTrinos() {
    assertThat(GlueWarehouseCatalog.trinoType("string", true)).isEqualTo("varchar");
    assertThat(GlueWarehouseCatalog.trinoType("timestamp", true)).isEqualTo("timestamp(6)");
    assertThat(GlueWarehouseCatalog.trinoType("timestamp", false)).isEqualTo("timestamp(3)");
    assertThat(GlueWarehouseCatalog.trinoType("decimal(10, 2)", true)).isEqualTo("decimal(10,2)");
    assertThat(GlueWarehouseCatalog.trinoType("array<struct<x:bigint,label:string>>", true))
        .isEqualTo("array(row(x bigint, label varchar))");
    assertThat(GlueWarehouseCatalog.trinoType("map<string,array<int>>", true))
        .isEqualTo("map(varchar, array(integer))");
  }
}
