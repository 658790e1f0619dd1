package io.asof.engine.athena;

import io.asof.engine.QueryEngineException;
import java.util.Locale;

/**
 * A statement Athena refused or failed, with what kind of failure it was and whether running it
 * again may succeed.
 */
public final class AthenaQueryException extends QueryEngineException {
  private static final long serialVersionUID = 1L;

  /** Kinds of failure, each with what a user can do about it. */
  public enum Kind {
    SYNTAX("fix the SQL at the position given"),
    NOT_FOUND("check the catalog, database, table and column names (Glue holds them)"),
    PERMISSION(
        "the caller lacks an IAM permission: docs/athena.md lists the ones Asof needs (Athena, Glue, S3 on the data and the output location)"),
    THROTTLING(
        "Athena refused more calls or concurrent queries: lower the job's parallelism or raise the account's Athena quotas"),
    QUERY_LIMIT(
        "the query hit a limit (the workgroup's bytes-scanned cutoff, Athena's time or resource limits): narrow the time range or raise the workgroup's limit"),
    CANCELLED("the query was stopped before it finished"),
    TIMEOUT("the query ran longer than the configured timeout and was stopped"),
    UNAVAILABLE("Athena could not be reached: check the region, endpoint and network"),
    UNLOAD_READ(
        "the files a large pull unloaded could not be read back: check that the unload location (--athena-unload, else asof-unload/ under the output location) is readable and deletable by this role (s3:ListBucket, s3:GetObject, s3:DeleteObject)"),
    INTERNAL("Athena failed on its side; running the statement again may succeed"),
    USER("fix the statement or the data it reads");

    private final String hint;

    Kind(String hint) {
      this.hint = hint;
    }

    public String hint() {
      return hint;
    }
  }

  private final Kind kind;
  private final boolean retryable;
  private final String queryId;
  private final String reason;

  public AthenaQueryException(
      Kind kind, boolean retryable, String queryId, String reason, String sql, Throwable cause) {
    super(message(kind, queryId, reason), sql, cause);
    this.kind = kind;
    this.retryable = retryable;
    this.queryId = queryId;
    this.reason = reason;
  }

  /** Athena's own words for the failure, without the kind and advice around them. */
  public String reason() {
    return reason;
  }

  private static String message(Kind kind, String queryId, String reason) {
    return "Athena%s: %s (%s: %s)"
        .formatted(
            queryId.isEmpty() ? "" : " query " + queryId,
            reason,
            kind.name().toLowerCase(Locale.ROOT).replace('_', ' '),
            kind.hint());
  }

  public Kind kind() {
    return kind;
  }

  /** Whether Athena said running it again may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** Athena's query execution id, or empty when the query never started. */
  public String queryId() {
    return queryId;
  }

  /** The kind of a failure, from Athena's error category and its message. */
  static Kind classify(String reason, int errorCategory) {
    String text = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
    if (text.contains("mismatched input")
        || text.contains("syntax_error")
        || text.contains("extraneous input")
        || text.contains("no viable alternative")) {
      return Kind.SYNTAX;
    }
    if (text.contains("access denied")
        || text.contains("accessdenied")
        || text.contains("not authorized")
        || text.contains("insufficient permissions")
        || text.contains("permission_denied")) {
      return Kind.PERMISSION;
    }
    if (text.contains("rate exceeded")
        || text.contains("slowdown")
        || text.contains("throttl")
        || text.contains("toomanyrequests")) {
      return Kind.THROTTLING;
    }
    if (text.contains("bytes scanned limit")
        || text.contains("exhausted resources")
        || text.contains("query timeout")
        || text.contains("exceeded_")) {
      return Kind.QUERY_LIMIT;
    }
    if (text.contains("does not exist")
        || text.contains("not found")
        || text.contains("cannot be resolved")) {
      return Kind.NOT_FOUND;
    }
    return errorCategory == 1 ? Kind.INTERNAL : Kind.USER;
  }
}
