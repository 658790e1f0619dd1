/**
 * Push ingestion: pushed rows made durable, served online at once and committed offline in
 * micro-batches.
 */
package io.asof.push;
