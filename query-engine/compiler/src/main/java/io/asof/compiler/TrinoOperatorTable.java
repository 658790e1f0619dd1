package io.asof.compiler;

import java.util.EnumSet;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlBasicAggFunction;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The functions feature SQL calls, with Trino's names and result types, on top of standard SQL.
 *
 * <p>Trino has hundreds of functions; those feature SQL uses most are declared here with their
 * types. Any other function name is accepted with an unknown ({@code ANY}) result type, so that
 * valid Trino SQL is never refused for want of a declaration: the compiler asks Trino itself for
 * the exact output types afterwards, and Trino rejects a function that does not exist.
 */
final class TrinoOperatorTable implements SqlOperatorTable {
  private static final SqlReturnTypeInference BIGINT = ReturnTypes.BIGINT_NULLABLE;
  private static final SqlReturnTypeInference DOUBLE = ReturnTypes.DOUBLE_NULLABLE;
  private static final SqlReturnTypeInference VARCHAR = ReturnTypes.VARCHAR_NULLABLE;
  private static final SqlReturnTypeInference VARBINARY =
      ReturnTypes.explicit(SqlTypeName.VARBINARY)
          .andThen(org.apache.calcite.sql.type.SqlTypeTransforms.TO_NULLABLE);

  /** {@code IF(condition, a, b)}: the wider of {@code a} and {@code b}. */
  private static final SqlReturnTypeInference IF_TYPE =
      binding -> {
        List<RelDataType> branches =
            binding.getOperandCount() == 3
                ? List.of(binding.getOperandType(1), binding.getOperandType(2))
                : List.of(binding.getOperandType(1));
        RelDataType type = binding.getTypeFactory().leastRestrictive(branches);
        return binding
            .getTypeFactory()
            .createTypeWithNullability(type == null ? branches.getFirst() : type, true);
      };

  private static final List<SqlOperator> TRINO_FUNCTIONS =
      List.of(
          // time
          scalar("DATE_TRUNC", ReturnTypes.ARG1_NULLABLE),
          scalar("DATE_ADD", ReturnTypes.ARG2_NULLABLE),
          scalar(
              "FROM_UNIXTIME",
              ReturnTypes.explicit(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 3)
                  .andThen(org.apache.calcite.sql.type.SqlTypeTransforms.TO_NULLABLE)),
          scalar("TO_UNIXTIME", DOUBLE),
          scalar("DAY_OF_WEEK", BIGINT),
          scalar("DAY_OF_YEAR", BIGINT),
          // conditional and comparison
          scalar("IF", IF_TYPE),
          scalar("GREATEST", ReturnTypes.LEAST_RESTRICTIVE),
          scalar("LEAST", ReturnTypes.LEAST_RESTRICTIVE),
          // strings, regular expressions, JSON
          scalar("LENGTH", BIGINT),
          scalar("STRPOS", BIGINT),
          scalar("CONCAT", VARCHAR),
          scalar("REPLACE", VARCHAR),
          scalar("REGEXP_LIKE", ReturnTypes.BOOLEAN_NULLABLE),
          scalar("REGEXP_EXTRACT", VARCHAR),
          scalar("JSON_EXTRACT_SCALAR", VARCHAR),
          scalar("TO_UTF8", VARBINARY),
          scalar("FROM_UTF8", VARCHAR),
          // math and bits
          scalar("LOG2", DOUBLE),
          scalar("RANDOM", DOUBLE),
          scalar("XXHASH64", VARBINARY),
          scalar("FROM_BIG_ENDIAN_64", BIGINT),
          scalar("BITWISE_AND", BIGINT),
          scalar("BITWISE_OR", BIGINT),
          scalar("BITWISE_XOR", BIGINT),
          scalar("BITWISE_RIGHT_SHIFT", BIGINT),
          scalar("BITWISE_LEFT_SHIFT", BIGINT),
          // aggregates
          aggregate("COUNT_IF", ReturnTypes.BIGINT),
          aggregate("APPROX_DISTINCT", ReturnTypes.BIGINT),
          aggregate("APPROX_PERCENTILE", ReturnTypes.ARG0_NULLABLE_IF_EMPTY),
          aggregate("MAX_BY", ReturnTypes.ARG0_NULLABLE_IF_EMPTY),
          aggregate("MIN_BY", ReturnTypes.ARG0_NULLABLE_IF_EMPTY),
          aggregate("ARBITRARY", ReturnTypes.ARG0_NULLABLE_IF_EMPTY),
          aggregate("BOOL_AND", ReturnTypes.BOOLEAN_NULLABLE),
          aggregate("BOOL_OR", ReturnTypes.BOOLEAN_NULLABLE),
          aggregate("GEOMETRIC_MEAN", DOUBLE),
          aggregate("ARRAY_AGG", ReturnTypes.explicit(SqlTypeName.ANY)),
          aggregate("MAP_AGG", ReturnTypes.explicit(SqlTypeName.ANY)));

  private final SqlOperatorTable declared =
      SqlOperatorTables.chain(
          SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(EnumSet.of(SqlLibrary.STANDARD)),
          SqlOperatorTables.of(TRINO_FUNCTIONS));

  @Override
  public void lookupOperatorOverloads(
      SqlIdentifier name,
      @Nullable SqlFunctionCategory category,
      SqlSyntax syntax,
      List<SqlOperator> operators,
      SqlNameMatcher matcher) {
    declared.lookupOperatorOverloads(name, category, syntax, operators, matcher);
    if (operators.isEmpty() && syntax == SqlSyntax.FUNCTION && name.isSimple()) {
      operators.add(scalar(name.getSimple().toUpperCase(java.util.Locale.ROOT), ANY));
    }
  }

  @Override
  public List<SqlOperator> getOperatorList() {
    return declared.getOperatorList();
  }

  private static final SqlReturnTypeInference ANY =
      binding ->
          binding
              .getTypeFactory()
              .createTypeWithNullability(
                  binding.getTypeFactory().createSqlType(SqlTypeName.ANY), true);

  private static SqlFunction scalar(String name, SqlReturnTypeInference returnType) {
    return new SqlFunction(
        name,
        SqlKind.OTHER_FUNCTION,
        returnType,
        InferTypes.FIRST_KNOWN,
        OperandTypes.VARIADIC,
        SqlFunctionCategory.USER_DEFINED_FUNCTION);
  }

  private static SqlOperator aggregate(String name, SqlReturnTypeInference returnType) {
    return SqlBasicAggFunction.create(
            name, SqlKind.OTHER_FUNCTION, returnType, OperandTypes.VARIADIC)
        .withFunctionType(SqlFunctionCategory.USER_DEFINED_FUNCTION);
  }

  /**
   * Rebinds calls that Calcite's parser tied to another dialect's function of the same name (its
   * {@code DATE_TRUNC} is BigQuery's, arguments reversed) to the Trino function declared here.
   */
  static SqlNode bindTrinoFunctions(SqlNode query) {
    return query.accept(
        new SqlShuttle() {
          @Override
          public @Nullable SqlNode visit(SqlCall call) {
            SqlCall visited = (SqlCall) super.visit(call);
            if (visited == null) {
              return null;
            }
            String name = visited.getOperator().getName();
            for (SqlOperator trino : TRINO_FUNCTIONS) {
              if (trino.getName().equalsIgnoreCase(name) && !visited.getOperator().equals(trino)) {
                return trino.createCall(
                    visited.getFunctionQuantifier(),
                    visited.getParserPosition(),
                    visited.getOperandList().toArray(SqlNode[]::new));
              }
            }
            return visited;
          }
        });
  }
}
