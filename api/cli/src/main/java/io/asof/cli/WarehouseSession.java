package io.asof.cli;

import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import java.io.PrintWriter;

/** Loads the demo warehouse with progress lines; shared by quickstart and warehouse load. */
final class WarehouseSession {
  private WarehouseSession() {}

  static QueryEngine engine(TrinoOptions trino, String jdbcUrl) {
    return new TrinoQueryEngine(trino.connection(jdbcUrl));
  }

  static void load(QueryEngine engine, NewsWarehouse warehouse, PrintWriter out) {
    NewsWarehouseSpec spec = warehouse.spec();
    String target = warehouse.catalog() + "." + warehouse.schema();
    if (warehouse.isLoaded(engine)) {
      out.printf(
          "Demo warehouse %s is already loaded (seed %d, %,d impressions); nothing to do.%n",
          target, spec.seed(), spec.impressions());
      return;
    }
    out.printf(
        "Generating the demo warehouse in %s (seed %d, %,d impressions, %,d users, %,d articles) ...%n",
        target, spec.seed(), spec.impressions(), spec.users(), spec.articles());
    var steps =
        warehouse.load(
            engine,
            step -> {
              if (step.name().endsWith("-rows")) {
                out.printf(
                    "  %-12s %,12d rows  %6.1f s%n",
                    step.name().replace("-rows", ""),
                    step.stats().rows(),
                    step.stats().elapsed().toMillis() / 1000.0);
              }
            });
    out.printf("Loaded in %.1f s.%n", NewsWarehouse.elapsed(steps).toMillis() / 1000.0);
  }
}
