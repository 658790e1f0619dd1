package io.asof.athena.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.athena.emulator.Translation.Refusal;
import io.asof.athena.emulator.Translation.Run;
import io.asof.athena.emulator.Translation.TablePropertyChange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Athena-to-Trino translation, without Trino. */
class TestAthenaSqlTranslator {
  private final Map<String, Map<String, String>> properties = new HashMap<>();
  private final AthenaSqlTranslator translator =
      new AthenaSqlTranslator(
          "AwsDataCatalog", "iceberg", table -> properties.getOrDefault(table, Map.of()));

  @Test
  void queriesPassThroughWithTheCatalogRenamedOutsideLiterals() {
    assertThat(
            trino(
                "SELECT a, 'awsdatacatalog.db.t' AS s -- awsdatacatalog.db.t\n"
                    + "FROM awsdatacatalog.db.t JOIN \"AwsDataCatalog\".\"db\".\"u\" USING (a)"
                    + " JOIN AWSDATACATALOG.db.v USING (a)"))
        .isEqualTo(
            "SELECT a, 'awsdatacatalog.db.t' AS s -- awsdatacatalog.db.t\n"
                + "FROM iceberg.db.t JOIN \"iceberg\".\"db\".\"u\" USING (a)"
                + " JOIN iceberg.db.v USING (a)");
    // two-part names and column references are not catalogs
    assertThat(trino("SELECT awsdatacatalog.x FROM db.awsdatacatalog"))
        .isEqualTo("SELECT awsdatacatalog.x FROM db.awsdatacatalog");
    assertThat(run("SELECT 1").statementType()).isEqualTo(StatementType.DML);
    assertThat(run("SHOW TABLES").statementType()).isEqualTo(StatementType.UTILITY);
    assertThat(run("DROP VIEW v").statementType()).isEqualTo(StatementType.DDL);
  }

  @Test
  void everythingElsePassesThroughUnchanged() {
    for (String sql :
        List.of(
            "INSERT INTO t SELECT * FROM u",
            "MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN UPDATE SET b = u.b",
            "DELETE FROM t WHERE a = 1",
            "DROP VIEW IF EXISTS v",
            "CREATE OR REPLACE VIEW v AS SELECT 1 AS a",
            "SHOW CREATE VIEW v",
            "EXPLAIN SELECT 1",
            "SELECT * FROM \"t$snapshots\"",
            "SELECT * FROM \"t$files\" JOIN \"t$partitions\" ON true",
            "SELECT * FROM t FOR VERSION AS OF 123")) {
      assertThat(trino(sql)).as(sql).isEqualTo(sql);
    }
  }

  @Test
  void aTrailingSemicolonIsDroppedAndASecondStatementRefused() {
    assertThat(trino("SELECT 1;  ")).isEqualTo("SELECT 1");
    assertThat(refusal("SELECT 1; SELECT 2").reason())
        .startsWith("SYNTAX_ERROR: Only one sql statement is allowed");
  }

  @Test
  void createDatabaseIsCreateSchema() {
    assertThat(trino("create database emu")).isEqualTo("CREATE SCHEMA emu");
    assertThat(
            trino(
                "CREATE DATABASE IF NOT EXISTS `emu`\n  COMMENT 'x' LOCATION 's3://b/emu/'"
                    + " WITH DBPROPERTIES ('k'='v')"))
        .isEqualTo("CREATE SCHEMA IF NOT EXISTS \"emu\"");
    assertThat(trino("SHOW DATABASES")).isEqualTo("SHOW SCHEMAS");
    assertThat(trino("SHOW DATABASES LIKE 'emu%'")).isEqualTo("SHOW SCHEMAS LIKE 'emu%'");
    assertThat(trino("DROP DATABASE IF EXISTS emu CASCADE"))
        .isEqualTo("DROP SCHEMA IF EXISTS emu CASCADE");
    assertThat(refusal("CREATE SCHEMA emu WITH (location = 'x')").reason())
        .contains("not Trino's WITH (...) schema properties");
  }

  @Test
  void hiveDdlOfAnIcebergTableBecomesTrinoDdl() {
    Run run =
        run(
            """
            CREATE TABLE IF NOT EXISTS emu.events (
              id bigint COMMENT 'the id',
              `user` string,
              n int,
              score float,
              at timestamp,
              amount decimal(12,2),
              tags array<string>,
              attributes map<string,int>,
              point struct<x:double,label:string>,
              payload binary
            )
            COMMENT 'events, one a row'
            PARTITIONED BY (day(at), bucket(16, id), `user`, truncate(4, `user`))
            LOCATION 's3://bucket/emu/events/'
            TBLPROPERTIES ('table_type'='ICEBERG', 'format'='parquet',
              'vacuum_max_snapshot_age_seconds'='60')
            """);
    assertThat(run.trinoStatements())
        .containsExactly(
            """
            CREATE TABLE IF NOT EXISTS emu.events (
               id bigint COMMENT 'the id',
               "user" varchar,
               n integer,
               score real,
               at timestamp(6),
               amount decimal(12, 2),
               tags array(varchar),
               attributes map(varchar, integer),
               point row(x double, label varchar),
               payload varbinary
            )
            COMMENT 'events, one a row'
            WITH (
               partitioning = ARRAY['day(at)', 'bucket(id, 16)', 'user', 'truncate(user, 4)']
            )"""
                .stripIndent());
    assertThat(run.statementType()).isEqualTo(StatementType.DDL);
    assertThat(run.tableProperties())
        .contains(
            new TablePropertyChange(
                "iceberg.db.events".replace("db", "emu"),
                Map.of("format", "parquet", "vacuum_max_snapshot_age_seconds", "60"),
                true));
  }

  @Test
  void hiveDdlMustMakeAnIcebergTableWithALocation() {
    assertThat(refusal("CREATE TABLE t (a int) LOCATION 's3://b/t/'").reason())
        .contains("only Iceberg tables");
    assertThat(
            refusal(
                    "CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/t/'"
                        + " TBLPROPERTIES ('table_type'='ICEBERG')")
                .reason())
        .contains("External keyword not supported for table type ICEBERG");
    assertThat(refusal("CREATE TABLE t (a int) TBLPROPERTIES ('table_type'='ICEBERG')").reason())
        .contains("LOCATION");
    assertThat(
            refusal(
                    "CREATE TABLE t (a int) STORED AS PARQUET LOCATION 's3://b/t/'"
                        + " TBLPROPERTIES ('table_type'='ICEBERG')")
                .reason())
        .contains("found 'STORED'");
    assertThat(
            refusal(
                    "CREATE TABLE t (a int) PARTITIONED BY (p string) LOCATION 's3://b/t/'"
                        + " TBLPROPERTIES ('table_type'='ICEBERG')")
                .reason())
        .contains("without types");
    assertThat(
            refusal(
                    "CREATE TABLE t (a int) LOCATION 's3://b/t/'"
                        + " TBLPROPERTIES ('table_type'='ICEBERG', 'nope'='1')")
                .reason())
        .contains("Unsupported table property key: nope");
  }

  @Test
  void trinoStyleCreateTableIsRefused() {
    assertThat(
            refusal(
                    "CREATE TABLE t (a bigint, ts timestamp(6)) WITH (partitioning = ARRAY['day(ts)'])")
                .reason())
        .startsWith(
            "NOT_SUPPORTED: Athena does not support CREATE TABLE ... WITH (...) without AS");
    assertThat(refusal("CREATE OR REPLACE TABLE t AS SELECT 1 AS a").reason())
        .contains("CREATE OR REPLACE TABLE");
  }

  @Test
  void ctasKeepsPartitioningAndDropsAthenaProperties() {
    Run run =
        run(
            """
            CREATE TABLE awsdatacatalog.emu.daily
            WITH (table_type = 'ICEBERG', is_external = false, location = 's3://b/emu/daily/',
                  partitioning = ARRAY['day(at)', 'bucket(id, 4)'], format = 'PARQUET',
                  write_compression = 'ZSTD', vacuum_max_snapshot_age_seconds = 120)
            AS SELECT id, at FROM awsdatacatalog.emu.events
            WITH NO DATA""");
    assertThat(run.trinoStatements())
        .containsExactly(
            "CREATE TABLE iceberg.emu.daily WITH (partitioning = ARRAY['day(at)', 'bucket(id, 4)'])"
                + " AS SELECT id, at FROM iceberg.emu.events\nWITH NO DATA");
    assertThat(run.tableProperties())
        .contains(
            new TablePropertyChange(
                "iceberg.emu.daily", Map.of("vacuum_max_snapshot_age_seconds", "120"), true));
    assertThat(
            trino(
                "CREATE TABLE t WITH (table_type='ICEBERG', is_external=false, location='s3://b/t')"
                    + " AS SELECT 1 AS a"))
        .isEqualTo("CREATE TABLE t AS SELECT 1 AS a");
  }

  @Test
  void ctasMustMakeAnIcebergTableWithALocation() {
    assertThat(refusal("CREATE TABLE t AS SELECT 1 AS a").reason()).contains("only Iceberg tables");
    assertThat(
            refusal(
                    "CREATE TABLE t WITH (table_type = 'HIVE', format = 'PARQUET') AS SELECT 1 AS a")
                .reason())
        .contains("only Iceberg tables");
    assertThat(
            refusal(
                    "CREATE TABLE t WITH (table_type = 'ICEBERG', is_external = false) AS SELECT 1"
                        + " AS a")
                .reason())
        .contains("needs a location");
    assertThat(
            refusal(
                    "CREATE TABLE t WITH (table_type = 'ICEBERG', location = 's3://b/t/') AS"
                        + " SELECT 1 AS a")
                .reason())
        .contains("is_external must be false");
    assertThat(
            refusal(
                    "CREATE TABLE t WITH (table_type = 'ICEBERG', is_external = false, location ="
                        + " 's3://b/t/', sorted_by = ARRAY['a']) AS SELECT 1 AS a")
                .reason())
        .contains("unsupported table property for an Iceberg table: sorted_by");
  }

  @Test
  void optimizeIsAlterTableExecuteOptimize() {
    assertThat(trino("OPTIMIZE emu.events REWRITE DATA USING BIN_PACK"))
        .isEqualTo("ALTER TABLE emu.events EXECUTE optimize");
    assertThat(
            trino(
                "optimize awsdatacatalog.emu.events\n  rewrite data using bin_pack\n"
                    + "  WHERE at >= TIMESTAMP '2026-01-01 00:00:00'"))
        .isEqualTo(
            "ALTER TABLE iceberg.emu.events EXECUTE optimize WHERE at >= TIMESTAMP '2026-01-01"
                + " 00:00:00'");
    assertThat(run("OPTIMIZE t REWRITE DATA USING BIN_PACK").statementType())
        .isEqualTo(StatementType.DML);
    assertThat(refusal("OPTIMIZE t").reason()).contains("REWRITE DATA USING BIN_PACK");
  }

  @Test
  void vacuumExpiresSnapshotsOlderThanTheTablesMaximumAge() {
    assertThat(trino("VACUUM emu.events"))
        .isEqualTo(
            "ALTER TABLE emu.events EXECUTE expire_snapshots(retention_threshold => '432000s')");
    Run set = run("ALTER TABLE events SET TBLPROPERTIES ('vacuum_max_snapshot_age_seconds'='60')");
    assertThat(set.trinoStatements()).containsExactly("SELECT * FROM events WHERE false");
    assertThat(set.discardResult()).isTrue();
    assertThat(set.tableProperties())
        .contains(
            new TablePropertyChange(
                "iceberg.db.events", Map.of("vacuum_max_snapshot_age_seconds", "60"), false));
    properties.put("iceberg.db.events", Map.of("vacuum_max_snapshot_age_seconds", "60"));
    // the same table by each of its names
    for (String name : List.of("events", "db.events", "awsdatacatalog.db.events", "\"EVENTS\"")) {
      assertThat(trino("VACUUM " + name))
          .endsWith("EXECUTE expire_snapshots(retention_threshold => '60s')");
    }
  }

  @Test
  void dropTableForgetsTheTablesProperties() {
    Run run = run("DROP TABLE IF EXISTS `emu`.`events`");
    assertThat(run.trinoStatements()).containsExactly("DROP TABLE IF EXISTS \"emu\".\"events\"");
    assertThat(run.tableProperties())
        .isEqualTo(Optional.of(new TablePropertyChange("iceberg.emu.events", Map.of(), true)));
  }

  @Test
  void addColumnsIsOneAddColumnEach() {
    assertThat(
            run("ALTER TABLE t ADD COLUMNS (a string COMMENT 'an a', b array<int>)")
                .trinoStatements())
        .containsExactly(
            "ALTER TABLE t ADD COLUMN a varchar COMMENT 'an a'",
            "ALTER TABLE t ADD COLUMN b array(integer)");
  }

  @Test
  void trinoOnlyStatementsAreRefusedAsAthenaWould() {
    Map<String, String> refused =
        Map.ofEntries(
            Map.entry("COMMENT ON TABLE t IS 'x'", "Athena does not support COMMENT ON"),
            Map.entry("COMMENT ON COLUMN t.a IS 'x'", "Athena does not support COMMENT ON"),
            Map.entry("ALTER TABLE t EXECUTE optimize", "ALTER TABLE ... EXECUTE"),
            Map.entry("ALTER TABLE t EXECUTE expire_snapshots", "ALTER TABLE ... EXECUTE"),
            Map.entry("ALTER TABLE t SET PROPERTIES format = 'ORC'", "SET PROPERTIES"),
            Map.entry("ALTER TABLE t ADD COLUMN a bigint", "ADD COLUMNS"),
            Map.entry("ALTER TABLE t RENAME COLUMN a TO b", "CHANGE COLUMN"),
            Map.entry(
                "CREATE OR REPLACE VIEW v COMMENT 'x' AS SELECT 1 AS a", "views take no COMMENT"),
            Map.entry("CREATE VIEW v COMMENT 'x' AS SELECT 1 AS a", "views take no COMMENT"),
            Map.entry("SELECT * FROM system.metadata.table_comments", "no 'system' catalog"),
            Map.entry("SELECT * FROM system.jdbc.tables", "no 'system' catalog"),
            Map.entry("SELECT * FROM \"system\".runtime.queries", "no 'system' catalog"),
            Map.entry("CALL system.sync_partition_metadata('a', 'b', 'FULL')", "CALL"),
            Map.entry("PREPARE q FROM SELECT 1", "prepared statements"),
            Map.entry("EXECUTE q", "prepared statements"),
            Map.entry("DESCRIBE OUTPUT q", "DESCRIBE OUTPUT"),
            Map.entry("SET SESSION query_max_run_time = '1h'", "SET statements"),
            Map.entry("USE emu", "USE statements"),
            Map.entry("CREATE MATERIALIZED VIEW m AS SELECT 1 AS a", "materialized views"));
    refused.forEach(
        (sql, message) -> {
          Refusal refusal = refusal(sql);
          assertThat(refusal.errorName()).as(sql).isIn("NOT_SUPPORTED", "SYNTAX_ERROR");
          assertThat(refusal.message()).as(sql).contains(message);
        });
  }

  @Test
  void hiveDdlReadsHivesStringLiterals() {
    // as the AthenaDialect of the compiler writes them: backslash escapes, names in back quotes
    Run run =
        run(
            """
            CREATE TABLE IF NOT EXISTS `features`.`daily__v1` (
              `id` bigint COMMENT 'the reader\\'s id',
              `e` timestamp COMMENT 'a \\\\ backslash'
            )
            COMMENT "it's daily"
            PARTITIONED BY (day(`e`))
            LOCATION 's3://bucket/asof/features/daily__v1/'
            TBLPROPERTIES ('table_type'='ICEBERG')""");
    assertThat(run.trinoStatements().getFirst())
        .isEqualTo(
            """
            CREATE TABLE IF NOT EXISTS "features"."daily__v1" (
               "id" bigint COMMENT 'the reader''s id',
               "e" timestamp(6) COMMENT 'a \\ backslash'
            )
            COMMENT 'it''s daily'
            WITH (
               partitioning = ARRAY['day(e)']
            )""");
    assertThat(
            run("ALTER TABLE `features`.`daily__v1` SET TBLPROPERTIES"
                    + " ('vacuum_max_snapshot_age_seconds'='3600')")
                .tableProperties()
                .orElseThrow()
                .properties())
        .containsEntry("vacuum_max_snapshot_age_seconds", "3600");
    // queries keep Trino's literals, where a backslash is just a character
    assertThat(trino("SELECT 'a\\' AS s")).isEqualTo("SELECT 'a\\' AS s");
    assertThat(
            trino(
                "CREATE TABLE t WITH (table_type = 'ICEBERG', is_external = false, location ="
                    + " 's3://b/t/') AS SELECT 'it''s \\' AS s"))
        .isEqualTo("CREATE TABLE t AS SELECT 'it''s \\' AS s");
  }

  @Test
  void optimizeRewritesTheFilesUnderTheTablesMinimumSize() {
    properties.put(
        "iceberg.features.daily", Map.of("optimize_rewrite_min_data_file_size_bytes", "1000"));
    assertThat(trino("OPTIMIZE features.daily REWRITE DATA USING BIN_PACK"))
        .isEqualTo("ALTER TABLE features.daily EXECUTE optimize(file_size_threshold => '1000B')");
    // Athena fails the statement when a line break separates DATA and USING
    assertThat(refusal("OPTIMIZE features.daily REWRITE DATA\nUSING BIN_PACK").reason())
        .startsWith("SYNTAX_ERROR: line 2:1: mismatched input 'USING'");
  }

  @Test
  void vacuumReadsABackQuotedTableName() {
    assertThat(trino("VACUUM features.`daily`"))
        .isEqualTo(
            "ALTER TABLE features.\"daily\" EXECUTE expire_snapshots(retention_threshold =>"
                + " '432000s')");
  }

  @Test
  void informationSchemaNamesTheCatalogAsAthenaDoes() {
    assertThat(
            trino(
                "SELECT catalog_name FROM information_schema.schemata WHERE catalog_name ="
                    + " 'awsdatacatalog' LIMIT 1"))
        .isEqualTo(
            "SELECT catalog_name FROM information_schema.schemata WHERE catalog_name = 'iceberg'"
                + " LIMIT 1");
    assertThat(trino("SELECT 'awsdatacatalog' AS s")).isEqualTo("SELECT 'awsdatacatalog' AS s");
  }

  @Test
  void positionsOfSyntaxErrorsAreTheStatementsOwn() {
    assertThat(refusal("CREATE TABLE t (\n  a int,\n  b nope<) LOCATION 's3://b/t/'").reason())
        .startsWith("SYNTAX_ERROR: line 3:5: column b:");
    assertThat(refusal("SELECT 'unterminated").reason())
        .isEqualTo("SYNTAX_ERROR: line 1:8: unterminated string literal (no closing ')");
  }

  @Test
  void unloadRunsTheInnerQueryAndWritesParquetOnly() {
    Translation translation =
        translator.translate(
            "UNLOAD (SELECT a FROM awsdatacatalog.db.t WHERE b = 'x)'\n) TO 's3://b/p/q/'"
                + " WITH (format = 'PARQUET', compression = 'gzip')",
            "iceberg",
            "db");
    assertThat(translation)
        .isEqualTo(
            new Translation.Unload(
                "SELECT a FROM iceberg.db.t WHERE b = 'x)'", "s3://b/p/q/", "GZIP"));
    assertThat(translation.statementType()).isEqualTo(StatementType.DML);
    assertThat(refusal("UNLOAD (SELECT 1) TO 's3://b/p/'").reason())
        .isEqualTo(
            "NOT_SUPPORTED: the Athena emulator unloads format = 'PARQUET' only, not 'TEXTFILE'");
    assertThat(
            refusal(
                    "UNLOAD (SELECT 1) TO 's3://b/p/' WITH (format = 'PARQUET', compression = 'SNAPPY')")
                .reason())
        .contains("'GZIP' or 'NONE', not 'SNAPPY'");
    assertThat(refusal("UNLOAD (SELECT 1) TO '/tmp/x/' WITH (format = 'PARQUET')").reason())
        .startsWith("INVALID_LOCATION: ");
    assertThat(refusal("UNLOAD (SELECT 1) INTO 's3://b/p/'").reason())
        .startsWith("SYNTAX_ERROR: line 1:19: mismatched input 'INTO'. Expecting: TO");
    assertThat(refusal("UNLOAD (DROP TABLE t) TO 's3://b/p/'").reason())
        .contains("Expecting: a query");
  }

  private String trino(String athenaSql) {
    Run run = run(athenaSql);
    assertThat(run.trinoStatements()).hasSize(1);
    return run.trinoStatements().getFirst();
  }

  private Run run(String athenaSql) {
    Translation translation = translator.translate(athenaSql, "iceberg", "db");
    assertThat(translation).as(athenaSql).isInstanceOf(Run.class);
    return (Run) translation;
  }

  private Refusal refusal(String athenaSql) {
    Translation translation = translator.translate(athenaSql, "iceberg", "db");
    assertThat(translation).as(athenaSql).isInstanceOf(Refusal.class);
    return (Refusal) translation;
  }
}
