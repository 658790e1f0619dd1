/** Warehouse metadata from the AWS Glue Data Catalog, for validating feature SQL on Athena. */
package io.asof.catalog.glue;
