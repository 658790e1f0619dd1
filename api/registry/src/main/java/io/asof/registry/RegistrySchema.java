package io.asof.registry;

import static io.asof.registry.RegistryTables.FLYWAY_HISTORY;
import static io.asof.registry.RegistryTables.FLYWAY_SUCCESS;
import static io.asof.registry.RegistryTables.FLYWAY_VERSION;
import static io.asof.registry.RegistryTables.OLD_HISTORY;
import static io.asof.registry.RegistryTables.OLD_HISTORY_VERSION;
import static java.util.Objects.requireNonNull;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.unquotedName;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Brings a registry database to the newest schema version with Flyway, which applies the versions
 * of {@link Migrations} in order, each once, each in its own transaction with the row that records
 * it in {@code asof_flyway_schema_history}; and which, on PostgreSQL, holds an advisory lock while
 * it does, so that servers and commands opening one registry at the same moment wait for each other
 * instead of failing, and each version still runs once.
 *
 * <p>A registry without Flyway's history is baselined first: at the highest version in {@code
 * asof_schema_history} when the registry's own runner (before Flyway) left one, so that nothing it
 * applied runs again; otherwise at 0, so that every version runs, also in a PostgreSQL schema that
 * holds other tables. Processes doing this at the same moment baseline alike, which Flyway accepts.
 * The old history is kept as it was, the record of when those versions ran; nothing writes it.
 *
 * <p>Where Flyway's history already records the newest version (or a newer one, from a newer Asof),
 * Flyway is not started: that is one query, and the server opens the registry for every request.
 */
final class RegistrySchema {
  private final RegistryConfig config;
  private final SQLDialect dialect;

  RegistrySchema(RegistryConfig config, SQLDialect dialect) {
    this.config = requireNonNull(config, "config is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
  }

  /**
   * Brings the database {@code ctx} is connected to (the one the config names) to the newest
   * version; returns the version it is at.
   */
  int migrate(DSLContext ctx) {
    boolean history = exists(ctx, FLYWAY_HISTORY);
    if (history) {
      int current = current(ctx);
      if (current >= Migrations.latest()) {
        return current;
      }
    }
    try {
      if (!history) {
        if (exists(ctx, OLD_HISTORY)) {
          Integer version =
              ctx.select(max(OLD_HISTORY_VERSION)).from(OLD_HISTORY).fetchOne(0, Integer.class);
          int at = version == null ? 0 : version;
          baseline(at, "asof_schema_history at version " + at);
        } else {
          baseline(0, "before the first version");
        }
      }
      flyway().load().migrate();
    } catch (FlywayException e) {
      throw new RegistryException(
          "cannot bring the registry at %s to schema version %d: %s"
              .formatted(config.jdbcUrl(), Migrations.latest(), e.getMessage()),
          e);
    }
    return current(ctx);
  }

  private void baseline(int version, String description) {
    flyway()
        .baselineVersion(Integer.toString(version))
        .baselineDescription(description)
        .load()
        .baseline();
  }

  private FluentConfiguration flyway() {
    return Flyway.configure(RegistrySchema.class.getClassLoader())
        .dataSource(config.jdbcUrl(), config.user(), config.password())
        .table(FLYWAY_HISTORY.getName())
        // the versions are the Java migrations given here: no locations to scan for scripts
        .locations(new Location[0])
        .skipDefaultResolvers(true)
        .skipDefaultCallbacks(true)
        .javaMigrations(
            Migrations.all().stream()
                .map(migration -> new JooqJavaMigration(migration, dialect))
                .toArray(JavaMigration[]::new));
  }

  /** The version the database is at: the highest Flyway recorded as applied (0 for none). */
  static int current(DSLContext ctx) {
    Integer version =
        ctx.select(max(FLYWAY_VERSION.cast(SQLDataType.INTEGER)))
            .from(FLYWAY_HISTORY)
            .where(FLYWAY_SUCCESS.isTrue())
            .fetchOne(0, Integer.class);
    return version == null ? 0 : version;
  }

  /** Whether {@code table} is in the connection's current schema, where Flyway keeps its own. */
  private static boolean exists(DSLContext ctx, Table<?> table) {
    return ctx.fetchExists(
        DSL.selectOne()
            .from(table(unquotedName("information_schema", "tables")))
            .where(field(unquotedName("table_schema")).eq(DSL.currentSchema()))
            .and(field(unquotedName("table_name")).eq(table.getName())));
  }
}
