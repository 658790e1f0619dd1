package io.asof.jobs;

import io.asof.compiler.SpineRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A small spine uploaded as CSV rows with a header line naming the columns; each field is untyped
 * text, typed as {@link SpineRows} infers it. An empty field is NULL.
 */
public final class SpineCsv {
  private SpineCsv() {}

  /** The spine query for the rows in {@code file}. */
  public static String toSql(Path file) throws IOException {
    List<List<String>> rows = parse(Files.readString(file, StandardCharsets.UTF_8), file);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty: write a header line of column names");
    }
    List<String> header = rows.getFirst().stream().map(String::strip).toList();
    for (String name : header) {
      if (!SpineRows.isPlainName(name)) {
        throw new IllegalArgumentException(
            "%s:1: column name '%s' is not a plain SQL name (lower-case letters, digits, _)"
                .formatted(file, name));
      }
    }
    List<List<String>> data = rows.subList(1, rows.size());
    SpineRows.checkSize(data.size(), file.toString(), "--spine 'SELECT ...'");
    List<List<Object>> values = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      if (data.get(i).size() != header.size()) {
        throw new IllegalArgumentException(
            "%s:%d: %d fields, but the header has %d"
                .formatted(file, i + 2, data.get(i).size(), header.size()));
      }
      List<Object> row = new ArrayList<>(header.size());
      for (String field : data.get(i)) {
        row.add(field.isEmpty() ? null : new SpineRows.Text(field));
      }
      values.add(row);
    }
    return SpineRows.toSql(header, values);
  }

  /**
   * The records of RFC 4180 text (Commons CSV): commas, double-quoted fields with doubled quotes,
   * CRLF or LF lines; empty lines are skipped. Each record with the line it starts on.
   *
   * @throws IllegalArgumentException positioned at {@code file}'s line, when a quoted field is not
   *     closed
   */
  public static List<List<String>> parse(String text, Path file) {
    CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
    List<List<String>> rows = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(text, format)) {
      for (CSVRecord record : parser) {
        rows.add(record.toList());
      }
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException(
          "%s:%d: a quoted field is not closed".formatted(file, lastLine(text)), e);
    }
    return rows;
  }

  /** The number of the text's last line, where an unclosed quote runs out. */
  private static long lastLine(String text) {
    return text.lines().count();
  }
}
