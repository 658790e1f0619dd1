package io.asof.export;

import io.asof.model.Column;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Writes RFC 4180 CSV in UTF-8: a header row of column names, then one line per row, each ended by
 * {@code \n}. Fields holding a comma, quote, CR or LF are quoted, quotes doubled. SQL NULL is an
 * empty field and an empty string is {@code ""}, so the two stay apart. Timestamps are written as
 * {@code 2026-03-01 04:00:00.000000} with as many fraction digits as the type's precision (at most
 * nine); {@code with time zone} ones as the instant in UTC followed by {@code UTC}. Dates are ISO
 * {@code 2026-03-01}, varbinary lower-case hex, decimals plain at the column's scale, and arrays
 * {@code [a,b]} with their elements formatted the same way and {@code null} for a NULL element.
 */
final class CsvRowWriter extends StagedRowWriter {
  private static final int MAX_FRACTION_DIGITS = 9;
  private static final List<DateTimeFormatter> TIMESTAMP_FORMATS =
      IntStream.rangeClosed(0, MAX_FRACTION_DIGITS)
          .mapToObj(CsvRowWriter::timestampFormat)
          .toList();
  private static final HexFormat HEX = HexFormat.of();

  private final List<ExportType> types;
  private final BufferedWriter out;

  CsvRowWriter(Path file, List<Column> columns) throws IOException {
    super(file, columns);
    this.types = columns().stream().map(ExportType::of).toList();
    this.out = Files.newBufferedWriter(temp(), StandardCharsets.UTF_8);
    try {
      out.write(line(columns().stream().map(Column::name).map(CsvRowWriter::quote).toList()));
    } catch (IOException e) {
      abort();
      throw e;
    }
  }

  @Override
  void writeRow(List<Object> values) throws IOException {
    String[] fields = new String[values.size()];
    for (int i = 0; i < fields.length; i++) {
      Object value = values.get(i);
      try {
        fields[i] = value == null ? "" : quote(format(types.get(i), value));
      } catch (ClassCastException | ArithmeticException e) {
        throw Values.badValue(columns().get(i), value, e);
      }
    }
    out.write(line(List.of(fields)));
  }

  @Override
  void closeFile() throws IOException {
    out.close();
  }

  private static String line(List<String> fields) {
    return String.join(",", fields) + "\n";
  }

  private static String format(ExportType type, Object value) {
    return switch (type) {
      case ExportType.Simple simple ->
          switch (simple) {
            case BIGINT, INTEGER, SMALLINT, TINYINT -> Long.toString(Values.integral(value));
            case DOUBLE -> Double.toString((Double) value);
            case REAL -> Float.toString((Float) value);
            case BOOLEAN -> Boolean.toString((Boolean) value);
            case VARCHAR -> (String) value;
            case DATE -> Values.date(value).toString();
            case VARBINARY -> HEX.formatHex((byte[]) value);
          };
      case ExportType.Decimal decimal -> Values.decimal(value, decimal).toPlainString();
      case ExportType.Timestamp timestamp -> {
        DateTimeFormatter format =
            TIMESTAMP_FORMATS.get(Math.min(timestamp.precision(), MAX_FRACTION_DIGITS));
        yield timestamp.withTimeZone()
            ? format.format(Values.instant(value).atOffset(ZoneOffset.UTC)) + " UTC"
            : format.format(Values.localTimestamp(value));
      }
      case ExportType.Array array -> {
        StringBuilder text = new StringBuilder("[");
        for (Object element : (List<?>) value) {
          if (text.length() > 1) {
            text.append(',');
          }
          text.append(element == null ? "null" : format(array.element(), element));
        }
        yield text.append(']').toString();
      }
    };
  }

  private static String quote(String field) {
    if (field.isEmpty()) {
      return "\"\"";
    }
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return '"' + field.replace("\"", "\"\"") + '"';
      }
    }
    return field;
  }

  private static DateTimeFormatter timestampFormat(int fractionDigits) {
    DateTimeFormatterBuilder format =
        new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd HH:mm:ss");
    if (fractionDigits > 0) {
      format.appendFraction(ChronoField.NANO_OF_SECOND, fractionDigits, fractionDigits, true);
    }
    return format.toFormatter(Locale.ROOT);
  }
}
