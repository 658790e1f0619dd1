/**
 * Push ingestion: pushed rows made durable, served online at once and committed offline in
 * micro-batches.
 *
 * <p>Which view version a push goes to is decided here, by {@link io.asof.push.PushViewCatalog},
 * from the registry's applied views and online groups (this module depends on the registry's types
 * for that). The snapshot it reads is the server's: the server keeps one copy of the registry,
 * refreshed in the background, for online reads and pushes alike, so it hands that copy in through
 * {@link io.asof.push.PushViewCatalog.Source} rather than this module reading the registry on every
 * push.
 */
package io.asof.push;
