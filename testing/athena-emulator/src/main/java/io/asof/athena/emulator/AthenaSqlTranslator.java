package io.asof.athena.emulator;

import static java.util.Objects.requireNonNull;

import io.asof.athena.emulator.Translation.Refusal;
import io.asof.athena.emulator.Translation.Run;
import io.asof.athena.emulator.Translation.TablePropertyChange;
import io.asof.athena.emulator.Translation.Unload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Translates one statement of Athena's SQL (engine version 3) into Trino SQL for the emulator, or
 * refuses it the way Athena would.
 *
 * <p>Athena's dialect is Trino's for queries and writes, Hive's for most DDL. The translator:
 *
 * <ul>
 *   <li>renames the Athena catalog ({@code awsdatacatalog}) to the Trino catalog in three-part
 *       names, outside string literals and comments;
 *   <li>rewrites Athena-only forms to Trino's: {@code CREATE DATABASE}, {@code SHOW DATABASES},
 *       Hive-style {@code CREATE TABLE ... LOCATION ... TBLPROPERTIES ('table_type'='ICEBERG')},
 *       CTAS with Athena's table properties, {@code OPTIMIZE ... REWRITE DATA USING BIN_PACK},
 *       {@code VACUUM}, {@code ALTER TABLE ... SET TBLPROPERTIES} and {@code ADD COLUMNS};
 *   <li>refuses Trino-only SQL that Athena rejects ({@code COMMENT ON}, {@code CREATE OR REPLACE
 *       TABLE}, {@code ALTER TABLE ... EXECUTE}, {@code ... SET PROPERTIES}, a {@code CREATE TABLE
 *       ... WITH (...)} without {@code AS}, view comments, the {@code system} catalog, {@code
 *       CALL}, prepared statements, session statements), so that code tested against the emulator
 *       does not meet them first on Athena;
 *   <li>passes everything else through unchanged.
 * </ul>
 *
 * <p>It works on tokens, not a full parse: it recognises statements by their leading keywords and
 * rewrites only the clauses named above, keeping every other token as written.
 */
final class AthenaSqlTranslator {
  /** Athena's default for {@code vacuum_max_snapshot_age_seconds}: 5 days. */
  static final long DEFAULT_VACUUM_MAX_SNAPSHOT_AGE_SECONDS = 432_000;

  static final String VACUUM_MAX_SNAPSHOT_AGE = "vacuum_max_snapshot_age_seconds";

  static final String OPTIMIZE_MIN_DATA_FILE_SIZE = "optimize_rewrite_min_data_file_size_bytes";

  /** The Iceberg table properties Athena accepts in TBLPROPERTIES and CTAS. */
  private static final Set<String> ICEBERG_PROPERTIES =
      Set.of(
          "table_type",
          "format",
          "write_compression",
          "compression_level",
          "write_target_data_file_size_bytes",
          OPTIMIZE_MIN_DATA_FILE_SIZE,
          "optimize_rewrite_max_data_file_size_bytes",
          "optimize_rewrite_data_file_threshold",
          "optimize_rewrite_delete_file_threshold",
          "vacuum_min_snapshots_to_keep",
          VACUUM_MAX_SNAPSHOT_AGE,
          "vacuum_max_metadata_files_to_keep");

  private static final Set<String> FILE_FORMATS = Set.of("parquet", "orc", "avro");
  private static final Set<String> DATE_TRANSFORMS = Set.of("year", "month", "day", "hour");
  private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Set<String> DML_STARTS =
      Set.of(
          "select",
          "with",
          "values",
          "table",
          "insert",
          "delete",
          "update",
          "merge",
          "optimize",
          "vacuum",
          "unload");
  private static final Set<String> UTILITY_STARTS = Set.of("show", "describe", "desc", "explain");

  private final String athenaCatalog;
  private final String trinoCatalog;
  private final Function<String, Map<String, String>> tableProperties;

  /**
   * @param athenaCatalog the catalog name Athena SQL uses, e.g. {@code awsdatacatalog} (any case)
   * @param trinoCatalog the Trino catalog it stands for, e.g. {@code iceberg}
   * @param tableProperties the Athena table properties recorded for a table, by its qualified Trino
   *     name in lower case ({@code iceberg.db.t}); empty when none were recorded
   */
  AthenaSqlTranslator(
      String athenaCatalog,
      String trinoCatalog,
      Function<String, Map<String, String>> tableProperties) {
    this.athenaCatalog = athenaCatalog.toLowerCase(Locale.ROOT);
    this.trinoCatalog = requireNonNull(trinoCatalog, "trinoCatalog is null");
    this.tableProperties = requireNonNull(tableProperties, "tableProperties is null");
  }

  /**
   * Translates one Athena statement.
   *
   * @param athenaSql the statement as given to {@code StartQueryExecution}
   * @param sessionCatalog the Trino catalog unqualified names resolve in
   * @param sessionSchema the schema (Athena database) unqualified names resolve in
   */
  Translation translate(String athenaSql, String sessionCatalog, String sessionSchema) {
    requireNonNull(athenaSql, "athenaSql is null");
    List<SqlToken> lexed;
    try {
      lexed = lex(athenaSql);
    } catch (IllegalArgumentException e) {
      return new Refusal("SYNTAX_ERROR", e.getMessage(), StatementType.DML);
    }
    Tokens tokens = new Tokens(renameCatalog(lexed));
    StatementType type = tokens.size() == 0 ? StatementType.DML : classify(tokens);
    int semicolon = tokens.indexOfSymbol(';');
    if (semicolon >= 0 && semicolon < tokens.size() - 1) {
      return new Refusal(
          "SYNTAX_ERROR", "Only one sql statement is allowed (a ';' ends the first one)", type);
    }
    if (semicolon >= 0) {
      // a trailing ';' is allowed by Athena, not by Trino's JDBC driver
      tokens = tokens.truncate(semicolon);
    }
    if (tokens.size() == 0) {
      return new Refusal("SYNTAX_ERROR", "the query is empty", type);
    }
    Context context =
        new Context(
            tokens,
            type,
            sessionCatalog.toLowerCase(Locale.ROOT),
            sessionSchema.toLowerCase(Locale.ROOT));
    // CALL gets its own refusal below
    for (int i = 0; i + 1 < tokens.size() && !tokens.isWord(0, "CALL"); i++) {
      SqlToken token = tokens.get(i);
      boolean firstPart = i == 0 || !tokens.get(i - 1).isSymbol('.');
      if (firstPart
          && token.isIdentifier()
          && token.identifierName().equals("system")
          && tokens.get(i + 1).isSymbol('.')) {
        return context.refuse(
            "NOT_SUPPORTED",
            "Athena has no 'system' catalog (system.metadata, system.jdbc, system.runtime are"
                + " Trino's): use information_schema or the table's \"t$...\" metadata tables");
      }
    }
    return context.translate();
  }

  /**
   * The statement's tokens. Athena reads its Hive DDL ({@code CREATE DATABASE}, {@code CREATE
   * TABLE} with columns, {@code ALTER TABLE}, {@code DROP TABLE}) with Hive's string literals
   * (backslash escapes, single or double quotes), everything else, {@code CREATE TABLE AS}
   * included, with Trino's.
   */
  private static List<SqlToken> lex(String sql) {
    List<SqlToken> trino = null;
    IllegalArgumentException trinoError = null;
    try {
      trino = SqlLexer.tokens(sql, false);
    } catch (IllegalArgumentException e) {
      trinoError = e;
    }
    List<SqlToken> hive = null;
    try {
      hive = SqlLexer.tokens(sql, true);
    } catch (IllegalArgumentException e) {
      if (trino == null) {
        throw trinoError;
      }
    }
    if (hive == null) {
      return trino;
    }
    Tokens words = new Tokens(hive);
    boolean hiveDdl =
        words.words(0, "CREATE", "DATABASE")
            || words.words(0, "CREATE", "SCHEMA")
            || words.words(0, "CREATE", "EXTERNAL", "TABLE")
            || (words.words(0, "CREATE", "TABLE") && words.topLevelWord(2, "AS", "STORED") < 0)
            || words.words(0, "ALTER", "TABLE")
            || words.words(0, "DROP", "TABLE")
            || words.words(0, "DROP", "DATABASE")
            || words.words(0, "DROP", "SCHEMA")
            || words.words(0, "MSCK");
    if (hiveDdl || trino == null) {
      return hive;
    }
    return trino;
  }

  private static StatementType classify(Tokens tokens) {
    SqlToken first = tokens.get(0);
    if (first.isSymbol('(')) {
      return StatementType.DML;
    }
    String word = first.kind() == SqlToken.Kind.WORD ? first.text().toLowerCase(Locale.ROOT) : "";
    if (DML_STARTS.contains(word)) {
      return StatementType.DML;
    }
    return UTILITY_STARTS.contains(word) ? StatementType.UTILITY : StatementType.DDL;
  }

  /**
   * Renames {@code awsdatacatalog} to the Trino catalog where it is the first part of a name of
   * three or more parts (quoted names stay quoted), and in string literals of queries of {@code
   * information_schema}, whose catalog columns hold the name.
   */
  private List<SqlToken> renameCatalog(List<SqlToken> lexed) {
    List<SqlToken> renamed = new ArrayList<>(lexed);
    List<Integer> significant = new ArrayList<>();
    for (int i = 0; i < lexed.size(); i++) {
      if (lexed.get(i).significant()) {
        significant.add(i);
      }
    }
    for (int s = 0; s + 4 < significant.size(); s++) {
      SqlToken token = lexed.get(significant.get(s));
      boolean firstPart = s == 0 || !lexed.get(significant.get(s - 1)).isSymbol('.');
      if (firstPart
          && token.isIdentifier()
          && token.identifierName().equals(athenaCatalog)
          && lexed.get(significant.get(s + 1)).isSymbol('.')
          && lexed.get(significant.get(s + 2)).isIdentifier()
          && lexed.get(significant.get(s + 3)).isSymbol('.')
          && lexed.get(significant.get(s + 4)).isIdentifier()) {
        String text =
            switch (token.kind()) {
              case QUOTED -> "\"" + trinoCatalog + "\"";
              case BACKQUOTED -> "`" + trinoCatalog + "`";
              default -> trinoCatalog;
            };
        renamed.set(significant.get(s), new SqlToken(token.kind(), text));
      }
    }
    // information_schema names the catalog in values too: WHERE catalog_name = 'awsdatacatalog'
    boolean informationSchema =
        lexed.stream()
            .anyMatch(
                token ->
                    token.isIdentifier() && token.identifierName().equals("information_schema"));
    if (informationSchema) {
      for (int i = 0; i < renamed.size(); i++) {
        SqlToken token = renamed.get(i);
        if (token.kind() == SqlToken.Kind.STRING
            && token.stringValue().equalsIgnoreCase(athenaCatalog)) {
          renamed.set(i, new SqlToken(SqlToken.Kind.STRING, "'" + trinoCatalog + "'"));
        }
      }
    }
    return renamed;
  }

  /** One statement being translated. */
  private final class Context {
    private final Tokens tokens;
    private final StatementType type;
    private final String catalog;
    private final String schema;

    Context(Tokens tokens, StatementType type, String catalog, String schema) {
      this.tokens = tokens;
      this.type = type;
      this.catalog = catalog;
      this.schema = schema;
    }

    Translation translate() {
      if (tokens.words(0, "UNLOAD")) {
        return unload();
      }
      if (tokens.words(0, "CREATE", "OR", "REPLACE", "TABLE")) {
        return refuse(
            "NOT_SUPPORTED",
            "Athena does not support CREATE OR REPLACE TABLE: drop the table, then CREATE TABLE");
      }
      if (tokens.words(0, "CREATE", "OR", "REPLACE", "VIEW")) {
        return createView(4);
      }
      if (tokens.words(0, "CREATE", "VIEW")) {
        return createView(2);
      }
      if (tokens.words(0, "CREATE", "DATABASE") || tokens.words(0, "CREATE", "SCHEMA")) {
        return createDatabase();
      }
      if (tokens.words(0, "CREATE", "EXTERNAL", "TABLE")) {
        return createTable(3, true);
      }
      if (tokens.words(0, "CREATE", "TABLE")) {
        return createTable(2, false);
      }
      if (tokens.words(0, "CREATE", "MATERIALIZED")
          || tokens.words(0, "CREATE", "OR", "REPLACE", "MATERIALIZED")
          || tokens.words(0, "REFRESH")
          || tokens.words(0, "DROP", "MATERIALIZED")) {
        return refuse("NOT_SUPPORTED", "Athena does not support materialized views");
      }
      if (tokens.words(0, "DROP", "DATABASE") || tokens.words(0, "DROP", "SCHEMA")) {
        return Run.of("DROP SCHEMA " + tokens.trinoText(2, tokens.size()), type);
      }
      if (tokens.words(0, "DROP", "TABLE")) {
        return dropTable();
      }
      if (tokens.words(0, "ALTER", "TABLE")) {
        return alterTable();
      }
      if (tokens.words(0, "COMMENT")) {
        return refuse(
            "NOT_SUPPORTED",
            "Athena does not support COMMENT ON: give comments in CREATE TABLE (a column's COMMENT"
                + " '...' and the table's COMMENT '...')");
      }
      if (tokens.words(0, "OPTIMIZE")) {
        return optimize();
      }
      if (tokens.words(0, "VACUUM")) {
        return vacuum();
      }
      if (tokens.words(0, "CALL")) {
        return refuse(
            "NOT_SUPPORTED",
            "Athena does not support CALL: Trino's table procedures have Athena forms (OPTIMIZE ..."
                + " REWRITE DATA USING BIN_PACK, VACUUM)");
      }
      if (tokens.words(0, "PREPARE")
          || tokens.words(0, "EXECUTE")
          || tokens.words(0, "DEALLOCATE")) {
        return refuse(
            "NOT_SUPPORTED",
            "the Athena emulator does not support prepared statements (Athena keeps them in the"
                + " workgroup): put the values in the query");
      }
      if (tokens.words(0, "DESCRIBE", "INPUT") || tokens.words(0, "DESCRIBE", "OUTPUT")) {
        return refuse(
            "NOT_SUPPORTED",
            "Athena does not support DESCRIBE INPUT or DESCRIBE OUTPUT: read the column types from"
                + " GetQueryResults' ResultSetMetadata");
      }
      for (String trinoOnly :
          List.of(
              "SET",
              "RESET",
              "USE",
              "START",
              "COMMIT",
              "ROLLBACK",
              "ANALYZE",
              "GRANT",
              "REVOKE",
              "DENY")) {
        if (tokens.words(0, trinoOnly)) {
          return refuse(
              "NOT_SUPPORTED",
              "Athena does not support "
                  + trinoOnly
                  + " statements (the session is the request's QueryExecutionContext)");
        }
      }
      if (tokens.words(0, "MSCK")) {
        return refuse(
            "NOT_SUPPORTED", "MSCK REPAIR TABLE is for Hive tables: Iceberg tables need none");
      }
      if (tokens.words(0, "SHOW", "DATABASES")) {
        return Run.of(("SHOW SCHEMAS " + tokens.trinoText(2, tokens.size())).strip(), type);
      }
      if (type == StatementType.UTILITY && !tokens.words(0, "EXPLAIN")) {
        // SHOW and DESCRIBE are Hive DDL in Athena: back quotes are allowed there
        return Run.of(tokens.trinoText(0, tokens.size()), type);
      }
      return Run.of(tokens.text(0, tokens.size()), type);
    }

    private Translation createView(int at) {
      Name name = tokens.name(at);
      if (name == null) {
        return Run.of(tokens.text(0, tokens.size()), type);
      }
      if (tokens.isWord(name.end(), "COMMENT")) {
        return refuse(
            "NOT_SUPPORTED",
            "Athena views take no COMMENT: CREATE [OR REPLACE] VIEW name AS query (describe the"
                + " view elsewhere)");
      }
      return Run.of(tokens.text(0, tokens.size()), type);
    }

    private Translation createDatabase() {
      int i = 2;
      boolean ifNotExists = tokens.words(i, "IF", "NOT", "EXISTS");
      if (ifNotExists) {
        i += 3;
      }
      Name name = tokens.name(i);
      if (name == null) {
        return syntaxError(i, "a database name");
      }
      i = name.end();
      // Athena's COMMENT, LOCATION and DBPROPERTIES have no place in the local catalog: dropped
      while (i < tokens.size()) {
        if ((tokens.isWord(i, "COMMENT") || tokens.isWord(i, "LOCATION"))
            && tokens.isString(i + 1)) {
          i += 2;
        } else if (tokens.words(i, "WITH", "DBPROPERTIES") && tokens.isSymbol(i + 2, '(')) {
          int close = tokens.closing(i + 2);
          if (close < 0) {
            return syntaxError(i + 2, "a closing ')'");
          }
          i = close + 1;
        } else if (tokens.isWord(i, "WITH")) {
          return refuse(
              "NOT_SUPPORTED",
              "Athena's CREATE DATABASE takes COMMENT, LOCATION and WITH DBPROPERTIES, not Trino's"
                  + " WITH (...) schema properties");
        } else {
          return syntaxError(i, "COMMENT, LOCATION or WITH DBPROPERTIES");
        }
      }
      return Run.of(
          "CREATE SCHEMA " + (ifNotExists ? "IF NOT EXISTS " : "") + name.trinoText(), type);
    }

    private Translation dropTable() {
      int i = 2;
      if (tokens.words(i, "IF", "EXISTS")) {
        i += 2;
      }
      Name name = tokens.name(i);
      String sql = "DROP TABLE " + tokens.trinoText(2, tokens.size());
      if (name == null) {
        return Run.of(sql, type);
      }
      return new Run(
          List.of(sql),
          type,
          Optional.of(new TablePropertyChange(tableKey(name), Map.of(), true)),
          false);
    }

    private Translation createTable(int at, boolean external) {
      int i = at;
      boolean ifNotExists = tokens.words(i, "IF", "NOT", "EXISTS");
      if (ifNotExists) {
        i += 3;
      }
      Name name = tokens.name(i);
      if (name == null) {
        return syntaxError(i, "a table name");
      }
      int afterName = name.end();
      String head = "CREATE TABLE " + (ifNotExists ? "IF NOT EXISTS " : "") + name.trinoText();
      int as = tokens.topLevelWord(afterName, "AS", "STORED");
      if (as >= 0) {
        return createTableAs(name, head, afterName, as, external);
      }
      if (!tokens.isSymbol(afterName, '(')) {
        return syntaxError(afterName, "'(' and the table's columns, or AS and a query");
      }
      int close = tokens.closing(afterName);
      if (close < 0) {
        return syntaxError(afterName, "a closing ')'");
      }
      if (tokens.topLevelWord(close + 1, "WITH", null) >= 0) {
        return refuse(
            "NOT_SUPPORTED",
            "Athena does not support CREATE TABLE ... WITH (...) without AS (Trino's form): write"
                + " Hive DDL, CREATE TABLE t (col type, ...) [PARTITIONED BY (...)] LOCATION"
                + " 's3://...' TBLPROPERTIES ('table_type'='ICEBERG')");
      }
      return hiveCreateTable(name, head, afterName, close, external);
    }

    /** Hive-style DDL of an Iceberg table, as Athena writes it. */
    private Translation hiveCreateTable(
        Name name, String head, int open, int close, boolean external) {
      List<String> columns = new ArrayList<>();
      for (int[] item : tokens.items(open + 1, close)) {
        Object column = columnDefinition(item[0], item[1]);
        if (column instanceof Translation refusal) {
          return refusal;
        }
        columns.add((String) column);
      }
      if (columns.isEmpty()) {
        return syntaxError(open + 1, "a column definition");
      }
      String comment = null;
      List<String> partitioning = new ArrayList<>();
      String location = null;
      Map<String, String> properties = new LinkedHashMap<>();
      int i = close + 1;
      while (i < tokens.size()) {
        if (tokens.isWord(i, "COMMENT") && tokens.isString(i + 1)) {
          comment = tokens.get(i + 1).trinoLiteral();
          i += 2;
        } else if (tokens.words(i, "PARTITIONED", "BY") && tokens.isSymbol(i + 2, '(')) {
          int end = tokens.closing(i + 2);
          if (end < 0) {
            return syntaxError(i + 2, "a closing ')'");
          }
          for (int[] item : tokens.items(i + 3, end)) {
            Object field = partitionField(item[0], item[1]);
            if (field instanceof Translation refusal) {
              return refusal;
            }
            partitioning.add((String) field);
          }
          i = end + 1;
        } else if (tokens.isWord(i, "LOCATION") && tokens.isString(i + 1)) {
          location = tokens.get(i + 1).stringValue();
          i += 2;
        } else if (tokens.isWord(i, "TBLPROPERTIES") && tokens.isSymbol(i + 1, '(')) {
          int end = tokens.closing(i + 1);
          if (end < 0) {
            return syntaxError(i + 1, "a closing ')'");
          }
          for (int[] item : tokens.items(i + 2, end)) {
            if (item[1] - item[0] != 3
                || !tokens.isString(item[0])
                || !tokens.isSymbol(item[0] + 1, '=')
                || !tokens.isString(item[0] + 2)) {
              return syntaxError(item[0], "'key' = 'value'");
            }
            properties.put(
                tokens.get(item[0]).stringValue().toLowerCase(Locale.ROOT),
                tokens.get(item[0] + 2).stringValue());
          }
          i = end + 1;
        } else {
          return refuse(
              "NOT_SUPPORTED",
              tokens.position(i)
                  + ": Athena's CREATE TABLE of an Iceberg table takes COMMENT, PARTITIONED BY,"
                  + " LOCATION and TBLPROPERTIES; found '"
                  + tokens.get(i).text()
                  + "'");
        }
      }
      String tableType = properties.getOrDefault("table_type", "");
      if (!tableType.equalsIgnoreCase("ICEBERG")) {
        return refuse(
            "NOT_SUPPORTED",
            "only Iceberg tables: add TBLPROPERTIES ('table_type'='ICEBERG') (Hive tables are"
                + " not supported here)");
      }
      if (external) {
        return refuse("NOT_SUPPORTED", "External keyword not supported for table type ICEBERG");
      }
      if (location == null) {
        return refuse(
            "SYNTAX_ERROR",
            "an Iceberg table needs a LOCATION 's3://...' in Athena's CREATE TABLE");
      }
      Translation invalid = checkIcebergProperties(properties.keySet(), properties.get("format"));
      if (invalid != null) {
        return invalid;
      }
      StringBuilder sql = new StringBuilder(head).append(" (\n   ");
      sql.append(String.join(",\n   ", columns)).append("\n)");
      if (comment != null) {
        sql.append("\nCOMMENT ").append(comment);
      }
      if (!partitioning.isEmpty()) {
        sql.append("\nWITH (\n   partitioning = ARRAY[")
            .append(
                partitioning.stream()
                    .map(field -> "'" + field.replace("'", "''") + "'")
                    .collect(Collectors.joining(", ")))
            .append("]\n)");
      }
      properties.remove("table_type");
      return new Run(
          List.of(sql.toString()),
          type,
          Optional.of(new TablePropertyChange(tableKey(name), properties, true)),
          false);
    }

    /** {@code name type [COMMENT '...']} in Trino's spelling, or a refusal. */
    private Object columnDefinition(int from, int to) {
      SqlToken name = tokens.get(from);
      if (!name.isIdentifier() || to - from < 2) {
        return syntaxError(from, "a column name and type");
      }
      int typeEnd = to;
      String comment = null;
      for (int j = from + 1; j < to; j++) {
        if (tokens.isWord(j, "COMMENT")) {
          if (j + 2 != to || !tokens.isString(j + 1)) {
            return syntaxError(j, "COMMENT 'text' ending the column definition");
          }
          typeEnd = j;
          comment = tokens.get(j + 1).trinoLiteral();
          break;
        }
      }
      String trinoType;
      try {
        trinoType = HiveTypes.toTrino(tokens.text(from + 1, typeEnd));
      } catch (IllegalArgumentException e) {
        return refuse(
            "SYNTAX_ERROR",
            tokens.position(from + 1) + ": column " + name.text() + ": " + e.getMessage());
      }
      return name.trinoIdentifier()
          + " "
          + trinoType
          + (comment == null ? "" : " COMMENT " + comment);
    }

    /**
     * One field of Hive DDL's {@code PARTITIONED BY} in Trino's {@code partitioning} spelling:
     * {@code col}, {@code day(col)}, {@code bucket(16, col)} as {@code bucket(col, 16)}, {@code
     * truncate(10, col)} as {@code truncate(col, 10)}; or a refusal.
     */
    private Object partitionField(int from, int to) {
      if (to - from == 1 && tokens.get(from).isIdentifier()) {
        return partitionColumn(tokens.get(from));
      }
      SqlToken transform = tokens.get(from);
      if (transform.kind() == SqlToken.Kind.WORD
          && tokens.isSymbol(from + 1, '(')
          && tokens.closing(from + 1) == to - 1) {
        String function = transform.text().toLowerCase(Locale.ROOT);
        int arguments = to - from - 3;
        if (DATE_TRANSFORMS.contains(function)
            && arguments == 1
            && tokens.get(from + 2).isIdentifier()) {
          return function + "(" + partitionColumn(tokens.get(from + 2)) + ")";
        }
        if ((function.equals("bucket") || function.equals("truncate"))
            && arguments == 3
            && tokens.kindAt(from + 2) == SqlToken.Kind.NUMBER
            && tokens.isSymbol(from + 3, ',')
            && tokens.get(from + 4).isIdentifier()) {
          return function
              + "("
              + partitionColumn(tokens.get(from + 4))
              + ", "
              + tokens.get(from + 2).text()
              + ")";
        }
      }
      if (to - from >= 2 && tokens.get(from).isIdentifier()) {
        return refuse(
            "SYNTAX_ERROR",
            tokens.position(from)
                + ": an Iceberg table's PARTITIONED BY names columns declared above, or"
                + " transforms of them (day(ts), bucket(16, id)), without types");
      }
      return syntaxError(from, "a column or a partition transform");
    }

    private String partitionColumn(SqlToken column) {
      String name = column.identifierName();
      return PLAIN_NAME.matcher(name).matches() ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** CTAS: {@code CREATE TABLE t [(aliases)] [COMMENT '..'] [WITH (...)] AS query}. */
    private Translation createTableAs(
        Name name, String head, int afterName, int as, boolean external) {
      if (external) {
        return refuse("SYNTAX_ERROR", tokens.position(2) + ": CREATE TABLE AS takes no EXTERNAL");
      }
      StringBuilder sql = new StringBuilder(head);
      int i = afterName;
      if (tokens.isSymbol(i, '(')) {
        int close = tokens.closing(i);
        sql.append(' ').append(tokens.text(i, close + 1));
        i = close + 1;
      }
      if (tokens.isWord(i, "COMMENT") && tokens.isString(i + 1)) {
        sql.append(" COMMENT ").append(tokens.get(i + 1).trinoLiteral());
        i += 2;
      }
      Map<String, String> values = new LinkedHashMap<>();
      Map<String, SqlToken.Kind> kinds = new LinkedHashMap<>();
      if (tokens.isWord(i, "WITH") && tokens.isSymbol(i + 1, '(')) {
        int close = tokens.closing(i + 1);
        if (close < 0 || close >= as) {
          return syntaxError(i + 1, "a closing ')'");
        }
        for (int[] item : tokens.items(i + 2, close)) {
          if (item[1] - item[0] < 3
              || tokens.kindAt(item[0]) != SqlToken.Kind.WORD
              || !tokens.isSymbol(item[0] + 1, '=')) {
            return syntaxError(item[0], "property_name = value");
          }
          String key = tokens.get(item[0]).text().toLowerCase(Locale.ROOT);
          values.put(key, tokens.text(item[0] + 2, item[1]));
          kinds.put(key, item[1] - item[0] == 3 ? tokens.kindAt(item[0] + 2) : null);
        }
        i = close + 1;
      }
      if (i != as) {
        return syntaxError(i, "WITH (...) or AS");
      }
      String tableType = literal(values.get("table_type"));
      if (tableType == null || !tableType.equalsIgnoreCase("ICEBERG")) {
        return refuse(
            "NOT_SUPPORTED",
            "only Iceberg tables: CREATE TABLE ... WITH (table_type = 'ICEBERG', is_external ="
                + " false, location = 's3://...') AS ... (Athena's CTAS makes Hive tables by"
                + " default)");
      }
      if (!"false".equalsIgnoreCase(values.get("is_external"))) {
        return refuse(
            "NOT_SUPPORTED",
            "is_external must be false for an Iceberg table: add is_external = false");
      }
      if (literal(values.get("location")) == null) {
        return refuse(
            "SYNTAX_ERROR",
            "an Iceberg table made by CREATE TABLE AS needs a location: add location = 's3://...'");
      }
      Set<String> known = new java.util.HashSet<>(ICEBERG_PROPERTIES);
      known.addAll(Set.of("is_external", "location", "partitioning"));
      for (String key : values.keySet()) {
        if (!known.contains(key)) {
          return refuse(
              "NOT_SUPPORTED",
              "unsupported table property for an Iceberg table: "
                  + key
                  + " (Athena takes "
                  + known.stream().sorted().collect(Collectors.joining(", "))
                  + ")");
        }
      }
      Translation invalid = checkIcebergProperties(Set.of(), literal(values.get("format")));
      if (invalid != null) {
        return invalid;
      }
      if (values.containsKey("partitioning")) {
        sql.append(" WITH (partitioning = ").append(values.get("partitioning")).append(')');
      }
      sql.append(' ').append(tokens.text(as, tokens.size()));
      Map<String, String> recorded = new LinkedHashMap<>();
      values.forEach(
          (key, value) -> {
            if (key.startsWith("vacuum_") || key.startsWith("optimize_")) {
              recorded.put(key, kinds.get(key) == SqlToken.Kind.STRING ? literal(value) : value);
            }
          });
      return new Run(
          List.of(sql.toString()),
          type,
          Optional.of(new TablePropertyChange(tableKey(name), recorded, true)),
          false);
    }

    private Translation checkIcebergProperties(Set<String> keys, String format) {
      for (String key : keys) {
        if (!ICEBERG_PROPERTIES.contains(key)) {
          return refuse(
              "NOT_SUPPORTED",
              "Unsupported table property key: "
                  + key
                  + " (Athena's Iceberg tables take "
                  + ICEBERG_PROPERTIES.stream().sorted().collect(Collectors.joining(", "))
                  + ")");
        }
      }
      if (format != null && !FILE_FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
        return refuse(
            "NOT_SUPPORTED", "Iceberg tables are stored as PARQUET, ORC or AVRO, not " + format);
      }
      return null;
    }

    private Translation alterTable() {
      Name name = tokens.name(2);
      if (name == null) {
        return syntaxError(2, "a table name");
      }
      int i = name.end();
      String table = name.trinoText();
      if (tokens.words(i, "SET", "TBLPROPERTIES") && tokens.isSymbol(i + 2, '(')) {
        int close = tokens.closing(i + 2);
        if (close < 0 || close != tokens.size() - 1) {
          return syntaxError(i + 2, "TBLPROPERTIES ('key' = 'value', ...)");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (int[] item : tokens.items(i + 3, close)) {
          if (item[1] - item[0] != 3
              || !tokens.isString(item[0])
              || !tokens.isSymbol(item[0] + 1, '=')
              || !tokens.isString(item[0] + 2)) {
            return syntaxError(item[0], "'key' = 'value'");
          }
          properties.put(
              tokens.get(item[0]).stringValue().toLowerCase(Locale.ROOT),
              tokens.get(item[0] + 2).stringValue());
        }
        Translation invalid = checkIcebergProperties(properties.keySet(), properties.get("format"));
        if (invalid != null) {
          return invalid;
        }
        if (properties.containsKey("table_type")) {
          return refuse("NOT_SUPPORTED", "an Iceberg table's table_type cannot be changed");
        }
        // Trino has nowhere to keep these: the emulator records them, after checking the table is
        // there
        return new Run(
            List.of("SELECT * FROM " + table + " WHERE false"),
            type,
            Optional.of(new TablePropertyChange(tableKey(name), properties, false)),
            true);
      }
      if (tokens.words(i, "ADD", "COLUMNS") && tokens.isSymbol(i + 2, '(')) {
        int close = tokens.closing(i + 2);
        if (close < 0 || close != tokens.size() - 1) {
          return syntaxError(i + 2, "ADD COLUMNS (name type, ...)");
        }
        List<String> statements = new ArrayList<>();
        for (int[] item : tokens.items(i + 3, close)) {
          Object column = columnDefinition(item[0], item[1]);
          if (column instanceof Translation refusal) {
            return refusal;
          }
          statements.add("ALTER TABLE " + table + " ADD COLUMN " + column);
        }
        return new Run(statements, type, Optional.empty(), false);
      }
      if (tokens.words(i, "DROP", "COLUMN") || tokens.words(i, "RENAME", "TO")) {
        return Run.of(tokens.trinoText(0, tokens.size()), type);
      }
      if (tokens.words(i, "EXECUTE")) {
        return refuse(
            "NOT_SUPPORTED",
            "Athena does not support ALTER TABLE ... EXECUTE: use OPTIMIZE t REWRITE DATA USING"
                + " BIN_PACK or VACUUM t");
      }
      if (tokens.words(i, "SET", "PROPERTIES")) {
        return refuse(
            "NOT_SUPPORTED",
            "Athena does not support ALTER TABLE ... SET PROPERTIES: use ALTER TABLE ... SET"
                + " TBLPROPERTIES ('key' = 'value')");
      }
      if (tokens.words(i, "ADD", "COLUMN")) {
        return refuse(
            "NOT_SUPPORTED",
            "Athena does not support ALTER TABLE ... ADD COLUMN: use ALTER TABLE ... ADD COLUMNS"
                + " (name type, ...)");
      }
      if (tokens.words(i, "RENAME", "COLUMN")
          || tokens.words(i, "ALTER", "COLUMN")
          || tokens.words(i, "SET", "AUTHORIZATION")) {
        return refuse(
            "NOT_SUPPORTED",
            "Athena does not support ALTER TABLE ... "
                + tokens.get(i).text().toUpperCase(Locale.ROOT)
                + " "
                + tokens.get(i + 1).text().toUpperCase(Locale.ROOT)
                + " (Athena changes columns with ALTER TABLE ... CHANGE COLUMN)");
      }
      return refuse(
          "NOT_SUPPORTED",
          "the Athena emulator does not translate this ALTER TABLE (it knows SET TBLPROPERTIES,"
              + " ADD COLUMNS, DROP COLUMN and RENAME TO)");
    }

    /**
     * {@code UNLOAD (query) TO 's3://bucket/prefix/' WITH (format = 'PARQUET' [, compression =
     * 'GZIP' | 'NONE'])}: the emulator writes Parquet only, as Asof asks for.
     */
    private Translation unload() {
      if (!tokens.isSymbol(1, '(')) {
        return syntaxError(1, "'('");
      }
      int close = tokens.closing(1);
      if (close < 0) {
        return syntaxError(tokens.size(), "')'");
      }
      if (!tokens.isWord(2, "SELECT") && !tokens.isWord(2, "WITH") && !tokens.isWord(2, "VALUES")) {
        return syntaxError(2, "a query (SELECT, WITH or VALUES)");
      }
      int i = close + 1;
      if (!tokens.isWord(i, "TO")) {
        return syntaxError(i, "TO");
      }
      String location = tokens.isString(i + 1) ? literal(tokens.get(i + 1).text()) : null;
      if (location == null) {
        return syntaxError(i + 1, "a location string ('s3://bucket/prefix/')");
      }
      if (!location.startsWith("s3://")) {
        return refuse(
            "INVALID_LOCATION", "UNLOAD writes to Amazon S3: the location must be an s3:// URI");
      }
      i += 2;
      Map<String, String> properties = new HashMap<>();
      if (i < tokens.size()) {
        if (!tokens.isWord(i, "WITH") || !tokens.isSymbol(i + 1, '(')) {
          return syntaxError(i, "WITH (format = ...)");
        }
        int end = tokens.closing(i + 1);
        if (end != tokens.size() - 1) {
          return syntaxError(end < 0 ? tokens.size() : end + 1, "the end of the statement");
        }
        for (int[] item : tokens.items(i + 2, end)) {
          String value =
              item[1] - item[0] == 3 && tokens.isSymbol(item[0] + 1, '=')
                  ? literal(tokens.get(item[0] + 2).text())
                  : null;
          if (value == null || !tokens.get(item[0]).isIdentifier()) {
            return syntaxError(item[0], "property = 'value'");
          }
          properties.put(tokens.get(item[0]).identifierName(), value.toUpperCase(Locale.ROOT));
        }
      }
      String format = properties.getOrDefault("format", "TEXTFILE");
      if (!format.equals("PARQUET")) {
        return refuse(
            "NOT_SUPPORTED",
            "the Athena emulator unloads format = 'PARQUET' only, not '" + format + "'");
      }
      String compression = properties.getOrDefault("compression", "GZIP");
      if (!compression.equals("GZIP") && !compression.equals("NONE")) {
        return refuse(
            "NOT_SUPPORTED",
            "the Athena emulator writes Parquet with compression 'GZIP' or 'NONE', not '"
                + compression
                + "'");
      }
      properties.keySet().removeAll(Set.of("format", "compression"));
      if (!properties.isEmpty()) {
        return refuse(
            "NOT_SUPPORTED",
            "the Athena emulator does not implement the UNLOAD properties " + properties.keySet());
      }
      return new Unload(tokens.text(2, close), location, compression);
    }

    private Translation optimize() {
      Name name = tokens.name(1);
      if (name == null) {
        return syntaxError(1, "a table name");
      }
      int i = name.end();
      if (!tokens.words(i, "REWRITE", "DATA", "USING", "BIN_PACK")) {
        return syntaxError(i, "REWRITE DATA USING BIN_PACK");
      }
      if (tokens.lineBreakBefore(i + 2)) {
        // as Athena does: it reads DATA and USING on one line only
        return syntaxError(i + 2, "USING on the line of REWRITE DATA");
      }
      i += 4;
      String where = "";
      if (i < tokens.size()) {
        if (!tokens.isWord(i, "WHERE")) {
          return syntaxError(i, "WHERE or the end of the statement");
        }
        where = " " + tokens.text(i, tokens.size());
      }
      // Athena rewrites the files under the table's optimize_rewrite_min_data_file_size_bytes
      String threshold = tableProperties.apply(tableKey(name)).get(OPTIMIZE_MIN_DATA_FILE_SIZE);
      String arguments = "";
      if (threshold != null) {
        try {
          arguments = "(file_size_threshold => '" + Long.parseLong(threshold.trim()) + "B')";
        } catch (NumberFormatException e) {
          return refuse(
              "INVALID_TABLE_PROPERTY",
              OPTIMIZE_MIN_DATA_FILE_SIZE + " is not a number of bytes: " + threshold);
        }
      }
      return Run.of(
          "ALTER TABLE " + name.trinoText() + " EXECUTE optimize" + arguments + where, type);
    }

    private Translation vacuum() {
      Name name = tokens.name(1);
      if (name == null) {
        return syntaxError(1, "a table name");
      }
      if (name.end() != tokens.size()) {
        return syntaxError(name.end(), "the end of the statement");
      }
      String age =
          tableProperties
              .apply(tableKey(name))
              .getOrDefault(
                  VACUUM_MAX_SNAPSHOT_AGE, String.valueOf(DEFAULT_VACUUM_MAX_SNAPSHOT_AGE_SECONDS));
      long seconds;
      try {
        seconds = Long.parseLong(age.trim());
      } catch (NumberFormatException e) {
        return refuse(
            "INVALID_TABLE_PROPERTY",
            VACUUM_MAX_SNAPSHOT_AGE + " is not a number of seconds: " + age);
      }
      return Run.of(
          "ALTER TABLE "
              + name.trinoText()
              + " EXECUTE expire_snapshots(retention_threshold => '"
              + seconds
              + "s')",
          type);
    }

    /** The table's qualified Trino name in lower case, resolved against the session. */
    private String tableKey(Name name) {
      List<String> parts = name.parts().stream().map(SqlToken::identifierName).toList();
      return switch (parts.size()) {
        case 1 -> catalog + "." + schema + "." + parts.getFirst();
        case 2 -> catalog + "." + parts.get(0) + "." + parts.get(1);
        default -> String.join(".", parts);
      };
    }

    private Refusal refuse(String errorName, String message) {
      return new Refusal(errorName, message, type);
    }

    private Refusal syntaxError(int at, String expected) {
      String found = at < tokens.size() ? "'" + tokens.get(at).text() + "'" : "the end";
      return refuse(
          "SYNTAX_ERROR",
          tokens.position(at) + ": mismatched input " + found + ". Expecting: " + expected);
    }

    private static String literal(String value) {
      if (value == null || value.length() < 2 || !value.startsWith("'") || !value.endsWith("'")) {
        return null;
      }
      return value.substring(1, value.length() - 1).replace("''", "'");
    }
  }

  /**
   * A dotted name.
   *
   * @param parts its identifiers
   * @param end the index of the significant token after it
   */
  record Name(List<SqlToken> parts, int end) {
    String trinoText() {
      return parts.stream().map(SqlToken::trinoIdentifier).collect(Collectors.joining("."));
    }
  }

  /** A statement's tokens, addressed by the index of the significant ones. */
  private static final class Tokens {
    private final List<SqlToken> all;
    private final List<Integer> significant;
    private final String source;

    Tokens(List<SqlToken> all) {
      this.all = List.copyOf(all);
      this.significant = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).significant()) {
          significant.add(i);
        }
      }
      this.source = all.stream().map(SqlToken::text).collect(Collectors.joining());
    }

    /** These tokens up to (not including) significant token {@code end}. */
    Tokens truncate(int end) {
      return new Tokens(all.subList(0, end < size() ? significant.get(end) : all.size()));
    }

    int size() {
      return significant.size();
    }

    SqlToken get(int i) {
      return i >= 0 && i < size()
          ? all.get(significant.get(i))
          : new SqlToken(SqlToken.Kind.SPACE, "");
    }

    SqlToken.Kind kindAt(int i) {
      return i < size() ? get(i).kind() : null;
    }

    boolean isWord(int i, String word) {
      return i < size() && get(i).isWord(word);
    }

    boolean isString(int i) {
      return i < size() && get(i).isString();
    }

    /** Whether a line break separates significant token {@code i} from the one before it. */
    boolean lineBreakBefore(int i) {
      if (i <= 0 || i >= size()) {
        return false;
      }
      for (int t = significant.get(i - 1) + 1; t < significant.get(i); t++) {
        if (all.get(t).text().indexOf('\n') >= 0) {
          return true;
        }
      }
      return false;
    }

    boolean isSymbol(int i, char symbol) {
      return i < size() && get(i).isSymbol(symbol);
    }

    boolean words(int i, String... words) {
      for (int w = 0; w < words.length; w++) {
        if (!isWord(i + w, words[w])) {
          return false;
        }
      }
      return true;
    }

    /** The index of the first {@code symbol}, or -1. */
    int indexOfSymbol(char symbol) {
      for (int i = 0; i < size(); i++) {
        if (get(i).isSymbol(symbol)) {
          return i;
        }
      }
      return -1;
    }

    /** The index of the bracket closing the one at {@code open}, or -1. */
    int closing(int open) {
      int depth = 0;
      for (int i = open; i < size(); i++) {
        SqlToken token = get(i);
        if (token.isSymbol('(') || token.isSymbol('[')) {
          depth++;
        } else if (token.isSymbol(')') || token.isSymbol(']')) {
          depth--;
          if (depth == 0) {
            return i;
          }
        }
      }
      return -1;
    }

    /**
     * The first {@code word} from {@code from} on outside brackets and not right after {@code
     * unlessAfter}, or -1.
     */
    int topLevelWord(int from, String word, String unlessAfter) {
      int depth = 0;
      for (int i = from; i < size(); i++) {
        SqlToken token = get(i);
        if (token.isSymbol('(') || token.isSymbol('[')) {
          depth++;
        } else if (token.isSymbol(')') || token.isSymbol(']')) {
          depth--;
        } else if (depth == 0
            && token.isWord(word)
            && (unlessAfter == null || !get(i - 1).isWord(unlessAfter))) {
          return i;
        }
      }
      return -1;
    }

    /**
     * The comma-separated items between {@code from} and {@code to} (exclusive), each as {@code
     * [start, end)}; commas inside brackets, including a Hive type's angle brackets, do not count.
     */
    List<int[]> items(int from, int to) {
      List<int[]> items = new ArrayList<>();
      int depth = 0;
      int start = from;
      for (int i = from; i < to; i++) {
        SqlToken token = get(i);
        if (token.isSymbol('(') || token.isSymbol('[') || token.isSymbol('<')) {
          depth++;
        } else if (token.isSymbol(')') || token.isSymbol(']') || token.isSymbol('>')) {
          depth--;
        } else if (depth == 0 && token.isSymbol(',')) {
          items.add(new int[] {start, i});
          start = i + 1;
        }
      }
      if (start < to) {
        items.add(new int[] {start, to});
      }
      return items;
    }

    /** A dotted name starting at {@code i}, or null. */
    Name name(int i) {
      if (i >= size() || !get(i).isIdentifier()) {
        return null;
      }
      List<SqlToken> parts = new ArrayList<>();
      parts.add(get(i));
      int end = i + 1;
      while (isSymbol(end, '.') && end + 1 < size() && get(end + 1).isIdentifier()) {
        parts.add(get(end + 1));
        end += 2;
      }
      return new Name(parts, end);
    }

    /** The text from significant token {@code from} to {@code to} (exclusive), as written. */
    String text(int from, int to) {
      return join(from, to, false);
    }

    /** Like {@link #text}, with back-quoted identifiers double-quoted for Trino. */
    String trinoText(int from, int to) {
      return join(from, to, true);
    }

    private String join(int from, int to, boolean trinoQuotes) {
      if (from >= to || from >= size()) {
        return "";
      }
      int end = significant.get(Math.min(to, size()) - 1);
      StringBuilder text = new StringBuilder();
      for (int i = significant.get(from); i <= end; i++) {
        SqlToken token = all.get(i);
        if (trinoQuotes && token.kind() == SqlToken.Kind.BACKQUOTED) {
          text.append(token.trinoIdentifier());
        } else if (trinoQuotes && token.kind() == SqlToken.Kind.HIVE_STRING) {
          text.append(token.trinoLiteral());
        } else {
          text.append(token.text());
        }
      }
      return text.toString();
    }

    /** {@code line L:C} of significant token {@code i} (or the end), as Athena reports errors. */
    String position(int i) {
      int offset = 0;
      int upTo = i < size() ? significant.get(i) : all.size();
      for (int t = 0; t < upTo; t++) {
        offset += all.get(t).text().length();
      }
      return SqlLexer.position(source, offset);
    }
  }
}
