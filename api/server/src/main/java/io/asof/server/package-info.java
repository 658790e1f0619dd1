/**
 * The HTTP API: JSON under {@code /v1}, on Javalin (Jetty 12, virtual threads). Each reply of a
 * fixed shape is a record (e.g. {@code CatalogReplies}, {@code TrainingSetReplies}) that {@code
 * Json}'s Jackson mapper writes in component order; only maps keyed by data (a build's feature
 * versions, an SQL map value) stay maps.
 */
package io.asof.server;
