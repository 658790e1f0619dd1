package io.asof.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The registry contract on the default store: an embedded H2 file. */
class TestEmbeddedRegistryStore extends RegistryStoreContract {
  @TempDir Path stateDir;
  private RegistryConfig config;

  @Override
  protected RegistryConfig freshDatabase() {
    config = RegistryConfig.embedded(stateDir);
    return config;
  }

  @Override
  protected RegistryConfig lastConfig() {
    return config;
  }
}
