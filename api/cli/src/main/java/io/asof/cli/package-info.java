/** The {@code asof} command line. */
package io.asof.cli;
