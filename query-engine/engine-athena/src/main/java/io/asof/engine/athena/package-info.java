/** The query-engine SPI over Amazon Athena engine v3, through the AWS SDK v2. */
package io.asof.engine.athena;
