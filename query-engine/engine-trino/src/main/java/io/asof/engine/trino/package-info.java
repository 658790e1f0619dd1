/** The query-engine SPI implemented over Trino's JDBC driver. */
package io.asof.engine.trino;
