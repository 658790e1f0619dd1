package io.asof.online.dynamodb;

import static io.asof.online.dynamodb.DynamoDbCodec.PK;
import static io.asof.online.dynamodb.DynamoDbCodec.TTL;

import io.asof.online.OnlineTable;
import io.asof.online.OnlineValues;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The DynamoDB store's tables: one per view version, on-demand, keyed by {@code pk}, with
 * DynamoDB's TTL on {@code __ttl}; created, looked for and dropped, each waited for.
 */
final class DynamoDbTables {
  private final DynamoDbCalls calls;

  DynamoDbTables(DynamoDbCalls calls) {
    this.calls = calls;
  }

  boolean create(OnlineTable table) {
    OnlineValues.checkTable(table);
    boolean created;
    try {
      calls
          .client()
          .createTable(
              b ->
                  b.tableName(table.name())
                      .billingMode(BillingMode.PAY_PER_REQUEST)
                      .attributeDefinitions(
                          AttributeDefinition.builder()
                              .attributeName(PK)
                              .attributeType(ScalarAttributeType.S)
                              .build())
                      .keySchema(
                          KeySchemaElement.builder()
                              .attributeName(PK)
                              .keyType(KeyType.HASH)
                              .build()));
      created = true;
    } catch (ResourceInUseException e) {
      created = false;
    } catch (SdkException e) {
      throw calls.failure("create", table, e);
    }
    try {
      calls.client().waiter().waitUntilTableExists(b -> b.tableName(table.name()));
      if (created) {
        calls
            .client()
            .updateTimeToLive(
                b ->
                    b.tableName(table.name())
                        .timeToLiveSpecification(t -> t.attributeName(TTL).enabled(true)));
      }
    } catch (SdkException e) {
      throw calls.failure("create", table, e);
    }
    return created;
  }

  boolean exists(OnlineTable table) {
    try {
      calls.client().describeTable(b -> b.tableName(table.name()));
      return true;
    } catch (ResourceNotFoundException e) {
      return false;
    } catch (SdkException e) {
      throw calls.failure("describe", table, e);
    }
  }

  void drop(OnlineTable table) {
    try {
      calls.client().deleteTable(b -> b.tableName(table.name()));
      calls.client().waiter().waitUntilTableNotExists(b -> b.tableName(table.name()));
    } catch (ResourceNotFoundException e) {
      // nothing to drop
    } catch (SdkException e) {
      throw calls.failure("drop", table, e);
    }
  }
}
