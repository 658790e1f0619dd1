/** The query-engine SPI: what Asof asks of Trino, Athena or any other SQL engine. */
package io.asof.engine;
