/**
 * The statements whose spelling differs between the engines Asof runs on, Trino 476 and Amazon
 * Athena engine v3: one {@link io.asof.compiler.dialect.EngineDialect} per engine; everything else
 * Asof generates is the same on both (docs/athena.md lists both sides).
 */
package io.asof.compiler.dialect;
