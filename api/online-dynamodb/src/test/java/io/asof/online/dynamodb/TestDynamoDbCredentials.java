package io.asof.online.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which credentials the store signs with: the AWS SDK's default chain for every endpoint it is
 * given (a VPC endpoint on AWS signs with the instance's role), fixed keys only for DynamoDB Local.
 * The chain's first link, the {@code aws.accessKeyId} system properties, shows it is the one used.
 */
class TestDynamoDbCredentials {
  private static final String KEY = "aws.accessKeyId";
  private static final String SECRET = "aws.secretAccessKey";
  private String keyBefore;
  private String secretBefore;

  @BeforeEach
  void chainHasKeys() {
    keyBefore = System.getProperty(KEY);
    secretBefore = System.getProperty(SECRET);
    System.setProperty(KEY, "AKIA-FROM-THE-CHAIN");
    System.setProperty(SECRET, "secret-from-the-chain");
  }

  @AfterEach
  void restore() {
    restore(KEY, keyBefore);
    restore(SECRET, secretBefore);
  }

  @Test
  void anEndpointSignsWithTheDefaultChain() {
    // no request is sent: resolving the credentials needs no endpoint that answers
    try (DynamoDbOnlineStore store =
        DynamoDbOnlineStore.connect(
            URI.create("https://vpce-0abc.dynamodb.eu-west-1.vpce.amazonaws.com"), "eu-west-1")) {
      assertThat(store.credentials().accessKeyId()).isEqualTo("AKIA-FROM-THE-CHAIN");
    }
  }

  @Test
  void theRegionsDynamoDbSignsWithTheDefaultChain() {
    try (DynamoDbOnlineStore store = DynamoDbOnlineStore.connect("eu-west-1")) {
      assertThat(store.credentials().accessKeyId()).isEqualTo("AKIA-FROM-THE-CHAIN");
    }
  }

  @Test
  void onlyDynamoDbLocalGetsFixedKeys() {
    try (DynamoDbOnlineStore store =
        DynamoDbOnlineStore.connectLocal(URI.create("http://127.0.0.1:8000"), "us-east-1")) {
      assertThat(store.credentials().accessKeyId()).isEqualTo("local");
    }
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }
}
