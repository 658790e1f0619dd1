package io.asof.registry;

import static java.util.Objects.requireNonNull;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * One schema version as a Flyway Java migration: its jOOQ change runs on the connection Flyway
 * hands over, in the transaction in which Flyway also records the version.
 */
record JooqJavaMigration(Migrations.Migration migration, SQLDialect dialect)
    implements JavaMigration {
  JooqJavaMigration {
    requireNonNull(migration, "migration is null");
    requireNonNull(dialect, "dialect is null");
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion(Integer.toString(migration.version()));
  }

  @Override
  public String getDescription() {
    return migration.description();
  }

  @Override
  public Integer getChecksum() {
    // the change is code, not a script: there is no text to sum (Flyway checks the description)
    return null;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) {
    migration.change().accept(DSL.using(context.getConnection(), dialect));
  }
}
