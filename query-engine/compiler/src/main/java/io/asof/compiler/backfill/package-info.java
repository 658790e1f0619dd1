/**
 * SQL a backfill runs on a staged chunk of a view's rows before committing it: the checks of the
 * view's expectations, and the chunk's statistics per feature.
 */
package io.asof.compiler.backfill;
