package io.asof.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.local.StackEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The shared stack is real: Trino 476 writes and time-travels Iceberg tables, DynamoDB stores. */
@ExtendWith(AsofStackExtension.class)
class TestStackIntegration {
  private final StackEndpoints stack;

  TestStackIntegration(StackEndpoints stack) {
    this.stack = stack;
  }

  @Test
  void trinoIs476() throws SQLException {
    assertThat(single("SELECT DISTINCT node_version FROM system.runtime.nodes")).isEqualTo("476");
  }

  @Test
  void icebergTableIsCreatedInsertedAndReadAsOfASnapshot() throws SQLException {
    String table = stack.warehouseTable("stack_time_travel");
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + table);
      statement.execute(
          "CREATE TABLE "
              + table
              + " (id bigint, ts timestamp(6)) WITH (partitioning = ARRAY['day(ts)'])");
      statement.execute(
          "INSERT INTO "
              + table
              + " VALUES (1, TIMESTAMP '2026-01-01 10:00:00'), (2, TIMESTAMP '2026-01-02 10:00:00')");
      long firstSnapshot =
          (Long)
              single(
                  "SELECT snapshot_id FROM "
                      + stack.catalog()
                      + "."
                      + stack.warehouseSchema()
                      + ".\"stack_time_travel$snapshots\" ORDER BY committed_at DESC LIMIT 1");
      statement.execute("INSERT INTO " + table + " VALUES (3, TIMESTAMP '2026-01-03 10:00:00')");

      assertThat(single("SELECT count(*) FROM " + table)).isEqualTo(3L);
      assertThat(single("SELECT count(*) FROM " + table + " FOR VERSION AS OF " + firstSnapshot))
          .isEqualTo(2L);
      assertThat(single("SELECT max(id) FROM " + table + " FOR VERSION AS OF " + firstSnapshot))
          .isEqualTo(2L);
      // it is an Iceberg table, partitioned by day
      assertThat(
              single(
                  "SELECT count(*) FROM "
                      + stack.catalog()
                      + "."
                      + stack.warehouseSchema()
                      + ".\"stack_time_travel$partitions\""))
          .isEqualTo(3L);
      statement.execute("DROP TABLE " + table);
    }
  }

  @Test
  void tpchCatalogIsThere() throws SQLException {
    assertThat(single("SELECT count(*) FROM tpch.tiny.nation")).isEqualTo(25L);
  }

  @Test
  void dynamoDbPutsAndGetsThroughTheAwsSdk() {
    try (DynamoDbClient client =
        DynamoDbClient.builder()
            .endpointOverride(stack.dynamoDbEndpoint())
            .region(Region.of(stack.dynamoDbRegion()))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      String table = "stack_put_get";
      if (client.listTables().tableNames().contains(table)) {
        client.deleteTable(b -> b.tableName(table));
      }
      client.createTable(
          b ->
              b.tableName(table)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("pk")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder()
                          .attributeName("pk")
                          .keyType(KeyType.HASH)
                          .build()));
      client.putItem(
          b ->
              b.tableName(table)
                  .item(
                      Map.of(
                          "pk", AttributeValue.fromS("user#42"),
                          "clicks_7d", AttributeValue.fromN("17"))));

      Map<String, AttributeValue> item =
          client
              .getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("user#42"))))
              .item();

      assertThat(item).containsEntry("clicks_7d", AttributeValue.fromN("17"));
      assertThat(
              client
                  .getItem(
                      b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS("user#43"))))
                  .hasItem())
          .isFalse();
      client.deleteTable(b -> b.tableName(table));
    }
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", stack.trinoUser());
    return DriverManager.getConnection(stack.trinoJdbcUrl(), properties);
  }

  private Object single(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as("a row from %s", sql).isTrue();
      Object value = rows.getObject(1);
      assertThat(rows.next()).as("one row from %s", sql).isFalse();
      return value;
    }
  }
}
