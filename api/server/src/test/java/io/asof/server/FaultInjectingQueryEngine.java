package io.asof.server;

import io.asof.engine.ForwardingQueryEngine;
import io.asof.engine.QueryEngine;
import io.asof.engine.QueryProgress;
import io.asof.engine.QueryStats;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A query engine that runs everything on a real one, except that a statement it was told about
 * fails once <em>after</em> the real engine ran it: a statement that took effect but whose answer
 * was lost. The failure waits until the test lets it go, so the test can act in between.
 */
final class FaultInjectingQueryEngine extends ForwardingQueryEngine {
  private final QueryEngine delegate;
  private final AtomicReference<Fault> armed = new AtomicReference<>();

  FaultInjectingQueryEngine(QueryEngine delegate) {
    this.delegate = delegate;
  }

  @Override
  protected QueryEngine delegate() {
    return delegate;
  }

  /** The next statement {@code matching} runs on the real engine, then fails. */
  Fault failAfter(Predicate<String> matching) {
    Fault fault = new Fault(matching);
    if (!armed.compareAndSet(null, fault)) {
      throw new IllegalStateException("a fault is armed already");
    }
    return fault;
  }

  /** One injected failure: reached once the statement ran, thrown once released. */
  static final class Fault {
    private final Predicate<String> matching;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    private Fault(Predicate<String> matching) {
      this.matching = matching;
    }

    /** Waits until the statement ran on the real engine; false when it did not in time. */
    boolean reached(Duration timeout) throws InterruptedException {
      return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets the statement's caller see its failure. */
    void release() {
      released.countDown();
    }
  }

  @Override
  public QueryStats execute(String sql) {
    Fault fault = armed.get();
    if (fault == null || !fault.matching.test(sql) || !armed.compareAndSet(fault, null)) {
      return delegate.execute(sql);
    }
    delegate.execute(sql);
    fault.reached.countDown();
    try {
      if (!fault.released.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released its fault");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException(
        "connection reset (a fault of the test, after the statement ran)");
  }

  @Override
  public QueryStats execute(String sql, Consumer<QueryProgress> progress) {
    return execute(sql);
  }
}
