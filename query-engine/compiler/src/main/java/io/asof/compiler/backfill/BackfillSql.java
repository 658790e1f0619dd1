package io.asof.compiler.backfill;

import static io.asof.compiler.pit.PointInTimeSql.quote;
import static java.util.Objects.requireNonNull;

import io.asof.compiler.dialect.ColumnDefinition;
import io.asof.compiler.dialect.EngineDialect;
import io.asof.compiler.pit.PointInTimeSql;
import io.asof.model.Column;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The statements that fill a materialized view's Iceberg table, one time range ("chunk") at a time.
 *
 * <p>The table holds the view's columns and one more, {@value #VALID_UNTIL}: for each row, the
 * event time of the next row of its key in the view's row order (event time, then created time,
 * then feature values; NULL for the last row of a key). A point-in-time join then finds the row
 * whose range {@code [event time, valid until)} holds the spine time by a join alone, without
 * sorting the view's rows again ({@link io.asof.compiler.pit.PitView#validUntil()}).
 *
 * <p>A chunk {@code [from, to)} is written in two steps:
 *
 * <ol>
 *   <li>{@link #stage}: the view's rows with event times in the chunk go into a staging table,
 *       where they can be checked before anything is committed;
 *   <li>{@link #commit}: one {@code MERGE} (one Iceberg commit, so readers see the old chunk or the
 *       new one, never a mix or a gap) deletes the table's rows in the chunk, inserts the staged
 *       ones with their range ends, and sets the range end of each key's last row before the chunk,
 *       which now ends at the key's first new row (or at its first row after the chunk).
 * </ol>
 *
 * Re-running a chunk gives the same rows: the commit replaces exactly its range. Chunks may be
 * committed in any order, one at a time, and the range ends come out as if the whole table had been
 * sorted at once. Rows with a NULL key are not stored: no point-in-time lookup can find them.
 */
public final class BackfillSql {
  /** The column holding each row's range end. */
  public static final String VALID_UNTIL = "__asof_valid_until";

  private static final String OP = "__asof_op";
  private static final Pattern TIMESTAMP =
      Pattern.compile("timestamp(?:\\((\\d+)\\))?( with time zone)?");
  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  private final List<String> keys;
  private final String eventTime;
  private final Optional<String> createdTime;
  private final List<Column> columns;
  private final EngineDialect dialect;

  /**
   * The statements as {@code dialect}'s engine reads them: the table is created and a chunk staged
   * in its spelling; the commit and the reads are the same on every engine.
   *
   * @param columns the view's output columns with their Trino types, in order
   */
  public BackfillSql(
      List<String> keys,
      String eventTime,
      Optional<String> createdTime,
      List<Column> columns,
      EngineDialect dialect) {
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.keys = List.copyOf(requireNonNull(keys, "keys is null"));
    this.eventTime = requireNonNull(eventTime, "eventTime is null");
    this.createdTime = requireNonNull(createdTime, "createdTime is null");
    this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a materialized view needs key columns");
    }
    for (Column column : columns) {
      if (column.name().equals(VALID_UNTIL)) {
        throw new IllegalArgumentException(VALID_UNTIL + " is a name Asof keeps for itself");
      }
    }
    eventType();
  }

  /**
   * The type a column is stored as: Iceberg has no tinyint, smallint or char, and keeps times at
   * microseconds. {@link #read} casts back, so readers see the view's own types.
   */
  public static String storedType(String type) {
    String lower = type.toLowerCase(Locale.ROOT).strip();
    if (lower.equals("tinyint") || lower.equals("smallint")) {
      return "integer";
    }
    if (lower.startsWith("char")) {
      return "varchar";
    }
    Matcher m = TIMESTAMP.matcher(lower);
    if (m.matches()) {
      return m.group(2) == null ? "timestamp(6)" : "timestamp(6) with time zone";
    }
    if (lower.matches("time(\\(\\d+\\))?")) {
      return "time(6)";
    }
    return type;
  }

  /** Creates the table if it is not there: the view's columns, the range end, by day of event. */
  public String createTable(String table) {
    List<ColumnDefinition> definitions = new ArrayList<>();
    for (Column column : columns) {
      definitions.add(ColumnDefinition.of(column.name(), storedType(column.type())));
    }
    definitions.add(ColumnDefinition.of(VALID_UNTIL, storedType(eventType())));
    return dialect.createTable(table, definitions, Optional.of(eventTime), Optional.empty());
  }

  /**
   * Reads the table as the view: its columns in their own types, and the range end too when {@code
   * withValidUntil}.
   */
  public String read(String table, boolean withValidUntil) {
    List<String> select = new ArrayList<>();
    for (Column column : columns) {
      select.add(readColumn(column.name(), column.type()));
    }
    if (withValidUntil) {
      select.add(readColumn(VALID_UNTIL, eventType()));
    }
    return "SELECT %s\nFROM %s".formatted(String.join(", ", select), table);
  }

  private static String readColumn(String name, String type) {
    if (storedType(type).equals(type)) {
      return quote(name);
    }
    return "CAST(%s AS %s) AS %s".formatted(quote(name), type, quote(name));
  }

  /** The rows of a staged chunk whose keys are all present: the rows its commit writes. */
  public String stagedRows(String stagingTable) {
    return "SELECT count(*) FROM %s WHERE %s"
        .formatted(
            stagingTable,
            keys.stream().map(k -> quote(k) + " IS NOT NULL").collect(Collectors.joining(" AND ")));
  }

  /**
   * Computes the chunk's rows into a new staging table: the view's rows with event time in {@code
   * [from, to)}, in the stored types. Rows with a NULL key are kept here, for checks to see.
   */
  public String stage(String stagingTable, String viewSql, Instant from, Instant to) {
    List<String> select = new ArrayList<>();
    for (Column column : columns) {
      String type = storedType(column.type());
      select.add(
          type.equals(column.type())
              ? "v." + quote(column.name())
              : "CAST(v.%s AS %s) AS %s"
                  .formatted(quote(column.name()), type, quote(column.name())));
    }
    return dialect.createTableAs(
        stagingTable,
        """
        SELECT %s
        FROM (
        %s
        ) AS v
        WHERE %s"""
            .formatted(
                String.join(", ", select),
                viewSql.strip(),
                inChunk("v." + quote(eventTime), from, to)));
  }

  /**
   * Replaces the table's rows in {@code [from, to)} by the staged ones in one {@code MERGE}, and
   * keeps every range end right: those of the staged rows (the next staged row of the key, else the
   * key's first row after the chunk) and that of each key's last row before the chunk.
   */
  public String commit(String table, String stagingTable, Instant from, Instant to) {
    String e = quote(eventTime);
    String keyList = keys.stream().map(PointInTimeSql::quote).collect(Collectors.joining(", "));
    String notNullKeys =
        keys.stream().map(k -> quote(k) + " IS NOT NULL").collect(Collectors.joining(" AND "));
    String order = PointInTimeSql.rowOrder(keys, eventTime, createdTime, columns);
    String start = literal(from);
    String end = literal(to);

    List<String> names = new ArrayList<>();
    for (Column column : columns) {
      names.add(quote(column.name()));
    }
    String keysOf = joinOn(keys, "n", "a");
    String inserted =
        "'new' AS %s, %s, coalesce(lead(n.%s) OVER (PARTITION BY %s ORDER BY %s), a.%s) AS %s"
            .formatted(
                OP,
                names.stream().map(c -> "n." + c).collect(Collectors.joining(", ")),
                e,
                keys.stream().map(k -> "n." + quote(k)).collect(Collectors.joining(", ")),
                qualify(order, "n"),
                quote("__asof_next"),
                quote(VALID_UNTIL));
    String deleted = "'del', " + keysOnly("", "CAST(NULL AS " + storedType(eventType()) + ")");
    String updated =
        "'upd', "
            + keysOnly(
                "c.",
                "coalesce(f.%s, a.%s)".formatted(quote("__asof_first"), quote("__asof_next")));
    List<String> matchKeys = new ArrayList<>();
    for (String key : keys) {
      matchKeys.add("t.%s = s.%s".formatted(quote(key), quote(key)));
    }
    List<String> insertValues = new ArrayList<>();
    for (String name : names) {
      insertValues.add("s." + name);
    }
    insertValues.add("s." + quote(VALID_UNTIL));
    List<String> insertColumns = new ArrayList<>(names);
    insertColumns.add(quote(VALID_UNTIL));
    return """
        MERGE INTO %1$s t
        USING (
          WITH
            staged AS (
              SELECT * FROM %2$s WHERE %3$s
            ),
            after AS (
              SELECT %4$s, min(%5$s) AS "__asof_next"
              FROM %1$s
              WHERE %5$s >= %7$s
              GROUP BY %4$s
            ),
            first_staged AS (
              SELECT %4$s, min(%5$s) AS "__asof_first"
              FROM staged
              GROUP BY %4$s
            ),
            crossing AS (
              SELECT DISTINCT %4$s
              FROM %1$s
              WHERE %5$s < %6$s AND coalesce(%8$s >= %6$s, true)
            )
          SELECT %9$s
          FROM staged n
          LEFT JOIN after a ON %10$s
          UNION ALL
          SELECT %11$s
          FROM (SELECT DISTINCT %4$s FROM %1$s WHERE %5$s >= %6$s AND %5$s < %7$s)
          UNION ALL
          SELECT %12$s
          FROM crossing c
          LEFT JOIN first_staged f ON %13$s
          LEFT JOIN after a ON %14$s
        ) s
        ON %15$s
          AND ((s.%16$s = 'del' AND t.%5$s >= %6$s AND t.%5$s < %7$s)
            OR (s.%16$s = 'upd' AND t.%5$s < %6$s AND coalesce(t.%8$s >= %6$s, true)))
        WHEN MATCHED AND s.%16$s = 'del' THEN DELETE
        WHEN MATCHED AND s.%16$s = 'upd' AND t.%8$s IS DISTINCT FROM s.%8$s THEN UPDATE SET %8$s = s.%8$s
        WHEN NOT MATCHED AND s.%16$s = 'new' THEN INSERT (%17$s) VALUES (%18$s)"""
        .formatted(
            table,
            stagingTable,
            notNullKeys,
            keyList,
            e,
            start,
            end,
            quote(VALID_UNTIL),
            inserted,
            keysOf,
            deleted,
            updated,
            joinOn(keys, "c", "f"),
            joinOn(keys, "c", "a"),
            String.join(" AND ", matchKeys),
            OP,
            String.join(", ", insertColumns),
            String.join(", ", insertValues));
  }

  /**
   * A source row that carries only keys (taken from {@code keyPrefix}): its other columns NULL, in
   * the view's column order, then the range end.
   */
  private String keysOnly(String keyPrefix, String validUntil) {
    List<String> values = new ArrayList<>();
    for (Column column : columns) {
      String name = quote(column.name());
      values.add(
          keys.contains(column.name())
              ? keyPrefix + name
              : "CAST(NULL AS %s) AS %s".formatted(storedType(column.type()), name));
    }
    values.add(validUntil + " AS " + quote(VALID_UNTIL));
    return String.join(", ", values);
  }

  private static String joinOn(List<String> keys, String left, String right) {
    return keys.stream()
        .map(k -> "%s.%s = %s.%s".formatted(right, quote(k), left, quote(k)))
        .collect(Collectors.joining(" AND "));
  }

  /** {@code order}'s quoted columns, qualified by {@code alias}. */
  private static String qualify(String order, String alias) {
    return order.replaceAll("(\"(?:[^\"]|\"\")*\")", alias + ".$1");
  }

  /** {@code column >= from AND column < to}, with literals of the event time's type. */
  public String inChunk(String column, Instant from, Instant to) {
    return inChunk(column, eventType(), from, to);
  }

  /** {@link #inChunk(String, Instant, Instant)} for a time column of SQL type {@code type}. */
  public static String inChunk(String column, String type, Instant from, Instant to) {
    return "%s >= %s AND %s < %s".formatted(column, literal(from, type), column, literal(to, type));
  }

  /**
   * A time as a literal of the event time's type: a time without a zone is the instant's wall-clock
   * time in UTC.
   */
  public String literal(Instant instant) {
    return literal(instant, eventType());
  }

  /**
   * {@code instant} as a timestamp literal of SQL type {@code type} (in UTC when the type has a
   * time zone); the same on Trino and Athena.
   */
  public static String literal(Instant instant, String type) {
    String text = LITERAL.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    return type.toLowerCase(Locale.ROOT).endsWith("with time zone")
        ? "TIMESTAMP '%s UTC'".formatted(text)
        : "TIMESTAMP '%s'".formatted(text);
  }

  private String eventType() {
    String type =
        columns.stream()
            .filter(c -> c.name().equals(eventTime))
            .map(Column::type)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException("the view has no event-time column " + eventTime));
    if (!TIMESTAMP.matcher(type.toLowerCase(Locale.ROOT)).matches()) {
      throw new IllegalArgumentException(
          "event time " + eventTime + " is " + type + ", not a timestamp");
    }
    return type;
  }
}
