package io.asof.online;

import io.asof.model.Column;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What every online store holds, checked alike by all: the Trino types a column may have, the Java
 * type of each ({@link OnlineRecord}), the names the stores keep for themselves, and a key's text
 * form (one string per entity, the same in every store).
 */
public final class OnlineValues {
  private static final Pattern SERVABLE =
      Pattern.compile(
          "bigint|integer|smallint|tinyint|double|real|boolean|date|decimal\\(\\d+, *\\d+\\)|varchar(\\(\\d+\\))?|char\\(\\d+\\)|timestamp\\(\\d+\\)");

  /** Separates the values of a composite key in its text form. */
  public static final char KEY_SEPARATOR = '\u001f';

  /**
   * Column names the stores use themselves: {@code pk} (DynamoDB's partition key) and anything
   * starting with {@code __}.
   */
  public static boolean reserved(String name) {
    return name.equals("pk") || name.startsWith("__");
  }

  private OnlineValues() {}

  /** Whether a column of this Trino type can be kept online. */
  public static boolean servable(String trinoType) {
    return SERVABLE.matcher(trinoType).matches();
  }

  /**
   * Refuses a table a store cannot hold: a key or feature of a type that is not {@link #servable},
   * or with a {@link #reserved} name.
   */
  public static void checkTable(OnlineTable table) {
    List<String> problems = new ArrayList<>();
    for (List<Column> columns : List.of(table.keys(), table.features())) {
      for (Column column : columns) {
        if (!servable(column.type())) {
          problems.add(column.name() + " is " + column.type());
        }
        if (reserved(column.name())) {
          problems.add(column.name() + " is a name the online store uses itself");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "view %s cannot be served online: %s"
              .formatted(table.view(), String.join(", ", problems)));
    }
  }

  /** Refuses a record whose value count does not match the table's features. */
  public static void checkValueCount(OnlineTable table, OnlineRecord record) {
    if (record.values().size() != table.features().size()) {
      throw new IllegalArgumentException(
          "a record of %s has %d values; the table has %d features"
              .formatted(table.name(), record.values().size(), table.features().size()));
    }
  }

  /**
   * A key's text form: its values in key order, joined by {@link #KEY_SEPARATOR}; decimals without
   * trailing zeros, so that {@code 1.50} and {@code 1.5} are one entity.
   *
   * @throws IllegalArgumentException when the key has the wrong number of values, a NULL, or a
   *     value of the wrong Java type
   */
  public static String keyText(OnlineTable table, List<Object> key) {
    List<Column> keys = table.keys();
    if (key.size() != keys.size()) {
      throw new IllegalArgumentException(
          "a key of %s has %d values; its key is %s"
              .formatted(table.name(), key.size(), keys.stream().map(Column::name).toList()));
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < key.size(); i++) {
      if (i > 0) {
        text.append(KEY_SEPARATOR);
      }
      Object value = key.get(i);
      if (value == null) {
        throw new IllegalArgumentException(
            "key %s of %s is NULL: keys may not be NULL"
                .formatted(keys.get(i).name(), table.name()));
      }
      text.append(
          switch (check(table, value, keys.get(i))) {
            case BigDecimal decimal -> decimal.stripTrailingZeros().toPlainString();
            default -> value.toString();
          });
    }
    return text.toString();
  }

  /**
   * The value, when its Java type is the one the column's Trino type takes.
   *
   * @throws IllegalArgumentException otherwise, naming the column, the table and both types
   */
  public static Object check(OnlineTable table, Object value, Column column) {
    Class<?> expected = javaType(column.type());
    if (!expected.isInstance(value)) {
      throw new IllegalArgumentException(
          "%s of %s is %s, expected %s for %s"
              .formatted(
                  column.name(),
                  table.name(),
                  value.getClass().getSimpleName(),
                  expected.getSimpleName(),
                  column.type()));
    }
    return value;
  }

  /** Refuses a record whose values (or key) are not of their columns' Java types. */
  public static void checkRecord(OnlineTable table, OnlineRecord record) {
    checkValueCount(table, record);
    keyText(table, record.key());
    for (int i = 0; i < table.features().size(); i++) {
      Object value = record.values().get(i);
      if (value != null) {
        check(table, value, table.features().get(i));
      }
    }
  }

  /** The Java type values of a servable Trino type have ({@link OnlineRecord}). */
  public static Class<?> javaType(String type) {
    if (type.startsWith("decimal")) {
      return BigDecimal.class;
    }
    if (type.startsWith("varchar") || type.startsWith("char")) {
      return String.class;
    }
    if (type.startsWith("timestamp")) {
      return LocalDateTime.class;
    }
    return switch (type) {
      case "bigint" -> Long.class;
      case "integer" -> Integer.class;
      case "smallint" -> Short.class;
      case "tinyint" -> Byte.class;
      case "double" -> Double.class;
      case "real" -> Float.class;
      case "boolean" -> Boolean.class;
      case "date" -> LocalDate.class;
      default -> throw new IllegalArgumentException(type + " cannot be served online");
    };
  }
}
