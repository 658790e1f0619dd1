package io.asof.compiler.dialect;

import static io.asof.compiler.dialect.Names.backQuoted;
import static io.asof.compiler.dialect.Names.hiveLiteral;
import static io.asof.compiler.dialect.Names.literal;
import static io.asof.compiler.dialect.Names.plainOrDoubleQuoted;
import static java.util.Objects.requireNonNull;

import io.asof.compiler.dialect.Names.TableName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon Athena engine v3 over the AWS Glue Data Catalog. Athena runs two grammars: its DDL ({@code
 * CREATE DATABASE}, {@code CREATE TABLE} with columns, {@code DROP TABLE}, {@code ALTER TABLE SET
 * TBLPROPERTIES}, {@code VACUUM}) is Hive's, with Hive's type names, backticks around names and no
 * catalog (the query's context names it); its queries, {@code CREATE TABLE AS}, views, {@code
 * INSERT}, {@code DELETE} and {@code MERGE} are Trino's. Every table it creates is an Iceberg table
 * at {@code <root><schema>/<table>/}; it has no {@code COMMENT ON}, no comments on views, no {@code
 * CREATE OR REPLACE TABLE}, no {@code NOT NULL} and no {@code add_files} procedure.
 */
public final class AthenaDialect implements EngineDialect {
  private static final Pattern DECIMAL =
      Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");
  private static final Pattern TIMESTAMP = Pattern.compile("timestamp(\\(\\d+\\))?");
  private static final Pattern PARAMETRIC = Pattern.compile("(array|map|row)\\((.*)\\)");
  private static final Pattern FIELD =
      Pattern.compile("(\"(?:[^\"]|\"\")+\"|[A-Za-z_][\\w]*)\\s+(.+)");

  private final String locationRoot;

  /**
   * @param locationRoot where new tables go, e.g. {@code s3://bucket/asof/}: a table {@code
   *     schema.table} at {@code <root><schema>/<table>/}
   */
  public AthenaDialect(String locationRoot) {
    requireNonNull(locationRoot, "locationRoot is null");
    if (!locationRoot.matches("s3://[^/\\s]+(/.*)?")) {
      throw new IllegalArgumentException(
          "the location of Athena's new tables is an S3 folder, s3://bucket/prefix/, got: "
              + locationRoot);
    }
    this.locationRoot = locationRoot.endsWith("/") ? locationRoot : locationRoot + "/";
  }

  /** Where new tables go: {@code <root><schema>/<table>/}. */
  public String locationRoot() {
    return locationRoot;
  }

  /** The S3 folder of {@code table}'s data and metadata. */
  public String location(String table) {
    TableName name = TableName.parse(table);
    return locationRoot + name.schema() + "/" + name.table() + "/";
  }

  @Override
  public String name() {
    return "Amazon Athena";
  }

  /** {@code CREATE DATABASE}, in the context's catalog: Athena's DDL takes no catalog. */
  @Override
  public String createSchema(String catalog, String schema) {
    return "CREATE DATABASE IF NOT EXISTS " + backQuoted(schema);
  }

  /**
   * Hive's {@code CREATE TABLE} with {@code 'table_type'='ICEBERG'}: Hive's type names, comments
   * inline, no {@code NOT NULL} (Athena's DDL has none; the engine does not check it anyway).
   *
   * @throws IllegalArgumentException when a column's type is one Athena's DDL cannot create
   *     (timestamps with a time zone, time, and types Iceberg has not)
   */
  @Override
  public String createTable(
      String table,
      List<ColumnDefinition> columns,
      Optional<String> dayPartitionColumn,
      Optional<String> comment) {
    TableName name = TableName.parse(table);
    List<String> definitions = new ArrayList<>();
    for (ColumnDefinition column : columns) {
      definitions.add(
          backQuoted(column.name())
              + " "
              + hiveType(table, column.name(), column.type())
              + column.comment().map(c -> " COMMENT " + hiveLiteral(c)).orElse(""));
    }
    dayPartitionColumn.ifPresent(
        partition -> {
          if (columns.stream().noneMatch(c -> c.name().equals(partition))) {
            throw new IllegalArgumentException(
                "table %s is partitioned by day of %s, which is not one of its columns"
                    .formatted(table, partition));
          }
        });
    return "CREATE TABLE IF NOT EXISTS %s.%s (\n  %s\n)%s%s\nLOCATION %s\nTBLPROPERTIES ('table_type'='ICEBERG')"
        .formatted(
            backQuoted(name.schema()),
            backQuoted(name.table()),
            String.join(",\n  ", definitions),
            comment.map(c -> "\nCOMMENT " + hiveLiteral(c)).orElse(""),
            dayPartitionColumn.map(c -> "\nPARTITIONED BY (day(" + backQuoted(c) + "))").orElse(""),
            hiveLiteral(location(table)));
  }

  /** A {@code CREATE TABLE AS} that makes an Iceberg table (else Athena makes a Hive one). */
  @Override
  public String createTableAs(String table, String query) {
    return "CREATE TABLE %s\nWITH (table_type = 'ICEBERG', is_external = false, location = %s)\nAS\n%s"
        .formatted(queryName(table), literal(location(table)), query);
  }

  /**
   * Athena has no {@code CREATE OR REPLACE TABLE}: a new table is created from the query; an
   * existing one is emptied, then filled: two snapshots, the second holding the new rows. A reader
   * of the current snapshot between the two sees an empty table; the table keeps its columns; its
   * old data files stay until they are compacted and expired. The comment is not kept (Athena's
   * {@code CREATE TABLE AS} takes none).
   */
  @Override
  public List<String> replaceTableAs(
      String table, Optional<String> comment, String query, boolean tableExists) {
    if (!tableExists) {
      return List.of(createTableAs(table, query));
    }
    return List.of(
        "DELETE FROM " + queryName(table), "INSERT INTO %s\n%s".formatted(queryName(table), query));
  }

  @Override
  public String dropTable(String table) {
    TableName name = TableName.parse(table);
    return "DROP TABLE IF EXISTS %s.%s"
        .formatted(backQuoted(name.schema()), backQuoted(name.table()));
  }

  /** None: Athena keeps no column comments. */
  @Override
  public Optional<String> commentOnColumn(String table, String column, Optional<String> comment) {
    return Optional.empty();
  }

  /** None: the table comment is set where the table is created. */
  @Override
  public Optional<String> commentOnTable(String table, Optional<String> comment) {
    return Optional.empty();
  }

  /** None: Athena's SQL has no Iceberg rollback. */
  @Override
  public Optional<String> rollbackToSnapshot(String table, long snapshotId) {
    return Optional.empty();
  }

  /** The view without its comment: Athena keeps none on views. */
  @Override
  public String createOrReplaceView(String view, Optional<String> comment, String query) {
    return "CREATE OR REPLACE VIEW %s\nAS\n%s".formatted(view, query);
  }

  /**
   * The small-file size goes to the table property Athena's compaction reads ({@code
   * optimize_rewrite_min_data_file_size_bytes}, below Athena's 512 MB file target), then {@code
   * OPTIMIZE ... REWRITE DATA USING BIN_PACK} rewrites the files under it (and any over 1.8 times
   * the target), in partitions with at least five such files (Athena's {@code
   * optimize_rewrite_data_file_threshold}).
   */
  @Override
  public List<String> optimize(String table, long smallFileBytes) {
    if (smallFileBytes < 1) {
      throw new IllegalArgumentException("small-file size is not positive: " + smallFileBytes);
    }
    return List.of(
        setProperty(table, "optimize_rewrite_min_data_file_size_bytes", smallFileBytes),
        // Athena fails the statement when a newline separates DATA and USING
        "OPTIMIZE %s REWRITE DATA USING BIN_PACK".formatted(queryName(table)));
  }

  /**
   * The age goes to the table property {@code VACUUM} reads ({@code
   * vacuum_max_snapshot_age_seconds}, kept by the table for later runs), then {@code VACUUM}
   * expires the snapshots older than it (keeping the current one) and deletes the files only they
   * held, and also orphan files (in the table's folder, in no snapshot) older than it.
   */
  @Override
  public List<String> expireSnapshots(String table, Duration olderThan) {
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("the age is negative: " + olderThan);
    }
    TableName name = TableName.parse(table);
    return List.of(
        setProperty(table, "vacuum_max_snapshot_age_seconds", olderThan.toSeconds()),
        // Athena's VACUUM reads a table name in backticks, and its database without
        "VACUUM %s.%s".formatted(name.schema(), backQuoted(name.table())));
  }

  /**
   * Athena lists no catalogs: a query's unqualified {@code information_schema} is its context
   * catalog's, so only that catalog is known (views reading another catalog do not compile).
   */
  @Override
  public String catalogExistsQuery(String catalog) {
    return "SELECT catalog_name FROM information_schema.schemata WHERE catalog_name = %s LIMIT 1"
        .formatted(literal(catalog));
  }

  @Override
  public boolean supportsComments() {
    return false;
  }

  @Override
  public boolean replacesTables() {
    return false;
  }

  @Override
  public boolean supportsPush() {
    return false;
  }

  @Override
  public String toString() {
    return name() + " (new tables under " + locationRoot + ")";
  }

  private static String setProperty(String table, String property, long value) {
    TableName name = TableName.parse(table);
    return "ALTER TABLE %s.%s SET TBLPROPERTIES (%s=%s)"
        .formatted(
            backQuoted(name.schema()),
            backQuoted(name.table()),
            hiveLiteral(property),
            hiveLiteral(Long.toString(value)));
  }

  /** {@code schema.table} as Athena's queries read it, in the context's catalog. */
  private static String queryName(String table) {
    TableName name = TableName.parse(table);
    return plainOrDoubleQuoted(name.schema()) + "." + plainOrDoubleQuoted(name.table());
  }

  /**
   * A Trino type in Hive's spelling, as Athena's DDL writes an Iceberg column of it.
   *
   * @throws IllegalArgumentException when there is none
   */
  static String hiveType(String table, String column, String type) {
    String lower = type.toLowerCase(Locale.ROOT).strip();
    String simple =
        switch (lower) {
          case "varchar", "char", "string" -> "string";
          case "integer", "int", "smallint", "tinyint" -> "int";
          case "bigint" -> "bigint";
          case "real", "float" -> "float";
          case "double" -> "double";
          case "boolean" -> "boolean";
          case "date" -> "date";
          case "varbinary", "binary" -> "binary";
          default -> null;
        };
    if (simple != null) {
      return simple;
    }
    if (lower.matches("(varchar|char)\\(\\d+\\)")) {
      return "string";
    }
    Matcher decimal = DECIMAL.matcher(lower);
    if (decimal.matches()) {
      return "decimal(%s,%s)".formatted(decimal.group(1), decimal.group(2));
    }
    if (TIMESTAMP.matcher(lower).matches()) {
      // Iceberg's timestamp keeps microseconds, whatever the precision Athena's DDL is given
      return "timestamp";
    }
    if (lower.startsWith("timestamp") && lower.endsWith("with time zone")) {
      throw unsupported(
          table,
          column,
          type,
          "Athena's CREATE TABLE makes Iceberg timestamps without a time zone only; cast it to timestamp(6) (its UTC wall-clock time) in the view");
    }
    if (lower.startsWith("time")) {
      throw unsupported(
          table,
          column,
          type,
          "Athena has no time type in Iceberg tables; cast it to varchar or a timestamp in the view");
    }
    Matcher parametric = PARAMETRIC.matcher(lower);
    if (parametric.matches()) {
      List<String> arguments = splitTopLevel(parametric.group(2));
      switch (parametric.group(1)) {
        case "array" -> {
          if (arguments.size() == 1) {
            return "array<" + hiveType(table, column, arguments.getFirst()) + ">";
          }
        }
        case "map" -> {
          if (arguments.size() == 2) {
            return "map<%s,%s>"
                .formatted(
                    hiveType(table, column, arguments.get(0)),
                    hiveType(table, column, arguments.get(1)));
          }
        }
        default -> {
          List<String> fields = new ArrayList<>();
          for (String argument : arguments) {
            Matcher field = FIELD.matcher(argument.strip());
            if (!field.matches()) {
              throw unsupported(
                  table, column, type, "its row fields need names for Athena's struct type");
            }
            String fieldName = field.group(1);
            if (fieldName.startsWith("\"")) {
              fieldName = fieldName.substring(1, fieldName.length() - 1).replace("\"\"", "\"");
            }
            fields.add(fieldName + ":" + hiveType(table, column, field.group(2)));
          }
          return "struct<" + String.join(",", fields) + ">";
        }
      }
    }
    throw unsupported(table, column, type, "Athena's Iceberg tables have no such type");
  }

  private static IllegalArgumentException unsupported(
      String table, String column, String type, String why) {
    return new IllegalArgumentException(
        "column %s of table %s is %s, which Amazon Athena cannot create: %s"
            .formatted(column, table, type, why));
  }

  /** The comma-separated parts of {@code text}, not splitting inside parentheses or quotes. */
  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 0 && c == ',') {
        parts.add(text.substring(start, i).strip());
        start = i + 1;
      }
    }
    parts.add(text.substring(start).strip());
    return parts;
  }
}
