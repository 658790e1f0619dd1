package io.asof.server;

import io.asof.engine.QueryEngineException;
import io.asof.jobs.EngineUnavailableException;
import io.asof.jobs.NotFoundException;
import io.asof.jobs.SpineTooLargeException;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns every failure into the API's error body, {@code {"error": "...", "problems": [{"file",
 * "line", "column", "message"}]}}, with the status that says whose it is: 400 for a request that
 * cannot work as written, 404 for an unknown training set, view or feature, 409 while another
 * writer holds the lease of what the request would write (another build of the same training set),
 * 413 for a spine over the row limit, 502 when the engine fails a statement, 503 when it cannot be
 * reached, 500 for Asof's own bugs.
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

  /** Whether an error body was written for this request already. */
  static boolean answered(Context ctx) {
    return ctx.attribute(ANSWERED) != null;
  }

  void handle(Exception exception, Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    int status;
    List<ApiException.Problem> problems = List.of();
    String message = exception.getMessage() == null ? exception.toString() : exception.getMessage();
    switch (exception) {
      case ApiException api -> {
        status = api.status();
        problems = api.problems();
      }
      case RepositoryException repositoryProblems -> {
        status = 400;
        int count = repositoryProblems.diagnostics().size();
        message =
            "%d problem%s; nothing was run or written".formatted(count, count == 1 ? "" : "s");
        problems = problems(repositoryProblems.diagnostics());
      }
      case SpineTooLargeException tooLarge -> {
        status = 413;
        body.put("limit", tooLarge.limit());
      }
      case UnknownTrainingSetException unknown -> {
        status = 404;
        message = unknown.message("spine_sql or spine_rows in the request body");
      }
      case PushRejectedException rejected -> {
        status = rejected.status();
        body.put(
            "problems",
            rejected.problems().stream()
                .map(
                    p -> {
                      Map<String, Object> problem = new LinkedHashMap<>();
                      if (p.row() >= 0) {
                        problem.put("row", p.row());
                      }
                      if (!p.field().isEmpty()) {
                        problem.put("field", p.field());
                      }
                      if (p.line() > 0) {
                        problem.put("line", p.line());
                      }
                      problem.put("message", p.message());
                      return problem;
                    })
                .toList());
        body.put("total_problems", rejected.total());
      }
      case PushBusyException busy -> {
        status = 429;
        long seconds = Math.max(1, busy.retryAfter().toSeconds());
        ctx.header("Retry-After", Long.toString(seconds));
        body.put("retry_after_seconds", seconds);
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
        status = 500;
        message = "internal error (%s): %s".formatted(exception.getClass().getName(), message);
      }
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("error", message);
    response.put("problems", problems.stream().map(ErrorResponses::problem).toList());
    response.putAll(body); // a push's problems, by row and field, replace the file-placed ones
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

  private static Map<String, Object> problem(ApiException.Problem problem) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("file", problem.file());
    json.put("line", problem.line());
    json.put("column", problem.column());
    json.put("message", problem.message());
    return json;
  }
}
