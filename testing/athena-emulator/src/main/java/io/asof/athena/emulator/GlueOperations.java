package io.asof.athena.emulator;

import static io.asof.athena.emulator.TrinoSession.identifier;
import static io.asof.athena.emulator.TrinoSession.literal;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Glue Data Catalog reads over Trino's {@code information_schema} of the mapped catalog: a Glue
 * database is a Trino schema, a Glue table an Iceberg table or view in it. GetDatabases,
 * GetDatabase, CreateDatabase, GetTables and GetTable.
 */
final class GlueOperations {
  /** The account id the emulator answers as the Data Catalog's {@code CatalogId}. */
  static final String CATALOG_ID = "123456789012";

  static final int MAX_RESULTS = 100;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final TrinoSession trino;
  private final String athenaCatalog;
  private final String trinoCatalog;
  private final Executor executor;

  /**
   * @param executor runs the metadata queries of one request side by side
   */
  GlueOperations(TrinoSession trino, String athenaCatalog, String trinoCatalog, Executor executor) {
    this.trino = requireNonNull(trino, "trino is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.athenaCatalog = athenaCatalog.toLowerCase(Locale.ROOT);
    this.trinoCatalog = requireNonNull(trinoCatalog, "trinoCatalog is null");
  }

  /** Answers one operation; throws {@link AwsErrorException} for an error response. */
  ObjectNode handle(String operation, JsonNode request) {
    try {
      return switch (operation) {
        case "GetDatabases" -> getDatabases(request);
        case "GetDatabase" -> getDatabase(request);
        case "CreateDatabase" -> createDatabase(request);
        case "GetTables" -> getTables(request);
        case "GetTable" -> getTable(request);
        default ->
            throw new AwsErrorException(
                400,
                "UnknownOperationException",
                "the Glue emulator does not implement " + operation,
                Map.of());
      };
    } catch (SQLException e) {
      throw new AwsErrorException(
          500, "InternalServiceException", "Trino failed: " + trino.failure(e).reason(), Map.of());
    }
  }

  private ObjectNode getDatabases(JsonNode request) throws SQLException {
    List<String> names = databases("");
    int maxResults = maxResults(request);
    int offset = offset(request, "databases");
    int end = Math.min(names.size(), offset + maxResults);
    ObjectNode body = JSON.objectNode();
    ArrayNode list = body.putArray("DatabaseList");
    for (String name : names.subList(Math.min(offset, names.size()), end)) {
      database(list.addObject(), name);
    }
    if (end < names.size()) {
      body.put("NextToken", token("databases", end));
    }
    return body;
  }

  private ObjectNode getDatabase(JsonNode request) throws SQLException {
    String name = required(request, "Name").toLowerCase(Locale.ROOT);
    requireDatabase(name);
    ObjectNode body = JSON.objectNode();
    database(body.putObject("Database"), name);
    return body;
  }

  private ObjectNode createDatabase(JsonNode request) throws SQLException {
    String name =
        AthenaOperations.text(request.path("DatabaseInput").path("Name"))
            .orElseThrow(() -> AwsErrorException.invalidInput("DatabaseInput.Name is required"))
            .toLowerCase(Locale.ROOT);
    if (!databases(name).isEmpty()) {
      throw new AwsErrorException(
          400, "AlreadyExistsException", "Database already exists.", Map.of());
    }
    trino.execute("CREATE SCHEMA " + identifier(trinoCatalog) + "." + identifier(name));
    return JSON.objectNode();
  }

  private ObjectNode getTables(JsonNode request) throws SQLException {
    String database = required(request, "DatabaseName").toLowerCase(Locale.ROOT);
    Optional<Pattern> expression =
        AthenaOperations.text(request.path("Expression")).map(GlueOperations::expression);
    int maxResults = maxResults(request);
    int offset = offset(request, "tables:" + database);
    List<TableMetadata> tables = new ArrayList<>();
    for (TableMetadata table : tables(database, Optional.empty())) {
      if (expression.isEmpty() || expression.get().matcher(table.name()).matches()) {
        tables.add(table);
      }
    }
    if (tables.isEmpty()) {
      requireDatabase(database);
    }
    int end = Math.min(tables.size(), offset + maxResults);
    List<TableMetadata> page = tables.subList(Math.min(offset, tables.size()), end);
    Map<String, IcebergDetails> details =
        join(
            icebergDetails(
                database,
                page.stream().filter(table -> !table.view()).map(TableMetadata::name).toList()));
    ObjectNode body = JSON.objectNode();
    ArrayNode list = body.putArray("TableList");
    for (TableMetadata table : page) {
      table(list.addObject(), database, table, details.get(table.name()));
    }
    if (end < tables.size()) {
      body.put("NextToken", token("tables:" + database, end));
    }
    return body;
  }

  private ObjectNode getTable(JsonNode request) throws SQLException {
    String database = required(request, "DatabaseName").toLowerCase(Locale.ROOT);
    String name = required(request, "Name").toLowerCase(Locale.ROOT);
    // asked at once with the table's columns; empty for a view
    CompletableFuture<Map<String, IcebergDetails>> details =
        icebergDetails(database, List.of(name));
    List<TableMetadata> found = tables(database, Optional.of(name));
    if (found.isEmpty()) {
      requireDatabase(database);
      throw AwsErrorException.entityNotFound("Table " + name + " not found.");
    }
    TableMetadata table = found.getFirst();
    ObjectNode body = JSON.objectNode();
    table(
        body.putObject("Table"),
        database,
        table,
        table.view() ? null : join(details).get(table.name()));
    return body;
  }

  /** The schemas of the catalog, or only the one named when {@code only} is not empty. */
  private List<String> databases(String only) throws SQLException {
    List<String> names = new ArrayList<>();
    for (List<String> row :
        trino.query(
            "SELECT schema_name FROM "
                + identifier(trinoCatalog)
                + ".information_schema.schemata WHERE schema_name <> 'information_schema'"
                + (only.isEmpty() ? "" : " AND schema_name = " + literal(only))
                + " ORDER BY schema_name")) {
      names.add(row.getFirst());
    }
    return names;
  }

  private void requireDatabase(String name) throws SQLException {
    if (databases(name).isEmpty()) {
      throw AwsErrorException.entityNotFound("Database " + name + " not found.");
    }
  }

  private static void database(ObjectNode database, String name) {
    database.put("Name", name);
    database.putObject("Parameters");
    database.put("CatalogId", CATALOG_ID);
  }

  /**
   * A table or view as {@code information_schema} describes it.
   *
   * @param name its name
   * @param view whether it is a view
   * @param viewDefinition a view's SQL
   * @param comment the table's comment
   * @param columns each column's name, Trino type and comment
   */
  private record TableMetadata(
      String name,
      boolean view,
      String viewDefinition,
      String comment,
      List<List<String>> columns) {}

  /**
   * An Iceberg table's location and the time of its first snapshot, each null when unknown.
   *
   * @param location where its files are
   * @param createTime when its first snapshot was made
   */
  private record IcebergDetails(String location, Instant createTime) {}

  /**
   * The tables of a schema (or the one named) with their columns, view texts and comments. The four
   * queries run at once: each costs Trino a few hundred milliseconds, whatever it reads.
   */
  private List<TableMetadata> tables(String database, Optional<String> only) throws SQLException {
    String catalog = identifier(trinoCatalog);
    String filter =
        "table_schema = "
            + literal(database)
            + only.map(name -> " AND table_name = " + literal(name)).orElse("");
    CompletableFuture<List<List<String>>> names =
        async(
            "SELECT table_name, table_type FROM "
                + catalog
                + ".information_schema.tables WHERE "
                + filter
                + " ORDER BY table_name");
    CompletableFuture<List<List<String>>> columns =
        async(
            "SELECT table_name, column_name, data_type, comment FROM "
                + catalog
                + ".information_schema.columns WHERE "
                + filter
                + " ORDER BY table_name, ordinal_position");
    CompletableFuture<List<List<String>>> views =
        async(
            "SELECT table_name, view_definition FROM "
                + catalog
                + ".information_schema.views WHERE "
                + filter);
    CompletableFuture<List<List<String>>> comments =
        async(
            "SELECT table_name, comment FROM system.metadata.table_comments WHERE catalog_name = "
                + literal(trinoCatalog)
                + " AND schema_name = "
                + literal(database)
                + only.map(name -> " AND table_name = " + literal(name)).orElse("")
                + " AND comment IS NOT NULL");
    Map<String, String> viewTexts = new HashMap<>();
    for (List<String> row : join(views)) {
      viewTexts.put(row.get(0), row.get(1));
    }
    Map<String, String> tableComments = new HashMap<>();
    for (List<String> row : join(comments)) {
      tableComments.put(row.get(0), row.get(1));
    }
    Map<String, TableMetadata> tables = new LinkedHashMap<>();
    for (List<String> row : join(names)) {
      String name = row.get(0);
      boolean view = "VIEW".equals(row.get(1)) || viewTexts.containsKey(name);
      tables.put(
          name,
          new TableMetadata(
              name, view, viewTexts.get(name), tableComments.get(name), new ArrayList<>()));
    }
    for (List<String> row : join(columns)) {
      TableMetadata table = tables.get(row.get(0));
      if (table != null) {
        table.columns().add(row.subList(1, 4));
      }
    }
    return new ArrayList<>(tables.values());
  }

  /**
   * The location and first snapshot time of the named Iceberg tables, read from their {@code
   * $properties} and {@code $history} tables in one query; empty when Trino cannot read them (a
   * view, a table dropped meanwhile).
   */
  private CompletableFuture<Map<String, IcebergDetails>> icebergDetails(
      String database, List<String> tables) {
    String schema = identifier(trinoCatalog) + "." + identifier(database) + ".";
    List<String> selects = new ArrayList<>();
    for (String table : tables) {
      selects.add(
          "SELECT "
              + literal(table)
              + ", (SELECT value FROM "
              + schema
              + identifier(table + "$properties")
              + " WHERE key = 'location'), (SELECT CAST(min(made_current_at) AT TIME ZONE 'UTC'"
              + " AS timestamp(3)) FROM "
              + schema
              + identifier(table + "$history")
              + ")");
    }
    if (selects.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    return async(String.join(" UNION ALL ", selects))
        .handle(
            (rows, failure) -> {
              Map<String, IcebergDetails> details = new HashMap<>();
              if (failure != null) {
                return details;
              }
              for (List<String> row : rows) {
                try {
                  details.put(
                      row.get(0),
                      new IcebergDetails(
                          row.get(1), row.get(2) == null ? null : instant(row.get(2))));
                } catch (DateTimeParseException ignored) {
                  details.put(row.get(0), new IcebergDetails(row.get(1), null));
                }
              }
              return details;
            });
  }

  private CompletableFuture<List<List<String>>> async(String sql) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return trino.query(sql);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        executor);
  }

  private static <T> T join(CompletableFuture<T> future) throws SQLException {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SQLException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void table(
      ObjectNode table, String database, TableMetadata metadata, IcebergDetails details) {
    table.put("Name", metadata.name());
    table.put("DatabaseName", database);
    if (metadata.comment() != null) {
      table.put("Description", metadata.comment());
    }
    if (details != null && details.createTime() != null) {
      table.put("CreateTime", AthenaOperations.epochSeconds(details.createTime()));
    }
    table.put("TableType", metadata.view() ? "VIRTUAL_VIEW" : "EXTERNAL_TABLE");
    ObjectNode parameters = table.putObject("Parameters");
    ObjectNode storage = table.putObject("StorageDescriptor");
    ArrayNode columns = storage.putArray("Columns");
    for (List<String> column : metadata.columns()) {
      ObjectNode node = columns.addObject();
      node.put("Name", column.get(0));
      node.put("Type", hiveType(column.get(1)));
      if (column.get(2) != null) {
        node.put("Comment", column.get(2));
      }
    }
    if (details != null && details.location() != null) {
      storage.put("Location", details.location());
    }
    storage.put("Compressed", false);
    storage.put("NumberOfBuckets", 0);
    storage.put("StoredAsSubDirectories", false);
    table.putArray("PartitionKeys");
    if (metadata.view()) {
      parameters.put("presto_view", "true");
      parameters.put("comment", "Presto View");
      table.put(
          "ViewOriginalText", prestoView(database, metadata.viewDefinition(), metadata.columns()));
      table.put("ViewExpandedText", "/* Presto View */");
    } else {
      parameters.put("table_type", "ICEBERG");
    }
    table.put("IsRegisteredWithLakeFormation", false);
    table.put("CatalogId", CATALOG_ID);
  }

  private static Instant instant(String trinoTimestamp) {
    return LocalDateTime.parse(trinoTimestamp.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
  }

  /**
   * A view's text as Athena stores it in Glue: {@code /* Presto View: <base64 JSON> *\/}, the JSON
   * holding the original SQL, the catalog and schema it resolves in, and the column types.
   */
  private String prestoView(String database, String sql, List<List<String>> columns) {
    ObjectNode definition = JSON.objectNode();
    definition.put("originalSql", sql == null ? "" : sql);
    definition.put("catalog", athenaCatalog);
    definition.put("schema", database);
    ArrayNode columnList = definition.putArray("columns");
    for (List<String> column : columns) {
      columnList.addObject().put("name", column.get(0)).put("type", column.get(1));
    }
    definition.put("runAsInvoker", false);
    String encoded =
        Base64.getEncoder().encodeToString(definition.toString().getBytes(StandardCharsets.UTF_8));
    return "/* Presto View: " + encoded + " */";
  }

  private static String hiveType(String trinoType) {
    try {
      return TrinoType.parse(trinoType).hiveName();
    } catch (IllegalArgumentException e) {
      return trinoType;
    }
  }

  /** Glue's table name pattern: a regular expression where {@code *} stands for any characters. */
  private static Pattern expression(String expression) {
    try {
      return Pattern.compile(expression.replaceAll("(?<!\\.)\\*", ".*"), Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw AwsErrorException.invalidInput("Expression is not a valid pattern: " + expression);
    }
  }

  private static int maxResults(JsonNode request) {
    if (!request.hasNonNull("MaxResults")) {
      return MAX_RESULTS;
    }
    int maxResults = request.get("MaxResults").asInt();
    if (maxResults < 1 || maxResults > MAX_RESULTS) {
      throw AwsErrorException.invalidInput(
          "1 validation error detected: Value '"
              + maxResults
              + "' at 'maxResults' failed to satisfy constraint: Member must have value less than"
              + " or equal to "
              + MAX_RESULTS);
    }
    return maxResults;
  }

  private static String token(String listing, int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((listing + "@" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int offset(JsonNode request, String listing) {
    Optional<String> token = AthenaOperations.text(request.path("NextToken"));
    if (token.isEmpty()) {
      return 0;
    }
    try {
      String decoded =
          new String(Base64.getUrlDecoder().decode(token.get()), StandardCharsets.UTF_8);
      int at = decoded.lastIndexOf('@');
      if (at > 0 && decoded.substring(0, at).equals(listing)) {
        return Integer.parseInt(decoded.substring(at + 1));
      }
    } catch (IllegalArgumentException ignored) {
      // answered below
    }
    throw AwsErrorException.invalidInput("Invalid NextToken");
  }

  private static String required(JsonNode request, String member) {
    return AthenaOperations.text(request.path(member))
        .orElseThrow(() -> AwsErrorException.invalidInput(member + " is required"));
  }
}
