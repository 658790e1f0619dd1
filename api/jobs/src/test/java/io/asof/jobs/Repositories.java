package io.asof.jobs;

import io.asof.bi.ViewPublisher;
import io.asof.compiler.CompiledView;
import io.asof.compiler.FeatureViewCompiler;
import io.asof.compiler.catalog.EngineWarehouseCatalog;
import io.asof.compiler.dialect.TrinoDialect;
import io.asof.engine.QueryEngine;
import io.asof.features.repository.RepositoryLoader;
import io.asof.registry.AppliedView;
import io.asof.registry.ApplyPlan;
import io.asof.registry.RegistryStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** What tests need of {@code asof apply}; the server's tests use it from this module's test jar. */
public final class Repositories {
  private Repositories() {}

  /** What {@code asof apply} does: publish the repository's views and record them. */
  public static void apply(QueryEngine engine, RegistryStore registry, Path repo, String catalog) {
    List<CompiledView> views =
        new FeatureViewCompiler(
                new EngineWarehouseCatalog(engine, new TrinoDialect()), engine, catalog)
            .compileAll(RepositoryLoader.load(repo));
    ApplyPlan plan = ApplyPlanner.plan(views, registry.views());
    List<AppliedView> applied = ApplyPlanner.applied(plan, views, Instant.now());
    registry.apply(applied, List.of());
    new ViewPublisher(engine, new TrinoDialect(), catalog, "features")
        .publish(plan, views, registry.views(), false, message -> {});
  }
}
