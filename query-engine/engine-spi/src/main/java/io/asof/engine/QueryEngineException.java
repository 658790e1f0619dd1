package io.asof.engine;

/** A statement the engine refused or failed to run; the message is the engine's own. */
public class QueryEngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String sql;

  public QueryEngineException(String message, String sql, Throwable cause) {
    super(message, cause);
    this.sql = sql;
  }

  /** The statement that failed. */
  public String sql() {
    return sql;
  }
}
