/**
 * Aggregation views evaluated over sliding windows at every time t: what the compiler makes of a
 * {@code SELECT ... GROUP BY <keys>} with {@code -- windows:} ({@link
 * io.asof.compiler.window.WindowedAggregation}), and the statements that evaluate it ({@link
 * io.asof.compiler.window.WindowSql}).
 */
package io.asof.compiler.window;
