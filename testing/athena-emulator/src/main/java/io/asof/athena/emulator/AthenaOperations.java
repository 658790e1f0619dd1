package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asof.athena.emulator.QueryExecution.State;
import io.asof.athena.emulator.QueryExecution.Status;
import io.asof.athena.emulator.Translation.Refusal;
import io.asof.athena.emulator.Translation.Run;
import io.asof.athena.emulator.Translation.TablePropertyChange;
import io.asof.athena.emulator.Translation.Unload;
import io.trino.jdbc.TrinoStatement;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Athena's query API over Trino: StartQueryExecution, GetQueryExecution, GetQueryResults,
 * StopQueryExecution and GetWorkGroup, with their request and response members as the AWS SDK v2
 * model names them.
 */
final class AthenaOperations {
  static final String PRIMARY_WORK_GROUP = "primary";
  static final String DEFAULT_OUTPUT_LOCATION = "s3://athena-emulator-results/";
  static final int MAX_RESULTS = 1000;
  static final int DEFAULT_CONCURRENCY_LIMIT = 20;
  static final int DEFAULT_UNLOAD_FILE_ROWS = 100_000;
  private static final String ENGINE_VERSION = "Athena engine version 3";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> CATALOG_COLUMNS =
      Set.of("catalog_name", "table_catalog", "table_cat", "view_catalog");

  private final TrinoSession trino;
  private final String athenaCatalog;
  private final String trinoCatalog;
  private final AthenaSqlTranslator translator;
  private final ExecutorService executor;
  private final Map<String, Map<String, String>> tableProperties = new ConcurrentHashMap<>();
  private final Map<String, QueryExecution> executions = new ConcurrentHashMap<>();
  private final Map<String, WorkGroup> workGroups = new ConcurrentHashMap<>();
  // guarded by this
  private final Map<String, String> idsByToken = new HashMap<>();
  private final Deque<AthenaError> injectedFailures = new ArrayDeque<>();
  private int concurrencyLimit = DEFAULT_CONCURRENCY_LIMIT;
  private volatile UnloadStore unloadStore;
  private volatile int unloadFileRows = DEFAULT_UNLOAD_FILE_ROWS;
  private final AtomicLong queriesStarted = new AtomicLong();
  private final AtomicLong unloads = new AtomicLong();

  AthenaOperations(
      TrinoSession trino, String athenaCatalog, String trinoCatalog, ExecutorService executor) {
    this.trino = requireNonNull(trino, "trino is null");
    this.athenaCatalog = athenaCatalog.toLowerCase(Locale.ROOT);
    this.trinoCatalog = requireNonNull(trinoCatalog, "trinoCatalog is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.translator =
        new AthenaSqlTranslator(
            athenaCatalog, trinoCatalog, table -> tableProperties.getOrDefault(table, Map.of()));
    addWorkGroup(PRIMARY_WORK_GROUP, OptionalLong.empty());
  }

  void addWorkGroup(String name, OptionalLong bytesScannedCutoffPerQuery) {
    workGroups.put(
        name,
        new WorkGroup(name, DEFAULT_OUTPUT_LOCATION + name + "/", bytesScannedCutoffPerQuery));
  }

  synchronized void failNextQueries(int queries, String errorType) {
    AthenaError failure = AthenaError.injected(errorType);
    injectedFailures.clear();
    for (int i = 0; i < queries; i++) {
      injectedFailures.add(failure);
    }
  }

  synchronized void setConcurrencyLimit(int queries) {
    if (queries < 1) {
      throw new IllegalArgumentException("the concurrency limit must be positive: " + queries);
    }
    concurrencyLimit = queries;
  }

  void unloadTo(UnloadStore store, int fileRows) {
    if (fileRows < 1) {
      throw new IllegalArgumentException("rows per file must be positive: " + fileRows);
    }
    UnloadStore earlier = unloadStore;
    unloadStore = store;
    unloadFileRows = fileRows;
    if (earlier != null && earlier != store) {
      earlier.close();
    }
  }

  long unloads() {
    return unloads.get();
  }

  long queriesStarted() {
    return queriesStarted.get();
  }

  /** Stops every query still running, for shutdown. */
  void stopAll() {
    for (QueryExecution execution : executions.values()) {
      execution.stop(Instant.now()).ifPresent(AthenaOperations::cancel);
    }
  }

  /** Answers one operation; throws {@link AwsErrorException} for an error response. */
  ObjectNode handle(String operation, JsonNode request) {
    return switch (operation) {
      case "StartQueryExecution" -> startQueryExecution(request);
      case "GetQueryExecution" -> getQueryExecution(request);
      case "GetQueryResults" -> getQueryResults(request);
      case "StopQueryExecution" -> stopQueryExecution(request);
      case "GetWorkGroup" -> getWorkGroup(request);
      default ->
          throw new AwsErrorException(
              400,
              "UnknownOperationException",
              "the Athena emulator does not implement " + operation,
              Map.of());
    };
  }

  private ObjectNode startQueryExecution(JsonNode request) {
    String query = requiredText(request, "QueryString");
    String token = text(request.path("ClientRequestToken")).orElse(UUID.randomUUID().toString());
    String workGroupName = text(request.path("WorkGroup")).orElse(PRIMARY_WORK_GROUP);
    WorkGroup workGroup = workGroups.get(workGroupName);
    if (workGroup == null) {
      throw AwsErrorException.invalidRequest("WorkGroup " + workGroupName + " is not found.");
    }
    JsonNode context = request.path("QueryExecutionContext");
    Optional<String> catalog = text(context.path("Catalog"));
    Optional<String> database = text(context.path("Database"));
    String output =
        text(request.path("ResultConfiguration").path("OutputLocation"))
            .orElse(workGroup.outputLocation());
    JsonNode reuse = request.path("ResultReuseConfiguration").path("ResultReuseByAgeConfiguration");
    Optional<Integer> reuseMaxAge =
        reuse.path("Enabled").asBoolean(false)
            ? Optional.of(reuse.path("MaxAgeInMinutes").asInt(60))
            : Optional.empty();
    String trinoSessionCatalog = trinoCatalog(catalog.orElse(athenaCatalog));
    String schema = database.orElse("default");
    Translation translation = translator.translate(query, trinoSessionCatalog, schema);
    QueryExecution execution;
    synchronized (this) {
      String existing = idsByToken.get(token);
      if (existing != null) {
        QueryExecution earlier = executions.get(existing);
        if (!earlier.request().query().equals(query)
            || !earlier.request().workGroup().equals(workGroupName)) {
          throw AwsErrorException.invalidRequest(
              "Idempotent parameters do not match: ClientRequestToken "
                  + token
                  + " was used for another query");
        }
        return JSON.objectNode().put("QueryExecutionId", existing);
      }
      long active =
          executions.values().stream().filter(running -> !running.state().finished()).count();
      if (active >= concurrencyLimit) {
        throw AwsErrorException.tooManyRequests(
            "You have exceeded the limit for the number of queries you can run concurrently."
                + " Reduce the number of concurrent queries submitted by this account. Contact"
                + " customer support to request a concurrent query limit increase.",
            "CONCURRENT_QUERY_LIMIT_EXCEEDED");
      }
      String id = UUID.randomUUID().toString();
      String base = output.endsWith("/") ? output : output + "/";
      execution =
          new QueryExecution(
              new QueryExecution.Request(
                  id,
                  query,
                  catalog,
                  database,
                  workGroupName,
                  base + id + ".csv",
                  token,
                  translation.statementType(),
                  reuseMaxAge),
              Instant.now());
      idsByToken.put(token, id);
      executions.put(id, execution);
      queriesStarted.incrementAndGet();
    }
    executor.execute(() -> run(execution, translation, workGroup, trinoSessionCatalog, schema));
    return JSON.objectNode().put("QueryExecutionId", execution.request().id());
  }

  private String trinoCatalog(String athenaName) {
    String lower = athenaName.toLowerCase(Locale.ROOT);
    return lower.equals(athenaCatalog) ? trinoCatalog : lower;
  }

  private void run(
      QueryExecution execution,
      Translation translation,
      WorkGroup workGroup,
      String catalog,
      String schema) {
    if (!execution.begin(Instant.now())) {
      return;
    }
    AthenaError injected;
    synchronized (this) {
      injected = injectedFailures.poll();
    }
    if (injected != null) {
      execution.fail(injected, Instant.now());
      return;
    }
    switch (translation) {
      case Refusal refusal -> execution.fail(AthenaError.user(refusal.reason()), Instant.now());
      case Unload unload -> runUnload(execution, unload, workGroup, catalog, schema);
      case Run run -> {
        Optional<QueryResults> reused = reusableResult(execution);
        if (reused.isPresent()) {
          execution.succeed(reused.get(), true, Instant.now());
        } else {
          runOnTrino(execution, run, workGroup, catalog, schema);
        }
      }
    }
  }

  /** An earlier SELECT's result Athena would hand out again (ResultReuseByAgeConfiguration). */
  private Optional<QueryResults> reusableResult(QueryExecution execution) {
    QueryExecution.Request request = execution.request();
    if (request.resultReuseMaxAgeMinutes().isEmpty()
        || request.statementType() != StatementType.DML) {
      return Optional.empty();
    }
    Instant oldest =
        Instant.now().minus(Duration.ofMinutes(request.resultReuseMaxAgeMinutes().get()));
    return executions.values().stream()
        .filter(earlier -> earlier != execution)
        .filter(
            earlier ->
                earlier.request().query().equals(request.query())
                    && earlier.request().catalog().equals(request.catalog())
                    && earlier.request().database().equals(request.database())
                    && earlier.request().workGroup().equals(request.workGroup()))
        .map(QueryExecution::status)
        .filter(status -> status.state() == State.SUCCEEDED)
        .filter(status -> status.completed().orElseThrow().isAfter(oldest))
        .filter(status -> status.results().orElseThrow().headerRow())
        .max((a, b) -> a.completed().orElseThrow().compareTo(b.completed().orElseThrow()))
        .flatMap(Status::results);
  }

  private void runOnTrino(
      QueryExecution execution, Run run, WorkGroup workGroup, String catalog, String schema) {
    AtomicBoolean cutoffExceeded = new AtomicBoolean();
    OptionalLong cutoff = workGroup.bytesScannedCutoffPerQuery();
    try (Connection connection = trino.connect(catalog, schema)) {
      QueryResults result = QueryResults.updateCount(0);
      long scannedBefore = 0;
      for (String sql : run.trinoStatements()) {
        try (Statement statement = connection.createStatement()) {
          if (!execution.attach(statement)) {
            execution.stopped(Instant.now());
            return;
          }
          long base = scannedBefore;
          AtomicLong scanned = monitor(statement, execution, base, cutoff, cutoffExceeded);
          if (statement.execute(sql)) {
            try (ResultSet resultSet = statement.getResultSet()) {
              result = read(resultSet, run.statementType());
            }
          } else {
            result = QueryResults.updateCount(Math.max(statement.getLargeUpdateCount(), 0));
          }
          scannedBefore = base + scanned.get();
        }
      }
      if (cutoff.isPresent() && scannedBefore > cutoff.getAsLong()) {
        cutoffExceeded.set(true);
      }
      if (cutoffExceeded.get()) {
        execution.cancelWith(scanLimitExceeded(cutoff.getAsLong()), Instant.now());
        return;
      }
      run.tableProperties().ifPresent(this::record);
      execution.succeed(
          run.discardResult() ? QueryResults.updateCount(0) : result, false, Instant.now());
    } catch (SQLException e) {
      endWith(e, execution, cutoffExceeded.get(), cutoff);
    } catch (RuntimeException e) {
      execution.fail(
          new AthenaError(AthenaError.SYSTEM, 200, true, "the emulator failed: " + e),
          Instant.now());
    }
  }

  /**
   * Follows a statement as it runs: counts the bytes it scans (after {@code base} bytes of earlier
   * statements of the query), cancels it when a stop is asked or the workgroup's scan limit is
   * passed; returns the bytes it scanned so far.
   */
  private AtomicLong monitor(
      Statement statement,
      QueryExecution execution,
      long base,
      OptionalLong cutoff,
      AtomicBoolean cutoffExceeded)
      throws SQLException {
    AtomicLong scanned = new AtomicLong();
    AtomicBoolean stopSeen = new AtomicBoolean();
    statement
        .unwrap(TrinoStatement.class)
        .setProgressMonitor(
            stats -> {
              // a stop that came before the statement started running cancelled nothing
              if (execution.stopRequested() && stopSeen.compareAndSet(false, true)) {
                executor.execute(() -> cancel(statement));
              }
              scanned.set(stats.getPhysicalInputBytes());
              execution.addBytesScanned(base + stats.getPhysicalInputBytes());
              if (cutoff.isPresent()
                  && base + stats.getPhysicalInputBytes() > cutoff.getAsLong()
                  && cutoffExceeded.compareAndSet(false, true)) {
                // cancel from another thread: the monitor runs inside the driver's fetch
                executor.execute(() -> cancel(statement));
              }
            });
    return scanned;
  }

  /**
   * UNLOAD: runs the query on Trino and writes its rows as Parquet files under the target prefix,
   * {@link #unloadFileRows} rows a file, as Athena does (one query, several files).
   */
  private void runUnload(
      QueryExecution execution, Unload unload, WorkGroup workGroup, String catalog, String schema) {
    UnloadStore store = unloadStore;
    if (store == null) {
      execution.fail(
          AthenaError.user(
              "the Athena emulator has no S3 store to UNLOAD to: give it one with"
                  + " AthenaEmulator.unloadTo(endpoint)"),
          Instant.now());
      return;
    }
    AtomicBoolean cutoffExceeded = new AtomicBoolean();
    OptionalLong cutoff = workGroup.bytesScannedCutoffPerQuery();
    try (Connection connection = trino.connect(catalog, schema);
        Statement statement = connection.createStatement()) {
      if (store.holdsObjects(unload.location())) {
        execution.fail(
            AthenaError.user(
                "HIVE_PATH_ALREADY_EXISTS: Target directory for table '"
                    + execution.request().id()
                    + "' already exists: "
                    + unload.location()
                    + ". You may need to manually clean the data at location '"
                    + unload.location()
                    + "' before retrying."),
            Instant.now());
        return;
      }
      if (!execution.attach(statement)) {
        execution.stopped(Instant.now());
        return;
      }
      AtomicLong scanned = monitor(statement, execution, 0, cutoff, cutoffExceeded);
      long rows;
      try (ResultSet resultSet = statement.executeQuery(unload.trinoQuery())) {
        rows =
            store.unload(
                resultSet,
                unload.location(),
                execution.request().id(),
                unload.compression().equals("GZIP"),
                unloadFileRows);
      }
      if (cutoffExceeded.get() || (cutoff.isPresent() && scanned.get() > cutoff.getAsLong())) {
        execution.cancelWith(scanLimitExceeded(cutoff.getAsLong()), Instant.now());
        return;
      }
      unloads.incrementAndGet();
      execution.succeed(QueryResults.updateCount(rows), false, Instant.now());
    } catch (SQLException e) {
      endWith(e, execution, cutoffExceeded.get(), cutoff);
    } catch (IllegalArgumentException e) {
      execution.fail(AthenaError.user(e.getMessage()), Instant.now());
    } catch (IOException | RuntimeException e) {
      execution.fail(
          new AthenaError(AthenaError.SYSTEM, 200, true, "the emulator failed: " + e),
          Instant.now());
    }
  }

  /** Ends a query Trino failed: as the scan limit's cancellation, a stop, or Trino's error. */
  private void endWith(
      SQLException e, QueryExecution execution, boolean cutoffExceeded, OptionalLong cutoff) {
    if (cutoffExceeded) {
      execution.cancelWith(scanLimitExceeded(cutoff.getAsLong()), Instant.now());
    } else if (execution.stopRequested()) {
      execution.stopped(Instant.now());
    } else {
      TrinoSession.Failure failure = trino.failure(e);
      execution.fail(
          AthenaError.fromTrino(failure.errorType(), athenaNames(failure.reason())), Instant.now());
    }
  }

  private static AthenaError scanLimitExceeded(long cutoff) {
    return new AthenaError(
        AthenaError.USER,
        1000,
        false,
        "Query cancelled: the bytes scanned limit of the workgroup ("
            + cutoff
            + " bytes, BytesScannedCutoffPerQuery) was exceeded");
  }

  /**
   * Trino's names in a message as Athena's: {@code 'iceberg.db.t'} reads {@code
   * 'awsdatacatalog.db.t'}.
   */
  private String athenaNames(String message) {
    return message.replace("'" + trinoCatalog + ".", "'" + athenaCatalog + ".");
  }

  private void record(TablePropertyChange change) {
    tableProperties.compute(
        change.table(),
        (table, earlier) -> {
          Map<String, String> properties =
              change.forget() || earlier == null ? new HashMap<>() : new HashMap<>(earlier);
          properties.putAll(change.properties());
          return properties.isEmpty() ? null : Map.copyOf(properties);
        });
  }

  private static void cancel(Statement statement) {
    try {
      statement.cancel();
    } catch (SQLException ignored) {
      // the query ended meanwhile
    }
  }

  /** Reads a result as Athena hands it out: every value a string, NULL as null. */
  private QueryResults read(ResultSet resultSet, StatementType type) throws SQLException {
    ResultSetMetaData metaData = resultSet.getMetaData();
    int width = metaData.getColumnCount();
    List<QueryResults.Column> columns = new ArrayList<>(width);
    for (int i = 1; i <= width; i++) {
      columns.add(
          new QueryResults.Column(
              metaData.getColumnLabel(i), trinoType(metaData.getColumnTypeName(i))));
    }
    List<List<String>> rows = new ArrayList<>();
    while (resultSet.next()) {
      List<String> row = new ArrayList<>(width);
      for (int i = 1; i <= width; i++) {
        QueryResults.Column column = columns.get(i - 1);
        String value =
            column.type().name().equals("varbinary")
                ? hex(resultSet.getBytes(i))
                : resultSet.getString(i);
        // information_schema's catalog columns name the catalog as Athena does
        if (CATALOG_COLUMNS.contains(column.name()) && trinoCatalog.equals(value)) {
          value = athenaCatalog;
        }
        row.add(value);
      }
      if (type == StatementType.UTILITY && width == 1 && row.getFirst() != null) {
        // Athena writes SHOW CREATE, EXPLAIN and the like as text: one row per line
        for (String line : row.getFirst().split("\n", -1)) {
          rows.add(List.of(line));
        }
      } else {
        rows.add(row);
      }
    }
    return new QueryResults(columns, rows, type == StatementType.DML, 0);
  }

  private static TrinoType trinoType(String signature) {
    try {
      return TrinoType.parse(signature);
    } catch (IllegalArgumentException e) {
      return new TrinoType(signature.toLowerCase(Locale.ROOT), List.of(), List.of());
    }
  }

  /** Binary values as Athena prints them: hex bytes separated by spaces ({@code 68 65 6c}). */
  private static String hex(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    StringBuilder hex = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      if (!hex.isEmpty()) {
        hex.append(' ');
      }
      hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return hex.toString();
  }

  private ObjectNode getQueryExecution(JsonNode request) {
    QueryExecution execution = execution(requiredText(request, "QueryExecutionId"));
    QueryExecution.Request asked = execution.request();
    Status status = execution.status();
    ObjectNode body = JSON.objectNode();
    ObjectNode query = body.putObject("QueryExecution");
    query.put("QueryExecutionId", asked.id());
    query.put("Query", asked.query());
    query.put("StatementType", asked.statementType().name());
    query.putObject("ResultConfiguration").put("OutputLocation", asked.outputLocation());
    ObjectNode byAge =
        query.putObject("ResultReuseConfiguration").putObject("ResultReuseByAgeConfiguration");
    byAge.put("Enabled", asked.resultReuseMaxAgeMinutes().isPresent());
    asked.resultReuseMaxAgeMinutes().ifPresent(minutes -> byAge.put("MaxAgeInMinutes", minutes));
    ObjectNode context = query.putObject("QueryExecutionContext");
    asked.database().ifPresent(database -> context.put("Database", database));
    asked.catalog().ifPresent(catalog -> context.put("Catalog", catalog));
    ObjectNode state = query.putObject("Status");
    state.put("State", status.state().name());
    status.error().ifPresent(error -> state.put("StateChangeReason", error.message()));
    state.put("SubmissionDateTime", epochSeconds(status.submitted()));
    status
        .completed()
        .ifPresent(completed -> state.put("CompletionDateTime", epochSeconds(completed)));
    status
        .error()
        .ifPresent(
            error ->
                state
                    .putObject("AthenaError")
                    .put("ErrorCategory", error.category())
                    .put("ErrorType", error.type())
                    .put("Retryable", error.retryable())
                    .put("ErrorMessage", error.message()));
    Instant now = Instant.now();
    Instant end = status.completed().orElse(now);
    Instant started = status.started().orElse(end);
    ObjectNode statistics = query.putObject("Statistics");
    statistics.put("EngineExecutionTimeInMillis", Duration.between(started, end).toMillis());
    statistics.put("DataScannedInBytes", status.reusedPreviousResult() ? 0 : status.bytesScanned());
    statistics.put(
        "TotalExecutionTimeInMillis", Duration.between(status.submitted(), end).toMillis());
    statistics.put(
        "QueryQueueTimeInMillis", Duration.between(status.submitted(), started).toMillis());
    statistics.put("ServicePreProcessingTimeInMillis", 0);
    statistics.put("ServiceProcessingTimeInMillis", 0);
    statistics
        .putObject("ResultReuseInformation")
        .put("ReusedPreviousResult", status.reusedPreviousResult());
    query.put("WorkGroup", asked.workGroup());
    engineVersion(query.putObject("EngineVersion"));
    return body;
  }

  private ObjectNode getQueryResults(JsonNode request) {
    String id = requiredText(request, "QueryExecutionId");
    QueryExecution execution = execution(id);
    int maxResults = MAX_RESULTS;
    if (request.hasNonNull("MaxResults")) {
      maxResults = request.get("MaxResults").asInt();
      if (maxResults < 1 || maxResults > MAX_RESULTS) {
        throw AwsErrorException.invalidRequest(
            "1 validation error detected: Value '"
                + maxResults
                + "' at 'maxResults' failed to satisfy constraint: Member must have value less"
                + " than or equal to "
                + MAX_RESULTS
                + " and greater than or equal to 1");
      }
    }
    int offset = text(request.path("NextToken")).map(token -> offset(id, token)).orElse(0);
    Status status = execution.status();
    switch (status.state()) {
      case QUEUED, RUNNING ->
          throw AwsErrorException.invalidRequest(
              "Query has not yet finished. Current state: " + status.state().name());
      case FAILED -> throw AwsErrorException.invalidRequest(status.error().orElseThrow().message());
      case CANCELLED ->
          throw AwsErrorException.invalidRequest(
              "Query did not finish successfully. Final query state: CANCELLED");
      case SUCCEEDED -> {
        // handed out below
      }
    }
    QueryResults results = status.results().orElseThrow();
    int total = results.pagedRowCount();
    if (offset > total) {
      throw AwsErrorException.invalidRequest("The NextToken is not valid for this query");
    }
    int end = Math.min(total, offset + maxResults);
    ObjectNode body = JSON.objectNode();
    body.put("UpdateCount", results.updateCount());
    ObjectNode resultSet = body.putObject("ResultSet");
    ArrayNode rows = resultSet.putArray("Rows");
    for (int i = offset; i < end; i++) {
      ArrayNode data = rows.addObject().putArray("Data");
      for (String value : results.pagedRow(i)) {
        ObjectNode datum = data.addObject();
        if (value != null) {
          datum.put("VarCharValue", value);
        }
      }
    }
    ArrayNode columns = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
    for (QueryResults.Column column : results.columns()) {
      columns
          .addObject()
          .put("CatalogName", "hive")
          .put("SchemaName", "")
          .put("TableName", "")
          .put("Name", column.name())
          .put("Label", column.name())
          .put("Type", column.type().athenaName())
          .put("Precision", column.type().athenaPrecision())
          .put("Scale", column.type().athenaScale())
          .put("Nullable", "UNKNOWN")
          .put("CaseSensitive", column.type().athenaCaseSensitive());
    }
    if (end < total) {
      body.put("NextToken", token(id, end));
    }
    return body;
  }

  private static String token(String id, int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((id + ":" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int offset(String id, String token) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int colon = decoded.lastIndexOf(':');
      if (colon > 0 && decoded.substring(0, colon).equals(id)) {
        return Integer.parseInt(decoded.substring(colon + 1));
      }
    } catch (IllegalArgumentException ignored) {
      // answered below
    }
    throw AwsErrorException.invalidRequest("The NextToken is not valid for this query");
  }

  private ObjectNode stopQueryExecution(JsonNode request) {
    execution(requiredText(request, "QueryExecutionId"))
        .stop(Instant.now())
        .ifPresent(AthenaOperations::cancel);
    return JSON.objectNode();
  }

  private ObjectNode getWorkGroup(JsonNode request) {
    String name = requiredText(request, "WorkGroup");
    WorkGroup workGroup = workGroups.get(name);
    if (workGroup == null) {
      throw AwsErrorException.invalidRequest("WorkGroup " + name + " is not found.");
    }
    ObjectNode body = JSON.objectNode();
    ObjectNode group = body.putObject("WorkGroup");
    group.put("Name", workGroup.name());
    group.put("State", "ENABLED");
    ObjectNode configuration = group.putObject("Configuration");
    configuration
        .putObject("ResultConfiguration")
        .put("OutputLocation", workGroup.outputLocation());
    configuration.put("EnforceWorkGroupConfiguration", false);
    configuration.put("PublishCloudWatchMetricsEnabled", false);
    workGroup
        .bytesScannedCutoffPerQuery()
        .ifPresent(cutoff -> configuration.put("BytesScannedCutoffPerQuery", cutoff));
    configuration.put("RequesterPaysEnabled", false);
    engineVersion(configuration.putObject("EngineVersion"));
    group.put("Description", "");
    return body;
  }

  private static void engineVersion(ObjectNode version) {
    version.put("SelectedEngineVersion", "AUTO");
    version.put("EffectiveEngineVersion", ENGINE_VERSION);
  }

  private QueryExecution execution(String id) {
    QueryExecution execution = executions.get(id);
    if (execution == null) {
      throw AwsErrorException.invalidRequest("QueryExecution " + id + " was not found");
    }
    return execution;
  }

  /** AWS JSON timestamps: seconds since the epoch, with milliseconds as the fraction. */
  static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3);
  }

  static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty()
        ? Optional.of(node.asText())
        : Optional.empty();
  }

  static String requiredText(JsonNode request, String member) {
    return text(request.path(member))
        .orElseThrow(
            () ->
                AwsErrorException.invalidRequest(
                    "1 validation error detected: " + member + " is required"));
  }
}
