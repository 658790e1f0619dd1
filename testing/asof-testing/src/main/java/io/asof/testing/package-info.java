/** Test support: one real stack per test JVM, handed to tests by a JUnit 5 extension. */
package io.asof.testing;
