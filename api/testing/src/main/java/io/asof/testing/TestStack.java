package io.asof.testing;

import io.asof.local.StackEndpoints;

/** A running stack that tests share; closed once when the test JVM's tests are done. */
public interface TestStack extends AutoCloseable {
  /** How to reach it. */
  StackEndpoints endpoints();

  /** Which mode started it. */
  StackMode mode();

  @Override
  void close();
}
