package io.asof.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * JSON in and out: strict reading (unknown fields, duplicate keys and trailing content are refused,
 * with the line and column), and SQL values as JSON values, timestamps as ISO-8601 strings.
 */
final class Json {
  private static final Pattern SOURCE =
      Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");

  /** Where a problem in the request body is placed. */
  static final String BODY = "request body";

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /**
   * Reads {@code body} as a {@code type}; malformed or unexpected JSON is a 400 that says where.
   */
  <T> T read(String body, Class<T> type) {
    checkFields(body, type);
    T value;
    try {
      value = mapper.readValue(body, type);
    } catch (UnrecognizedPropertyException e) {
      String known =
          e.getKnownPropertyIds() == null
              ? ""
              : "; the fields are "
                  + e.getKnownPropertyIds().stream()
                      .map(Object::toString)
                      .sorted()
                      .collect(Collectors.joining(", "));
      throw problem(
          e, "unknown field '%s'%s".formatted(e.getPropertyName(), known), e.getLocation());
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof StreamReadException malformed) {
        // a syntax error met while binding: the parser's own message and place
        throw problem(
            malformed,
            "malformed JSON: " + malformed.getOriginalMessage(),
            malformed.getLocation());
      }
      String path = path(e);
      String prefix = path.isEmpty() ? "" : path + ": ";
      if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
        // Jackson names its own classes ("Cannot construct instance of java.util.LinkedHashMap"):
        // say what the API expected there and what came instead
        throw problem(
            e,
            "%sexpected %s, got %s"
                .formatted(
                    prefix,
                    expected(mismatched.getTargetType()),
                    got(mismatched.getProcessor(), mismatched.getOriginalMessage())),
            e.getLocation());
      }
      throw problem(e, prefix + e.getOriginalMessage(), e.getLocation());
    } catch (JsonProcessingException e) {
      throw problem(e, "malformed JSON: " + e.getOriginalMessage(), e.getLocation());
    }
    if (value == null) {
      throw new ApiException(
          400,
          "the request body is not a valid request: it is null; send a JSON object",
          List.of(new ApiException.Problem(BODY, 1, 1, "null instead of a JSON object")),
          null);
    }
    return value;
  }

  /**
   * Refuses a top-level field the request type does not have, placed at the field's name: the
   * binder reports unknown fields of a record only at the end of the object.
   */
  private void checkFields(String body, Class<?> type) {
    Set<String> known = new TreeSet<>();
    for (RecordComponent component : type.getRecordComponents()) {
      known.add(component.getAccessor().getAnnotation(JsonProperty.class).value());
    }
    try (JsonParser parser = mapper.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      int depth = 1;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME && depth == 1 && !known.contains(parser.currentName())) {
          throw problem(
              null,
              "unknown field '%s'; the fields are %s"
                  .formatted(parser.currentName(), String.join(", ", known)),
              parser.currentTokenLocation());
        }
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd() && --depth == 0) {
          return;
        }
      }
    } catch (IOException e) {
      // malformed: binding the body reports it, with its place
    }
  }

  private static String path(JsonMappingException e) {
    if (e.getPath().isEmpty()) {
      return "";
    }
    return e.getPath().stream()
        .map(
            reference ->
                reference.getFieldName() != null
                    ? "." + reference.getFieldName()
                    : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining())
        .substring(1);
  }

  /** What a Java type a request field binds to is, in JSON's words. */
  private static String expected(Class<?> type) {
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a JSON object";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a JSON array";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    return "a JSON value";
  }

  private static final Pattern FROM =
      Pattern.compile("from (String|Array|Object|Integer|Floating-point|Boolean|Null)\\b");

  /**
   * What the parser met instead, in JSON's words: from the binder's message ("from String value"),
   * else the parser's token.
   */
  private static String got(Object processor, String message) {
    java.util.regex.Matcher from = FROM.matcher(message == null ? "" : message);
    if (from.find()) {
      return switch (from.group(1)) {
        case "String" -> "a string";
        case "Array" -> "an array";
        case "Object" -> "an object";
        case "Integer" -> "an integer";
        case "Floating-point" -> "a number";
        case "Boolean" -> "a boolean";
        default -> "null";
      };
    }
    if (!(processor instanceof JsonParser parser) || parser.currentToken() == null) {
      return "another kind of value";
    }
    return switch (parser.currentToken()) {
      case START_OBJECT, FIELD_NAME, END_OBJECT -> "an object";
      case START_ARRAY, END_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "another kind of value";
    };
  }

  /** The value as JSON bytes. */
  byte[] write(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** An SQL value as a JSON value: numbers, strings, booleans, null, arrays, objects. */
  static Object value(Object sql) {
    return switch (sql) {
      case null -> null;
      case java.sql.Timestamp timestamp ->
          DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(timestamp.toLocalDateTime());
      case java.sql.Date date -> date.toLocalDate().toString();
      case java.sql.Time time -> time.toLocalTime().toString();
      case java.time.ZonedDateTime zoned -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(zoned);
      case java.time.LocalDateTime local -> DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(local);
      case TemporalAccessor temporal -> temporal.toString();
      case Number number -> number;
      case Boolean bool -> bool;
      case String text -> text;
      case byte[] bytes -> bytes;
      case List<?> list -> {
        List<Object> values = new ArrayList<>(list.size());
        list.forEach(element -> values.add(value(element)));
        yield values;
      }
      case Map<?, ?> map -> {
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((key, element) -> values.put(String.valueOf(key), value(element)));
        yield values;
      }
      default -> sql.toString();
    };
  }

  private static ApiException problem(Exception e, String text, JsonLocation location) {
    // Jackson names other places as "[Source: ...; line: 1, column: 1]"
    String message = SOURCE.matcher(text).replaceAll("line $1, column $2");
    Integer line = location == null || location.getLineNr() < 1 ? null : location.getLineNr();
    Integer column = location == null || location.getColumnNr() < 1 ? null : location.getColumnNr();
    String where = line == null ? "" : " at line %d, column %d".formatted(line, column);
    return new ApiException(
        400,
        "the request body is not a valid request: " + message + where,
        List.of(new ApiException.Problem(BODY, line, column, message)),
        e);
  }
}
