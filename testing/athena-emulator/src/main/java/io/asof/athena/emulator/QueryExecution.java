package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * One query execution: what was asked (fixed) and what happened (changing as it runs). The state
 * moves QUEUED, RUNNING, then one of SUCCEEDED, FAILED, CANCELLED; guarded by this object.
 */
final class QueryExecution {
  /** Athena's query states. */
  enum State {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    boolean finished() {
      return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
  }

  /**
   * What was asked.
   *
   * @param id the QueryExecutionId
   * @param query the query string as given
   * @param catalog the QueryExecutionContext's catalog, if given
   * @param database the QueryExecutionContext's database, if given
   * @param workGroup the workgroup's name
   * @param outputLocation where Athena would write the result file
   * @param clientRequestToken the idempotency token
   * @param statementType Athena's classification of the query
   * @param resultReuseMaxAgeMinutes the age up to which an earlier result may be reused, if asked
   */
  record Request(
      String id,
      String query,
      Optional<String> catalog,
      Optional<String> database,
      String workGroup,
      String outputLocation,
      String clientRequestToken,
      StatementType statementType,
      Optional<Integer> resultReuseMaxAgeMinutes) {
    Request {
      requireNonNull(id, "id is null");
      requireNonNull(query, "query is null");
      requireNonNull(catalog, "catalog is null");
      requireNonNull(database, "database is null");
      requireNonNull(workGroup, "workGroup is null");
      requireNonNull(outputLocation, "outputLocation is null");
      requireNonNull(clientRequestToken, "clientRequestToken is null");
      requireNonNull(statementType, "statementType is null");
      requireNonNull(resultReuseMaxAgeMinutes, "resultReuseMaxAgeMinutes is null");
    }
  }

  /**
   * A consistent copy of the execution's status.
   *
   * @param state the state
   * @param submitted when StartQueryExecution was called
   * @param started when it began running, if it did
   * @param completed when it finished, if it did
   * @param error why it failed or was cancelled, if it did
   * @param bytesScanned the data Trino read
   * @param reusedPreviousResult whether an earlier query's result was handed out
   * @param results the result, once succeeded
   */
  record Status(
      State state,
      Instant submitted,
      Optional<Instant> started,
      Optional<Instant> completed,
      Optional<AthenaError> error,
      long bytesScanned,
      boolean reusedPreviousResult,
      Optional<QueryResults> results) {}

  private final Request request;
  private final Instant submitted;
  private State state = State.QUEUED;
  private Instant started;
  private Instant completed;
  private AthenaError error;
  private long bytesScanned;
  private boolean reusedPreviousResult;
  private QueryResults results;
  private Statement statement;
  private boolean stopRequested;

  QueryExecution(Request request, Instant submitted) {
    this.request = requireNonNull(request, "request is null");
    this.submitted = requireNonNull(submitted, "submitted is null");
  }

  Request request() {
    return request;
  }

  synchronized Status status() {
    return new Status(
        state,
        submitted,
        Optional.ofNullable(started),
        Optional.ofNullable(completed),
        Optional.ofNullable(error),
        bytesScanned,
        reusedPreviousResult,
        Optional.ofNullable(results));
  }

  synchronized State state() {
    return state;
  }

  /** Moves QUEUED to RUNNING; false if the query was stopped meanwhile. */
  synchronized boolean begin(Instant now) {
    if (state != State.QUEUED) {
      return false;
    }
    state = State.RUNNING;
    started = now;
    return true;
  }

  /** The statement running on Trino, so that a stop can cancel it; false if stopped already. */
  synchronized boolean attach(Statement running) {
    if (stopRequested) {
      return false;
    }
    statement = running;
    return true;
  }

  synchronized void addBytesScanned(long bytes) {
    bytesScanned = Math.max(bytesScanned, bytes);
  }

  synchronized void succeed(QueryResults result, boolean reused, Instant now) {
    if (state.finished()) {
      return;
    }
    if (stopRequested) {
      cancel(now);
      return;
    }
    state = State.SUCCEEDED;
    results = result;
    reusedPreviousResult = reused;
    completed = now;
    statement = null;
  }

  synchronized void fail(AthenaError failure, Instant now) {
    if (state.finished()) {
      return;
    }
    if (stopRequested) {
      cancel(now);
      return;
    }
    state = State.FAILED;
    error = failure;
    completed = now;
    statement = null;
  }

  /** Ends the query CANCELLED with the given reason (a scan limit), unless it finished already. */
  synchronized void cancelWith(AthenaError reason, Instant now) {
    if (state.finished()) {
      return;
    }
    state = State.CANCELLED;
    error = reason;
    completed = now;
    statement = null;
  }

  /**
   * Asks the query to stop: a queued query is cancelled at once; a running one is cancelled on
   * Trino and ends CANCELLED. Returns the statement to cancel, if one is running.
   */
  synchronized Optional<Statement> stop(Instant now) {
    if (state.finished()) {
      return Optional.empty();
    }
    stopRequested = true;
    if (state == State.QUEUED) {
      cancel(now);
      return Optional.empty();
    }
    return Optional.ofNullable(statement);
  }

  /** Ends a query whose stop was requested CANCELLED, unless it finished already. */
  synchronized void stopped(Instant now) {
    if (!state.finished()) {
      cancel(now);
    }
  }

  synchronized boolean stopRequested() {
    return stopRequested;
  }

  private void cancel(Instant now) {
    state = State.CANCELLED;
    completed = now;
    statement = null;
  }
}
