/**
 * The feature compiler: parses and validates feature SQL with Calcite against the live warehouse,
 * checks keys and event time, and rejects leakage hazards. Calcite types never leave this package.
 */
package io.asof.compiler;
