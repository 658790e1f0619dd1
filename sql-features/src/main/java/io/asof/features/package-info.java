/** The feature repository: its file format, and the example repositories with their data. */
package io.asof.features;
