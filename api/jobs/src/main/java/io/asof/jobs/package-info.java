/**
 * The jobs Asof runs for the CLI and the server alike: training sets compiled, queried and built;
 * and the plan of an apply ({@link io.asof.jobs.ApplyPlanner}), which compares compiled views with
 * what the registry recorded.
 */
package io.asof.jobs;
