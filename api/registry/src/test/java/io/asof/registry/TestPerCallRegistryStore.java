package io.asof.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The registry contract on the store the server uses, which opens the embedded H2 file per call;
 * and that it holds no lock between calls.
 */
class TestPerCallRegistryStore extends TestEmbeddedRegistryStore {
  @Override
  protected RegistryStore openStore(RegistryConfig config) {
    return new PerCallRegistryStore(config);
  }

  @Test
  void anotherStoreOpensTheFileBetweenCalls() {
    RegistryConfig shared = RegistryConfig.embedded(stateDir.resolve("shared"));
    try (RegistryStore server = new PerCallRegistryStore(shared)) {
      assertThat(server.views()).isEmpty();
      // as `asof apply` does while the server runs: the embedded file must not be locked
      try (RegistryStore cli = JooqRegistryStore.open(shared)) {
        cli.apply(List.of(), List.of("nothing"));
        assertThat(cli.views()).isEmpty();
      }
      assertThat(server.schemaVersion()).isEqualTo(Migrations.latest());
    }
  }
}
