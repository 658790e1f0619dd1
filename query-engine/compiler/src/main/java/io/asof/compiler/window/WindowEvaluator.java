package io.asof.compiler.window;

import static java.util.Objects.requireNonNull;

import io.asof.compiler.FeatureSql;
import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.Output;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;

/**
 * Evaluates an aggregation view's outputs from the values of its states over a window, in Java,
 * with Trino's arithmetic: what the online store serves is what the offline statement computes. The
 * expressions are those the compiler wrote ({@link Output#perWindow}): state columns, numeric
 * literals, arithmetic, comparisons, {@code CASE}, {@code CAST}, {@code NULLIF}, {@code COALESCE},
 * {@code ROUND}, {@code ABS}, {@code GREATEST}, {@code LEAST} and boolean logic; {@link #check}
 * says which output uses anything else.
 */
public final class WindowEvaluator {
  private static final Pattern STATE = Pattern.compile("__asof_s(\\d+)_w(\\d+)");
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");

  private final WindowedAggregation aggregation;

  /** Per output, per window, the parsed expression. */
  private final List<List<SqlNode>> expressions;

  public WindowEvaluator(WindowedAggregation aggregation) {
    this.aggregation = requireNonNull(aggregation, "aggregation is null");
    List<List<SqlNode>> parsed = new ArrayList<>();
    for (Output output : aggregation.outputs()) {
      List<SqlNode> perWindow = new ArrayList<>();
      for (String text : output.perWindow()) {
        try {
          perWindow.add(SqlParser.create(text, FeatureSql.PARSER).parseExpression());
        } catch (SqlParseException e) {
          throw new IllegalStateException(
              "the compiler wrote an expression that does not parse: " + text, e);
        }
      }
      parsed.add(perWindow);
    }
    this.expressions = parsed;
  }

  /** The outputs that cannot be evaluated here, each with why; empty when all can. */
  public static List<String> check(WindowedAggregation aggregation) {
    WindowEvaluator evaluator = new WindowEvaluator(aggregation);
    List<String> problems = new ArrayList<>();
    Object[] zeros = new Object[aggregation.states().size()];
    for (int s = 0; s < zeros.length; s++) {
      zeros[s] = 1L;
    }
    for (int o = 0; o < aggregation.outputs().size(); o++) {
      try {
        evaluator.evaluate(o, 0, zeros);
      } catch (UnsupportedOperationException e) {
        problems.add(aggregation.outputs().get(o).column() + ": " + e.getMessage());
      } catch (ArithmeticException e) {
        // a value, not the expression, is the problem
      }
    }
    return problems;
  }

  /**
   * Output {@code output} over window {@code window}, from the states' values over that window
   * (indexed as {@link WindowedAggregation#states()}; counts as Long, sums as the type they sum),
   * as the output's type: Long, Double, Float or BigDecimal; null for SQL NULL.
   *
   * @throws ArithmeticException where Trino fails the query too (an integer division by zero)
   */
  public Object evaluate(int output, int window, Object[] states) {
    Object value = eval(expressions.get(output).get(window), states);
    return cast(value, aggregation.outputs().get(output).type());
  }

  private Object eval(SqlNode node, Object[] states) {
    if (node instanceof SqlIdentifier identifier) {
      Matcher state = STATE.matcher(identifier.getSimple());
      if (!state.matches()) {
        throw new UnsupportedOperationException("unknown name " + identifier);
      }
      return states[Integer.parseInt(state.group(1))];
    }
    if (node instanceof SqlNumericLiteral number) {
      if (!number.isExact()) {
        return number.getValueAs(BigDecimal.class).doubleValue();
      }
      BigDecimal exact = number.getValueAs(BigDecimal.class);
      return exact.scale() <= 0 ? (Object) exact.longValueExact() : exact;
    }
    if (node instanceof SqlLiteral literal) {
      if (literal.getValue() == null) {
        return null;
      }
      if (literal.getValue() instanceof Boolean b) {
        return b;
      }
      throw new UnsupportedOperationException("literal " + literal);
    }
    if (node instanceof SqlCase sqlCase) {
      SqlNodeList whens = sqlCase.getWhenOperands();
      SqlNodeList thens = sqlCase.getThenOperands();
      for (int i = 0; i < whens.size(); i++) {
        if (Boolean.TRUE.equals(eval(whens.get(i), states))) {
          return eval(thens.get(i), states);
        }
      }
      SqlNode otherwise = sqlCase.getElseOperand();
      return otherwise == null ? null : eval(otherwise, states);
    }
    if (!(node instanceof SqlCall call)) {
      throw new UnsupportedOperationException(node.toString());
    }
    String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
    List<SqlNode> operands = call.getOperandList();
    switch (call.getKind()) {
      case CAST -> {
        return cast(eval(operands.get(0), states), typeName((SqlDataTypeSpec) operands.get(1)));
      }
      case PLUS, MINUS, TIMES, DIVIDE, MOD -> {
        return arithmetic(
            call.getKind().name(), eval(operands.get(0), states), eval(operands.get(1), states));
      }
      case MINUS_PREFIX -> {
        return negate(eval(operands.get(0), states));
      }
      case PLUS_PREFIX -> {
        return eval(operands.get(0), states);
      }
      case GREATER_THAN,
          LESS_THAN,
          GREATER_THAN_OR_EQUAL,
          LESS_THAN_OR_EQUAL,
          EQUALS,
          NOT_EQUALS -> {
        Object a = eval(operands.get(0), states);
        Object b = eval(operands.get(1), states);
        if (a == null || b == null) {
          return null;
        }
        int c = compare(a, b);
        return switch (call.getKind()) {
          case GREATER_THAN -> c > 0;
          case LESS_THAN -> c < 0;
          case GREATER_THAN_OR_EQUAL -> c >= 0;
          case LESS_THAN_OR_EQUAL -> c <= 0;
          case EQUALS -> c == 0;
          default -> c != 0;
        };
      }
      case AND, OR -> {
        Object a = eval(operands.get(0), states);
        Object b = eval(operands.get(1), states);
        boolean and = call.getKind() == org.apache.calcite.sql.SqlKind.AND;
        if (and) {
          if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return false;
          }
          return (a == null || b == null) ? null : true;
        }
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
          return true;
        }
        return (a == null || b == null) ? null : false;
      }
      case NOT -> {
        Object a = eval(operands.get(0), states);
        return a == null ? null : !(Boolean) a;
      }
      case IS_NULL -> {
        return eval(operands.get(0), states) == null;
      }
      case IS_NOT_NULL -> {
        return eval(operands.get(0), states) != null;
      }
      case NULLIF -> {
        Object a = eval(operands.get(0), states);
        Object b = eval(operands.get(1), states);
        return a != null && b != null && compare(a, b) == 0 ? null : a;
      }
      case COALESCE -> {
        for (SqlNode operand : operands) {
          Object value = eval(operand, states);
          if (value != null) {
            return value;
          }
        }
        return null;
      }
      default -> {
        return function(name, operands, states);
      }
    }
  }

  private Object function(String name, List<SqlNode> operands, Object[] states) {
    List<Object> values = new ArrayList<>();
    for (SqlNode operand : operands) {
      values.add(eval(operand, states));
    }
    switch (name) {
      case "NULLIF" -> {
        Object a = values.get(0);
        Object b = values.get(1);
        return a != null && b != null && compare(a, b) == 0 ? null : a;
      }
      case "COALESCE" -> {
        return values.stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
      }
      case "ABS" -> {
        Object a = values.get(0);
        return a == null ? null : compare(a, 0L) < 0 ? negate(a) : a;
      }
      case "GREATEST", "LEAST" -> {
        if (values.contains(null)) {
          return null;
        }
        Object best = values.get(0);
        for (Object value : values.subList(1, values.size())) {
          int c = compare(value, best);
          if (name.equals("GREATEST") ? c > 0 : c < 0) {
            best = value;
          }
        }
        return best;
      }
      case "ROUND" -> {
        Object a = values.get(0);
        long digits = values.size() > 1 ? ((Number) values.get(1)).longValue() : 0;
        if (a == null) {
          return null;
        }
        if (a instanceof Double d) {
          if (d.isNaN() || d.isInfinite()) {
            return d;
          }
          return BigDecimal.valueOf(d).setScale((int) digits, RoundingMode.HALF_UP).doubleValue();
        }
        if (a instanceof BigDecimal b) {
          return b.setScale((int) digits, RoundingMode.HALF_UP)
              .setScale(b.scale(), RoundingMode.UNNECESSARY);
        }
        return a;
      }
      default -> throw new UnsupportedOperationException(name.toLowerCase(Locale.ROOT) + "(...)");
    }
  }

  private static Object arithmetic(String op, Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof Double || b instanceof Double || a instanceof Float || b instanceof Float) {
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      return switch (op) {
        case "PLUS" -> x + y;
        case "MINUS" -> x - y;
        case "TIMES" -> x * y;
        case "DIVIDE" -> x / y;
        default -> x % y;
      };
    }
    if (a instanceof BigDecimal || b instanceof BigDecimal) {
      BigDecimal x = decimal(a);
      BigDecimal y = decimal(b);
      return switch (op) {
        case "PLUS" -> x.add(y);
        case "MINUS" -> x.subtract(y);
        case "TIMES" -> x.multiply(y);
        case "DIVIDE" -> {
          if (y.signum() == 0) {
            throw new ArithmeticException("Division by zero");
          }
          yield x.divide(y, Math.max(x.scale(), y.scale()), RoundingMode.HALF_UP);
        }
        default -> x.remainder(y);
      };
    }
    long x = ((Number) a).longValue();
    long y = ((Number) b).longValue();
    return switch (op) {
      case "PLUS" -> Math.addExact(x, y);
      case "MINUS" -> Math.subtractExact(x, y);
      case "TIMES" -> Math.multiplyExact(x, y);
      case "DIVIDE" -> {
        if (y == 0) {
          throw new ArithmeticException("Division by zero");
        }
        yield x / y;
      }
      default -> x % y;
    };
  }

  private static Object negate(Object a) {
    return switch (a) {
      case null -> null;
      case Double d -> -d;
      case Float f -> -f;
      case BigDecimal b -> b.negate();
      default -> Math.negateExact(((Number) a).longValue());
    };
  }

  private static int compare(Object a, Object b) {
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    if (a instanceof Double || b instanceof Double || a instanceof Float || b instanceof Float) {
      return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
    }
    return decimal(a).compareTo(decimal(b));
  }

  private static BigDecimal decimal(Object value) {
    return value instanceof BigDecimal b ? b : BigDecimal.valueOf(((Number) value).longValue());
  }

  private static String typeName(SqlDataTypeSpec spec) {
    if (spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic) {
      String name = basic.getTypeName().getSimple().toLowerCase(Locale.ROOT);
      if (name.equals("decimal")) {
        return "decimal(%d,%d)".formatted(basic.getPrecision(), Math.max(basic.getScale(), 0));
      }
      return name;
    }
    throw new UnsupportedOperationException("CAST to " + spec);
  }

  /** {@code value} as Trino casts it to {@code type}. */
  static Object cast(Object value, String type) {
    if (value == null) {
      return null;
    }
    String t = type.toLowerCase(Locale.ROOT).replace(" ", "");
    switch (t) {
      case "double" -> {
        return ((Number) value).doubleValue();
      }
      case "real" -> {
        return ((Number) value).floatValue();
      }
      case "bigint", "integer", "smallint", "tinyint" -> {
        long integral =
            value instanceof Double || value instanceof Float
                ? roundHalfAway(((Number) value).doubleValue())
                : decimal(value).setScale(0, RoundingMode.HALF_UP).longValueExact();
        return t.equals("bigint") ? (Object) integral : (Object) Math.toIntExact(integral);
      }
      default -> {
        Matcher decimal = DECIMAL.matcher(t);
        if (decimal.matches()) {
          BigDecimal d =
              value instanceof Double || value instanceof Float
                  ? new BigDecimal(((Number) value).doubleValue(), MathContext.DECIMAL64)
                  : decimal(value);
          return d.setScale(Integer.parseInt(decimal.group(2)), RoundingMode.HALF_UP);
        }
        throw new UnsupportedOperationException("a value of type " + type);
      }
    }
  }

  private static long roundHalfAway(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new ArithmeticException("Cannot cast " + d + " to an integer");
    }
    return (long) (d < 0 ? -Math.floor(-d + 0.5) : Math.floor(d + 0.5));
  }
}
