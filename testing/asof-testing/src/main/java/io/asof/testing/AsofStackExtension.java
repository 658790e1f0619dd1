package io.asof.testing;

import io.asof.local.StackEndpoints;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests a real stack (Trino 476 with Iceberg, DynamoDB), started at most once per test JVM
 * and stopped when the JVM's tests end. Test methods and constructors may ask for a {@link
 * StackEndpoints} or a {@link TestStack}.
 *
 * <p>The mode comes from {@code -Dasof.stack.mode=local|testcontainers|external} (local by
 * default). When the chosen mode's components are absent (no Docker engine, no external cluster
 * named) the tests are skipped with that reason; when they are present but fail to start, the tests
 * fail, and the cause is reported once and reused rather than retried for every class.
 */
public final class AsofStackExtension
    implements ExecutionCondition, BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(AsofStackExtension.class);

  /**
   * Disables every test (and so its class) when the chosen mode's components are absent here, with
   * the reason, so reports list each test as skipped and say why.
   */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    SharedStack shared = shared(context);
    if (shared.failure instanceof StackUnavailableException) {
      return ConditionEvaluationResult.disabled(shared.failure.getMessage());
    }
    return ConditionEvaluationResult.enabled("the test stack is available");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    stack(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == StackEndpoints.class || type == TestStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
      throws ParameterResolutionException {
    TestStack stack = stack(context);
    return parameter.getParameter().getType() == TestStack.class ? stack : stack.endpoints();
  }

  private static TestStack stack(ExtensionContext context) {
    return shared(context).get();
  }

  private static SharedStack shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedStack.class, key -> SharedStack.start(), SharedStack.class);
  }

  /** The one stack of this JVM, or why there is none. */
  private static final class SharedStack implements AutoCloseable {
    private final TestStack stack;
    private final RuntimeException failure;

    private SharedStack(TestStack stack, RuntimeException failure) {
      this.stack = stack;
      this.failure = failure;
    }

    static SharedStack start() {
      try {
        TestStack stack =
            switch (StackMode.selected()) {
              case LOCAL -> LocalProcessTestStack.start();
              case TESTCONTAINERS -> ContainerTestStack.start();
              case EXTERNAL -> ExternalTestStack.start();
            };
        return new SharedStack(stack, null);
      } catch (RuntimeException e) {
        return new SharedStack(null, e);
      }
    }

    TestStack get() {
      if (failure instanceof StackUnavailableException) {
        Assumptions.abort(failure.getMessage());
      }
      if (failure != null) {
        throw new IllegalStateException(
            "the test stack did not start: " + failure.getMessage(), failure);
      }
      return stack;
    }

    @Override
    public void close() {
      if (stack != null) {
        stack.close();
      }
    }
  }
}
