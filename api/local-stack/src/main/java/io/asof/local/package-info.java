/**
 * The embedded local stack: Trino 476 with an Iceberg catalog, and DynamoDB Local, run as processes
 * on loopback from the layout Maven made, with their state under one directory.
 */
package io.asof.local;
