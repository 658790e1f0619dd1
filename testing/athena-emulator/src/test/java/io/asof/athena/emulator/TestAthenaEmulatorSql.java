package io.asof.athena.emulator;

import static io.asof.athena.emulator.EmulatorClients.await;
import static io.asof.athena.emulator.EmulatorClients.run;
import static io.asof.athena.emulator.EmulatorClients.start;
import static io.asof.athena.emulator.EmulatorClients.trino;
import static io.asof.athena.emulator.TestAthenaEmulator.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.StatementType;

/** Athena's SQL, translated by the emulator, end to end on real Trino. */
@ExtendWith(AsofStackExtension.class)
class TestAthenaEmulatorSql {
  private static final String DATABASE = "emu_sql";

  private final StackEndpoints stack;
  private final AthenaEmulator emulator;
  private final AthenaClient athena;

  TestAthenaEmulatorSql(StackEndpoints stack) {
    this.stack = stack;
    trino(stack, "CREATE SCHEMA IF NOT EXISTS " + stack.catalog() + "." + DATABASE);
    this.emulator = EmulatorClients.start(stack);
    this.athena = EmulatorClients.athena(emulator);
  }

  @AfterEach
  void close() {
    athena.close();
    emulator.close();
  }

  @Test
  void createDatabaseCreatesASchema() {
    trino(stack, "DROP SCHEMA IF EXISTS " + stack.catalog() + ".emu_sql_created");
    QueryExecution created = run(athena, DATABASE, "CREATE DATABASE IF NOT EXISTS emu_sql_created");
    assertThat(created.statementType()).isEqualTo(StatementType.DDL);
    GetQueryResultsResponse results =
        athena.getQueryResults(r -> r.queryExecutionId(created.queryExecutionId()));
    assertThat(results.resultSet().rows()).isEmpty();
    assertThat(results.updateCount()).isZero();
    // SHOW is a utility statement: no header row
    String shown =
        run(athena, DATABASE, "SHOW DATABASES LIKE 'emu_sql_created'").queryExecutionId();
    assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(shown)).resultSet().rows()))
        .containsExactly(List.of("emu_sql_created"));
    trino(stack, "DROP SCHEMA " + stack.catalog() + ".emu_sql_created");
  }

  @Test
  void hiveDdlCreatesAnIcebergTableToInsertIntoAndSelectFrom() {
    run(athena, DATABASE, "DROP TABLE IF EXISTS `events`");
    run(
        athena,
        DATABASE,
        """
        CREATE TABLE events (
          id bigint COMMENT 'the event',
          name string,
          at timestamp,
          amount decimal(10,2),
          tags array<string>
        )
        COMMENT 'events for the emulator test'
        PARTITIONED BY (day(at))
        LOCATION 's3://emu-test/warehouse/events/'
        TBLPROPERTIES ('table_type'='ICEBERG', 'format'='parquet')""");
    QueryExecution inserted =
        run(
            athena,
            DATABASE,
            """
            INSERT INTO awsdatacatalog.emu_sql.events VALUES
              (1, 'a', TIMESTAMP '2026-01-01 10:00:00.123456', 12.50, ARRAY['x']),
              (2, NULL, TIMESTAMP '2026-01-02 11:00:00', 3.00, ARRAY[])""");
    assertThat(
            athena
                .getQueryResults(r -> r.queryExecutionId(inserted.queryExecutionId()))
                .updateCount())
        .isEqualTo(2);
    String selected =
        run(athena, DATABASE, "SELECT id, name, at, amount, tags FROM events ORDER BY id")
            .queryExecutionId();
    GetQueryResultsResponse results = athena.getQueryResults(r -> r.queryExecutionId(selected));
    assertThat(values(results.resultSet().rows()))
        .containsExactly(
            List.of("id", "name", "at", "amount", "tags"),
            List.of("1", "a", "2026-01-01 10:00:00.123456", "12.50", "[x]"),
            java.util.Arrays.asList("2", null, "2026-01-02 11:00:00.000000", "3.00", "[]"));
    assertThat(results.resultSet().resultSetMetadata().columnInfo())
        .extracting(ColumnInfo::type)
        .containsExactly("bigint", "varchar", "timestamp", "decimal", "array");
    assertThat(results.resultSet().resultSetMetadata().columnInfo().get(2).precision())
        .isEqualTo(6);
    // SHOW CREATE TABLE comes back one line a row, as Athena's text results do
    String shown = run(athena, DATABASE, "SHOW CREATE TABLE events").queryExecutionId();
    List<List<String>> lines =
        values(athena.getQueryResults(r -> r.queryExecutionId(shown)).resultSet().rows());
    assertThat(lines.getFirst()).containsExactly("CREATE TABLE iceberg.emu_sql.events (");
    assertThat(lines)
        .contains(List.of("   name varchar,"), List.of("   partitioning = ARRAY['day(at)']"));
    assertThat(lines).contains(List.of("COMMENT 'events for the emulator test'"));
  }

  @Test
  void ctasWithAthenasTablePropertiesMakesAnIcebergTable() {
    run(athena, DATABASE, "DROP TABLE IF EXISTS nations");
    QueryExecution created =
        run(
            athena,
            DATABASE,
            """
            CREATE TABLE nations
            WITH (table_type = 'ICEBERG', is_external = false,
                  location = 's3://emu-test/warehouse/nations/',
                  partitioning = ARRAY['regionkey'], format = 'PARQUET',
                  write_compression = 'ZSTD')
            AS SELECT nationkey, name, regionkey FROM tpch.tiny.nation""");
    assertThat(created.statementType()).isEqualTo(StatementType.DDL);
    assertThat(
            athena
                .getQueryResults(r -> r.queryExecutionId(created.queryExecutionId()))
                .updateCount())
        .isEqualTo(25);
    String counted =
        run(athena, DATABASE, "SELECT count(DISTINCT partition) FROM \"nations$partitions\"")
            .queryExecutionId();
    assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(counted)).resultSet().rows()))
        .containsExactly(List.of("_col0"), List.of("5"));
    QueryExecution hive =
        await(athena, start(athena, DATABASE, "CREATE TABLE hive_ctas AS SELECT 1 AS a"));
    assertThat(hive.status().state()).isEqualTo(QueryExecutionState.FAILED);
    assertThat(hive.status().stateChangeReason()).contains("only Iceberg tables");
  }

  @Test
  void optimizeCompactsAndVacuumExpiresSnapshotsByTheTablesMaximumAge() throws Exception {
    run(athena, DATABASE, "DROP TABLE IF EXISTS compacted");
    run(
        athena,
        DATABASE,
        "CREATE TABLE compacted (id bigint, at timestamp) LOCATION 's3://emu-test/compacted/'"
            + " TBLPROPERTIES ('table_type'='ICEBERG')");
    for (int i = 0; i < 3; i++) {
      run(
          athena,
          DATABASE,
          "INSERT INTO compacted VALUES (" + i + ", TIMESTAMP '2026-01-01 00:00:00')");
    }
    assertThat(count("SELECT count(*) FROM \"compacted$files\"")).isEqualTo(3);
    QueryExecution optimized =
        run(athena, DATABASE, "OPTIMIZE compacted REWRITE DATA USING BIN_PACK");
    assertThat(optimized.statementType()).isEqualTo(StatementType.DML);
    assertThat(count("SELECT count(*) FROM \"compacted$files\"")).isEqualTo(1);
    long snapshots = count("SELECT count(*) FROM \"compacted$snapshots\"");
    assertThat(snapshots).isGreaterThanOrEqualTo(4);
    // by default VACUUM keeps 5 days of snapshots
    run(athena, DATABASE, "VACUUM compacted");
    assertThat(count("SELECT count(*) FROM \"compacted$snapshots\"")).isEqualTo(snapshots);
    run(
        athena,
        DATABASE,
        "ALTER TABLE compacted SET TBLPROPERTIES ('vacuum_max_snapshot_age_seconds'='1')");
    Thread.sleep(1_100);
    run(athena, DATABASE, "VACUUM compacted");
    assertThat(count("SELECT count(*) FROM \"compacted$snapshots\"")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM compacted")).isEqualTo(3);
    QueryExecution missing =
        await(
            athena,
            start(
                athena,
                DATABASE,
                "ALTER TABLE nope SET TBLPROPERTIES ('vacuum_max_snapshot_age_seconds'='1')"));
    assertThat(missing.status().stateChangeReason()).startsWith("TABLE_NOT_FOUND:");
  }

  @Test
  void statementsShapedAsTheCompilersAthenaDialectWritesThemRun() {
    run(athena, DATABASE, "CREATE DATABASE IF NOT EXISTS `emu_sql`");
    run(athena, DATABASE, "DROP TABLE IF EXISTS `emu_sql`.`dialect`");
    run(
        athena,
        DATABASE,
        """
        CREATE TABLE IF NOT EXISTS `emu_sql`.`dialect` (
          `id` bigint COMMENT 'the reader\\'s id',
          `e` timestamp
        )
        COMMENT 'written by the dialect'
        PARTITIONED BY (day(`e`))
        LOCATION 's3://emu-test/asof/emu_sql/dialect/'
        TBLPROPERTIES ('table_type'='ICEBERG')""");
    run(
        athena,
        DATABASE,
        "INSERT INTO emu_sql.dialect VALUES (1, TIMESTAMP '2026-01-01 00:00:00')");
    run(
        athena,
        DATABASE,
        "INSERT INTO emu_sql.dialect VALUES (2, TIMESTAMP '2026-01-01 01:00:00')");
    run(
        athena,
        DATABASE,
        "ALTER TABLE `emu_sql`.`dialect` SET TBLPROPERTIES"
            + " ('optimize_rewrite_min_data_file_size_bytes'='1000000')");
    run(athena, DATABASE, "OPTIMIZE emu_sql.dialect REWRITE DATA USING BIN_PACK");
    assertThat(count("SELECT count(*) FROM \"dialect$files\"")).isEqualTo(1);
    run(
        athena,
        DATABASE,
        "ALTER TABLE `emu_sql`.`dialect` SET TBLPROPERTIES ('vacuum_max_snapshot_age_seconds'='0')");
    run(athena, DATABASE, "VACUUM emu_sql.`dialect`");
    assertThat(count("SELECT count(*) FROM \"dialect$snapshots\"")).isEqualTo(1);
    String comment =
        run(
                athena,
                DATABASE,
                "SELECT comment FROM information_schema.columns WHERE table_schema = 'emu_sql'"
                    + " AND table_name = 'dialect' AND column_name = 'id'")
            .queryExecutionId();
    assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(comment)).resultSet().rows()))
        .containsExactly(List.of("comment"), List.of("the reader's id"));
    String catalog =
        run(
                athena,
                DATABASE,
                "SELECT catalog_name FROM information_schema.schemata WHERE catalog_name ="
                    + " 'awsdatacatalog' LIMIT 1")
            .queryExecutionId();
    assertThat(values(athena.getQueryResults(r -> r.queryExecutionId(catalog)).resultSet().rows()))
        .containsExactly(List.of("catalog_name"), List.of("awsdatacatalog"));
    run(athena, DATABASE, "DROP TABLE IF EXISTS `emu_sql`.`dialect`");
  }

  @Test
  void trinoOnlySqlFailsAsAUserError() {
    for (String sql :
        List.of(
            "COMMENT ON TABLE events IS 'x'",
            "CREATE TABLE trino_style (a bigint) WITH (format = 'PARQUET')",
            "SELECT * FROM system.metadata.table_comments",
            "ALTER TABLE events EXECUTE optimize",
            "CREATE OR REPLACE VIEW commented COMMENT 'x' AS SELECT 1 AS a")) {
      QueryExecution execution = await(athena, start(athena, DATABASE, sql));
      assertThat(execution.status().state()).as(sql).isEqualTo(QueryExecutionState.FAILED);
      assertThat(execution.status().stateChangeReason()).as(sql).startsWith("NOT_SUPPORTED: ");
      assertThat(execution.status().athenaError().errorCategory()).as(sql).isEqualTo(2);
    }
    run(athena, DATABASE, "CREATE OR REPLACE VIEW plain AS SELECT 1 AS a");
    assertThat(count("SELECT a FROM plain")).isEqualTo(1);
  }

  private long count(String sql) {
    String id = run(athena, DATABASE, sql).queryExecutionId();
    return Long.parseLong(
        athena
            .getQueryResults(r -> r.queryExecutionId(id))
            .resultSet()
            .rows()
            .get(1)
            .data()
            .getFirst()
            .varCharValue());
  }
}
