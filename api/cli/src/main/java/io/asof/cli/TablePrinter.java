package io.asof.cli;

import io.asof.engine.QueryResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints a small query result as an aligned text table. */
final class TablePrinter {
  private static final java.time.format.DateTimeFormatter SECONDS =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private TablePrinter() {}

  static void print(QueryResult result, PrintWriter out, String indent) {
    List<List<String>> cells = new ArrayList<>();
    cells.add(result.columns().stream().map(c -> c.name()).toList());
    for (List<Object> row : result.rows()) {
      cells.add(row.stream().map(TablePrinter::text).toList());
    }
    int[] widths = new int[result.columns().size()];
    for (List<String> row : cells) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (int r = 0; r < cells.size(); r++) {
      StringBuilder line = new StringBuilder(indent);
      List<String> row = cells.get(r);
      for (int i = 0; i < row.size(); i++) {
        boolean numeric = r > 0 && result.rows().get(r - 1).get(i) instanceof Number;
        String cell = row.get(i);
        String padded =
            numeric
                ? " ".repeat(widths[i] - cell.length()) + cell
                : cell + " ".repeat(widths[i] - cell.length());
        line.append(padded).append(i + 1 < row.size() ? "  " : "");
      }
      out.println(line.toString().stripTrailing());
    }
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
