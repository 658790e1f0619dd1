/**
 * The online store's SPI: for each online view version, the latest value per entity, written with
 * event-time-conditional writes and read by key. {@link io.asof.online.OnlineStore} is the
 * interface, {@link io.asof.online.OnlineValues} what every store holds; {@link
 * io.asof.online.InMemoryOnlineStore} and {@link io.asof.online.CachingOnlineStore} (over any
 * store) live here, the DynamoDB store in {@code asof-online-dynamodb}. Every store passes the
 * contract in this module's test jar.
 */
package io.asof.online;
