package io.asof.athena.emulator;

import static io.asof.athena.emulator.EmulatorClients.trino;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.Database;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GetDatabasesResponse;
import software.amazon.awssdk.services.glue.model.GetTablesResponse;
import software.amazon.awssdk.services.glue.model.Table;

/** The Glue API of the emulator, through the real AWS SDK v2 GlueClient, on real Trino. */
@ExtendWith(AsofStackExtension.class)
class TestGlueEmulator {
  private static final String DATABASE = "emu_glue";

  private final StackEndpoints stack;
  private final AthenaEmulator emulator;
  private final GlueClient glue;

  TestGlueEmulator(StackEndpoints stack) {
    this.stack = stack;
    this.emulator = EmulatorClients.start(stack);
    this.glue = EmulatorClients.glue(emulator);
  }

  @BeforeAll
  static void createTables(StackEndpoints stack) {
    String schema = stack.catalog() + "." + DATABASE;
    trino(
        stack,
        "CREATE SCHEMA IF NOT EXISTS " + schema,
        "CREATE OR REPLACE TABLE "
            + schema
            + ".typed (id bigint COMMENT 'the id', name varchar, n integer, r real,"
            + " at timestamp(6), amount decimal(12,2), tags array(bigint),"
            + " point row(a bigint, b varchar), attributes map(varchar, double))"
            + " COMMENT 'every type'",
        "CREATE OR REPLACE TABLE " + schema + ".t1 AS SELECT BIGINT '1' AS a",
        "CREATE OR REPLACE TABLE " + schema + ".t2 (a bigint)",
        "CREATE OR REPLACE TABLE " + schema + ".t3 (a bigint)",
        "CREATE OR REPLACE VIEW " + schema + ".v AS SELECT a AS b FROM " + schema + ".t1");
  }

  @AfterEach
  void close() {
    glue.close();
    emulator.close();
  }

  @Test
  void databasesComeInPages() {
    List<String> names = new ArrayList<>();
    int pages = 0;
    String token = null;
    do {
      String next = token;
      GetDatabasesResponse page = glue.getDatabases(r -> r.maxResults(1).nextToken(next));
      assertThat(page.databaseList()).hasSizeLessThanOrEqualTo(1);
      page.databaseList().forEach(database -> names.add(database.name()));
      pages++;
      token = page.nextToken();
    } while (token != null);
    assertThat(names).contains(DATABASE).doesNotContain("information_schema");
    assertThat(pages).isEqualTo(names.size());
    assertThat(names).isSorted();
    Database database = glue.getDatabase(r -> r.name(DATABASE)).database();
    assertThat(database.name()).isEqualTo(DATABASE);
    assertThat(database.catalogId()).isEqualTo(GlueOperations.CATALOG_ID);
    assertThatThrownBy(() -> glue.getDatabase(r -> r.name("emu_glue_nope")))
        .isInstanceOf(EntityNotFoundException.class)
        .hasMessageContaining("Database emu_glue_nope not found");
  }

  @Test
  void createDatabaseCreatesASchemaOnce() {
    trino(stack, "DROP SCHEMA IF EXISTS " + stack.catalog() + ".emu_glue_created");
    glue.createDatabase(r -> r.databaseInput(d -> d.name("emu_glue_created")));
    assertThat(glue.getDatabase(r -> r.name("emu_glue_created")).database().name())
        .isEqualTo("emu_glue_created");
    assertThatThrownBy(
            () -> glue.createDatabase(r -> r.databaseInput(d -> d.name("emu_glue_created"))))
        .isInstanceOf(AlreadyExistsException.class);
    trino(stack, "DROP SCHEMA " + stack.catalog() + ".emu_glue_created");
  }

  @Test
  void tablesComeInPagesAndMatchTheExpression() {
    List<String> names = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      GetTablesResponse page =
          glue.getTables(r -> r.databaseName(DATABASE).maxResults(2).nextToken(next));
      sizes.add(page.tableList().size());
      page.tableList().forEach(table -> names.add(table.name()));
      token = page.nextToken();
    } while (token != null);
    assertThat(names).containsExactly("t1", "t2", "t3", "typed", "v");
    assertThat(sizes).containsExactly(2, 2, 1);
    assertThat(
            glue.getTablesPaginator(r -> r.databaseName(DATABASE).maxResults(2)).stream()
                .flatMap(page -> page.tableList().stream()))
        .hasSize(5);
    assertThat(glue.getTables(r -> r.databaseName(DATABASE).expression("t*")).tableList())
        .extracting(Table::name)
        .containsExactly("t1", "t2", "t3", "typed");
    assertThat(glue.getTables(r -> r.databaseName(DATABASE).expression("t1|v")).tableList())
        .extracting(Table::name)
        .containsExactly("t1", "v");
    assertThatThrownBy(() -> glue.getTables(r -> r.databaseName("emu_glue_nope")))
        .isInstanceOf(EntityNotFoundException.class);
  }

  @Test
  void tablesHaveHiveTypesAndIcebergParameters() {
    Table table = glue.getTable(r -> r.databaseName(DATABASE).name("typed")).table();
    assertThat(table.name()).isEqualTo("typed");
    assertThat(table.databaseName()).isEqualTo(DATABASE);
    assertThat(table.tableType()).isEqualTo("EXTERNAL_TABLE");
    assertThat(table.parameters()).containsEntry("table_type", "ICEBERG");
    assertThat(table.description()).isEqualTo("every type");
    assertThat(table.storageDescriptor().location()).isNotEmpty();
    assertThat(table.storageDescriptor().columns())
        .extracting(Column::name, Column::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("id", "bigint"),
            org.assertj.core.groups.Tuple.tuple("name", "string"),
            org.assertj.core.groups.Tuple.tuple("n", "int"),
            org.assertj.core.groups.Tuple.tuple("r", "float"),
            org.assertj.core.groups.Tuple.tuple("at", "timestamp"),
            org.assertj.core.groups.Tuple.tuple("amount", "decimal(12,2)"),
            org.assertj.core.groups.Tuple.tuple("tags", "array<bigint>"),
            org.assertj.core.groups.Tuple.tuple("point", "struct<a:bigint,b:string>"),
            org.assertj.core.groups.Tuple.tuple("attributes", "map<string,double>"));
    assertThat(table.storageDescriptor().columns().getFirst().comment()).isEqualTo("the id");
    Table filled = glue.getTable(r -> r.databaseName(DATABASE).name("t1")).table();
    assertThat(filled.createTime()).isNotNull();
    assertThatThrownBy(() -> glue.getTable(r -> r.databaseName(DATABASE).name("nope")))
        .isInstanceOf(EntityNotFoundException.class)
        .hasMessageContaining("Table nope not found");
  }

  @Test
  void viewsAreVirtualViewsWithAthenasViewText() throws Exception {
    Table view = glue.getTable(r -> r.databaseName(DATABASE).name("v")).table();
    assertThat(view.tableType()).isEqualTo("VIRTUAL_VIEW");
    assertThat(view.parameters()).containsEntry("presto_view", "true");
    assertThat(view.viewExpandedText()).isEqualTo("/* Presto View */");
    String text = view.viewOriginalText();
    assertThat(text).startsWith("/* Presto View: ").endsWith(" */");
    JsonNode definition =
        new ObjectMapper()
            .readTree(
                Base64.getDecoder()
                    .decode(text.substring("/* Presto View: ".length(), text.length() - 3)));
    assertThat(definition.path("originalSql").asText()).contains(stack.catalog() + ".emu_glue.t1");
    assertThat(definition.path("catalog").asText()).isEqualTo("awsdatacatalog");
    assertThat(definition.path("columns").get(0).path("name").asText()).isEqualTo("b");
    assertThat(view.storageDescriptor().columns())
        .extracting(Column::name, Column::type)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("b", "bigint"));
  }
}
