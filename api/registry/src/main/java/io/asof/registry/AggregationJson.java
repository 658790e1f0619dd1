package io.asof.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asof.model.window.WindowedAggregation;
import io.asof.model.window.WindowedAggregation.Kind;
import io.asof.model.window.WindowedAggregation.Output;
import io.asof.model.window.WindowedAggregation.PushSource;
import io.asof.model.window.WindowedAggregation.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An aggregation view's compiled aggregation as the registry keeps it (JSON text), so that what
 * serves it online needs neither the repository nor the engine.
 */
final class AggregationJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AggregationJson() {}

  static String write(WindowedAggregation aggregation) {
    ObjectNode root = JSON.createObjectNode();
    root.put("eventsSql", aggregation.eventsSql());
    ArrayNode keys = root.putArray("keys");
    aggregation.keys().forEach(keys::add);
    root.put("eventTimeType", aggregation.eventTimeType());
    aggregation.createdTimeType().ifPresent(type -> root.put("createdTimeType", type));
    ArrayNode windows = root.putArray("windowMinutes");
    aggregation.windows().forEach(w -> windows.add(w.toMinutes()));
    ArrayNode states = root.putArray("states");
    for (State state : aggregation.states()) {
      ObjectNode node = states.addObject();
      node.put("kind", state.kind().name());
      state.argument().ifPresent(a -> node.put("argument", a));
      node.put("type", state.type());
    }
    ArrayNode outputs = root.putArray("outputs");
    for (Output output : aggregation.outputs()) {
      ObjectNode node = outputs.addObject();
      node.put("column", output.column());
      node.put("type", output.type());
      ArrayNode perWindow = node.putArray("perWindow");
      output.perWindow().forEach(perWindow::add);
    }
    aggregation
        .pushSource()
        .ifPresent(
            source -> {
              ObjectNode node = root.putObject("pushSource");
              node.put("view", source.view());
              ObjectNode columns = node.putObject("columns");
              source.columns().forEach(columns::put);
            });
    return root.toString();
  }

  static WindowedAggregation read(String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the registry holds an aggregation that is not JSON", e);
    }
    List<String> keys = new ArrayList<>();
    root.get("keys").forEach(k -> keys.add(k.asText()));
    List<Duration> windows = new ArrayList<>();
    root.get("windowMinutes").forEach(w -> windows.add(Duration.ofMinutes(w.asLong())));
    List<State> states = new ArrayList<>();
    for (JsonNode node : root.get("states")) {
      states.add(
          new State(
              Kind.valueOf(node.get("kind").asText()),
              Optional.ofNullable(node.get("argument")).map(JsonNode::asText),
              node.get("type").asText()));
    }
    List<Output> outputs = new ArrayList<>();
    for (JsonNode node : root.get("outputs")) {
      List<String> perWindow = new ArrayList<>();
      node.get("perWindow").forEach(p -> perWindow.add(p.asText()));
      outputs.add(new Output(node.get("column").asText(), node.get("type").asText(), perWindow));
    }
    Optional<PushSource> pushSource = Optional.empty();
    JsonNode source = root.get("pushSource");
    if (source != null) {
      Map<String, String> columns = new LinkedHashMap<>();
      source
          .get("columns")
          .properties()
          .forEach(e -> columns.put(e.getKey(), e.getValue().asText()));
      pushSource = Optional.of(new PushSource(source.get("view").asText(), columns));
    }
    return new WindowedAggregation(
        root.get("eventsSql").asText(),
        keys,
        root.get("eventTimeType").asText(),
        Optional.ofNullable(root.get("createdTimeType")).map(JsonNode::asText),
        windows,
        states,
        outputs,
        pushSource);
  }
}
