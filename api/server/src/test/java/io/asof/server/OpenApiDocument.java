package io.asof.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's OpenAPI document as a check of real traffic: whether a request, and the reply it
 * got, are what the document says of their operation. A reply's status must be documented, its
 * media type one the status lists, and its JSON body valid against that media type's schema; a
 * request's path and query parameters and its JSON body against theirs. Schemas are JSON Schema
 * 2020-12 in the OpenAPI 3.1 dialect, with formats (date-time, int64) asserted, not only noted.
 */
final class OpenApiDocument {
  /** The document on the class path, as {@code GET /v1/openapi.yaml} serves it. */
  static final String RESOURCE = "io/asof/server/openapi.yaml";

  /** Where the schemas are loaded from: the document's text is registered under this name. */
  private static final String IRI = "https://asof.invalid/v1/openapi.yaml";

  private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}/]+)}");

  private final String text;
  private final JsonNode document;
  private final SchemaRegistry schemas;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Schema> loaded = new LinkedHashMap<>();

  private OpenApiDocument(String text) {
    this.text = text;
    try {
      this.document = new YAMLMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the OpenAPI document is not YAML: " + e.getMessage(), e);
    }
    this.schemas =
        SchemaRegistry.withDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(IRI, text)));
  }

  /** The document the server serves. */
  static OpenApiDocument served() {
    return new OpenApiDocument(servedText());
  }

  /** The served document with its text changed, to see the check fail. */
  static OpenApiDocument served(UnaryOperator<String> change) {
    String changed = change.apply(servedText());
    if (changed.equals(servedText())) {
      throw new IllegalArgumentException("the change left the document as it was");
    }
    return new OpenApiDocument(changed);
  }

  /** The text of the served document. */
  static String servedText() {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path");
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document's text. */
  String text() {
    return text;
  }

  /** What the document does not say of a reply the JDK's client got: empty when it describes it. */
  List<String> replyProblems(HttpResponse<String> response) {
    URI uri = response.request().uri();
    String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return replyProblems(
        response.request().method(),
        target,
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body());
  }

  /**
   * What the document does not say of a reply: empty when it describes it.
   *
   * @param method {@code GET} or {@code POST}
   * @param target the request's path, with its query if any
   * @param contentType the reply's {@code Content-Type}, empty when it has none
   */
  List<String> replyProblems(
      String method, String target, int status, String contentType, String body) {
    String where = "%s %s → %d".formatted(method, target, status);
    if (webUi(path(target))) {
      return List.of();
    }
    Optional<Operation> operation = operation(method, path(target));
    if (operation.isEmpty()) {
      // the server's answer to a route it does not have is a 404 with an Error body
      if (status == 404) {
        return bodyProblems(where, "/components/schemas/Error", contentType, body);
      }
      return List.of(where + ": the document has no operation " + method + " " + path(target));
    }
    JsonNode responses = operation.get().node().path("responses");
    JsonNode response = responses.path(String.valueOf(status));
    String pointer = operation.get().pointer() + "/responses/" + status;
    if (response.isMissingNode()) {
      response = responses.path("default");
      pointer = operation.get().pointer() + "/responses/default";
    }
    if (response.isMissingNode()) {
      List<String> documented = new ArrayList<>();
      responses.fieldNames().forEachRemaining(documented::add);
      return List.of(
          "%s: status %d is not documented for %s %s (documented: %s)"
              .formatted(where, status, method, operation.get().template(), documented));
    }
    if (response.has("$ref")) {
      pointer = localPointer(response.get("$ref").asText());
      response = at(pointer);
    }
    JsonNode content = response.path("content");
    if (content.isMissingNode() || content.isEmpty()) {
      return body.isEmpty()
          ? List.of()
          : List.of(where + ": the document gives no body, the reply has one: " + cut(body));
    }
    String mediaType = mediaType(contentType);
    if (!content.has(mediaType)) {
      List<String> documented = new ArrayList<>();
      content.fieldNames().forEachRemaining(documented::add);
      return List.of(
          "%s: the reply is %s, the document says %s".formatted(where, contentType, documented));
    }
    return bodyProblems(
        where, pointer + "/content/" + escape(mediaType) + "/schema", contentType, body);
  }

  /**
   * What the document does not allow of a request: empty when it describes it.
   *
   * @param target the request's path, with its query if any
   * @param contentType the request's {@code Content-Type}, empty when it has none
   */
  List<String> requestProblems(String method, String target, String contentType, String body) {
    String where = "%s %s".formatted(method, target);
    String path = path(target);
    Optional<Operation> operation = operation(method, path);
    if (operation.isEmpty()) {
      return List.of(where + ": the document has no operation " + method + " " + path);
    }
    List<String> problems = new ArrayList<>();
    Map<String, String> pathValues = operation.get().values(path);
    Map<String, String> queryValues = query(target);
    Map<String, Parameter> parameters = parameters(operation.get());
    for (Parameter parameter : parameters.values()) {
      Map<String, String> values = parameter.in().equals("path") ? pathValues : queryValues;
      String value = values.get(parameter.name());
      if (value == null) {
        if (parameter.node().path("required").asBoolean(false)) {
          problems.add(
              "%s: the %s parameter %s is required"
                  .formatted(where, parameter.in(), parameter.name()));
        }
        continue;
      }
      JsonNode schema = parameter.node().path("schema");
      for (Error error :
          schema(parameter.pointer() + "/schema").validate(typed(value, schema.path("type")))) {
        problems.add(
            "%s: the %s parameter %s=%s: %s"
                .formatted(where, parameter.in(), parameter.name(), value, error.getMessage()));
      }
    }
    for (String name : queryValues.keySet()) {
      if (!parameters.containsKey("query:" + name)) {
        problems.add("%s: the document has no query parameter %s".formatted(where, name));
      }
    }
    JsonNode requestBody = operation.get().node().path("requestBody");
    if (requestBody.isMissingNode()) {
      if (!body.isEmpty()) {
        problems.add(where + ": the document takes no body, the request has one");
      }
      return problems;
    }
    if (body.isEmpty()) {
      if (requestBody.path("required").asBoolean(false)) {
        problems.add(where + ": the document requires a body, the request has none");
      }
      return problems;
    }
    String mediaType = mediaType(contentType);
    if (!requestBody.path("content").has(mediaType)) {
      List<String> documented = new ArrayList<>();
      requestBody.path("content").fieldNames().forEachRemaining(documented::add);
      problems.add(
          "%s: the request is %s, the document takes %s".formatted(where, contentType, documented));
      return problems;
    }
    problems.addAll(
        bodyProblems(
            where,
            operation.get().pointer() + "/requestBody/content/" + escape(mediaType) + "/schema",
            contentType,
            body));
    return problems;
  }

  /** The body against the schema at {@code pointer}, when it is JSON. */
  private List<String> bodyProblems(String where, String pointer, String contentType, String body) {
    if (!mediaType(contentType).equals("application/json")) {
      return List.of();
    }
    JsonNode instance;
    try {
      instance = json.readTree(body);
    } catch (JsonProcessingException e) {
      return List.of(where + ": the body is not JSON: " + cut(body));
    }
    if (instance == null) {
      return List.of(where + ": the body is empty");
    }
    List<String> problems = new ArrayList<>();
    for (Error error :
        schema(pointer)
            .validate(
                instance,
                context -> context.executionConfig(c -> c.formatAssertionsEnabled(true)))) {
      problems.add(
          "%s: %s (schema %s; body %s)"
              .formatted(where, error.getMessage(), error.getSchemaLocation(), cut(body)));
    }
    return problems;
  }

  private Schema schema(String pointer) {
    return loaded.computeIfAbsent(
        pointer, p -> schemas.getSchema(SchemaLocation.of(IRI + "#" + p)));
  }

  /** The operation serving {@code method} at {@code path}: a literal path before a template. */
  private Optional<Operation> operation(String method, String path) {
    Operation best = null;
    for (Map.Entry<String, JsonNode> entry : document.path("paths").properties()) {
      String template = entry.getKey();
      JsonNode node = entry.getValue().path(method.toLowerCase(java.util.Locale.ROOT));
      if (node.isMissingNode() || !matcher(template, path).matches()) {
        continue;
      }
      Operation operation =
          new Operation(
              template,
              entry.getValue(),
              node,
              "/paths/" + escape(template) + "/" + method.toLowerCase(java.util.Locale.ROOT));
      if (best == null || operation.parameterCount() < best.parameterCount()) {
        best = operation;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The parameters of the path item and the operation (the operation's win), by in:name. */
  private Map<String, Parameter> parameters(Operation operation) {
    Map<String, Parameter> parameters = new LinkedHashMap<>();
    String pathPointer = operation.pointer().substring(0, operation.pointer().lastIndexOf('/'));
    addParameters(parameters, operation.pathItem().path("parameters"), pathPointer);
    addParameters(parameters, operation.node().path("parameters"), operation.pointer());
    return parameters;
  }

  private void addParameters(Map<String, Parameter> parameters, JsonNode list, String owner) {
    for (int i = 0; i < list.size(); i++) {
      String pointer = owner + "/parameters/" + i;
      JsonNode parameter = list.get(i);
      if (parameter.has("$ref")) {
        pointer = localPointer(parameter.get("$ref").asText());
        parameter = at(pointer);
      }
      String in = parameter.path("in").asText();
      String name = parameter.path("name").asText();
      parameters.put(in + ":" + name, new Parameter(in, name, parameter, pointer));
    }
  }

  private JsonNode at(String pointer) {
    JsonNode node = document.at(pointer);
    if (node.isMissingNode()) {
      throw new IllegalStateException("the OpenAPI document has nothing at #" + pointer);
    }
    return node;
  }

  private static String localPointer(String ref) {
    if (!ref.startsWith("#/")) {
      throw new IllegalStateException("a $ref outside the document: " + ref);
    }
    return ref.substring(1);
  }

  /** A parameter's text as its schema's type: query and path values are strings on the wire. */
  private static JsonNode typed(String value, JsonNode type) {
    try {
      return switch (type.asText()) {
        case "integer" -> LongNode.valueOf(Long.parseLong(value));
        case "boolean" ->
            value.equals("true") || value.equals("false")
                ? BooleanNode.valueOf(Boolean.parseBoolean(value))
                : TextNode.valueOf(value);
        default -> TextNode.valueOf(value);
      };
    } catch (NumberFormatException e) {
      return TextNode.valueOf(value);
    }
  }

  private static Matcher matcher(String template, String path) {
    StringBuilder regex = new StringBuilder();
    Matcher parameters = TEMPLATE_PARAMETER.matcher(template);
    int last = 0;
    while (parameters.find()) {
      regex.append(Pattern.quote(template.substring(last, parameters.start())));
      regex.append("(?<").append(groupName(parameters.group(1))).append(">[^/]+)");
      last = parameters.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    return Pattern.compile(regex.toString()).matcher(path);
  }

  /** Group names are letters and digits only; parameters here are lower-case words. */
  private static String groupName(String parameter) {
    return parameter.replaceAll("[^A-Za-z0-9]", "");
  }

  /** The web UI's page and files: served beside the API, not part of what the document says. */
  private static boolean webUi(String path) {
    return path.equals("/") || path.startsWith("/ui/");
  }

  private static String path(String target) {
    return URI.create("http://server" + target).getRawPath();
  }

  private static Map<String, String> query(String target) {
    Map<String, String> values = new LinkedHashMap<>();
    String query = URI.create("http://server" + target).getRawQuery();
    if (query == null || query.isEmpty()) {
      return values;
    }
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), UTF_8);
      values.put(name, value);
    }
    return values;
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip()
        .toLowerCase(java.util.Locale.ROOT);
  }

  /** A JSON pointer's token: {@code ~} and {@code /} escaped. */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static String cut(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "…";
  }

  /** An operation of the document, the path item it is in, and where it is (a JSON pointer). */
  private record Operation(String template, JsonNode pathItem, JsonNode node, String pointer) {
    int parameterCount() {
      return (int) TEMPLATE_PARAMETER.matcher(template).results().count();
    }

    Map<String, String> values(String path) {
      Map<String, String> values = new LinkedHashMap<>();
      Matcher matcher = matcher(template, path);
      if (matcher.matches()) {
        TEMPLATE_PARAMETER
            .matcher(template)
            .results()
            .forEach(
                r ->
                    values.put(
                        r.group(1),
                        URLDecoder.decode(matcher.group(groupName(r.group(1))), UTF_8)));
      }
      return values;
    }
  }

  /** A parameter of an operation, and where it is (a JSON pointer). */
  private record Parameter(String in, String name, JsonNode node, String pointer) {}
}
