/**
 * The registry: what has been applied (feature views, their versions, fingerprints and columns),
 * kept relationally through jOOQ in an embedded H2 file by default or in PostgreSQL.
 */
package io.asof.registry;
