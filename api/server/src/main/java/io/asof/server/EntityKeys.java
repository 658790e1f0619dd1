package io.asof.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.asof.model.Column;
import io.asof.server.OnlineCatalog.Served;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Entity rows of an online request as keys: each key value, given as JSON, checked against and
 * converted to its key column's type, or refused with a 400 naming the row, the column and the
 * expected form.
 */
final class EntityKeys {
  private EntityKeys() {}

  /**
   * Each entity row's key for a view, in the row order; null for a row with a NULL key part (it has
   * no value, like a spine row with a NULL key).
   */
  static List<List<Object>> keys(List<Map<String, JsonNode>> entities, Served served) {
    List<Column> columns = served.table().keys();
    List<List<Object>> keys = new ArrayList<>(entities.size());
    for (int e = 0; e < entities.size(); e++) {
      Map<String, JsonNode> entity = entities.get(e);
      if (entity == null) {
        throw new ApiException(
            400, "entities[%d] is null: give an object of key values".formatted(e));
      }
      List<Object> key = new ArrayList<>(columns.size());
      boolean missing = false;
      for (Column column : columns) {
        JsonNode node = entity.get(column.name());
        if (node == null) {
          throw new ApiException(
              400,
              "entities[%d] has no %s, the key of view %s (entity %s keyed by %s)"
                  .formatted(
                      e,
                      column.name(),
                      served.group().view(),
                      served.view().entity(),
                      String.join(", ", served.view().keyColumns())));
        }
        Object value = keyValue(node, column, e);
        if (value == null) {
          missing = true;
        }
        key.add(value);
      }
      keys.add(missing ? null : key);
    }
    return keys;
  }

  /** A JSON key value as the column's Java type, or a 400 naming the expected type. */
  static Object keyValue(JsonNode node, Column column, int entity) {
    if (node.isNull()) {
      return null;
    }
    String type = column.type();
    try {
      if (type.equals("bigint") && node.isIntegralNumber() && node.canConvertToLong()) {
        return node.longValue();
      }
      if (type.equals("integer") && node.isIntegralNumber() && node.canConvertToInt()) {
        return node.intValue();
      }
      if (type.equals("smallint")
          && node.isIntegralNumber()
          && node.canConvertToInt()
          && node.intValue() == (short) node.intValue()) {
        return (short) node.intValue();
      }
      if (type.equals("tinyint")
          && node.isIntegralNumber()
          && node.canConvertToInt()
          && node.intValue() == (byte) node.intValue()) {
        return (byte) node.intValue();
      }
      if ((type.startsWith("varchar") || type.startsWith("char")) && node.isTextual()) {
        return node.textValue();
      }
      if (type.equals("boolean") && node.isBoolean()) {
        return node.booleanValue();
      }
      if (type.startsWith("decimal") && node.isNumber()) {
        return node.decimalValue();
      }
      if (type.equals("double") && node.isNumber()) {
        return node.doubleValue();
      }
      if (type.equals("date") && node.isTextual()) {
        return LocalDate.parse(node.textValue());
      }
      if (type.startsWith("timestamp") && node.isTextual()) {
        return LocalDateTime.parse(node.textValue());
      }
    } catch (DateTimeParseException e) {
      // refused below, with the expected form
    }
    throw new ApiException(
        400,
        "entities[%d].%s: expected %s (%s), got %s"
            .formatted(entity, column.name(), type, expected(type), shown(node)));
  }

  private static String expected(String type) {
    if (type.equals("bigint") || type.equals("integer") || type.endsWith("int")) {
      return "a JSON integer";
    }
    if (type.startsWith("varchar") || type.startsWith("char")) {
      return "a JSON string";
    }
    if (type.equals("boolean")) {
      return "true or false";
    }
    if (type.equals("date")) {
      return "a string like 2026-01-31";
    }
    if (type.startsWith("timestamp")) {
      return "a string like 2026-01-31T12:00:00";
    }
    return "a JSON number";
  }

  private static String shown(JsonNode node) {
    String text = node.toString();
    String kind =
        node.isTextual()
            ? "string"
            : node.isIntegralNumber()
                ? "integer"
                : node.isNumber()
                    ? "number"
                    : node.isBoolean()
                        ? "boolean"
                        : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
  }
}
