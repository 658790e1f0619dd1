package io.asof.push;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.dialect.AthenaDialect;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Push ingestion's statements are Trino's: on Amazon Athena the service refuses to start. */
class TestPushServiceOnAthena {
  @Test
  void opensNothingOnAthenaAndSaysWhy() {
    assertThatThrownBy(
            () ->
                PushService.open(
                    null,
                    null,
                    new AthenaDialect("s3://bucket/asof/"),
                    Optional.empty(),
                    null,
                    null,
                    Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("push ingestion needs Trino")
        .hasMessageContaining("add_files procedure")
        .hasMessageContaining("which Amazon Athena does not have");
  }
}
