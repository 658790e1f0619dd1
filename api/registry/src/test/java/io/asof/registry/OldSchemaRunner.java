package io.asof.registry;

import static org.jooq.impl.DSL.constraint;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * The registry's own schema runner from before Flyway, kept to build registries as it left them:
 * the versions applied in order, each once, each in its own transaction with its row in {@code
 * asof_schema_history} (version, description, applied_at).
 */
final class OldSchemaRunner {
  static final Table<Record> HISTORY = table(name("asof_schema_history"));
  static final Field<Integer> VERSION = field(name("version"), SQLDataType.INTEGER.notNull());
  static final Field<String> DESCRIPTION =
      field(name("description"), SQLDataType.VARCHAR(200).notNull());
  static final Field<OffsetDateTime> APPLIED_AT =
      field(name("applied_at"), SQLDataType.TIMESTAMPWITHTIMEZONE.notNull());

  private OldSchemaRunner() {}

  /** Brings the database to {@code target}, as the old runner did; returns the version it is at. */
  static int migrate(DSLContext ctx, int target) {
    ctx.createTableIfNotExists(HISTORY)
        .columns(VERSION, DESCRIPTION, APPLIED_AT)
        .constraints(constraint("asof_schema_history_pk").primaryKey(VERSION))
        .execute();
    int current = current(ctx);
    for (Migrations.Migration migration : Migrations.all()) {
      if (migration.version() > current && migration.version() <= target) {
        ctx.transaction(
            configuration -> {
              DSLContext tx = configuration.dsl();
              migration.change().accept(tx);
              tx.insertInto(HISTORY)
                  .set(VERSION, migration.version())
                  .set(DESCRIPTION, migration.description())
                  .set(APPLIED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                  .execute();
            });
      }
    }
    return current(ctx);
  }

  static int current(DSLContext ctx) {
    Integer version = ctx.select(max(VERSION)).from(HISTORY).fetchOne(0, Integer.class);
    return version == null ? 0 : version;
  }

  /** The versions its history records, in order. */
  static List<Integer> versions(DSLContext ctx) {
    return ctx.select(VERSION).from(HISTORY).orderBy(VERSION).fetch(VERSION);
  }
}
