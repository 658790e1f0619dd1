package io.asof.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asof.compiler.CompiledView;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoConnectionConfig;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.local.StackEndpoints;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.testing.AsofStackExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled catalog on a real Trino: compiled once, served again while nothing changes, and
 * compiled again when the repository's files or the registry's applied views change.
 */
@ExtendWith(AsofStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestFeatureCatalog {
  private static final String SCHEMA = "feature_catalog_test";

  private QueryEngine trino;
  private RegistryStore registry;
  private String catalog;

  @BeforeAll
  void start(StackEndpoints stack, @TempDir Path state) {
    catalog = stack.catalog();
    trino =
        new TrinoQueryEngine(
            new TrinoConnectionConfig(stack.trinoJdbcUrl() + "/" + catalog, stack.trinoUser()));
    registry = JooqRegistryStore.open(RegistryConfig.embedded(state));
    trino.execute("CREATE SCHEMA IF NOT EXISTS %s.%s".formatted(catalog, SCHEMA));
    trino.execute(
        "CREATE TABLE IF NOT EXISTS %s.%s.users (user_id bigint, signup_at timestamp(6), country varchar)"
            .formatted(catalog, SCHEMA));
  }

  @AfterAll
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (trino != null) {
      trino.close();
    }
  }

  @Test
  void compiledOnceAndAgainOnlyWhenTheRepositoryOrTheRegistryChanges(@TempDir Path repo)
      throws IOException {
    Files.writeString(
        repo.resolve("entities.yaml"),
        """
        entities:
          user:
            keys: [user_id]
            description: A reader.
        """);
    Path view = Files.createDirectories(repo.resolve("views")).resolve("user_country.sql");
    Files.writeString(view, viewSql("Where a user lives."));
    FeatureCatalog features =
        new FeatureCatalog(trino, new TrinoDialect(), registry, repo, catalog);

    FeatureCatalog.Compiled first = features.current();
    assertThat(first.views()).extracting(CompiledView::name).containsExactly("user_country");
    assertThat(features.current()).isSameAs(first);

    // a file the loader never reads, under a hidden directory: nothing to compile
    Files.writeString(Files.createDirectories(repo.resolve(".git")).resolve("HEAD"), "ref");
    assertThat(features.current()).isSameAs(first);

    // the repository changes: compiled again, and the change is there
    Files.writeString(view, viewSql("The country a user signed up from."));
    FeatureCatalog.Compiled edited = features.current();
    assertThat(edited).isNotSameAs(first);
    assertThat(edited.views().getFirst().spec().description())
        .isEqualTo("The country a user signed up from.");
    assertThat(features.current()).isSameAs(edited);

    // the registry changes (an apply): compiled again
    registry.apply(
        ApplyPlanner.applied(
            ApplyPlanner.plan(edited.views(), registry.views()), edited.views(), Instant.now()),
        List.of());
    FeatureCatalog.Compiled applied = features.current();
    assertThat(applied).isNotSameAs(edited);
    assertThat(features.current()).isSameAs(applied);
  }

  private static String viewSql(String description) {
    return """
        -- view: user_country
        -- entity: user
        -- event_time: signup_at
        -- description: %s
        SELECT user_id, signup_at, country FROM %s.users
        """
        .formatted(description, SCHEMA);
  }
}
