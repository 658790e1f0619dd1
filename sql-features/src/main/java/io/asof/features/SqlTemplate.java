package io.asof.features;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file of fixed SQL statements, each introduced by a line {@code -- statement: <name>}, whose
 * {@code ${name}} placeholders take only identifiers and numbers. No user text is spliced into SQL
 * this way: a value that is neither is refused.
 */
public final class SqlTemplate {
  private static final Pattern STATEMENT = Pattern.compile("^-- statement: ([a-z0-9-]+)$");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");
  private static final Pattern SAFE_VALUE =
      Pattern.compile("[a-z_][a-z0-9_]*|-?[0-9]+|[a-z0-9_.-]+");

  private final String resource;
  private final Map<String, String> statements;

  private SqlTemplate(String resource, Map<String, String> statements) {
    this.resource = resource;
    this.statements = statements;
  }

  /** Reads a template from the class path, relative to {@code anchor}'s package. */
  public static SqlTemplate load(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no SQL template " + name + " next to " + anchor.getName());
      }
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SqlTemplate parse(String resource, String text) {
    Map<String, String> statements = new LinkedHashMap<>();
    String current = null;
    StringBuilder body = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      Matcher matcher = STATEMENT.matcher(line);
      if (matcher.matches()) {
        if (current != null) {
          statements.put(current, body.toString().strip());
        }
        current = matcher.group(1);
        body.setLength(0);
        if (statements.containsKey(current)) {
          throw new IllegalArgumentException(resource + ": statement " + current + " twice");
        }
      } else if (current != null) {
        body.append(line).append('\n');
      }
    }
    if (current != null) {
      statements.put(current, body.toString().strip());
    }
    return new SqlTemplate(resource, statements);
  }

  /** The statements' names, in file order. */
  public List<String> names() {
    return List.copyOf(statements.keySet());
  }

  /** One statement with every placeholder replaced. */
  public String render(String name, Map<String, String> values) {
    String template = statements.get(requireNonNull(name, "name is null"));
    if (template == null) {
      throw new IllegalArgumentException(resource + " has no statement " + name);
    }
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String key = matcher.group(1);
      String value = values.get(key);
      if (value == null) {
        throw new IllegalArgumentException(
            "%s: statement %s needs a value for ${%s}".formatted(resource, name, key));
      }
      if (!SAFE_VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "%s: ${%s} takes an identifier or a number, not: %s".formatted(resource, key, value));
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** Every statement rendered, in file order. */
  public List<String> renderAll(Map<String, String> values) {
    List<String> rendered = new ArrayList<>();
    for (String name : statements.keySet()) {
      rendered.add(render(name, values));
    }
    return rendered;
  }
}
