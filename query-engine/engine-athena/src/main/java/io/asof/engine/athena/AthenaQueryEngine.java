package io.asof.engine.athena;

import static java.util.Objects.requireNonNull;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryProgress;
import io.asof.engine.QueryResult;
import io.asof.engine.QueryStats;
import io.asof.engine.RowConsumer;
import io.asof.engine.SqlQuoting;
import io.asof.model.Column;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.intellij.lang.annotations.Language;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.AthenaClientBuilder;
import software.amazon.awssdk.services.athena.model.AthenaError;
import software.amazon.awssdk.services.athena.model.AthenaException;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InternalServerException;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatistics;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.TooManyRequestsException;

/**
 * Runs statements on Amazon Athena (engine v3): each is started, polled with backoff until it ends,
 * and its results are paged. Calls Athena throttles or fails on its side are retried by the AWS
 * SDK's retry strategy; a read-only query that fails with an error Athena calls retryable is run
 * again; writes are never run twice. A query that outlives the configured timeout, or whose caller
 * is interrupted, is stopped on Athena.
 *
 * <p>Statements are Athena's SQL: the compiler's Athena dialect writes them. Large results are
 * built into tables (training-set builds are CTAS/INSERT into Iceberg); large pulls ({@link
 * #streamUnordered}) are unloaded to Parquet on S3 and read back rather than paged.
 */
public final class AthenaQueryEngine implements QueryEngine {
  private static final int PAGE_SIZE = 1000;
  private static final Pattern LINE_POSITION = Pattern.compile("line (\\d+):(\\d+)");
  private static final Pattern FIRST_WORD =
      Pattern.compile("^(?:\\s|--[^\\n]*\\n|/\\*.*?\\*/|\\()*(\\w+)", Pattern.DOTALL);
  private static final Set<String> READ_ONLY =
      Set.of("select", "with", "show", "describe", "explain", "values", "table");

  private final AthenaConfig config;
  private final AwsCredentialsProvider credentials;
  private final BackoffStrategy backoff;
  private final AthenaClient client;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private UnloadedFiles unloaded; // guarded by running; made on the first unload

  /** The engine with the AWS SDK's default credential chain (environment, profile, role). */
  public AthenaQueryEngine(AthenaConfig config) {
    this(config, DefaultCredentialsProvider.builder().build());
  }

  /**
   * The engine with the given credentials for Athena and S3: an emulator's test credentials, or a
   * provider the caller chose. Nothing here invents credentials of its own.
   */
  public AthenaQueryEngine(AthenaConfig config, AwsCredentialsProvider credentials) {
    this.config = requireNonNull(config, "config is null");
    this.credentials = requireNonNull(credentials, "credentials is null");
    this.backoff = backoff(config);
    this.client = client(config, credentials, backoff);
  }

  /** The credentials the Athena client signs with, resolved now (for tests). */
  AwsCredentialsIdentity credentials() {
    return client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
  }

  /**
   * The wait before a call or a read-only query is tried again: the first poll's wait doubling per
   * attempt, up to the longest poll's (at least a second), half of it jitter.
   */
  private static BackoffStrategy backoff(AthenaConfig config) {
    Duration most =
        config.pollMax().compareTo(Duration.ofSeconds(1)) > 0
            ? config.pollMax()
            : Duration.ofSeconds(1);
    return BackoffStrategy.exponentialDelayHalfJitter(config.pollInitial(), most);
  }

  private static AthenaClient client(
      AthenaConfig config, AwsCredentialsProvider credentials, BackoffStrategy backoff) {
    AthenaClientBuilder builder =
        AthenaClient.builder()
            .region(Region.of(config.region()))
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .maxConnections(32)
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(60)))
            // throttled calls, server errors and calls that failed on the way are sent again by
            // the SDK, the same request each time: a start keeps its ClientRequestToken, so Athena
            // runs it once. No circuit breaker, so that every call gets its attempts and a failure
            // can say how many were made.
            .overrideConfiguration(
                o ->
                    o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(config.maxAttempts())
                            .backoffStrategy(backoff)
                            .throttlingBackoffStrategy(backoff)
                            .circuitBreakerEnabled(false)
                            .build()));
    config.endpoint().ifPresent(builder::endpointOverride);
    // an endpoint may be a VPC endpoint on AWS, where the instance role signs: never fake keys
    return builder.credentialsProvider(credentials).build();
  }

  @Override
  public QueryStats execute(@Language("SQL") String sql) {
    return execute(sql, progress -> {});
  }

  @Override
  public QueryStats execute(@Language("SQL") String sql, Consumer<QueryProgress> progress) {
    requireNonNull(progress, "progress is null");
    Finished finished = run(sql, progress);
    long rows;
    if (finished.returnsRows()) {
      long[] count = {0};
      page(finished, (columns, values) -> count[0]++);
      rows = count[0];
    } else {
      GetQueryResultsResponse first =
          call(
              () -> client.getQueryResults(r -> r.queryExecutionId(finished.id()).maxResults(1)),
              finished.id(),
              sql);
      rows = first.updateCount() == null ? 0 : first.updateCount();
    }
    return finished.stats(rows);
  }

  @Override
  public QueryResult query(@Language("SQL") String sql) {
    List<List<Object>> rows = new ArrayList<>();
    Finished finished = run(sql, progress -> {});
    List<Column> columns = page(finished, (rowColumns, values) -> rows.add(values));
    return new QueryResult(columns, rows, finished.stats(rows.size()));
  }

  @Override
  public QueryStats stream(@Language("SQL") String sql, RowConsumer consumer) {
    requireNonNull(consumer, "consumer is null");
    Finished finished = run(sql, progress -> {});
    long[] count = {0};
    page(
        finished,
        (columns, values) -> {
          consumer.accept(columns, values);
          count[0]++;
        });
    return finished.stats(count[0]);
  }

  /**
   * Unloads the query's rows to Parquet files under the configured unload prefix ({@code UNLOAD
   * (query) TO 's3://.../<uuid>/' WITH (format = 'PARQUET', compression = 'GZIP')}), reads them
   * back one file at a time and deletes them, instead of paging them through GetQueryResults 1,000
   * rows a call. Queries with a column type Parquet cannot carry exactly, statements that are not
   * queries, and configurations without an output or unload location are streamed instead. The
   * UNLOAD is not run twice: a retry could find the first attempt's files.
   */
  @Override
  public QueryStats streamUnordered(@Language("SQL") String sql, RowConsumer consumer) {
    requireNonNull(consumer, "consumer is null");
    Optional<String> prefix = config.unloadPrefix();
    Matcher first = FIRST_WORD.matcher(sql);
    boolean query =
        first.find() && Set.of("select", "with").contains(first.group(1).toLowerCase(Locale.ROOT));
    if (prefix.isEmpty() || !query) {
      return stream(sql, consumer);
    }
    List<Column> columns = describe(sql);
    if (!ParquetRowReader.supports(columns)) {
      return stream(sql, consumer);
    }
    String target = prefix.get() + UUID.randomUUID() + "/";
    UnloadedFiles files = unloadedFiles();
    try {
      Finished finished =
          run(
              "UNLOAD (\n%s\n) TO %s WITH (format = 'PARQUET', compression = 'GZIP')"
                  .formatted(sql, SqlQuoting.literal(target)),
              progress -> {});
      long rows = 0;
      Path directory = Files.createTempDirectory("asof-unload-");
      try {
        for (String file : files.list(target)) {
          Path local = files.download(file, directory);
          try {
            rows += ParquetRowReader.read(local, columns, consumer);
          } finally {
            Files.deleteIfExists(local);
          }
        }
      } finally {
        Files.deleteIfExists(directory);
      }
      return finished.stats(rows);
    } catch (IOException | SdkException e) {
      throw new AthenaQueryException(
          AthenaQueryException.Kind.UNLOAD_READ,
          false,
          "",
          "cannot read the files unloaded to %s: %s".formatted(target, e.getMessage()),
          sql,
          e);
    } finally {
      try {
        files.deleteAll(target);
      } catch (RuntimeException ignored) {
        // left behind: an S3 lifecycle rule on the unload prefix removes them (docs/athena.md)
      }
    }
  }

  private UnloadedFiles unloadedFiles() {
    synchronized (running) {
      if (unloaded == null) {
        unloaded = new UnloadedFiles(config, credentials);
      }
      return unloaded;
    }
  }

  @Override
  public List<Column> describe(@Language("SQL") String sql) {
    // Athena has no DESCRIBE OUTPUT for a query: run it with no rows (nothing is scanned) and read
    // the columns of the result
    // the text goes inside a parenthesis: refuse one that would close it and run a query of its
    // own (a scan billed by the byte), before anything is sent
    java.util.Optional<String> unsafe = QueryText.whyNotSelfContained(sql);
    if (unsafe.isPresent()) {
      throw new AthenaQueryException(
          AthenaQueryException.Kind.SYNTAX,
          false,
          "",
          "not one self-contained query: " + unsafe.get(),
          sql,
          null);
    }
    String empty = "SELECT * FROM (\n" + sql + "\n) AS described WHERE false";
    try {
      return query(empty).columns();
    } catch (AthenaQueryException e) {
      // positions are the query's own once the line in front of it is taken off
      Matcher position = LINE_POSITION.matcher(e.reason());
      StringBuilder reason = new StringBuilder();
      while (position.find()) {
        int line = Integer.parseInt(position.group(1));
        position.appendReplacement(
            reason, "line " + Math.max(1, line - 1) + ":" + position.group(2));
      }
      position.appendTail(reason);
      throw new AthenaQueryException(
          e.kind(), e.retryable(), e.queryId(), reason.toString(), sql, e);
    }
  }

  @Override
  public String explain(@Language("SQL") String sql) {
    StringBuilder plan = new StringBuilder();
    stream(
        "EXPLAIN " + sql,
        (columns, values) -> {
          if (!plan.isEmpty()) {
            plan.append('\n');
          }
          plan.append(values.getFirst());
        });
    return plan.toString();
  }

  /** Stops a query this engine started and is still waiting for; its caller gets CANCELLED. */
  public void cancel(String queryId) {
    call(() -> client.stopQueryExecution(r -> r.queryExecutionId(queryId)), queryId, "");
  }

  /** Stops the queries still running for callers of this engine, then releases its client. */
  @Override
  public void close() {
    for (String id : List.copyOf(running)) {
      try {
        cancel(id);
      } catch (RuntimeException ignored) {
        // closing: the query ends on its own or with its timeout
      }
    }
    client.close();
    synchronized (running) {
      if (unloaded != null) {
        unloaded.close();
      }
    }
  }

  @Override
  public String toString() {
    return "AthenaQueryEngine[%s, workgroup %s%s]"
        .formatted(
            config.region(),
            config.workGroup(),
            config.endpoint().map(uri -> ", " + uri).orElse(""));
  }

  /**
   * What Athena bills for a statement: its bytes scanned at the configured price, at least 10 MB
   * for a statement that scanned anything; statements that scan nothing (DDL) cost nothing.
   */
  @Override
  public java.util.OptionalDouble costUsd(QueryStats stats) {
    long bytes = stats.bytesScanned().orElse(0);
    return java.util.OptionalDouble.of(bytes == 0 ? 0 : config.costUsd(bytes));
  }

  static boolean readOnly(String sql) {
    Matcher first = FIRST_WORD.matcher(sql);
    return first.find() && READ_ONLY.contains(first.group(1).toLowerCase(Locale.ROOT));
  }

  /**
   * Starts the statement and waits for it; a read-only one that fails with a retryable error is
   * started again, up to the configured attempts.
   */
  private Finished run(String sql, Consumer<QueryProgress> progress) {
    requireNonNull(sql, "sql is null");
    boolean readOnly = readOnly(sql);
    for (int attempt = 1; ; attempt++) {
      long start = System.nanoTime();
      String id = start(sql, readOnly);
      running.add(id);
      try {
        return new Finished(sql, await(id, sql, progress, start), start);
      } catch (AthenaQueryException e) {
        if (!(readOnly && e.retryable() && attempt < config.maxAttempts())) {
          throw e;
        }
        sleep(backoff.computeDelay(attempt), id, sql);
      } finally {
        running.remove(id);
      }
    }
  }

  private String start(String sql, boolean readOnly) {
    // one token for every attempt at this start: Athena runs a token's query once
    String token = UUID.randomUUID().toString();
    StartQueryExecutionRequest.Builder request =
        StartQueryExecutionRequest.builder()
            .queryString(sql)
            .clientRequestToken(token)
            .workGroup(config.workGroup())
            .queryExecutionContext(c -> c.catalog(config.catalog()).database(config.database()));
    config.outputLocation().ifPresent(o -> request.resultConfiguration(r -> r.outputLocation(o)));
    if (readOnly && !config.resultReuseMaxAge().isZero()) {
      // only reads: a reused result of a write would skip the write
      request.resultReuseConfiguration(
          r ->
              r.resultReuseByAgeConfiguration(
                  a ->
                      a.enabled(true)
                          .maxAgeInMinutes(
                              (int) Math.max(1, config.resultReuseMaxAge().toMinutes()))));
    }
    StartQueryExecutionRequest built = request.build();
    return call(() -> client.startQueryExecution(built), "", sql).queryExecutionId();
  }

  private QueryExecution await(
      String id, String sql, Consumer<QueryProgress> progress, long start) {
    Duration wait = config.pollInitial();
    String lastState = "";
    long deadline = start + config.timeout().toNanos();
    while (true) {
      QueryExecution execution =
          call(() -> client.getQueryExecution(r -> r.queryExecutionId(id)), id, sql)
              .queryExecution();
      QueryExecutionState state = execution.status().state();
      QueryExecutionStatistics statistics = execution.statistics();
      long scanned =
          statistics == null || statistics.dataScannedInBytes() == null
              ? 0
              : statistics.dataScannedInBytes();
      progress.accept(
          new QueryProgress(
              id,
              String.valueOf(state),
              0,
              0,
              0,
              scanned,
              Duration.ofNanos(System.nanoTime() - start)));
      switch (state) {
        case SUCCEEDED -> {
          return execution;
        }
        case FAILED -> throw failed(id, sql, execution);
        case CANCELLED ->
            throw new AthenaQueryException(
                AthenaQueryException.Kind.CANCELLED,
                false,
                id,
                "the query was cancelled",
                sql,
                null);
        default -> {
          // QUEUED or RUNNING
        }
      }
      if (System.nanoTime() > deadline) {
        stopQuietly(id);
        throw new AthenaQueryException(
            AthenaQueryException.Kind.TIMEOUT,
            false,
            id,
            "still %s after %s".formatted(state, config.timeout()),
            sql,
            null);
      }
      if (!state.toString().equals(lastState)) {
        // a state change: poll soon again
        wait = config.pollInitial();
        lastState = state.toString();
      }
      sleep(wait, id, sql);
      wait =
          wait.multipliedBy(2).compareTo(config.pollMax()) > 0
              ? config.pollMax()
              : wait.multipliedBy(2);
    }
  }

  private static AthenaQueryException failed(String id, String sql, QueryExecution execution) {
    AthenaError error = execution.status().athenaError();
    String reason = execution.status().stateChangeReason();
    if (reason == null && error != null) {
      reason = error.errorMessage();
    }
    reason = reason == null ? "failed without a reason" : reason;
    int category = error == null || error.errorCategory() == null ? 2 : error.errorCategory();
    boolean retryable = error != null && Boolean.TRUE.equals(error.retryable());
    return new AthenaQueryException(
        AthenaQueryException.classify(reason, category), retryable, id, reason, sql, null);
  }

  /**
   * Pages a finished query's rows to {@code consumer}, values converted to the Java types Trino's
   * JDBC driver gives; returns the columns.
   */
  private List<Column> page(Finished finished, RowConsumer consumer) {
    String token = null;
    List<Column> columns = null;
    List<String> types = null;
    boolean first = true;
    do {
      String next = token;
      GetQueryResultsResponse page =
          call(
              () ->
                  client.getQueryResults(
                      r -> r.queryExecutionId(finished.id()).maxResults(PAGE_SIZE).nextToken(next)),
              finished.id(),
              finished.sql());
      if (columns == null) {
        List<ColumnInfo> infos = page.resultSet().resultSetMetadata().columnInfo();
        columns = new ArrayList<>(infos.size());
        types = new ArrayList<>(infos.size());
        for (ColumnInfo info : infos) {
          String type = AthenaValues.typeName(info.type(), info.precision(), info.scale());
          columns.add(new Column(info.label() == null ? info.name() : info.label(), type));
          types.add(type);
        }
      }
      List<Row> rows = page.resultSet().rows();
      int from = 0;
      if (first && !rows.isEmpty() && isHeader(rows.getFirst(), columns)) {
        // Athena puts the column names in front of a SELECT's rows
        from = 1;
      }
      first = false;
      for (int i = from; i < rows.size(); i++) {
        List<Datum> data = rows.get(i).data();
        List<Object> values = new ArrayList<>(data.size());
        for (int c = 0; c < data.size(); c++) {
          values.add(AthenaValues.value(data.get(c).varCharValue(), types.get(c)));
        }
        consumer.accept(columns, values);
      }
      token = page.nextToken();
    } while (token != null);
    return columns;
  }

  private static boolean isHeader(Row row, List<Column> columns) {
    if (row.data().size() != columns.size()) {
      return false;
    }
    for (int i = 0; i < columns.size(); i++) {
      if (!columns.get(i).name().equals(row.data().get(i).varCharValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * One call to Athena (which the client's retry strategy sends again while it is throttled, Athena
   * fails on its side, or it fails on the way), its failure told as an {@link
   * AthenaQueryException}.
   */
  private <T> T call(Supplier<T> request, String queryId, String sql) {
    try {
      return request.get();
    } catch (TooManyRequestsException | InternalServerException e) {
      throw new AthenaQueryException(
          e instanceof TooManyRequestsException
              ? AthenaQueryException.Kind.THROTTLING
              : AthenaQueryException.Kind.INTERNAL,
          true,
          queryId,
          "%s after %d attempts".formatted(messageOf(e), config.maxAttempts()),
          sql,
          e);
    } catch (InvalidRequestException e) {
      String reason = messageOf(e);
      throw new AthenaQueryException(
          AthenaQueryException.classify(reason, 2), false, queryId, reason, sql, e);
    } catch (AthenaException e) {
      AthenaQueryException.Kind kind =
          e.statusCode() == 403 || e.statusCode() == 401
              ? AthenaQueryException.Kind.PERMISSION
              : AthenaQueryException.classify(messageOf(e), 1);
      throw new AthenaQueryException(kind, false, queryId, messageOf(e), sql, e);
    } catch (SdkClientException e) {
      throw new AthenaQueryException(
          AthenaQueryException.Kind.UNAVAILABLE,
          true,
          queryId,
          "cannot reach Athena%s: %s"
              .formatted(config.endpoint().map(uri -> " at " + uri).orElse(""), e.getMessage()),
          sql,
          e);
    }
  }

  private static String messageOf(AthenaException e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
        ? e.awsErrorDetails().errorMessage()
        : e.getMessage();
  }

  private void sleep(Duration wait, String queryId, String sql) {
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (!queryId.isEmpty()) {
        stopQuietly(queryId);
      }
      throw new AthenaQueryException(
          AthenaQueryException.Kind.CANCELLED,
          false,
          queryId,
          "interrupted while waiting; the query was stopped",
          sql,
          e);
    }
  }

  private void stopQuietly(String queryId) {
    try {
      client.stopQueryExecution(r -> r.queryExecutionId(queryId));
    } catch (RuntimeException ignored) {
      // it ends on its own; the caller is told why it was given up
    }
  }

  /** A query that ended well: its id, statement and what it cost. */
  private record Finished(String sql, QueryExecution execution, long startNanos) {
    String id() {
      return execution.queryExecutionId();
    }

    boolean returnsRows() {
      return readOnly(sql);
    }

    QueryStats stats(long rows) {
      QueryExecutionStatistics statistics = execution.statistics();
      OptionalLong scanned =
          statistics == null || statistics.dataScannedInBytes() == null
              ? OptionalLong.empty()
              : OptionalLong.of(statistics.dataScannedInBytes());
      return new QueryStats(
          id(),
          rows,
          scanned,
          Duration.ofNanos(System.nanoTime() - startNanos),
          OptionalLong.empty());
    }
  }
}
