/** The news demo: a generated news-service warehouse that the example feature views read. */
package io.asof.features.examples.news;
