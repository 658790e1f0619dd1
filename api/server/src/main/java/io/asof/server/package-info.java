/** The HTTP API: JSON under {@code /v1}, on Javalin (Jetty 12, virtual threads). */
package io.asof.server;
