package io.asof.compiler.push;

import static io.asof.compiler.pit.PointInTimeSql.quote;
import static java.util.Objects.requireNonNull;

import io.asof.compiler.backfill.BackfillSql;
import io.asof.compiler.dialect.ColumnDefinition;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.engine.SqlQuoting;
import io.asof.model.DeclaredColumn;
import io.asof.model.FeatureViewSpec;
import io.asof.model.Materialization;
import io.asof.model.PushTables;
import io.asof.model.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements of a push view's storage ({@link PushTables}): each version's Iceberg table, its
 * declared columns then {@link PushTables#SEQUENCE_COLUMN}, partitioned by day of the event time
 * and commented from the declarations; and the query that reads the table as the view, each column
 * in its declared type (Iceberg keeps {@code tinyint}, {@code smallint} and {@code char} wider and
 * times at microseconds, as {@link BackfillSql#storedType} says).
 *
 * <p>Push ingestion runs on Trino only ({@link EngineDialect#supportsPush()}); on Athena a push
 * view's table is created in Athena's spelling, without comments.
 */
public final class PushTableSql {
  private final FeatureViewSpec spec;

  public PushTableSql(FeatureViewSpec spec) {
    this.spec = requireNonNull(spec, "spec is null");
    if (spec.materialization() != Materialization.PUSH) {
      throw new IllegalArgumentException(spec.name() + " is not a push view");
    }
  }

  /** The comment of the table of version {@code version}. */
  public String tableComment(int version) {
    String description = spec.description().isEmpty() ? "" : spec.description() + " ";
    return description
        + "[rows pushed to view %s v%d through POST %s; %s: the push-log sequence of the batch that brought each row]"
            .formatted(
                spec.name(), version, PushTables.endpoint(spec.name()), PushTables.SEQUENCE_COLUMN);
  }

  /** The comment of {@link PushTables#SEQUENCE_COLUMN}. */
  public static String sequenceComment() {
    return "Push-log sequence of the batch that brought this row; each batch is committed exactly once by it.";
  }

  /** The highest push-log sequence committed to a push view's table, NULL when it has no rows. */
  public static String committedThrough(String table) {
    return "SELECT max(%s) FROM %s".formatted(quote(PushTables.SEQUENCE_COLUMN), table);
  }

  /**
   * Creates the table of version {@code version} in {@code dialect}'s spelling: on an engine
   * without comments (Athena) the table has none, and rows pushed elsewhere (a stream job's own
   * INSERTs) can still fill it; push ingestion itself needs Trino.
   */
  public String createTable(String table, int version, EngineDialect dialect) {
    boolean comments = dialect.supportsComments();
    List<ColumnDefinition> definitions = new ArrayList<>();
    for (DeclaredColumn column : spec.declaredColumns()) {
      definitions.add(
          new ColumnDefinition(
              column.name(),
              BackfillSql.storedType(column.type()),
              column.notNull(),
              column.description().isEmpty() || !comments
                  ? Optional.empty()
                  : Optional.of(column.description())));
    }
    definitions.add(
        new ColumnDefinition(
            PushTables.SEQUENCE_COLUMN,
            PushTables.SEQUENCE_TYPE,
            false,
            comments ? Optional.of(sequenceComment()) : Optional.empty()));
    return dialect.createTable(
        table,
        definitions,
        Optional.of(spec.eventTime()),
        comments ? Optional.of(tableComment(version)) : Optional.empty());
  }

  /**
   * The statements that set the comments of an existing table of version {@code version} to those
   * {@link #createTable} gives a new one: descriptions change without a new version.
   */
  public List<String> comments(String table, int version) {
    List<String> statements = new ArrayList<>();
    statements.add(
        "COMMENT ON TABLE %s IS %s".formatted(table, SqlQuoting.literal(tableComment(version))));
    for (DeclaredColumn column : spec.declaredColumns()) {
      statements.add(
          "COMMENT ON COLUMN %s.%s IS %s"
              .formatted(
                  table,
                  quote(column.name()),
                  column.description().isEmpty()
                      ? "NULL"
                      : SqlQuoting.literal(column.description())));
    }
    return statements;
  }

  /**
   * The view's rows from the table of version {@code version}, named as the view's SQL names it:
   * {@code features."<view>__v<N>"}, read in the catalog of the session (or of the view it is
   * published as).
   */
  public String read(int version) {
    return read(Schemas.FEATURES + "." + quote(PushTables.table(spec.name(), version)));
  }

  /**
   * The view's declared columns with no rows: what a training set is checked against before the
   * view's table exists.
   */
  public String empty() {
    List<String> select = new ArrayList<>();
    for (DeclaredColumn column : spec.declaredColumns()) {
      select.add("CAST(NULL AS %s) AS %s".formatted(column.type(), quote(column.name())));
    }
    return "SELECT %s\nWHERE false".formatted(String.join(", ", select));
  }

  /** The view's rows from {@code table}: its declared columns, in order and declared types. */
  public String read(String table) {
    List<String> select = new ArrayList<>();
    for (DeclaredColumn column : spec.declaredColumns()) {
      String name = quote(column.name());
      select.add(
          BackfillSql.storedType(column.type()).equals(column.type())
              ? name
              : "CAST(%s AS %s) AS %s".formatted(name, column.type(), name));
    }
    return "SELECT %s\nFROM %s".formatted(String.join(", ", select), table);
  }
}
