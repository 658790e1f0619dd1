package io.asof.cli;

import io.asof.engine.QueryResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints a small query result as an aligned text table. */
final class TablePrinter {
  private static final java.time.format.DateTimeFormatter SECONDS =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("-?[0-9][0-9,.]*( [KMG]?B)?");

  private TablePrinter() {}

  static void print(QueryResult result, PrintWriter out, String indent) {
    List<List<String>> cells = new ArrayList<>();
    List<List<Boolean>> numeric = new ArrayList<>();
    cells.add(result.columns().stream().map(c -> c.name()).toList());
    numeric.add(result.columns().stream().map(c -> false).toList());
    for (List<Object> row : result.rows()) {
      cells.add(row.stream().map(TablePrinter::text).toList());
      numeric.add(row.stream().map(v -> v instanceof Number).toList());
    }
    out.print(lines(cells, numeric, indent));
  }

  /**
   * A header and rows of text as an aligned table, numbers (and sizes such as {@code 1.2 MB})
   * right-aligned; one line per row, each ending in a newline.
   */
  static String render(List<String> header, List<List<String>> rows, String indent) {
    List<List<String>> cells = new ArrayList<>();
    List<List<Boolean>> numeric = new ArrayList<>();
    cells.add(header);
    numeric.add(header.stream().map(h -> false).toList());
    for (List<String> row : rows) {
      cells.add(row);
      numeric.add(row.stream().map(c -> NUMBER.matcher(c).matches()).toList());
    }
    return lines(cells, numeric, indent);
  }

  private static String lines(
      List<List<String>> cells, List<List<Boolean>> numeric, String indent) {
    int[] widths = new int[cells.getFirst().size()];
    for (List<String> row : cells) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < cells.size(); r++) {
      StringBuilder line = new StringBuilder(indent);
      List<String> row = cells.get(r);
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        String pad = " ".repeat(widths[i] - cell.length());
        line.append(numeric.get(r).get(i) ? pad + cell : cell + pad)
            .append(i + 1 < row.size() ? "  " : "");
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  private static String text(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Long || value instanceof Integer) {
      return "%,d".formatted(((Number) value).longValue());
    }
    if (value instanceof Double || value instanceof Float) {
      return "%.2f".formatted(((Number) value).doubleValue());
    }
    if (value instanceof java.sql.Timestamp timestamp) {
      return SECONDS.format(timestamp.toLocalDateTime());
    }
    return value.toString();
  }
}
