package io.asof.cli;

import io.asof.engine.ForwardingQueryEngine;
import io.asof.engine.QueryEngine;
import io.asof.engine.trino.TrinoQueryEngine;
import io.asof.jobs.TrainingSetService.AdHocAccess;
import io.asof.model.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * How the server runs the ad-hoc spines its callers send: which schemas beyond the views' own they
 * may read, and, on Trino, as which user and with which session limits, so that Trino's own access
 * control and resource limits apply to them.
 */
final class AdHocQueryOptions {
  private static final Pattern DATA_SIZE = Pattern.compile("\\d+(\\.\\d+)?(B|kB|MB|GB|TB|PB)");

  @Option(
      names = "--query-allow-schema",
      paramLabel = "CATALOG.SCHEMA",
      description =
          "A schema ad-hoc spines (POST /v1/training-sets/query, ad-hoc builds) may read besides those the repository's views read; repeatable. Never the system catalog or an information_schema.")
  List<String> allowedSchemas = List.of();

  @Option(
      names = "--trino-query-user",
      paramLabel = "USER",
      description =
          "The Trino user ad-hoc spines and queries run as, so that Trino's access control applies to them (default: --trino-user).")
  String queryUser;

  @Option(
      names = "--query-max-execution-time",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description =
          "Trino's query_max_execution_time for ad-hoc queries: longer ones are cancelled (default: ${DEFAULT-VALUE}).")
  String maxExecutionTime;

  @Option(
      names = "--query-max-scan-bytes",
      paramLabel = "SIZE",
      defaultValue = "10GB",
      description =
          "Trino's query_max_scan_physical_bytes for ad-hoc queries, e.g. 500MB or 1TB (default: ${DEFAULT-VALUE}).")
  String maxScanBytes;

  /** The Trino session properties ad-hoc statements run with. */
  Map<String, String> sessionProperties() {
    Duration time =
        Durations.parse(maxExecutionTime)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "--query-max-execution-time '%s' does not parse: %s"
                            .formatted(maxExecutionTime, Durations.HINT)));
    if (!DATA_SIZE.matcher(maxScanBytes).matches()) {
      throw new IllegalArgumentException(
          "--query-max-scan-bytes '%s' is not a data size: a number and B, kB, MB, GB, TB or PB, e.g. 10GB"
              .formatted(maxScanBytes));
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("query_max_execution_time", time.toSeconds() + "s");
    properties.put("query_max_scan_physical_bytes", maxScanBytes);
    return properties;
  }

  /**
   * The engine ad-hoc statements run on: on Trino a connection of its own (the query user, the
   * limits); on Athena {@code engine} itself, whose workgroup's scan limit applies
   * (docs/athena.md). The caller closes what this returns; {@code engine} stays open.
   */
  QueryEngine engine(
      EngineOptions options, StackOptions stack, PrintWriter out, QueryEngine engine) {
    if (options.athena()) {
      // the same engine, which its owner closes
      return new ForwardingQueryEngine() {
        @Override
        protected QueryEngine delegate() {
          return engine;
        }

        @Override
        public void close() {}
      };
    }
    String user = queryUser == null || queryUser.isBlank() ? options.trinoUser : queryUser;
    return new TrinoQueryEngine(
        options
            .connection(options.sessionUrl(options.jdbcUrl(stack, out)))
            .as(user, sessionProperties()));
  }

  /** What the server's training-set service is given for ad-hoc spines. */
  AdHocAccess access(QueryEngine adHocEngine) {
    return new AdHocAccess(new LinkedHashSet<>(allowedSchemas), adHocEngine);
  }
}
