package io.asof.compiler;

import io.asof.compiler.catalog.TableSchema;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryEngineException;
import io.asof.model.Column;
import io.asof.model.Diagnostic;
import io.asof.model.Entity;
import io.asof.model.FeatureViewSpec;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.Kind;
import io.asof.model.window.WindowedAggregation.Output;
import io.asof.model.window.WindowedAggregation.PushSource;
import io.asof.model.window.WindowedAggregation.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.dialect.TrinoSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Recognises an aggregation view on its parsed query — a {@code SELECT} of the entity's keys and
 * aggregates, {@code GROUP BY} exactly those keys — and rewrites it into a {@link
 * WindowedAggregation}: the events query (the same {@code FROM} and {@code WHERE}, one row per
 * event with its time and the aggregates' arguments) and each output as an expression over running
 * states per window. Everything that cannot be evaluated over a window is refused where it is
 * written, with what to do.
 */
final class AggregationViews {
  /** Aggregates of Trino that cannot be evaluated over a sliding window here, for the message. */
  private static final Set<String> OTHER_AGGREGATES =
      Set.of(
          "APPROX_DISTINCT",
          "APPROX_PERCENTILE",
          "APPROX_SET",
          "ARBITRARY",
          "ANY_VALUE",
          "ARRAY_AGG",
          "BOOL_AND",
          "BOOL_OR",
          "EVERY",
          "CHECKSUM",
          "GEOMETRIC_MEAN",
          "HISTOGRAM",
          "LISTAGG",
          "MAP_AGG",
          "MAX_BY",
          "MIN_BY",
          "MULTIMAP_AGG",
          "STDDEV",
          "STDDEV_POP",
          "STDDEV_SAMP",
          "VARIANCE",
          "VAR_POP",
          "VAR_SAMP",
          "CORR",
          "COVAR_POP",
          "COVAR_SAMP",
          "KURTOSIS",
          "SKEWNESS",
          "BITWISE_AND_AGG",
          "BITWISE_OR_AGG",
          "BITWISE_XOR_AGG",
          "REDUCE_AGG",
          "SET_AGG",
          "SET_UNION",
          "MERGE",
          "NUMERIC_HISTOGRAM",
          "APPROX_MOST_FREQUENT");

  /** The aggregates that are evaluated over windows. */
  private static final Set<String> WINDOWED =
      Set.of("COUNT", "COUNT_IF", "SUM", "AVG", "MIN", "MAX");

  private static final String SUPPORTED =
      "count(*), count(x), count_if(condition), sum(x), avg(x), min(x) and max(x) (of numbers), count(DISTINCT x), and expressions over them";

  /** The argument types (besides strings) {@code count(DISTINCT x)} counts, online too. */
  private static final Set<String> DISTINCT_VALUES =
      Set.of("tinyint", "smallint", "integer", "bigint", "date", "boolean");

  /** The argument types {@code min} and {@code max} are kept of, online too. */
  private static final Set<String> ORDERED_NUMBERS =
      Set.of("tinyint", "smallint", "integer", "bigint", "real", "double");

  private AggregationViews() {}

  /**
   * Refuses, where it is written, what of {@code view}'s shape cannot be windowed. Runs before the
   * query is validated, so that a column neither grouped nor aggregated, or a {@code SELECT *}, is
   * refused with what to do for an aggregation view rather than as a query that does not validate.
   */
  static void checkShape(FeatureViewSpec view, Entity entity, Positions positions) {
    analyse(view, entity, positions);
  }

  /** The query parsed, and its aggregation recognised; throws with every problem. */
  private static Rewrite analyse(FeatureViewSpec view, Entity entity, Positions positions) {
    String sql = view.sql();
    SqlNode parsed;
    try {
      parsed = SqlParser.create(sql, FeatureSql.PARSER).parseQuery();
    } catch (SqlParseException e) {
      throw new RepositoryException(List.of(CompileErrors.syntaxError(e, sql, positions)));
    }
    List<Diagnostic> problems = new ArrayList<>();
    SqlSelect select = select(parsed, positions, problems);
    if (select == null) {
      throw new RepositoryException(problems);
    }
    Rewrite rewrite = new Rewrite(view, entity, positions, parsed, select, problems);
    rewrite.analyse();
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }
    return rewrite;
  }

  /** Compiles {@code view}, whose query has already parsed and validated. */
  static CompiledView compile(
      FeatureViewSpec view,
      Entity entity,
      Positions positions,
      QueryEngine engine,
      Optional<TableSchema> push,
      List<String> sourceTables,
      Map<String, List<String>> lineage,
      Function<String, Map<String, List<String>>> lineageOf) {
    String sql = view.sql();
    Rewrite rewrite = analyse(view, entity, positions);
    SqlSelect select = rewrite.select;
    List<Diagnostic> problems = new ArrayList<>();

    Optional<PushSource> pushSource = push.map(rewrite::pushSource);
    if (!rewrite.problems.isEmpty()) {
      throw new RepositoryException(rewrite.problems);
    }
    String eventsSql = unparse(rewrite.eventsQuery());
    String describedEvents =
        push.map(p -> Streamed.stubbed(rewrite.parsed, select, p)).orElse(eventsSql);
    String describedView = push.map(p -> Streamed.stubbed(sql, p, positions)).orElse(sql);
    SourcePosition start = positions.at(select.getParserPosition());
    Map<String, String> eventTypes = new LinkedHashMap<>();
    try {
      engine.describe(describedEvents).forEach(c -> eventTypes.put(c.name(), c.type()));
    } catch (QueryEngineException e) {
      throw new RepositoryException(List.of(eventsError(view, e, start)));
    }
    timestamp(eventTypes, WindowedAggregation.EVENT_TIME, "event_time", view.eventTime(), start)
        .ifPresent(problems::add);
    view.createdTime()
        .flatMap(
            c -> timestamp(eventTypes, WindowedAggregation.CREATED_TIME, "created_time", c, start))
        .ifPresent(problems::add);
    Map<String, String> outputTypes = new LinkedHashMap<>();
    try {
      engine.describe(describedView).forEach(c -> outputTypes.put(c.name(), c.type()));
    } catch (QueryEngineException e) {
      problems.add(CompileErrors.engineError(e, positions, start));
    }
    rewrite.typed.forEach(
        (argument, call) ->
            argumentType(call, eventTypes.get(argument), positions).ifPresent(problems::add));
    if (!problems.isEmpty()) {
      throw new RepositoryException(problems);
    }

    List<State> states =
        rewrite.states.stream()
            .map(
                s ->
                    new State(
                        s.kind(), s.argument(), s.argument().map(eventTypes::get).orElse("bigint")))
            .toList();
    List<Output> outputs = new ArrayList<>();
    rewrite.outputs.forEach(
        (column, perWindow) ->
            outputs.add(
                new Output(
                    column,
                    outputTypes.get(column),
                    perWindow.stream().map(AggregationViews::unparse).toList())));
    WindowedAggregation aggregation =
        new WindowedAggregation(
            eventsSql,
            entity.keyColumns(),
            eventTypes.get(WindowedAggregation.EVENT_TIME),
            view.createdTime().map(c -> eventTypes.get(WindowedAggregation.CREATED_TIME)),
            view.windows(),
            states,
            outputs,
            pushSource);

    List<Column> columns = new ArrayList<>();
    for (String key : entity.keyColumns()) {
      columns.add(new Column(key, outputTypes.get(key)));
    }
    List<Column> features = new ArrayList<>();
    Map<String, List<String>> featureLineage = new LinkedHashMap<>();
    for (String key : entity.keyColumns()) {
      featureLineage.put(key, lineage.getOrDefault(key, List.of()));
    }
    // which events a window holds is decided by their event and created times: those feed
    // every feature, beside the columns its aggregates read
    Map<String, List<String>> eventLineage = lineageOf.apply(eventsSql);
    Set<String> times =
        new TreeSet<>(eventLineage.getOrDefault(WindowedAggregation.EVENT_TIME, List.of()));
    times.addAll(eventLineage.getOrDefault(WindowedAggregation.CREATED_TIME, List.of()));
    for (Output output : outputs) {
      Set<String> sources = new TreeSet<>(lineage.getOrDefault(output.column(), List.of()));
      sources.addAll(times);
      for (Duration window : view.windows()) {
        String name = FeatureViewSpec.featureName(output.column(), window);
        features.add(new Column(name, output.type()));
        featureLineage.put(name, List.copyOf(sources));
      }
    }
    columns.addAll(features);
    return new CompiledView(
        view, entity, columns, features, sourceTables, featureLineage, Optional.of(aggregation));
  }

  /** The query's one {@code SELECT}, or null with why there is none. */
  private static @Nullable SqlSelect select(
      SqlNode query, Positions positions, List<Diagnostic> problems) {
    SqlNode body = query instanceof SqlWith with ? with.body : query;
    if (body instanceof SqlSelect select) {
      return select;
    }
    SqlNode where = body;
    if (body instanceof SqlOrderBy orderBy) {
      // at the ORDER BY, else at the OFFSET or LIMIT: the node's own position is its LIMIT's
      where =
          !orderBy.orderList.isEmpty()
              ? orderBy.orderList
              : Objects.requireNonNullElse(orderBy.offset, Objects.requireNonNull(orderBy.fetch));
    }
    String what =
        body instanceof SqlOrderBy
            ? "ORDER BY, LIMIT and OFFSET do not apply to an aggregation view, whose rows are one per key: remove them"
            : "an aggregation view is one SELECT of the entity's keys and aggregates, GROUP BY the keys: write it as one SELECT (a UNION can go in a subquery in FROM)";
    problems.add(new Diagnostic(positions.at(where.getParserPosition()), what));
    return null;
  }

  /** The aggregation's states and outputs, collected from the query's select list. */
  private static final class Rewrite {
    private final FeatureViewSpec view;
    private final Entity entity;
    private final Positions positions;
    private final SqlNode parsed;
    private final SqlSelect select;
    private final List<Diagnostic> problems;

    /** Aggregate arguments, by their SQL, as columns of the events query. */
    private final Map<String, SqlNode> arguments = new LinkedHashMap<>();

    private final List<State> states = new ArrayList<>();
    private final Map<String, List<SqlNode>> outputs = new LinkedHashMap<>();
    private final Map<String, SqlNode> keys = new LinkedHashMap<>();

    /**
     * The first min, max or count(DISTINCT) of each argument column, where its type is checked (one
     * column is the argument of one expression, so of all its calls).
     */
    private final Map<String, SqlCall> typed = new LinkedHashMap<>();

    Rewrite(
        FeatureViewSpec view,
        Entity entity,
        Positions positions,
        SqlNode parsed,
        SqlSelect select,
        List<Diagnostic> problems) {
      this.view = view;
      this.entity = entity;
      this.positions = positions;
      this.parsed = parsed;
      this.select = select;
      this.problems = problems;
    }

    void analyse() {
      if (select.isDistinct()) {
        problem(
            select,
            "SELECT DISTINCT does not apply to an aggregation view, whose rows are one per key: remove DISTINCT");
      }
      checkGroupBy();
      if (select.getHaving() != null) {
        problem(
            select.getHaving(),
            "HAVING is not allowed in an aggregation view: each window's aggregate exists for every key and time; filter events in WHERE, or compute a flag as an expression over the aggregates");
      }
      if (select.getWindowList() != null && !select.getWindowList().isEmpty()) {
        problem(
            select.getWindowList(),
            "window functions are not allowed in an aggregation view: '-- windows:' evaluates each aggregate over each window at every time; write plain aggregates");
      }
      for (SqlNode item : select.getSelectList()) {
        SqlNode expression = item;
        String name = null;
        if (item.getKind() == SqlKind.AS) {
          SqlCall as = (SqlCall) item;
          expression = as.operand(0);
          name = ((SqlIdentifier) as.operand(1)).getSimple().toLowerCase(Locale.ROOT);
        }
        if (expression instanceof SqlIdentifier identifier) {
          String column = lastName(identifier);
          if (identifier.isStar()) {
            problem(
                identifier,
                "SELECT * is not allowed in an aggregation view: list the keys (%s) and the aggregates"
                    .formatted(String.join(", ", entity.keyColumns())));
          } else if (entity.keyColumns().contains(column)
              && (name == null || name.equals(column))) {
            keys.put(column, identifier);
          } else {
            problem(identifier, nonAggregated(column));
          }
          continue;
        }
        if (name == null) {
          problem(
              expression,
              "give this aggregate a name with AS, e.g. count(*) AS read_count: each named output becomes one feature per window (read_count_1h, read_count_7d, ...)");
          continue;
        }
        List<SqlNode> perWindow = new ArrayList<>();
        for (int w = 0; w < view.windows().size(); w++) {
          int before = problems.size();
          SqlNode rewritten = expression.accept(new Replacer(w));
          if (problems.size() > before) {
            break;
          }
          perWindow.add(rewritten);
        }
        if (!containsAggregate(expression)) {
          problem(
              expression,
              "output %s aggregates nothing: every output of an aggregation view besides the keys is an aggregate (%s)"
                  .formatted(name, SUPPORTED));
        }
        outputs.put(name, perWindow);
      }
      for (String key : entity.keyColumns()) {
        if (!keys.containsKey(key)) {
          problem(
              select.getSelectList(),
              "missing key column %s: an aggregation view of entity %s outputs its keys %s and groups by them"
                  .formatted(key, entity.name(), String.join(", ", entity.keyColumns())));
        }
      }
    }

    private void checkGroupBy() {
      SqlNodeList group = select.getGroup();
      String keyList = String.join(", ", entity.keyColumns());
      if (group == null || group.isEmpty()) {
        problem(
            select,
            "an aggregation view groups by the entity's keys: add GROUP BY %s".formatted(keyList));
        return;
      }
      List<String> grouped = new ArrayList<>();
      for (SqlNode item : group) {
        if (item instanceof SqlIdentifier identifier
            && entity.keyColumns().contains(lastName(identifier))) {
          grouped.add(lastName(identifier));
        } else {
          problem(
              item,
              "an aggregation view groups by exactly the entity's keys (%s), and '-- windows:' groups by time: remove this from GROUP BY, or make it a key of the entity in entities.yaml"
                  .formatted(keyList));
        }
      }
      for (String key : entity.keyColumns()) {
        if (!grouped.contains(key)) {
          problem(group, "GROUP BY misses key %s: group by %s".formatted(key, keyList));
        }
      }
    }

    /**
     * What the view reads of push view {@code push}, which it must read alone and as it is: each
     * pushed row is then one event online ({@link PushSource}); what it may not write is a problem.
     */
    PushSource pushSource(TableSchema push) {
      String name = push.table();
      Map<String, String> types = new LinkedHashMap<>();
      push.columns().forEach(c -> types.put(c.name(), c.type()));
      String alone =
          "an aggregation view over push view %s reads it alone, as FROM %s.%s, so that each pushed row updates the online aggregates as it comes"
              .formatted(name, push.schema(), name);
      if (parsed instanceof SqlWith with) {
        problem(
            with.withList,
            alone
                + ": no WITH; compute what the CTE computes before pushing (a column of %s), or read the push view's table in a view without windows"
                    .formatted(name));
      }
      SqlNode from = select.getFrom();
      SqlNode table =
          from != null && from.getKind() == SqlKind.AS ? ((SqlCall) from).operand(0) : from;
      if (!(table instanceof SqlIdentifier identifier) || !lastName(identifier).equals(name)) {
        problem(
            Objects.requireNonNullElse(from, select),
            alone
                + ": no join or subquery; join in the training set instead (its spine, or another view's features)");
      }
      if (select.getWhere() != null) {
        problem(
            select.getWhere(),
            alone
                + ": no WHERE; push only the events to count, or count them with count_if(<boolean column of %s>)"
                    .formatted(name));
      }
      Set<SqlNode> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (State state : states) {
        if (state.kind().isExtreme() || state.kind() == Kind.DISTINCT) {
          SqlNode call = state.argument().<SqlNode>map(typed::get).orElse(select);
          if (kept.add(call)) {
            problem(
                call,
                "min, max and count(DISTINCT x) over push view %s are not updated by each push (a push adds to the online aggregates; these need every value): count(*), count(x), count_if, sum and avg are; read the push view's table in another view for these"
                    .formatted(name));
          }
        }
      }
      Map<String, String> columns = new LinkedHashMap<>();
      keys.keySet().forEach(key -> columns.put(key, key));
      for (Map.Entry<String, Optional<String>> time :
          List.of(
              Map.entry(WindowedAggregation.EVENT_TIME, Optional.of(view.eventTime())),
              Map.entry(WindowedAggregation.CREATED_TIME, view.createdTime()))) {
        time.getValue()
            .ifPresent(
                column -> {
                  if (!types.containsKey(column)) {
                    problem(
                        select,
                        "the %s column %s is not a column of push view %s: name one of its timestamp columns (%s)"
                            .formatted(
                                time.getKey().equals(WindowedAggregation.EVENT_TIME)
                                    ? "event_time"
                                    : "created_time",
                                column,
                                name,
                                String.join(", ", types.keySet())));
                  }
                  columns.put(time.getKey(), column);
                });
      }
      for (Map.Entry<String, SqlNode> argument : arguments.entrySet()) {
        SqlNode node = argument.getValue();
        if (!(node instanceof SqlIdentifier identifier)
            || !types.containsKey(lastName(identifier))) {
          problem(
              node,
              "an aggregate over push view %s takes one of its columns as it is (%s), since online each pushed row is counted as it comes: push what this computes as a column of its own"
                  .formatted(name, String.join(", ", types.keySet())));
          continue;
        }
        String column = lastName(identifier);
        boolean counted =
            states.stream()
                .anyMatch(
                    st ->
                        st.kind() == Kind.TRUE
                            && st.argument().equals(Optional.of(argument.getKey())));
        if (counted && !types.get(column).equals("boolean")) {
          problem(
              node,
              "count_if over push view %s takes a boolean column; %s is %s: push the condition as a boolean column"
                  .formatted(name, column, types.get(column)));
        }
        columns.put(argument.getKey(), column);
      }
      return new PushSource(name, columns);
    }

    /** The events query: the view's FROM and WHERE, one row per event. */
    SqlNode eventsQuery() {
      List<SqlNode> items = new ArrayList<>();
      keys.forEach((key, node) -> items.add(as(node, key)));
      items.add(as(column(view.eventTime()), WindowedAggregation.EVENT_TIME));
      view.createdTime().ifPresent(c -> items.add(as(column(c), WindowedAggregation.CREATED_TIME)));
      arguments.forEach((column, node) -> items.add(as(node, column)));
      select.setSelectList(new SqlNodeList(items, SqlParserPos.ZERO));
      select.setGroupBy(null);
      select.setHaving(null);
      return parsed;
    }

    /** Replaces each aggregate by its expression over one window's states. */
    private final class Replacer extends SqlShuttle {
      private final int window;

      Replacer(int window) {
        this.window = window;
      }

      @Override
      public @Nullable SqlNode visit(SqlIdentifier identifier) {
        problem(identifier, nonAggregated(lastName(identifier)));
        return identifier;
      }

      @Override
      public @Nullable SqlNode visit(SqlCall call) {
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        if (call.getKind() == SqlKind.OVER) {
          problem(
              call,
              "window functions are not allowed in an aggregation view: '-- windows:' evaluates each aggregate over each window at every time; write the plain aggregate");
          return call;
        }
        if (call.getKind() == SqlKind.FILTER || call.getKind() == SqlKind.WITHIN_GROUP) {
          problem(
              call,
              "FILTER and WITHIN GROUP are not supported over windows: write count_if(condition), or sum(CASE WHEN condition THEN x END)");
          return call;
        }
        if (isAggregate(call)) {
          return aggregate(call, name);
        }
        return super.visit(call);
      }

      private SqlNode aggregate(SqlCall call, String name) {
        boolean distinct = call.getFunctionQuantifier() != null;
        if (distinct && !name.equals("COUNT")) {
          problem(
              call,
              "%s(DISTINCT ...) cannot be evaluated over a sliding window: count(DISTINCT x) can, or keep it in a view without windows"
                  .formatted(name.toLowerCase(Locale.ROOT)));
          return call;
        }
        for (SqlNode operand : call.getOperandList()) {
          if (operand != null && containsAggregate(operand)) {
            problem(operand, "an aggregate inside an aggregate cannot be evaluated: unnest them");
            return call;
          }
        }
        boolean star =
            call.operandCount() == 1 && call.operand(0) instanceof SqlIdentifier id && id.isStar();
        String text =
            switch (name) {
              case "COUNT" -> {
                if (distinct) {
                  SqlNode argument = single(call);
                  if (argument != null) {
                    typed.putIfAbsent(argumentColumn(argument), call);
                  }
                  yield state(Kind.DISTINCT, argument);
                }
                yield star || call.operandCount() == 0
                    ? state(Kind.ROWS, null)
                    : state(Kind.NON_NULL, single(call));
              }
              case "COUNT_IF" -> state(Kind.TRUE, single(call));
              case "SUM" ->
                  "CASE WHEN %s > 0 THEN %s END"
                      .formatted(state(Kind.NON_NULL, single(call)), state(Kind.SUM, single(call)));
              case "AVG" ->
                  "CASE WHEN %s > 0 THEN CAST(%s AS double) / %s END"
                      .formatted(
                          state(Kind.NON_NULL, single(call)),
                          state(Kind.SUM, single(call)),
                          state(Kind.NON_NULL, single(call)));
              case "MIN", "MAX" -> {
                SqlNode argument = single(call);
                if (argument != null) {
                  typed.putIfAbsent(argumentColumn(argument), call);
                }
                yield state(name.equals("MIN") ? Kind.MIN : Kind.MAX, argument);
              }
              default -> {
                problem(
                    call,
                    "%s cannot be evaluated over a sliding window yet: an aggregation view supports %s"
                        .formatted(name.toLowerCase(Locale.ROOT), SUPPORTED));
                yield null;
              }
            };
        if (text == null) {
          return call;
        }
        return expression(text);
      }

      private @Nullable SqlNode single(SqlCall call) {
        if (call.operandCount() != 1) {
          problem(
              call,
              "%s takes one argument here"
                  .formatted(call.getOperator().getName().toLowerCase(Locale.ROOT)));
          return null;
        }
        return call.operand(0);
      }

      /** The column that holds a state of an argument over this window, added when new. */
      private String state(Kind kind, @Nullable SqlNode argument) {
        if (kind != Kind.ROWS && argument == null) {
          return "NULL";
        }
        Optional<String> column = Optional.ofNullable(argument).map(Rewrite.this::argumentColumn);
        State state = new State(kind, column, "");
        int index = states.indexOf(state);
        if (index < 0) {
          states.add(state);
          index = states.size() - 1;
        }
        return "\"" + WindowedAggregation.stateColumn(index, window) + "\"";
      }
    }

    private String argumentColumn(SqlNode argument) {
      String text = unparse(argument);
      for (Map.Entry<String, SqlNode> known : arguments.entrySet()) {
        if (unparse(known.getValue()).equals(text)) {
          return known.getKey();
        }
      }
      String column = "__asof_x" + arguments.size();
      arguments.put(column, argument);
      return column;
    }

    private void problem(SqlNode node, String message) {
      problems.add(new Diagnostic(positions.at(node.getParserPosition()), message));
    }

    private String nonAggregated(String column) {
      return "non-aggregated column %s: an aggregation view outputs its keys (%s) and aggregates only; aggregate it (e.g. count_if(%s), sum(%s)), or move it to a view without windows"
          .formatted(column, String.join(", ", entity.keyColumns()), column, column);
    }
  }

  /**
   * How an aggregation view over a push view is described to the engine: with the push view's
   * published view replaced by an empty row of its declared columns, so that the view compiles
   * before the push view is applied (its table and published view are made by the same {@code
   * apply}).
   */
  private static final class Streamed {
    private static final String STUB = "__asof_push_view";

    private Streamed() {}

    /** The query {@code parsed}, whose {@code select} reads the push view, read from the stub. */
    static String stubbed(SqlNode parsed, SqlSelect select, TableSchema push) {
      SqlNode from = select.getFrom();
      String alias =
          from != null && from.getKind() == SqlKind.AS
              ? lastName((SqlIdentifier) ((SqlCall) from).operand(1))
              : push.table();
      select.setFrom(as(new SqlIdentifier(STUB, SqlParserPos.ZERO), alias));
      try {
        return unparse(parsed).replace("\"" + STUB + "\"", row(push));
      } finally {
        select.setFrom(from);
      }
    }

    /** The view's own query, read from the stub. */
    static String stubbed(String sql, TableSchema push, Positions positions) {
      SqlNode parsed;
      try {
        parsed = SqlParser.create(sql, FeatureSql.PARSER).parseQuery();
      } catch (SqlParseException e) {
        throw new RepositoryException(List.of(CompileErrors.syntaxError(e, sql, positions)));
      }
      SqlNode body = parsed instanceof SqlWith with ? with.body : parsed;
      return stubbed(parsed, (SqlSelect) body, push);
    }

    private static String row(TableSchema push) {
      return "(SELECT %s WHERE false)"
          .formatted(
              String.join(
                  ", ",
                  push.columns().stream()
                      .map(c -> "CAST(NULL AS %s) AS \"%s\"".formatted(c.type(), c.name()))
                      .toList()));
    }
  }

  private static boolean isAggregate(SqlCall call) {
    String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
    // the parser leaves functions unresolved: recognise aggregates by name
    return call.getOperator().isAggregator()
        || WINDOWED.contains(name)
        || OTHER_AGGREGATES.contains(name);
  }

  private static boolean containsAggregate(SqlNode node) {
    boolean[] found = {false};
    node.accept(
        new SqlShuttle() {
          @Override
          public @Nullable SqlNode visit(SqlCall call) {
            if (call.getKind() == SqlKind.OVER || isAggregate(call)) {
              found[0] = true;
              return call;
            }
            return super.visit(call);
          }
        });
    return found[0];
  }

  private static String lastName(SqlIdentifier identifier) {
    return identifier.names.getLast().toLowerCase(Locale.ROOT);
  }

  private static SqlNode as(SqlNode node, String alias) {
    return SqlStdOperatorTable.AS.createCall(
        SqlParserPos.ZERO, node, new SqlIdentifier(alias, SqlParserPos.ZERO));
  }

  /**
   * A column the header names, as an identifier: not parsed as an expression, so that a name that
   * is a reserved word ({@code day}, {@code timestamp}) is a column too, written quoted.
   */
  private static SqlIdentifier column(String name) {
    return new SqlIdentifier(List.of(name.split("\\.", -1)), SqlParserPos.ZERO);
  }

  /** An expression the compiler writes (never one a caller sends), as a tree. */
  private static SqlNode expression(String text) {
    try {
      return SqlParser.create(text, FeatureSql.PARSER).parseExpression();
    } catch (SqlParseException e) {
      throw new IllegalStateException(
          "the compiler wrote an expression that does not parse: " + text, e);
    }
  }

  /** A tree as Trino SQL, every identifier quoted (what the compiler writes from trees). */
  static String unparse(SqlNode node) {
    return node.toSqlString(
            c ->
                c.withDialect(TrinoSqlDialect.DEFAULT)
                    .withQuoteAllIdentifiers(true)
                    .withClauseStartsLine(true)
                    .withIndentation(2))
        .getSql();
  }

  /**
   * Why {@code call} (a min, max or count(DISTINCT)) cannot take an argument of {@code type} over a
   * window, if it cannot: min and max keep numbers, a distinct count whole numbers, strings, dates
   * and booleans, which the online store compares as text.
   */
  private static Optional<Diagnostic> argumentType(
      SqlCall call, @Nullable String type, Positions positions) {
    if (type == null) {
      return Optional.empty();
    }
    String lower = type.toLowerCase(Locale.ROOT);
    SourcePosition at = positions.at(call.getParserPosition());
    if (call.getFunctionQuantifier() != null) {
      if (DISTINCT_VALUES.contains(lower)
          || lower.startsWith("varchar")
          || lower.startsWith("char")) {
        return Optional.empty();
      }
      return Optional.of(
          new Diagnostic(
              at,
              "count(DISTINCT x) over a window takes a whole number, a string, a date or a boolean, not %s: cast it (e.g. CAST(x AS varchar)), or keep it in a view without windows"
                  .formatted(type)));
    }
    if (ORDERED_NUMBERS.contains(lower) || lower.startsWith("decimal")) {
      return Optional.empty();
    }
    return Optional.of(
        new Diagnostic(
            at,
            "%s over a window takes a number, not %s: cast it (e.g. to_unixtime(ts) for a time, or the length of a string), or keep it in a view without windows"
                .formatted(call.getOperator().getName().toLowerCase(Locale.ROOT), type)));
  }

  private static Optional<Diagnostic> timestamp(
      Map<String, String> types,
      String column,
      String header,
      String name,
      SourcePosition position) {
    String type = types.get(column);
    if (type != null && !type.startsWith("timestamp")) {
      return Optional.of(
          new Diagnostic(
              position,
              "the %s column %s is %s, not a timestamp: name a timestamp column of the view's FROM in '-- %s:', or CAST it in a subquery"
                  .formatted(header, name, type, header)));
    }
    return Optional.empty();
  }

  private static Diagnostic eventsError(
      FeatureViewSpec view, QueryEngineException e, SourcePosition start) {
    String message = e.getMessage();
    for (String header : List.of("event_time", "created_time")) {
      Optional<String> column =
          header.equals("event_time") ? Optional.of(view.eventTime()) : view.createdTime();
      if (column.isPresent()
          && message
              .toLowerCase(Locale.ROOT)
              .contains("'" + column.get().toLowerCase(Locale.ROOT) + "'")) {
        return new Diagnostic(
            start,
            "the %s column %s is not a column of the view's FROM: an aggregation view's '-- %s:' names the column of its events that says when each happened; name one of its tables' timestamp columns"
                .formatted(header, column.get(), header));
      }
    }
    return new Diagnostic(start, "Trino rejects this view's events: " + message);
  }
}
