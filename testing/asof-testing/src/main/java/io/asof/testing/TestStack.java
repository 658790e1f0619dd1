package io.asof.testing;

import io.asof.local.StackEndpoints;

/** A running stack that tests share; closed once when the test JVM's tests are done. */
public interface TestStack extends AutoCloseable {
  /** How to reach it. */
  StackEndpoints endpoints();

  /** Which mode started it. */
  StackMode mode();

  /**
   * The directory Trino's Iceberg catalog reads as {@code local:///}, when this machine sees it too
   * (a stack of local processes): where a test can put files for Trino to add to tables.
   */
  default java.util.Optional<java.nio.file.Path> localWarehouse() {
    return java.util.Optional.empty();
  }

  /**
   * Stops the stack's servers, as a fault test needs: Trino gone mid-job. Only a stack this JVM
   * started can; {@link #startServers} brings it back on the same ports with the same state.
   *
   * @throws UnsupportedOperationException for a stack this JVM did not start
   */
  default void stopServers() {
    throw new UnsupportedOperationException("a " + mode() + " stack is not stopped by tests");
  }

  /** Starts the servers {@link #stopServers} stopped, and waits until they are ready. */
  default void startServers() {
    throw new UnsupportedOperationException("a " + mode() + " stack is not started by tests");
  }

  @Override
  void close();
}
