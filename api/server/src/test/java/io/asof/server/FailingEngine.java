package io.asof.server;

import io.asof.engine.QueryEngine;
import io.asof.engine.QueryResult;
import io.asof.engine.QueryStats;
import io.asof.engine.RowConsumer;
import io.asof.model.Column;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A fake engine for fault injection: every statement fails with what {@code failure} gives, after
 * waiting for {@link #release} when built blocking (to hold a request inside the engine).
 */
final class FailingEngine implements QueryEngine {
  private final Supplier<? extends Throwable> failure;
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released;

  FailingEngine(Supplier<? extends Throwable> failure, boolean blocking) {
    this.failure = failure;
    this.released = new CountDownLatch(blocking ? 1 : 0);
  }

  /** Waits until a statement is inside the engine. */
  boolean awaitEntered() throws InterruptedException {
    return entered.await(10, TimeUnit.SECONDS);
  }

  /** Lets the statements waiting inside go on (and fail). */
  void release() {
    released.countDown();
  }

  private RuntimeException fail() {
    entered.countDown();
    try {
      released.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Throwable thrown = failure.get();
    if (thrown instanceof Error error) {
      throw error;
    }
    return (RuntimeException) thrown;
  }

  @Override
  public QueryStats execute(String sql) {
    throw fail();
  }

  @Override
  public QueryResult query(String sql) {
    throw fail();
  }

  @Override
  public QueryStats stream(String sql, RowConsumer consumer) {
    throw fail();
  }

  @Override
  public List<Column> describe(String sql) {
    throw fail();
  }

  @Override
  public String explain(String sql) {
    throw fail();
  }

  @Override
  public void close() {}
}
