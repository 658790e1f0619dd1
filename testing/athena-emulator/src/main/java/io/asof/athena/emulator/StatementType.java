package io.asof.athena.emulator;

/** Athena's classification of a statement, reported as {@code QueryExecution.StatementType}. */
enum StatementType {
  /** Data definition: CREATE, DROP, ALTER (and CREATE TABLE AS). */
  DDL,
  /** Queries and writes: SELECT, INSERT, MERGE, DELETE, UPDATE, OPTIMIZE, VACUUM. */
  DML,
  /** SHOW, DESCRIBE, EXPLAIN. */
  UTILITY
}
