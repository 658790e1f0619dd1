package io.asof.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asof.local.LocalStack;
import io.asof.local.LocalStackConfig;
import io.asof.local.StackException;
import io.asof.local.StackStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

/**
 * {@code asof local up | down | status} on stacks of their own (not the shared one): idempotent up,
 * a down that leaves no process behind, and one-line causes when a start cannot work.
 */
class TestLocalStackLifecycle {
  @BeforeEach
  void localModeOnly() {
    assumeTrue(
        StackMode.selected() == StackMode.LOCAL,
        "the local stack's lifecycle is tested in local mode only");
  }

  @Test
  void upTwiceThenDownLeavesNoProcessAndUpAgainKeepsTheData() throws SQLException {
    LocalStackConfig config =
        LocalProcessTestStack.config()
            .withDynamoDbStorage(LocalStackConfig.DynamoDbStorage.ON_DISK);
    List<String> messages = new ArrayList<>();
    LocalStack stack = new LocalStack(config, messages::add);
    try {
      StackStatus first = stack.up();
      assertThat(first.running()).isTrue();
      assertThat(stackProcesses(config)).hasSize(2);

      StackStatus second = stack.up();
      assertThat(second.trinoPid()).isEqualTo(first.trinoPid());
      assertThat(second.dynamoDbPid()).isEqualTo(first.dynamoDbPid());
      assertThat(messages).anyMatch(m -> m.startsWith("Trino already runs (pid "));
      assertThat(messages).anyMatch(m -> m.startsWith("DynamoDB Local already runs (pid "));
      assertThat(second.toJson())
          .contains("\"state\" : \"running\"")
          .contains("\"jdbcUrl\" : \"jdbc:trino://127.0.0.1:" + config.trinoPort() + "\"")
          .contains("\"endpoint\" : \"http://127.0.0.1:" + config.dynamoDbPort() + "\"");
      execute(
          second,
          "CREATE TABLE " + second.endpoints().warehouseTable("kept") + " AS SELECT 7 AS x");
      try (DynamoDbClient client = dynamoDb(second)) {
        client.createTable(
            b ->
                b.tableName("kept")
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
        client.putItem(b -> b.tableName("kept").item(Map.of("pk", AttributeValue.fromS("a"))));
      }
    } finally {
      assertThat(stack.down()).isTrue();
    }
    assertThat(stackProcesses(config)).isEmpty();
    assertThat(stack.status().stopped()).isTrue();
    assertThat(stack.down()).isFalse();

    // straight back up on the same ports: the data is still there
    try {
      StackStatus again = stack.up();
      assertThat(query(again, "SELECT x FROM " + again.endpoints().warehouseTable("kept")))
          .isEqualTo(7);
      try (DynamoDbClient client = dynamoDb(again)) {
        assertThat(
                client
                    .getItem(b -> b.tableName("kept").key(Map.of("pk", AttributeValue.fromS("a"))))
                    .hasItem())
            .isTrue();
      }
    } finally {
      stack.down();
    }
    assertThat(stackProcesses(config)).isEmpty();
  }

  private static DynamoDbClient dynamoDb(StackStatus status) {
    return DynamoDbClient.builder()
        .endpointOverride(status.endpoints().dynamoDbEndpoint())
        .region(Region.of(status.endpoints().dynamoDbRegion()))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  private static void execute(StackStatus status, String sql) throws SQLException {
    try (Connection connection = connect(status);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Object query(StackStatus status, String sql) throws SQLException {
    try (Connection connection = connect(status);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getObject(1);
    }
  }

  private static Connection connect(StackStatus status) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", status.endpoints().trinoUser());
    return DriverManager.getConnection(status.endpoints().trinoJdbcUrl(), properties);
  }

  @Test
  void takenPortIsNamed() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      LocalStackConfig config =
          LocalProcessTestStack.config().withPorts(taken.getLocalPort(), LocalStack.freePort());
      LocalStack stack = new LocalStack(config, message -> {});
      assertThatThrownBy(stack::up)
          .isInstanceOf(StackException.class)
          .hasMessage(
              "port %d for Trino is taken by another program: stop it, or choose another port with --trino-port",
              taken.getLocalPort());
      assertThat(stackProcesses(config)).isEmpty();
    }
  }

  @Test
  void missingLayoutSaysHowToBuildIt() {
    LocalStackConfig config = LocalProcessTestStack.config();
    Path nowhere = config.stateDir().resolve("no-dist");
    LocalStack stack =
        new LocalStack(
            new LocalStackConfig(
                config.stateDir(),
                nowhere,
                config.javaHome(),
                config.trinoPort(),
                config.dynamoDbPort(),
                config.trinoHeap(),
                Optional.empty(),
                config.dynamoDbStorage()),
            message -> {});
    assertThatThrownBy(stack::up)
        .isInstanceOf(StackException.class)
        .hasMessageStartingWith("the local stack is not laid out in " + nowhere)
        .hasMessageEndingWith(
            "run ./mvnw -pl api/local-stack-dist package, or use ./asof, which does");
  }

  @Test
  void serverThatDiesDuringStartIsReportedWithItsLog() throws IOException {
    LocalStackConfig base = LocalProcessTestStack.config();
    Path broken =
        Files.writeString(
            base.stateDir().resolve("broken-iceberg.properties"),
            "connector.name=iceberg\niceberg.catalog.type=NO_SUCH_CATALOG\n");
    LocalStackConfig config = base.withIcebergCatalogProperties(Optional.of(broken));
    LocalStack stack = new LocalStack(config, message -> {});
    try {
      assertThatThrownBy(stack::up)
          .isInstanceOf(StackException.class)
          .hasMessageStartingWith("Trino exited during start (exit code ")
          .hasMessageContaining("NO_SUCH_CATALOG")
          .hasMessageEndingWith("(log: " + config.stateDir().resolve("logs/trino.log") + ")");
      assertThat(stackProcesses(config)).isEmpty();
    } finally {
      stack.down();
    }
  }

  /** Every live process that carries this state directory's marker. */
  private static List<ProcessHandle> stackProcesses(LocalStackConfig config) {
    String marker = "-Dasof.stack=" + config.stateDir();
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> commandLine(p).contains(marker))
        .toList();
  }

  private static String commandLine(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }
}
