/**
 * What the warehouse holds, as the compiler sees it: catalogs, schemas, tables and typed columns.
 */
package io.asof.compiler.catalog;
