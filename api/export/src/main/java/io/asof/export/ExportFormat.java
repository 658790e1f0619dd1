package io.asof.export;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The file formats a query result can be exported to for training jobs. Both take the same column
 * types: bigint, integer, smallint, tinyint, double, real, boolean, varchar, char, decimal,
 * timestamp(p) with or without time zone, date, varbinary and arrays of these.
 */
public enum ExportFormat {
  /**
   * RFC 4180 CSV in UTF-8 with a header row and {@code \n} line ends; NULL is an empty field,
   * timestamps read {@code 2026-03-01 04:00:00.000000} ({@code ... UTC} with time zone), arrays
   * {@code [a,b]}.
   */
  CSV,
  /**
   * Parquet with a typed schema (every column OPTIONAL, timestamps in microseconds, arrays as
   * standard LISTs) and <b>uncompressed</b> pages: parquet-java's Snappy and zstd codecs need
   * Hadoop and JNI libraries, which an export does without.
   */
  PARQUET;

  /**
   * The format with this name, ignoring case.
   *
   * @throws IllegalArgumentException naming the valid formats if there is no such format
   */
  public static ExportFormat parse(String name) {
    requireNonNull(name, "name is null");
    for (ExportFormat format : values()) {
      if (format.name().equalsIgnoreCase(name.strip())) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "Unknown export format '%s'; use one of: %s"
            .formatted(
                name,
                Arrays.stream(values())
                    .map(format -> format.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "))));
  }

  /**
   * Starts writing a file of rows with these columns.
   *
   * @throws IllegalArgumentException if a column's type cannot be exported (naming the column)
   * @throws IOException if the temporary file cannot be created
   */
  public RowWriter open(Path file, List<Column> columns) throws IOException {
    return switch (this) {
      case CSV -> new CsvRowWriter(file, columns);
      case PARQUET -> new ParquetRowWriter(file, columns);
    };
  }
}
