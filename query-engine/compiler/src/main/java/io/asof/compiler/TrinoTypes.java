package io.asof.compiler;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/** Trino type names, as information_schema spells them, to Calcite types for validation. */
final class TrinoTypes {
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");
  private static final Pattern TIMESTAMP =
      Pattern.compile("timestamp(?:\\((\\d+)\\))?( with time zone)?");
  private static final Pattern VARCHAR = Pattern.compile("(?:varchar|char)(?:\\((\\d+)\\))?");

  private TrinoTypes() {}

  static RelDataType toCalcite(String trinoType, RelDataTypeFactory factory) {
    String type = trinoType.strip().toLowerCase(Locale.ROOT);
    RelDataType calcite =
        switch (type) {
          case "boolean" -> factory.createSqlType(SqlTypeName.BOOLEAN);
          case "tinyint" -> factory.createSqlType(SqlTypeName.TINYINT);
          case "smallint" -> factory.createSqlType(SqlTypeName.SMALLINT);
          case "integer" -> factory.createSqlType(SqlTypeName.INTEGER);
          case "bigint" -> factory.createSqlType(SqlTypeName.BIGINT);
          case "real" -> factory.createSqlType(SqlTypeName.REAL);
          case "double" -> factory.createSqlType(SqlTypeName.DOUBLE);
          case "date" -> factory.createSqlType(SqlTypeName.DATE);
          case "varbinary" -> factory.createSqlType(SqlTypeName.VARBINARY);
          default -> parameterized(type, factory);
        };
    return factory.createTypeWithNullability(calcite, true);
  }

  private static RelDataType parameterized(String type, RelDataTypeFactory factory) {
    Matcher decimal = DECIMAL.matcher(type);
    if (decimal.matches()) {
      return factory.createSqlType(
          SqlTypeName.DECIMAL,
          Integer.parseInt(decimal.group(1)),
          Integer.parseInt(decimal.group(2)));
    }
    Matcher timestamp = TIMESTAMP.matcher(type);
    if (timestamp.matches()) {
      int precision = timestamp.group(1) == null ? 3 : Integer.parseInt(timestamp.group(1));
      return factory.createSqlType(
          timestamp.group(2) == null
              ? SqlTypeName.TIMESTAMP
              : SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
          precision);
    }
    Matcher varchar = VARCHAR.matcher(type);
    if (varchar.matches()) {
      return varchar.group(1) == null
          ? factory.createSqlType(SqlTypeName.VARCHAR)
          : factory.createSqlType(SqlTypeName.VARCHAR, Integer.parseInt(varchar.group(1)));
    }
    // arrays, maps, rows, json, uuid, ...: Calcite need not know their shape to check names
    return factory.createSqlType(SqlTypeName.ANY);
  }
}
