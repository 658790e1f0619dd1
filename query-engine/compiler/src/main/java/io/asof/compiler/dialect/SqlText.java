package io.asof.compiler.dialect;

import io.asof.engine.SqlQuoting;
import java.util.stream.Collectors;

/** Pieces of the SQL text the compiler writes: quoted identifiers and indented blocks. */
public final class SqlText {
  private SqlText() {}

  /** {@code name} as a quoted identifier, as Trino and Athena read it. */
  public static String quote(String name) {
    return SqlQuoting.identifier(name);
  }

  /** {@code text} with every non-empty line indented by {@code spaces}. */
  public static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    return text.lines()
        .map(line -> line.isEmpty() ? line : pad + line)
        .collect(Collectors.joining("\n"));
  }
}
