/**
 * SQL of push views' storage: the Iceberg table each version's pushed rows are committed to, and
 * the query that reads it as the view.
 */
package io.asof.compiler.push;
