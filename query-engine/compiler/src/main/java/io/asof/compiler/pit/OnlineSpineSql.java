package io.asof.compiler.pit;

import static java.util.Objects.requireNonNull;

import io.asof.engine.SqlQuoting;
import io.asof.model.Column;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The spines that put a view's keys at one moment, for the online store's loads and consistency
 * checks: compiled as a training set over that one view, they give the offline values the store
 * must hold. Names and values through {@link SqlQuoting}; each spine is in the golden file {@code
 * pit/online-spines.sql}.
 */
public final class OnlineSpineSql {
  private OnlineSpineSql() {}

  /** The spine column that carries the moment the values are computed at. */
  public static final String NOW_COLUMN = "asof_loaded_at";

  private static final DateTimeFormatter LITERAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

  /**
   * Every key of the rows of {@code source} (a table or view, as SQL), each at {@code at}; with
   * {@code since}, only the keys with rows since then, counted by event time and by created time
   * when the view has one.
   */
  public static String changedKeys(
      List<String> keyColumns,
      String eventTime,
      Optional<String> createdTime,
      String source,
      Optional<Instant> since,
      Instant at) {
    requireNonNull(source, "source is null");
    List<String> keys = keyColumns.stream().map(SqlQuoting::identifier).toList();
    List<String> where = new ArrayList<>();
    for (String key : keys) {
      where.add(key + " IS NOT NULL");
    }
    if (since.isPresent()) {
      String changed =
          "%s >= %s".formatted(SqlQuoting.identifier(eventTime), timestamp(since.get()));
      if (createdTime.isPresent()) {
        changed =
            "(%s OR %s >= %s)"
                .formatted(
                    changed, SqlQuoting.identifier(createdTime.get()), timestamp(since.get()));
      }
      where.add(changed);
    }
    return "SELECT DISTINCT %s, %s AS %s\nFROM %s\nWHERE %s"
        .formatted(
            String.join(", ", keys),
            timestamp(at),
            NOW_COLUMN,
            source,
            String.join("\n  AND ", where));
  }

  /**
   * The given keys (values in the order of {@code keyColumns}, each cast to its column's type),
   * each at {@code at}, as a VALUES list.
   */
  public static String givenKeys(List<Column> keyColumns, List<List<Object>> keys, Instant at) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a spine of given keys needs at least one key");
    }
    List<String> rows = new ArrayList<>();
    for (List<Object> key : keys) {
      if (key.size() != keyColumns.size()) {
        throw new IllegalArgumentException(
            "a key has %d values; the key columns are %d".formatted(key.size(), keyColumns.size()));
      }
      List<String> values = new ArrayList<>();
      for (int i = 0; i < key.size(); i++) {
        values.add(literal(key.get(i), keyColumns.get(i).type()));
      }
      rows.add("(" + String.join(", ", values) + ")");
    }
    List<String> names = keyColumns.stream().map(c -> SqlQuoting.identifier(c.name())).toList();
    return "SELECT k.*, %s AS %s\nFROM (VALUES\n  %s) AS k (%s)"
        .formatted(timestamp(at), NOW_COLUMN, String.join(",\n  ", rows), String.join(", ", names));
  }

  /** A spine of no rows with the key columns' types: compiles a view without reading it. */
  public static String noKeys(List<Column> keyColumns) {
    List<String> columns = new ArrayList<>();
    for (Column key : keyColumns) {
      columns.add(
          "CAST(NULL AS %s) AS %s".formatted(key.type(), SqlQuoting.identifier(key.name())));
    }
    columns.add("CAST(NULL AS timestamp(6)) AS " + NOW_COLUMN);
    return "SELECT %s WHERE false".formatted(String.join(", ", columns));
  }

  /**
   * Up to {@code limit} distinct keys with events in {@code eventsSql} (a query whose rows carry
   * the key columns and {@code eventTime}), no key NULL: the keys a consistency check samples.
   */
  public static String keysWithEvents(
      List<String> keyColumns, String eventsSql, String eventTime, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("a sample's size is 0 or more, got " + limit);
    }
    List<String> keys = keyColumns.stream().map(SqlQuoting::identifier).toList();
    return "SELECT DISTINCT %s FROM (\n%s\n) AS v WHERE %s AND %s IS NOT NULL LIMIT %d"
        .formatted(
            String.join(", ", keys),
            eventsSql,
            String.join(" AND ", keys.stream().map(k -> k + " IS NOT NULL").toList()),
            SqlQuoting.identifier(eventTime),
            limit);
  }

  /** Up to {@code limit} distinct keys of {@code source}'s rows, no key NULL, chosen at random. */
  public static String randomKeys(List<String> keyColumns, String source, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("a sample's size is 0 or more, got " + limit);
    }
    List<String> keys = keyColumns.stream().map(SqlQuoting::identifier).toList();
    return "SELECT %s FROM (SELECT DISTINCT %s FROM %s WHERE %s) ORDER BY rand() LIMIT %d"
        .formatted(
            String.join(", ", keys),
            String.join(", ", keys),
            source,
            String.join(" AND ", keys.stream().map(k -> k + " IS NOT NULL").toList()),
            limit);
  }

  private static String timestamp(Instant at) {
    return "TIMESTAMP '%s'".formatted(LITERAL.format(LocalDateTime.ofInstant(at, ZoneOffset.UTC)));
  }

  private static String literal(Object value, String type) {
    String text =
        switch (value) {
          case Number number ->
              number instanceof BigDecimal d ? d.toPlainString() : number.toString();
          case Boolean bool -> bool.toString();
          case LocalDateTime local -> "'" + LITERAL.format(local) + "'";
          default -> SqlQuoting.literal(value.toString());
        };
    return "CAST(%s AS %s)".formatted(text, type);
  }
}
