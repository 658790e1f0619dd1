package io.asof.online.dynamodb;

import io.asof.model.Column;
import io.asof.online.OnlineRecord;
import io.asof.online.OnlineTable;
import io.asof.online.OnlineValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns records of one table into DynamoDB items and back, by the table's column types: an item per
 * entity, keyed by the key's text ({@link OnlineValues#keyText}) in {@code pk}, the key and feature
 * columns as attributes of their own names, and the store's own attributes ({@code __event_time},
 * {@code __tie}, ...) beside them.
 */
final class DynamoDbCodec {
  static final String PK = "pk";
  static final String EVENT_TIME = "__event_time";
  static final String EXPIRES_AT = "__expires_at";
  static final String TTL = "__ttl";
  static final String CREATED_TIME = "__created_time";
  static final String TIE_BREAK = "__tie";

  /** Of a tile record, the highest push-log sequence added to it. */
  static final String SEQUENCE = "__seq";

  private final OnlineTable table;
  final List<Column> keys;
  final List<Column> features;

  DynamoDbCodec(OnlineTable table) {
    OnlineValues.checkTable(table);
    this.table = table;
    this.keys = table.keys();
    this.features = table.features();
  }

  String pk(List<Object> key) {
    return OnlineValues.keyText(table, key);
  }

  Map<String, AttributeValue> item(OnlineRecord record) {
    OnlineValues.checkValueCount(table, record);
    Map<String, AttributeValue> item = new HashMap<>(keys.size() + features.size() + 4);
    item.put(PK, AttributeValue.fromS(pk(record.key())));
    for (int i = 0; i < keys.size(); i++) {
      item.put(keys.get(i).name(), encode(record.key().get(i), keys.get(i)));
    }
    item.put(EVENT_TIME, AttributeValue.fromN(Long.toString(micros(record.eventTime()))));
    record
        .createdTime()
        .ifPresent(c -> item.put(CREATED_TIME, AttributeValue.fromN(Long.toString(micros(c)))));
    item.put(TIE_BREAK, AttributeValue.fromB(SdkBytes.fromByteArray(record.tieBreak())));
    for (int i = 0; i < features.size(); i++) {
      item.put(features.get(i).name(), encode(record.values().get(i), features.get(i)));
    }
    record
        .expiresAt()
        .ifPresent(
            expires -> {
              item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(micros(expires))));
              long seconds = expires.getEpochSecond() + (expires.getNano() > 0 ? 1 : 0);
              item.put(TTL, AttributeValue.fromN(Long.toString(seconds)));
            });
    return item;
  }

  OnlineRecord record(Map<String, AttributeValue> item) {
    List<Object> key = new ArrayList<>(keys.size());
    for (Column column : keys) {
      key.add(decode(item.get(column.name()), column));
    }
    List<Object> values = new ArrayList<>(features.size());
    for (Column column : features) {
      values.add(decode(item.get(column.name()), column));
    }
    AttributeValue expires = item.get(EXPIRES_AT);
    AttributeValue created = item.get(CREATED_TIME);
    return new OnlineRecord(
        key,
        instant(Long.parseLong(item.get(EVENT_TIME).n())),
        values,
        expires == null ? Optional.empty() : Optional.of(instant(Long.parseLong(expires.n()))),
        created == null ? Optional.empty() : Optional.of(instant(Long.parseLong(created.n()))));
  }

  AttributeValue encode(Object value, Column column) {
    if (value == null) {
      return AttributeValue.fromNul(true);
    }
    return switch (OnlineValues.check(table, value, column)) {
      case Double d when d.isNaN() || d.isInfinite() -> AttributeValue.fromS(d.toString());
      case Float f when f.isNaN() || f.isInfinite() -> AttributeValue.fromS(f.toString());
      case BigDecimal d -> AttributeValue.fromN(d.toPlainString());
      case Number n -> AttributeValue.fromN(n.toString());
      case Boolean b -> AttributeValue.fromBool(b);
      default -> AttributeValue.fromS(value.toString());
    };
  }

  private static Object decode(AttributeValue value, Column column) {
    if (value == null || Boolean.TRUE.equals(value.nul())) {
      return null;
    }
    String type = column.type();
    return switch (OnlineValues.javaType(type).getSimpleName()) {
      case "Long" -> Long.parseLong(value.n());
      case "Integer" -> Integer.parseInt(value.n());
      case "Short" -> Short.parseShort(value.n());
      case "Byte" -> Byte.parseByte(value.n());
      case "Double" ->
          value.n() != null ? Double.parseDouble(value.n()) : Double.parseDouble(value.s());
      case "Float" -> value.n() != null ? Float.parseFloat(value.n()) : Float.parseFloat(value.s());
      case "BigDecimal" -> new BigDecimal(value.n());
      case "Boolean" -> value.bool();
      case "LocalDate" -> LocalDate.parse(value.s());
      case "LocalDateTime" -> LocalDateTime.parse(value.s());
      default -> value.s();
    };
  }

  static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
