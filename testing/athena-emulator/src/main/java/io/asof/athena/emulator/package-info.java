/**
 * A test fixture: a local emulator of the Amazon Athena and AWS Glue APIs that runs Athena's SQL on
 * the local Trino. Not a product feature; see {@code docs/athena-emulator.md}.
 */
package io.asof.athena.emulator;
