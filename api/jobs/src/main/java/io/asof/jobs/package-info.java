/**
 * The jobs Asof runs for the CLI and the server alike: training sets compiled, queried and built.
 */
package io.asof.jobs;
