/**
 * The registry: what has been applied (feature views, their versions, fingerprints and columns),
 * kept relationally through jOOQ in an embedded H2 file by default or in PostgreSQL.
 *
 * <p>Its schema has versions: {@link io.asof.registry.Migrations} writes each with jOOQ's DDL, one
 * list for both databases, and {@link io.asof.registry.RegistrySchema} has Flyway apply them when a
 * store opens, recording them in {@code asof_flyway_schema_history}. Flyway rather than a runner of
 * our own because it locks (a PostgreSQL advisory lock, so servers that open one registry at the
 * same moment wait for each other where the old runner failed all but one), validates what it
 * recorded, and is what operators and tools already know. Registries the old runner made (its
 * history in {@code asof_schema_history}) are baselined at their version, the old table kept.
 */
package io.asof.registry;
