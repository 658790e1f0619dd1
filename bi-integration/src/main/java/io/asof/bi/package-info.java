/** What BI tools and JDBC clients see of Asof: published objects with their comments. */
package io.asof.bi;
