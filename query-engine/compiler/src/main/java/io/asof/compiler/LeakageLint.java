package io.asof.compiler;

import io.asof.model.Diagnostic;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWindow;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.util.Litmus;

/**
 * The leakage lints: feature SQL that is not one query, or whose values would let a training row
 * see what happened after its time, is refused where it is written, saying what to write instead.
 * Each reads the SQL or its parsed tree, before anything is asked of the warehouse.
 *
 * <ul>
 *   <li>a statement that is not a query ({@code INSERT}, {@code CREATE}, ...), found by its first
 *       word before parsing: Asof writes and publishes the view's rows itself;
 *   <li>the clock ({@code now()}, {@code current_timestamp}, ...): values depend on when the view
 *       runs;
 *   <li>window frames reaching {@code FOLLOWING} rows, {@code lead()}, and {@code lag()} with a
 *       negative offset: they read rows after the current one;
 *   <li>a time bucket stamped with its start: the event-time column is exactly {@code
 *       date_trunc(unit, x)} of a {@code GROUP BY} (followed through CTEs and subqueries), so a
 *       bucket's values include events up to a whole unit later than its event time. A view with a
 *       created time is let through: its created time may hold the bucket back until it ends.
 * </ul>
 */
final class LeakageLint {
  private static final Set<String> NOT_QUERIES =
      Set.of(
          "insert",
          "update",
          "delete",
          "merge",
          "create",
          "drop",
          "alter",
          "truncate",
          "grant",
          "revoke",
          "call",
          "set",
          "reset",
          "use",
          "commit",
          "rollback",
          "start",
          "prepare",
          "execute",
          "deallocate",
          "comment",
          "refresh",
          "analyze");
  private static final Set<String> CLOCK_FUNCTIONS =
      Set.of(
          "NOW",
          "CURRENT_TIMESTAMP",
          "CURRENT_DATE",
          "CURRENT_TIME",
          "LOCALTIMESTAMP",
          "LOCALTIME");

  /** How deep CTEs and subqueries are followed to find where the event time is computed. */
  private static final int MAX_DEPTH = 32;

  private LeakageLint() {}

  /** The refusal of a view's SQL that starts as a statement other than a query, if it does. */
  static Optional<Diagnostic> checkStatementKind(String sql, Positions positions) {
    Matcher word = Positions.FIRST_WORD.matcher(sql);
    if (word.find() && NOT_QUERIES.contains(word.group(1).toLowerCase(Locale.ROOT))) {
      String keyword = word.group(1).toUpperCase(Locale.ROOT);
      return Optional.of(
          new Diagnostic(
              positions.ofOffset(sql, word.start(1)),
              "a feature view is one SELECT query, not %s: Asof writes and publishes the view's rows itself; keep only the SELECT"
                  .formatted(keyword)));
    }
    return Optional.empty();
  }

  /**
   * The leakage hazards of a view's parsed query, in the order they are written.
   *
   * @param sql the view's SQL, as parsed (to quote the user's own expressions back)
   * @param eventTime the view's event-time output column
   * @param hasCreatedTime whether the view has a created-time column
   */
  static List<Diagnostic> check(
      String sql, SqlNode query, String eventTime, boolean hasCreatedTime, Positions positions) {
    List<Diagnostic> problems = new ArrayList<>();
    query.accept(new Hazards(positions, problems));
    if (!hasCreatedTime) {
      bucketStart(query, eventTime, Map.of(), 0)
          .ifPresent(bucket -> problems.add(bucketStartProblem(sql, bucket, eventTime, positions)));
    }
    return problems;
  }

  /** Clock functions and reads of later rows, anywhere in the query. */
  private static final class Hazards extends SqlBasicVisitor<Void> {
    private final Positions positions;
    private final List<Diagnostic> problems;

    Hazards(Positions positions, List<Diagnostic> problems) {
      this.positions = positions;
      this.problems = problems;
    }

    @Override
    public Void visit(SqlCall call) {
      String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
      if (CLOCK_FUNCTIONS.contains(name)) {
        problems.add(
            new Diagnostic(
                positions.at(call.getParserPosition()),
                clockMessage(name.equals("NOW") ? "now()" : name.toLowerCase(Locale.ROOT))));
      }
      if (name.equals("LEAD")) {
        problems.add(
            new Diagnostic(
                positions.at(call.getParserPosition()),
                "lead() reads rows after this one, which lie in the row's future: use lag() over the same order, or reverse the question so it looks back from each row (what came before it, not after)"));
      } else if (name.equals("LAG") && call.operandCount() > 1 && negative(call.operand(1))) {
        problems.add(
            new Diagnostic(
                positions.at(call.getParserPosition()),
                "lag() with a negative offset reads rows after this one, which lie in the row's future: give lag() a positive offset, so it reads rows before this one"));
      }
      if (call instanceof SqlWindow window) {
        SqlNode upper = window.getUpperBound();
        if (upper != null
            && (upper.getKind() == SqlKind.FOLLOWING || SqlWindow.isUnboundedFollowing(upper))) {
          problems.add(
              new Diagnostic(
                  positions.at(upper.getParserPosition()),
                  "this window frame reaches FOLLOWING rows, which lie after the row's event time: end the frame at CURRENT ROW"));
        }
      }
      return super.visit(call);
    }

    @Override
    public Void visit(SqlIdentifier identifier) {
      // CURRENT_TIMESTAMP and friends without parentheses parse as identifiers
      if (identifier.isSimple()
          && CLOCK_FUNCTIONS.contains(identifier.getSimple().toUpperCase(Locale.ROOT))
          && !identifier.getSimple().equalsIgnoreCase("now")) {
        problems.add(
            new Diagnostic(
                positions.at(identifier.getParserPosition()),
                clockMessage(identifier.getSimple().toLowerCase(Locale.ROOT))));
      }
      return null;
    }

    private static String clockMessage(String function) {
      return "%s reads the clock, so the view's values would depend on when it runs and training rows could see the future: compute times from the rows' own columns"
          .formatted(function);
    }

    /** A literal below zero: {@code -1} parses as a negated literal or as a negative one. */
    private static boolean negative(SqlNode offset) {
      if (offset instanceof SqlNumericLiteral literal) {
        BigDecimal value = literal.getValueAs(BigDecimal.class);
        return value.signum() < 0;
      }
      if (offset.getKind() == SqlKind.MINUS_PREFIX && offset instanceof SqlCall negated) {
        SqlNode operand = negated.operand(0);
        return operand instanceof SqlNumericLiteral literal
            && literal.getValueAs(BigDecimal.class).signum() > 0;
      }
      return false;
    }
  }

  /**
   * An event time that is the start of a time bucket.
   *
   * @param stamped the expression of the view's outermost SELECT that outputs the event time
   * @param dateTrunc the {@code date_trunc(unit, x)} that starts the bucket, in the SELECT whose
   *     {@code GROUP BY} makes the bucket
   */
  private record Bucket(SqlNode stamped, SqlCall dateTrunc) {}

  private static Diagnostic bucketStartProblem(
      String sql, Bucket bucket, String eventTime, Positions positions) {
    String unit = unit(bucket.dateTrunc()).orElse("day");
    String stamped = text(sql, bucket.stamped());
    return new Diagnostic(
        positions.at(bucket.stamped().getParserPosition()),
        ("%s is the start of a %s bucket (GROUP BY %s), but the bucket's values include events up to a %s later, which a training row at that time would see: "
                + "stamp the bucket with its end (%s + %s AS %s), or hold late data back with a '-- created_time:' column at or after the bucket's end")
            .formatted(
                eventTime,
                unit,
                text(sql, bucket.dateTrunc()),
                unit,
                stamped,
                interval(unit),
                eventTime));
  }

  /** The unit of {@code date_trunc('day', x)}, lower case; empty when it is not a literal. */
  private static Optional<String> unit(SqlCall dateTrunc) {
    if (dateTrunc.operand(0) instanceof SqlCharStringLiteral literal) {
      return Optional.of(literal.getValueAs(String.class).strip().toLowerCase(Locale.ROOT));
    }
    return Optional.empty();
  }

  /** The interval literal of one {@code unit}, as Trino writes it (it has no week or quarter). */
  private static String interval(String unit) {
    return switch (unit) {
      case "week" -> "INTERVAL '7' DAY";
      case "quarter" -> "INTERVAL '3' MONTH";
      default -> "INTERVAL '1' " + unit.toUpperCase(Locale.ROOT);
    };
  }

  /**
   * The bucket whose start {@code column} of {@code query} is, if it is one: the column is computed
   * as exactly {@code date_trunc(unit, x)} (perhaps cast) by a SELECT that groups by it, there or
   * in the CTE or subquery the column is read from.
   */
  private static Optional<Bucket> bucketStart(
      SqlNode query, String column, Map<String, SqlNode> ctes, int depth) {
    if (depth > MAX_DEPTH) {
      return Optional.empty();
    }
    if (query instanceof SqlOrderBy orderBy) {
      return bucketStart(orderBy.query, column, ctes, depth + 1);
    }
    if (query instanceof SqlWith with) {
      Map<String, SqlNode> inner = new HashMap<>(ctes);
      for (SqlNode item : with.withList) {
        SqlWithItem withItem = (SqlWithItem) item;
        inner.put(withItem.name.getSimple().toLowerCase(Locale.ROOT), withItem.query);
      }
      return bucketStart(with.body, column, inner, depth + 1);
    }
    if (query instanceof SqlSelect select) {
      return bucketStart(select, column, ctes, depth);
    }
    if (query.getKind() == SqlKind.UNION && query instanceof SqlBasicCall union) {
      // a set operation's columns are named by its first branch; each branch computes them
      Optional<Integer> index =
          firstSelect(union.operand(0)).flatMap(first -> index(first, column));
      if (index.isEmpty()) {
        return Optional.empty();
      }
      for (SqlNode branch : union.getOperandList()) {
        Optional<Bucket> bucket =
            firstSelect(branch)
                .flatMap(s -> name(s, index.get()))
                .flatMap(name -> bucketStart(branch, name, ctes, depth + 1));
        if (bucket.isPresent()) {
          return bucket;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Bucket> bucketStart(
      SqlSelect select, String column, Map<String, SqlNode> ctes, int depth) {
    List<SqlNode> items = select.getSelectList().getList();
    for (int i = 0; i < items.size(); i++) {
      SqlNode item = items.get(i);
      if (item instanceof SqlIdentifier star && star.isStar()) {
        Optional<Bucket> throughStar =
            fromSources(select.getFrom(), star.names.size() > 1 ? star.names.get(0) : null).stream()
                .map(source -> read(source, column, ctes, depth))
                .flatMap(Optional::stream)
                .findFirst();
        if (throughStar.isPresent()) {
          return throughStar;
        }
        continue;
      }
      if (!column.equalsIgnoreCase(outputName(item).orElse(""))) {
        continue;
      }
      SqlNode expression = item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
      SqlNode uncast = expression;
      while (uncast.getKind() == SqlKind.CAST && uncast instanceof SqlCall cast) {
        uncast = cast.operand(0);
      }
      if (uncast instanceof SqlCall call
          && call.getOperator().getName().equalsIgnoreCase("date_trunc")
          && call.operandCount() == 2) {
        return groupedBy(select, List.of(expression, call), column, i)
            ? Optional.of(new Bucket(expression, call))
            : Optional.empty();
      }
      if (uncast instanceof SqlIdentifier identifier) {
        String name = identifier.names.getLast();
        String qualifier =
            identifier.names.size() > 1 ? identifier.names.get(identifier.names.size() - 2) : null;
        return fromSources(select.getFrom(), qualifier).stream()
            .map(source -> read(source, name, ctes, depth))
            .flatMap(Optional::stream)
            .findFirst()
            .map(inner -> new Bucket(expression, inner.dateTrunc()));
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The bucket {@code column} of a FROM source is the start of, if the source is a query. */
  private static Optional<Bucket> read(
      SqlNode source, String column, Map<String, SqlNode> ctes, int depth) {
    if (source instanceof SqlIdentifier table && table.isSimple()) {
      SqlNode cte = ctes.get(table.getSimple().toLowerCase(Locale.ROOT));
      return cte == null ? Optional.empty() : bucketStart(cte, column, ctes, depth + 1);
    }
    if (source instanceof SqlIdentifier) {
      return Optional.empty();
    }
    return bucketStart(source, column, ctes, depth + 1);
  }

  /**
   * The sources of a FROM clause (tables, CTE names, subqueries) whose name or alias is {@code
   * qualifier}, or all of them when it is null. A source that renames its columns ({@code AS t(a,
   * b)}) is left out: following it is not worth the trouble.
   */
  private static List<SqlNode> fromSources(SqlNode from, String qualifier) {
    List<SqlNode> sources = new ArrayList<>();
    collect(from, qualifier, sources);
    return sources;
  }

  private static void collect(SqlNode from, String qualifier, List<SqlNode> sources) {
    if (from == null) {
      return;
    }
    if (from instanceof SqlJoin join) {
      collect(join.getLeft(), qualifier, sources);
      collect(join.getRight(), qualifier, sources);
      return;
    }
    if (from.getKind() == SqlKind.AS && from instanceof SqlCall as) {
      if (as.operandCount() == 2
          && (qualifier == null
              || qualifier.equalsIgnoreCase(((SqlIdentifier) as.operand(1)).getSimple()))) {
        sources.add(as.operand(0));
      }
      return;
    }
    if (from instanceof SqlIdentifier table) {
      if (qualifier == null || qualifier.equalsIgnoreCase(table.names.getLast())) {
        sources.add(table);
      }
      return;
    }
    if (qualifier == null) {
      sources.add(from);
    }
  }

  /**
   * Whether {@code select} groups by the output column at {@code index} named {@code column}: by
   * one of its {@code expressions}, by its name, or by its ordinal.
   */
  private static boolean groupedBy(
      SqlSelect select, List<SqlNode> expressions, String column, int index) {
    SqlNodeList group = select.getGroup();
    if (group == null) {
      return false;
    }
    List<SqlNode> keys = new ArrayList<>();
    flatten(group, keys);
    for (SqlNode key : keys) {
      if (key instanceof SqlIdentifier identifier
          && identifier.isSimple()
          && identifier.getSimple().equalsIgnoreCase(column)) {
        return true;
      }
      if (key instanceof SqlNumericLiteral ordinal
          && ordinal.isInteger()
          && ordinal.getValueAs(BigDecimal.class).intValue() == index + 1) {
        return true;
      }
      for (SqlNode expression : expressions) {
        if (key.equalsDeep(expression, Litmus.IGNORE)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The keys of a GROUP BY, with those inside ROLLUP, CUBE and GROUPING SETS. */
  private static void flatten(SqlNode key, List<SqlNode> keys) {
    if (key instanceof SqlNodeList list) {
      list.forEach(k -> flatten(k, keys));
    } else if (key instanceof SqlCall call
        && (key.getKind() == SqlKind.ROLLUP
            || key.getKind() == SqlKind.CUBE
            || key.getKind() == SqlKind.GROUPING_SETS
            || key.getKind() == SqlKind.ROW)) {
      call.getOperandList().forEach(k -> flatten(k, keys));
    } else if (key != null) {
      keys.add(key);
    }
  }

  /** The name a select item outputs: its alias, or the column it reads. */
  private static Optional<String> outputName(SqlNode item) {
    if (item.getKind() == SqlKind.AS && item instanceof SqlCall as) {
      return Optional.of(((SqlIdentifier) as.operand(1)).getSimple());
    }
    if (item instanceof SqlIdentifier identifier && !identifier.isStar()) {
      return Optional.of(identifier.names.getLast());
    }
    return Optional.empty();
  }

  private static Optional<SqlSelect> firstSelect(SqlNode query) {
    if (query instanceof SqlSelect select) {
      return Optional.of(select);
    }
    if (query instanceof SqlOrderBy orderBy) {
      return firstSelect(orderBy.query);
    }
    if (query instanceof SqlWith with) {
      return firstSelect(with.body);
    }
    if (query.getKind() == SqlKind.UNION && query instanceof SqlBasicCall union) {
      return firstSelect(union.operand(0));
    }
    return Optional.empty();
  }

  private static Optional<Integer> index(SqlSelect select, String column) {
    List<SqlNode> items = select.getSelectList().getList();
    for (int i = 0; i < items.size(); i++) {
      if (column.equalsIgnoreCase(outputName(items.get(i)).orElse(""))) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> name(SqlSelect select, int index) {
    List<SqlNode> items = select.getSelectList().getList();
    return index < items.size() ? outputName(items.get(index)) : Optional.empty();
  }

  /** The text of {@code node} as the user wrote it, from its start to its end in {@code sql}. */
  private static String text(String sql, SqlNode node) {
    SqlParserPos pos = node.getParserPosition();
    int start = offset(sql, pos.getLineNum(), pos.getColumnNum());
    int end = offset(sql, pos.getEndLineNum(), pos.getEndColumnNum());
    if (start < 0 || end < start || end >= sql.length()) {
      return node.toString();
    }
    return sql.substring(start, end + 1).replaceAll("\\s+", " ");
  }

  private static int offset(String sql, int line, int column) {
    if (line < 1 || column < 1) {
      return -1;
    }
    int offset = 0;
    for (int l = 1; l < line; l++) {
      offset = sql.indexOf('\n', offset);
      if (offset < 0) {
        return -1;
      }
      offset++;
    }
    return offset + column - 1;
  }
}
