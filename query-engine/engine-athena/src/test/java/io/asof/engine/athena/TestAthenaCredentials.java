package io.asof.engine.athena;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine signs with the AWS SDK's default chain, with or without an endpoint of its own (a VPC
 * endpoint on AWS signs with the instance's role): the chain's first link, the {@code
 * aws.accessKeyId} system properties, shows it is the one used. Only tests hand it other keys.
 */
class TestAthenaCredentials {
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
    AthenaConfig config =
        AthenaConfig.of("eu-west-1", "primary", "db")
            .withEndpoint(URI.create("https://vpce-0abc.athena.eu-west-1.vpce.amazonaws.com"));
    try (AthenaQueryEngine engine = new AthenaQueryEngine(config)) {
      assertThat(engine.credentials().accessKeyId()).isEqualTo("AKIA-FROM-THE-CHAIN");
    }
    try (AthenaQueryEngine engine =
        new AthenaQueryEngine(AthenaConfig.of("eu-west-1", "primary", "db"))) {
      assertThat(engine.credentials().accessKeyId()).isEqualTo("AKIA-FROM-THE-CHAIN");
    }
  }

  @Test
  void testsHandTheirOwnKeys() {
    try (AthenaQueryEngine engine =
        TestAthenaEngineContract.emulated(AthenaConfig.of("us-east-1", "primary", "db"))) {
      assertThat(engine.credentials().accessKeyId()).isEqualTo("emulator");
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
