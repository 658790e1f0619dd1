package io.asof.features.repository;

import io.asof.model.SourcePosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * A YAML file read as nodes that remember where they are, so errors point at the line and column of
 * the offending key or value.
 */
final class YamlDocument {
  private final Path file;

  private YamlDocument(Path file) {
    this.file = file;
  }

  /** A scalar, mapping or list with its position. */
  sealed interface Value permits Scalar, Mapping, Sequence {
    SourcePosition position();
  }

  record Scalar(String text, SourcePosition position) implements Value {}

  record Mapping(Map<Scalar, Value> entries, SourcePosition position) implements Value {
    Optional<Value> get(String key) {
      return entries.entrySet().stream()
          .filter(e -> e.getKey().text().equals(key))
          .map(Map.Entry::getValue)
          .findFirst();
    }
  }

  record Sequence(List<Value> items, SourcePosition position) implements Value {}

  /** Parses the file; syntax errors become diagnostics and an empty result. */
  static Optional<Value> parse(Path file, String text, Diagnostics diagnostics) {
    YamlDocument document = new YamlDocument(file);
    LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
    try {
      Composer composer =
          new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
      if (!composer.hasNext()) {
        return Optional.empty();
      }
      return Optional.of(document.convert(composer.next()));
    } catch (MarkedYamlEngineException e) {
      SourcePosition position =
          e.getProblemMark().map(document::position).orElse(SourcePosition.start(file));
      diagnostics.error(position, "this is not valid YAML: " + e.getProblem());
      return Optional.empty();
    }
  }

  private Value convert(Node node) {
    SourcePosition position =
        node.getStartMark().map(this::position).orElse(SourcePosition.start(file));
    if (node instanceof ScalarNode scalar) {
      return new Scalar(scalar.getValue(), position);
    }
    if (node instanceof SequenceNode sequence) {
      List<Value> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        items.add(convert(item));
      }
      return new Sequence(items, position);
    }
    MappingNode mapping = (MappingNode) node;
    Map<Scalar, Value> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Value key = convert(tuple.getKeyNode());
      Scalar scalarKey =
          key instanceof Scalar s ? s : new Scalar(String.valueOf(key), key.position());
      entries.put(scalarKey, convert(tuple.getValueNode()));
    }
    return new Mapping(entries, position);
  }

  private SourcePosition position(Mark mark) {
    return new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1);
  }
}
