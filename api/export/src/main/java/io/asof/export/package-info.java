/**
 * Writes query results to files that training jobs read: CSV or Parquet, one row at a time, under a
 * temporary name that is moved into place only once the export is complete.
 */
package io.asof.export;
