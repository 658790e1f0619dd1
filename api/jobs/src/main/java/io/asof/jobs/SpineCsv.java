package io.asof.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

  /** RFC 4180 fields: commas, double-quoted fields with doubled quotes, CRLF or LF lines. */
  public static List<List<String>> parse(String text, Path file) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          quoted = true;
          any = true;
        }
        case ',' -> {
          row.add(field.toString());
          field.setLength(0);
          any = true;
        }
        case '\r' -> {}
        case '\n' -> {
          if (any || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
          }
          row = new ArrayList<>();
          field.setLength(0);
          any = false;
          line++;
        }
        default -> {
          field.append(c);
          any = true;
        }
      }
    }
    if (quoted) {
      throw new IllegalArgumentException(
          "%s:%d: a quoted field is not closed".formatted(file, line));
    }
    if (any || field.length() > 0) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}
