package io.asof.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asof.compiler.SpineGuard.ForbiddenSpineException;
import io.asof.compiler.catalog.TableSchema;
import io.asof.compiler.catalog.WarehouseCatalog;
import io.asof.model.Column;
import io.asof.model.RepositoryException;
import io.asof.model.SourcePosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The spine guard's rules, each shape an attacker would send refused by its rule and at its place
 * before the warehouse is asked anything; what passes is rewritten from the checked tree.
 */
class TestSpineGuard {
  private static final SourcePosition ORIGIN = SourcePosition.start(Path.of("spine_sql"));

  /** A warehouse of two schemas that records every lookup the guard makes. */
  private static final class Warehouse implements WarehouseCatalog {
    final List<String> lookups = new ArrayList<>();

    @Override
    public boolean catalogExists(String catalog) {
      lookups.add(catalog);
      return catalog.equals("iceberg") || catalog.equals("system");
    }

    @Override
    public boolean schemaExists(String catalog, String schema) {
      lookups.add(catalog + "." + schema);
      return catalog.equals("iceberg") && Set.of("dwh", "raw").contains(schema);
    }

    @Override
    public Optional<TableSchema> table(String catalog, String schema, String table) {
      lookups.add(catalog + "." + schema + "." + table);
      if (!catalog.equals("iceberg")) {
        return Optional.empty();
      }
      return switch (schema + "." + table) {
        case "dwh.impressions" ->
            Optional.of(
                new TableSchema(
                    catalog,
                    schema,
                    table,
                    List.of(
                        new Column("user_id", "bigint"),
                        new Column("article_id", "bigint"),
                        new Column("shown_at", "timestamp(6)"),
                        new Column("clicked", "boolean"))));
        case "raw.users" ->
            Optional.of(
                new TableSchema(
                    catalog,
                    schema,
                    table,
                    List.of(new Column("user_id", "bigint"), new Column("email", "varchar"))));
        default -> Optional.empty();
      };
    }

    @Override
    public void refresh() {}
  }

  private final Warehouse warehouse = new Warehouse();
  private final SpineGuard guard =
      new SpineGuard(
          warehouse, new SpineGuard.Policy("iceberg", new TreeSet<>(Set.of("iceberg.dwh"))));

  @Test
  void aSpineOverAnAllowedSchemaIsRewrittenFromItsTree() {
    String checked =
        guard.check(
            """
            -- clicks of last week
            SELECT user_id, shown_at AS t, clicked
            FROM dwh.impressions /* a comment */
            WHERE shown_at >= TIMESTAMP '2024-01-01 00:00:00'""",
            ORIGIN);
    assertThat(checked)
        .isEqualTo(
            """
            SELECT "user_id", "shown_at" AS "t", "clicked"
            FROM "dwh"."impressions"
            WHERE "shown_at" >= TIMESTAMP '2024-01-01 00:00:00'""");
  }

  @Test
  void valuesAndCommonTablesPass() {
    String checked =
        guard.check(
            """
            WITH recent AS (SELECT user_id, shown_at FROM iceberg.dwh.impressions)
            SELECT r.user_id, r.shown_at AS t FROM recent AS r
            UNION ALL
            SELECT * FROM (VALUES (CAST(1 AS bigint), CAST('2024-01-01 00:00:00' AS timestamp(6)))) AS s(user_id, t)""",
            ORIGIN);
    assertThat(checked).contains("FROM \"recent\" AS \"r\"").contains("VALUES");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          system catalog | SELECT CAST(0 AS bigint) user_id, CAST(now() AS timestamp(6)) t, q.* FROM "system".runtime.queries q | 1 | 75 | [rule no-metadata] system.runtime.queries is in the system catalog
          information schema | SELECT 1 AS user_id FROM iceberg.information_schema.columns | 1 | 26 | [rule no-metadata] iceberg.information_schema.columns is the engine's metadata
          snapshots table | SELECT 1 AS user_id FROM dwh."impressions$snapshots" | 1 | 26 | [rule no-metadata] dwh.impressions$snapshots is a metadata table
          files table in a subquery | SELECT * FROM dwh.impressions WHERE user_id IN (SELECT 1 FROM dwh."impressions$files") | 1 | 63 | [rule no-metadata] dwh.impressions$files is a metadata table
          table function | SELECT * FROM TABLE("system".query(query => 'SELECT 1')) | 1 | 15 | [rule no-table-functions] table functions are not allowed
          other schema | SELECT user_id, email FROM raw.users | 1 | 28 | [rule allowed-schemas] raw.users is in schema iceberg.raw, which ad-hoc spines may not read (allowed: iceberg.dwh)
          other schema in a join | SELECT i.user_id FROM dwh.impressions i JOIN raw.users u ON u.user_id = i.user_id | 1 | 46 | [rule allowed-schemas] raw.users is in schema iceberg.raw
          other catalog | SELECT * FROM tpch.sf1.customer | 1 | 15 | [rule allowed-schemas] tpch.sf1.customer is in schema tpch.sf1
          no schema | SELECT * FROM impressions | 1 | 15 | [rule allowed-schemas] table impressions names no schema
          """)
  void forbiddenShapesAreRefusedBeforeTheWarehouseIsAsked(
      String shape, String sql, int line, int column, String message) {
    assertThatThrownBy(() -> guard.check(sql, ORIGIN))
        .as(shape)
        .isInstanceOf(ForbiddenSpineException.class)
        .satisfies(
            e -> {
              var problem = ((RepositoryException) e).diagnostics().getFirst();
              assertThat(problem.message()).startsWith(message);
              assertThat(problem.position().line()).isEqualTo(line);
              assertThat(problem.position().column()).isEqualTo(column);
            });
    assertThat(warehouse.lookups).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          the system catalog unquoted (SYSTEM is a keyword) | SELECT q.* FROM system.runtime.queries q | [rule one-query] syntax error at 'system'
          two statements | SELECT 1 AS user_id; SELECT * FROM system.runtime.queries | [rule one-query]
          a write | INSERT INTO dwh.impressions VALUES (1, 2, TIMESTAMP '2024-01-01 00:00:00', true) | [rule one-query] the spine is a query
          closing the describe wrapper | SELECT 1 AS user_id) UNION ALL (SELECT * FROM system.runtime.queries | [rule one-query] syntax error
          an unclosed comment | SELECT 1 AS user_id /* | [rule one-query]
          """)
  void whatIsNotOneQueryIsRefused(String shape, String sql, String message) {
    assertThatThrownBy(() -> guard.check(sql, ORIGIN))
        .as(shape)
        .isInstanceOf(RepositoryException.class)
        .isNotInstanceOf(ForbiddenSpineException.class)
        .satisfies(
            e ->
                assertThat(((RepositoryException) e).diagnostics().getFirst().message())
                    .startsWith(message));
    assertThat(warehouse.lookups).isEmpty();
  }

  @Test
  void anUnknownColumnFailsValidationAtItsPlace() {
    assertThatThrownBy(() -> guard.check("SELECT user_idd FROM dwh.impressions", ORIGIN))
        .isInstanceOf(RepositoryException.class)
        .satisfies(
            e -> {
              var problem = ((RepositoryException) e).diagnostics().getFirst();
              assertThat(problem.message()).startsWith("[rule valid] unknown column user_idd");
              assertThat(problem.position().column()).isEqualTo(8);
            });
  }

  @Test
  void anAllowListAddsSchemasButNeverMetadata() {
    SpineGuard wider =
        new SpineGuard(
            warehouse,
            SpineGuard.Policy.of("iceberg", List.of(), Set.of("iceberg.dwh", "iceberg.raw")));
    assertThat(wider.check("SELECT user_id FROM raw.users", ORIGIN))
        .isEqualTo("SELECT \"user_id\"\nFROM \"raw\".\"users\"");
    assertThatThrownBy(() -> SpineGuard.Policy.checkSchemaName("system.runtime"))
        .hasMessageContaining("metadata");
    assertThatThrownBy(() -> SpineGuard.Policy.checkSchemaName("iceberg.information_schema"))
        .hasMessageContaining("metadata");
    assertThatThrownBy(() -> SpineGuard.Policy.checkSchemaName("dwh"))
        .hasMessageContaining("catalog.schema");
  }
}
