/**
 * Writes query results to files that training jobs read: CSV or Parquet, one row at a time, under a
 * temporary name that is moved into place only once the export is complete.
 *
 * <p>Parquet is written by parquet-java. CSV is written here, not by Commons CSV (which reads
 * uploaded spines): an export keeps SQL NULL (an empty field) apart from an empty string ({@code
 * ""}) while quoting only the fields that need it, and Commons CSV's minimal quoting leaves an
 * empty string unquoted unless it starts a line (quoting every non-null field instead would change
 * every exported file).
 */
package io.asof.export;
