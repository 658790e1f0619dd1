package io.asof.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestTrinoServerConfig {
  @Test
  void queriesGetHalfTheHeap() {
    assertThat(TrinoServer.queryMemoryMb("1G")).isEqualTo(512);
    assertThat(TrinoServer.queryMemoryMb("8G")).isEqualTo(4096);
    assertThat(TrinoServer.queryMemoryMb("768M")).isEqualTo(384);
  }
}
