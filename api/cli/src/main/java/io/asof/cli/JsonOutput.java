package io.asof.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What a {@code --json} option prints instead of a table: one JSON object, indented, keys in
 * snake_case as the HTTP API spells them, times as ISO-8601 UTC instants, durations in
 * milliseconds; nothing else on stdout.
 */
final class JsonOutput {
  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * {@code {"key": [...]}}: an object with one list, an object per item, filled by {@code fill}.
   */
  <T> ObjectNode list(String key, List<T> items, BiConsumer<ObjectNode, T> fill) {
    ObjectNode json = mapper.createObjectNode();
    ArrayNode list = json.putArray(key);
    for (T item : items) {
      fill.accept(list.addObject(), item);
    }
    return json;
  }

  /** Prints the object and a newline. */
  void print(PrintWriter out, ObjectNode json) {
    try {
      out.println(mapper.writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }

  /** Puts the time, or null when there is none. */
  static void putTime(ObjectNode json, String key, Optional<Instant> time) {
    if (time.isPresent()) {
      json.put(key, time.get().toString());
    } else {
      json.putNull(key);
    }
  }
}
