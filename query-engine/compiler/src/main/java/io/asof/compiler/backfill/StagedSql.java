package io.asof.compiler.backfill;

import io.asof.compiler.pit.PointInTimeSql;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Names and literals in the statements run on a staged table, quoted as Trino reads them. */
final class StagedSql {
  private StagedSql() {}

  /** {@code catalog.schema.table} as {@code "catalog"."schema"."table"}. */
  static String table(String qualified) {
    String[] parts = qualified.split("\\.", -1);
    if (parts.length != 3 || Arrays.stream(parts).anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "a staged table is named catalog.schema.table, got: " + qualified);
    }
    return Arrays.stream(parts).map(PointInTimeSql::quote).collect(Collectors.joining("."));
  }
}
