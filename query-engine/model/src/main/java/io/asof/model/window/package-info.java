/**
 * An aggregation view as the compiler rewrites it for sliding windows ({@link
 * io.asof.model.window.WindowedAggregation}): its events, running states and outputs, which the
 * registry keeps with an applied view and the online store evaluates; the statements that evaluate
 * it are the compiler's ({@code io.asof.compiler.window}).
 */
package io.asof.model.window;
