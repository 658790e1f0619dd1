/**
 * The write-ahead log of push ingestion: pushed batches made durable on local disk,
 * group-committed, replayed after a crash until they are committed to the views' tables and
 * released.
 */
package io.asof.push.log;
