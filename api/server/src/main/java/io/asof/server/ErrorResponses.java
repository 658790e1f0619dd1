package io.asof.server;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.asof.compiler.SpineGuard;
import io.asof.compiler.SpineTooLargeException;
import io.asof.engine.QueryEngineException;
import io.asof.jobs.EngineUnavailableException;
import io.asof.jobs.NotFoundException;
import io.asof.jobs.UnknownTrainingSetException;
import io.asof.model.Diagnostic;
import io.asof.model.RepositoryException;
import io.asof.push.PushBusyException;
import io.asof.push.PushRejectedException;
import io.asof.push.PushUnavailableException;
import io.asof.registry.LeaseHeldException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into the API's error body, {@code {"error": "...", "problems": [{"file",
 * "line", "column", "message"}]}}, with the status that says whose it is: 400 for a request that
 * cannot work as written, 404 for an unknown training set, view or feature, 409 while another
 * writer holds the lease of what the request would write (another build of the same training set),
 * 413 for a spine over the row limit, 502 when the engine fails a statement, 503 when it cannot be
 * reached, 500 for Asof's own bugs. A 500 says only "internal error" and an error id; the detail
 * goes to the log under that id. Credentials in any message (a JDBC URL's password) are redacted.
 */
final class ErrorResponses {
  private final Path repository;
  private final Json json;

  /**
   * @param repository the repository directory; files inside it are named relative to it
   */
  ErrorResponses(Path repository, Json json) {
    this.repository = repository.toAbsolutePath().normalize();
    this.json = json;
  }

  private static final String ANSWERED = "asof.error";

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
  private static final SecureRandom IDS = new SecureRandom();

  /** Whether an error body was written for this request already. */
  static boolean answered(Context ctx) {
    return ctx.attribute(ANSWERED) != null;
  }

  void handle(Exception exception, Context ctx) {
    int status;
    List<ApiException.Problem> problems = List.of();
    // a push's problems, by row and field, replace the file-placed ones
    List<RowProblem> rowProblems = null;
    Long limit = null;
    Integer totalProblems = null;
    Long retryAfterSeconds = null;
    String errorId = null;
    String message = exception.getMessage() == null ? exception.toString() : exception.getMessage();
    switch (exception) {
      case ApiException api -> {
        status = api.status();
        problems = api.problems();
        limit = api.limit().isPresent() ? api.limit().getAsLong() : null;
      }
      case RepositoryException repositoryProblems -> {
        // a spine that reads what callers may not is forbidden; other problems are the request's
        status = repositoryProblems instanceof SpineGuard.ForbiddenSpineException ? 403 : 400;
        int count = repositoryProblems.diagnostics().size();
        message =
            "%d problem%s; nothing was run or written".formatted(count, count == 1 ? "" : "s");
        problems = problems(repositoryProblems.diagnostics());
      }
      case SpineTooLargeException tooLarge -> {
        status = 413;
        limit = (long) tooLarge.limit();
      }
      case UnknownTrainingSetException unknown -> {
        status = 404;
        message = unknown.message("spine_sql or spine_rows in the request body");
      }
      case PushRejectedException rejected -> {
        status = rejected.status();
        rowProblems =
            rejected.problems().stream()
                .map(
                    p ->
                        new RowProblem(
                            p.row() >= 0 ? p.row() : null,
                            p.field().isEmpty() ? null : p.field(),
                            p.line() > 0 ? p.line() : null,
                            p.message()))
                .toList();
        totalProblems = rejected.total();
      }
      case PushBusyException busy -> {
        status = 429;
        long seconds = Math.max(1, busy.retryAfter().toSeconds());
        ctx.header("Retry-After", Long.toString(seconds));
        retryAfterSeconds = seconds;
      }
      case PushUnavailableException unavailable -> status = 503;
      case LeaseHeldException held -> status = 409;
      case NotFoundException notFound -> status = 404;
      case IllegalArgumentException invalid -> status = 400;
      case QueryEngineException engine -> {
        var unavailable = EngineUnavailableException.of(engine);
        status = unavailable.isPresent() ? 503 : 502;
        message = unavailable.map(Exception::getMessage).orElse("the engine failed: " + message);
      }
      case HttpResponseException http -> status = http.getStatus();
      default -> {
        if (timedOut(exception)) {
          status = 408;
          message =
              "the request body stopped arriving (paused longer than the server's idle timeout, or slower than its minimum rate): send it again";
        } else {
          status = 500;
          errorId = internal(exception, ctx);
          message = internalMessage(errorId);
        }
      }
    }
    if (status >= 500 && status != 500) {
      LOG.warn(
          "{} {} answered {}: {}", ctx.method(), ctx.path(), status, Redaction.redact(message));
    }
    ErrorReply response =
        new ErrorReply(
            Redaction.redact(message),
            rowProblems != null
                ? rowProblems
                : problems.stream().map(ErrorResponses::problem).toList(),
            limit,
            totalProblems,
            retryAfterSeconds,
            errorId);
    ctx.attribute(ANSWERED, true);
    ctx.status(status).contentType("application/json").result(json.write(response));
  }

  private List<ApiException.Problem> problems(List<Diagnostic> diagnostics) {
    List<ApiException.Problem> problems = new ArrayList<>();
    for (Diagnostic diagnostic : diagnostics) {
      Path file = diagnostic.position().file();
      Path absolute = file.toAbsolutePath().normalize();
      String shown =
          file.isAbsolute() && absolute.startsWith(repository)
              ? repository.relativize(absolute).toString()
              : file.toString();
      problems.add(
          new ApiException.Problem(
              shown,
              diagnostic.position().line(),
              diagnostic.position().column(),
              diagnostic.message()));
    }
    return problems;
  }

  private static FileProblem problem(ApiException.Problem problem) {
    return new FileProblem(
        problem.file(), problem.line(), problem.column(), Redaction.redact(problem.message()));
  }

  /**
   * An Error thrown while answering (OutOfMemoryError from one request's work): 503 when memory ran
   * short, as the next request may well fit, else 500; logged with an id either way.
   */
  void handleError(Error error, Context ctx) {
    String id = errorId();
    LOG.error("error {} answering {} {}", id, ctx.method(), ctx.path(), Redaction.redact(error));
    boolean memory = error instanceof OutOfMemoryError;
    ErrorReply response =
        new ErrorReply(
            memory
                ? "the server ran short of memory answering this request (error id %s): send a smaller request, or retry later"
                    .formatted(id)
                : internalMessage(id),
            List.of(),
            null,
            null,
            null,
            id);
    ctx.attribute(ANSWERED, true);
    if (memory) {
      ctx.header("Retry-After", "5");
    }
    ctx.status(memory ? 503 : 500).contentType("application/json").result(json.write(response));
  }

  /** Logs a bug's detail under a new error id, and returns the id. */
  private static String internal(Exception exception, Context ctx) {
    String id = errorId();
    LOG.error(
        "error {} answering {} {}", id, ctx.method(), ctx.path(), Redaction.redact(exception));
    return id;
  }

  /** A bug's generic message: the detail is in the log under the error id. */
  private static String internalMessage(String id) {
    return "internal error (error id %s): the server's log has the detail under this id"
        .formatted(id);
  }

  /** Whether reading the request timed out (a slow or stalled body): Jetty's, in any cause. */
  private static boolean timedOut(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.util.concurrent.TimeoutException
          || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static String errorId() {
    return HexFormat.of().formatHex(bytes());
  }

  private static byte[] bytes() {
    byte[] bytes = new byte[6];
    IDS.nextBytes(bytes);
    return bytes;
  }

  /**
   * The error body: what went wrong, the problems placed in a file or a pushed row, and only with
   * the statuses that have them, the limit passed, the push's problem count, the seconds to wait
   * and the id of a bug's log entry.
   */
  record ErrorReply(
      String error,
      List<? extends ProblemReply> problems,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long limit,
      @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("total_problems")
          Integer totalProblems,
      @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("retry_after_seconds")
          Long retryAfterSeconds,
      @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("error_id") String errorId) {}

  /** A problem of an error body. */
  sealed interface ProblemReply permits FileProblem, RowProblem {}

  /** A problem placed in a file (or a request field) at a line and column, which may be null. */
  record FileProblem(String file, Integer line, Integer column, String message)
      implements ProblemReply {}

  /** A problem of a pushed row: its row, field and line are left out when it has none. */
  record RowProblem(
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer row,
      @JsonInclude(JsonInclude.Include.NON_NULL) String field,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer line,
      String message)
      implements ProblemReply {}
}
