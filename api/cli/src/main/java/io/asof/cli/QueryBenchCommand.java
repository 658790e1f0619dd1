package io.asof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.features.examples.news.NewsWarehouse;
import io.asof.features.examples.news.NewsWarehouseSpec;
import io.asof.jobs.TrainingSetService;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.RegistryConfig;
import io.asof.registry.RegistryStore;
import io.asof.server.AsofServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code asof bench query}: the latency of an ad-hoc training-set query over HTTP, as a notebook
 * sees it.
 */
@Command(
    name = "query",
    description =
        "POST /v1/training-sets/query with a small spine (--spine-rows rows given inline) over one feature, to a server in this process over the news example applied to the demo warehouse: the latency a notebook sees for an ad-hoc query. Runs --requests requests one after the other, after 5 of warm-up, and reports the median, p90 and the slowest.")
final class QueryBenchCommand implements Callable<Integer> {
  @Mixin StackOptions stackOptions;
  @Mixin TrinoOptions trinoOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--requests",
      paramLabel = "N",
      defaultValue = "50",
      description = "Requests measured (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--spine-rows",
      paramLabel = "N",
      defaultValue = "10",
      description = "Rows of each request's spine (default: ${DEFAULT-VALUE}).")
  int spineRows;

  @Option(
      names = "--feature",
      paramLabel = "VIEW:FEATURE",
      defaultValue = "user_profile:country",
      description = "The feature each request attaches (default: ${DEFAULT-VALUE}).")
  String feature;

  @Option(
      names = "--news-repo",
      paramLabel = "DIR",
      defaultValue = "sql-features/examples/news",
      description = "The news example repository, applied first (default: ${DEFAULT-VALUE}).")
  Path newsRepo;

  private static final int WARM_UP = 5;

  @Override
  public Integer call() throws IOException {
    if (requests < 1 || spineRows < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--requests and --spine-rows must be at least 1");
    }
    BenchCommand.quietAccessLog();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String jdbcUrl = trinoOptions.sessionUrl(trinoOptions.jdbcUrl(stackOptions, out));
    try (QueryEngine engine = new TrinoQueryEngine(trinoOptions.connection(jdbcUrl))) {
      NewsWarehouse warehouse =
          new NewsWarehouse(NewsWarehouseSpec.defaults(), trinoOptions.catalog(), "dwh");
      if (!warehouse.isLoaded(engine)) {
        WarehouseSession.load(engine, warehouse, out);
      }
      if (RepositoryCommand.applyForBench(newsRepo, stackOptions, trinoOptions, out, err) != 0) {
        return 1;
      }
      try (RegistryStore registry =
              JooqRegistryStore.open(RegistryConfig.embedded(stackOptions.stateDir()));
          AsofServer server =
              new AsofServer(
                      new TrainingSetService(
                          engine,
                          trinoOptions.dialect(),
                          registry,
                          newsRepo,
                          trinoOptions.catalog()),
                      newsRepo,
                      "127.0.0.1",
                      0)
                  .start();
          LoopbackHttp http = new LoopbackHttp(server.uri())) {
        String body = body();
        out.printf(
            "Ad-hoc query benchmark: POST /v1/training-sets/query, %d spine rows, feature %s, %d requests one after the other (after %d of warm-up), Trino %s.%n",
            spineRows, feature, requests, WARM_UP, jdbcUrl);
        ObjectMapper json = new ObjectMapper();
        long[] nanos = new long[requests];
        for (int i = -WARM_UP; i < requests; i++) {
          long start = System.nanoTime();
          String reply = http.post("/v1/training-sets/query", body);
          long took = System.nanoTime() - start;
          JsonNode answer = json.readTree(reply);
          if (!answer.has("row_count") || answer.get("row_count").asLong() != spineRows) {
            err.printf("asof: the query did not return %d rows: %s%n", spineRows, reply);
            return 1;
          }
          if (i >= 0) {
            nanos[i] = took;
          }
        }
        OnlineBenchCommand.Measured measured =
            new OnlineBenchCommand.Measured("ad-hoc query", nanos, java.time.Duration.ZERO);
        out.printf(
            "  p50 %.1f ms   p90 %.1f ms   max %.1f ms%n",
            measured.p(0.5), measured.p(0.9), measured.p(1.0));
      }
    }
    return 0;
  }

  /** The request: {@code spineRows} users at one time, one feature. */
  private String body() throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 1; i <= spineRows; i++) {
      Map<String, Object> row = new HashMap<>();
      row.put("user_id", i);
      row.put("shown_at", "2026-03-01 12:00:00");
      rows.add(row);
    }
    return new ObjectMapper()
        .writeValueAsString(
            Map.of("spine_rows", rows, "timestamp", "shown_at", "features", List.of(feature)));
  }
}
