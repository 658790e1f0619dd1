/**
 * The online store: for each online view version, the latest value per entity, written with
 * event-time-conditional writes and read by key. {@link io.asof.online.OnlineStore} is the
 * interface; AWS SDK types never leave this module.
 */
package io.asof.online;
