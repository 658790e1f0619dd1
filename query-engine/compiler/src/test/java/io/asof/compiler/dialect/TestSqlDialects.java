package io.asof.compiler.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.testing.GoldenFiles;
import io.asof.testing.TrinoSql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each dialect's statements for the same requests, reviewed in one golden file per engine; Trino's
 * all parse with Trino 476's parser, and so do Athena's that its query engine (Trino's grammar)
 * reads, while its DDL is Hive's grammar, which Trino's parser does not read.
 */
class TestSqlDialects {
  private static final String TABLE = "iceberg.features.clicks__v1";
  private static final String TRAINING = "iceberg.training.click_model";
  private static final String QUERY = "SELECT user_id, e, score\nFROM dwh.clicks";
  private static final List<ColumnDefinition> COLUMNS =
      List.of(
          new ColumnDefinition("user_id", "bigint", true, Optional.of("User key.")),
          ColumnDefinition.of("e", "timestamp(6)"),
          new ColumnDefinition("score", "double", false, Optional.of("It's a score.")),
          ColumnDefinition.of("name", "varchar"),
          ColumnDefinition.of("n", "integer"),
          ColumnDefinition.of("r", "real"),
          ColumnDefinition.of("amount", "decimal(12, 2)"),
          ColumnDefinition.of("day", "date"),
          ColumnDefinition.of("ok", "boolean"),
          ColumnDefinition.of("tags", "array(varchar)"),
          ColumnDefinition.of("counts", "map(varchar, bigint)"),
          ColumnDefinition.of("point", "row(x double, \"Y\" integer)"));

  @Test
  void trinoStatementsParseAndMatchTheirGoldenFile() {
    List<String> statements = statements(new TrinoDialect());
    statements.forEach(TrinoSql::assertParses);
    GoldenFiles.assertMatches("dialect/trino.sql", String.join(";\n\n", statements) + ";");
  }

  @Test
  void athenaStatementsMatchTheirGoldenFile() {
    AthenaDialect athena = new AthenaDialect("s3://bucket/asof/");
    GoldenFiles.assertMatches("dialect/athena.sql", String.join(";\n\n", statements(athena)) + ";");
    // what Athena runs with its query engine is in Trino's grammar
    TrinoSql.assertParses(athena.createTableAs(TABLE, QUERY));
    athena.replaceTableAs(TRAINING, Optional.empty(), QUERY, true).forEach(TrinoSql::assertParses);
    TrinoSql.assertParses(athena.createOrReplaceView(TABLE, Optional.of("c"), QUERY));
    TrinoSql.assertParses(athena.catalogExistsQuery("awsdatacatalog"));
  }

  /** Every statement of the dialect, for the same requests. */
  private static List<String> statements(EngineDialect dialect) {
    List<String> statements = new ArrayList<>();
    statements.add(dialect.createSchema("iceberg", "features"));
    statements.add(
        dialect.createTable(TABLE, COLUMNS, Optional.of("e"), Optional.of("Clicks, by day.")));
    statements.add(
        dialect.createTable(
            "iceberg.asof_staging.plain",
            List.of(ColumnDefinition.of("k", "bigint")),
            Optional.empty(),
            Optional.empty()));
    statements.add(dialect.createTableAs("iceberg.asof_staging.clicks__v1__job__0", QUERY));
    statements.addAll(
        dialect.replaceTableAs(TRAINING, Optional.of("Training set [as of ts]"), QUERY, false));
    statements.addAll(
        dialect.replaceTableAs(TRAINING, Optional.of("Training set [as of ts]"), QUERY, true));
    statements.add(dialect.dropTable(TABLE));
    statements.add(
        dialect.createOrReplaceView(
            "iceberg.features.clicks", Optional.of("Clicks [v1]"), "SELECT * FROM " + TABLE));
    statements.add(
        dialect.createOrReplaceView("iceberg.features.plain", Optional.empty(), "SELECT 1 AS x"));
    statements.addAll(dialect.optimize(TABLE, 32L * 1024 * 1024));
    statements.addAll(dialect.expireSnapshots(TABLE, Duration.ofDays(7).plusSeconds(3)));
    statements.add(dialect.catalogExistsQuery("iceberg"));
    return statements;
  }

  @Test
  void whatEachEngineCanDo() {
    assertThat(new TrinoDialect().supportsComments()).isTrue();
    assertThat(new TrinoDialect().replacesTables()).isTrue();
    assertThat(new TrinoDialect().supportsPush()).isTrue();
    AthenaDialect athena = new AthenaDialect("s3://bucket/asof/");
    assertThat(athena.supportsComments()).isFalse();
    assertThat(athena.replacesTables()).isFalse();
    assertThat(athena.supportsPush()).isFalse();
  }

  @Test
  void athenaTablesGoUnderTheRootBySchemaAndName() {
    assertThat(new AthenaDialect("s3://bucket/asof").location("awsdatacatalog.training.set"))
        .isEqualTo("s3://bucket/asof/training/set/");
    assertThat(new AthenaDialect("s3://bucket").location("features.v__v2"))
        .isEqualTo("s3://bucket/features/v__v2/");
    assertThatThrownBy(() -> new AthenaDialect("/tmp/warehouse"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s3://bucket/prefix/");
    assertThatThrownBy(() -> new AthenaDialect("s3://bucket/").location("t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.table");
  }

  @Test
  void athenaSpellsTypesAsHiveDoes() {
    assertThat(AthenaDialect.hiveType("t", "c", "varchar(20)")).isEqualTo("string");
    assertThat(AthenaDialect.hiveType("t", "c", "char(3)")).isEqualTo("string");
    assertThat(AthenaDialect.hiveType("t", "c", "smallint")).isEqualTo("int");
    assertThat(AthenaDialect.hiveType("t", "c", "timestamp(3)")).isEqualTo("timestamp");
    assertThat(AthenaDialect.hiveType("t", "c", "varbinary")).isEqualTo("binary");
    assertThat(AthenaDialect.hiveType("t", "c", "array(row(a bigint, b array(decimal(5,1))))"))
        .isEqualTo("array<struct<a:bigint,b:array<decimal(5,1)>>>");
  }

  @Test
  void athenaRefusesTypesItsDdlCannotCreate() {
    AthenaDialect athena = new AthenaDialect("s3://bucket/asof/");
    assertThatThrownBy(
            () ->
                athena.createTable(
                    TABLE,
                    List.of(ColumnDefinition.of("e", "timestamp(6) with time zone")),
                    Optional.of("e"),
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column e of table " + TABLE + " is timestamp(6) with time zone")
        .hasMessageContaining("cast it to timestamp(6)");
    assertThatThrownBy(() -> AthenaDialect.hiveType("t", "c", "time(6)"))
        .hasMessageContaining("no time type");
    assertThatThrownBy(() -> AthenaDialect.hiveType("t", "c", "json"))
        .hasMessageContaining("no such type");
    assertThatThrownBy(
            () ->
                athena.createTable(
                    TABLE,
                    List.of(ColumnDefinition.of("k", "bigint")),
                    Optional.of("e"),
                    Optional.empty()))
        .hasMessageContaining("not one of its columns");
  }
}
