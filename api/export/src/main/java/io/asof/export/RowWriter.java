package io.asof.export;

import java.io.IOException;
import java.util.List;

/**
 * Writes the rows of a query result to one file, in the format an {@link ExportFormat} chose.
 *
 * <p>Values come typed as Trino's JDBC driver gives them: {@code Long}, {@code Integer}, {@code
 * Short} and {@code Byte} for the integer types, {@code Double} and {@code Float}, {@code
 * BigDecimal}, {@code String}, {@code Boolean}, {@link java.sql.Timestamp} for {@code timestamp(p)}
 * with or without time zone, {@link java.sql.Date} for {@code date}, {@code byte[]} for {@code
 * varbinary}, {@link List} for arrays and {@code null} for SQL NULL.
 *
 * <p>Rows go to a temporary file beside the target; {@link #close()} moves it into place, so a
 * reader never sees a half-written export. Call {@code close()} only once every row is written; if
 * the export fails call {@link #abort()} instead, which deletes the temporary file. A {@code write}
 * that throws aborts the writer itself.
 */
public interface RowWriter extends AutoCloseable {
  /**
   * Writes one row, its values in column order.
   *
   * @throws IllegalArgumentException if the row has the wrong number of values or a value does not
   *     fit its column's type
   * @throws java.io.UncheckedIOException if the file cannot be written
   * @throws IllegalStateException if the writer was closed or aborted
   */
  void write(List<Object> values);

  /** How many rows have been written. */
  long rows();

  /**
   * Finishes the file and moves it to its target name, replacing any file there. Does nothing if
   * the writer was already closed or aborted; if finishing fails, the writer is aborted.
   */
  @Override
  void close() throws IOException;

  /**
   * Gives up on the export: deletes the partial file so nothing is left half-written. Does nothing
   * once the writer is closed or aborted, and never throws (a temporary file that cannot be deleted
   * stays behind).
   */
  default void abort() {}
}
