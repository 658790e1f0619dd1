package io.asof.bi;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.local.StackEndpoints;
import io.asof.testing.AsofStackExtension;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A BI tool browsing the warehouse over JDBC sees the tables and columns with their descriptions:
 * {@link DatabaseMetaData#getTables} and {@link DatabaseMetaData#getColumns} return the comments as
 * REMARKS.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestJdbcMetadata {
  private static final String SCHEMA = "bi_news";

  private StackEndpoints stack;

  @BeforeAll
  void load(StackEndpoints stack) {
    this.stack = stack;
    try (var engine =
        new TrinoQueryEngine(new TrinoConnectionConfig(stack.trinoJdbcUrl(), stack.trinoUser()))) {
      new NewsWarehouse(new NewsWarehouseSpec(3, 2_000), stack.catalog(), SCHEMA)
          .load(engine, step -> {});
    }
  }

  @Test
  void tablesAreListedAndTheirDescriptionsAreInTableComments() throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection connection = connect();
        ResultSet rows =
            connection
                .getMetaData()
                .getTables(stack.catalog(), SCHEMA, "%", new String[] {"TABLE"})) {
      while (rows.next()) {
        tables.add(rows.getString("TABLE_NAME"));
        // Trino 476 leaves getTables' REMARKS empty for every table (system.jdbc.tables)
        assertThat(rows.getString("REMARKS")).isNull();
      }
    }
    assertThat(tables)
        .containsExactlyInAnyOrder(
            "users", "articles", "impressions", "reactions", "demo_manifest");

    // where Trino does expose table descriptions: system.metadata.table_comments
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT comment FROM system.metadata.table_comments WHERE catalog_name = '%s' AND schema_name = '%s' AND table_name = 'impressions'"
                    .formatted(stack.catalog(), SCHEMA))) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1))
          .isEqualTo(
              "Articles shown to users over 90 days from 2026-01-01, with whether they were clicked (generated, seed 3).");
    }
  }

  @Test
  void columnsAreListedWithTypesAndDescriptions() throws SQLException {
    Map<String, String> remarks = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    try (Connection connection = connect();
        ResultSet columns =
            connection.getMetaData().getColumns(stack.catalog(), SCHEMA, "impressions", "%")) {
      while (columns.next()) {
        remarks.put(columns.getString("COLUMN_NAME"), columns.getString("REMARKS"));
        types.put(columns.getString("COLUMN_NAME"), columns.getString("TYPE_NAME"));
      }
    }
    assertThat(types.keySet())
        .containsExactly(
            "impression_id", "user_id", "article_id", "shown_at", "position", "device", "clicked");
    assertThat(types).containsEntry("shown_at", "timestamp(6)").containsEntry("clicked", "boolean");
    assertThat(remarks)
        .containsEntry("clicked", "Whether the user opened the article from this impression.")
        .containsEntry("shown_at", "When the article was shown (UTC).");
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", stack.trinoUser());
    return DriverManager.getConnection(stack.trinoJdbcUrl(), properties);
  }
}
