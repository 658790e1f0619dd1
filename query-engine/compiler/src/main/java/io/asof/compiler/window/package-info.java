/**
 * Aggregation views evaluated over sliding windows at every time t: the statements that evaluate
 * what the compiler makes of a {@code SELECT ... GROUP BY <keys>} with {@code -- windows:} ({@link
 * io.asof.model.window.WindowedAggregation}, in the model so that the registry can keep it without
 * the compiler): {@link io.asof.compiler.window.WindowSql}, its tiles and its evaluator.
 */
package io.asof.compiler.window;
