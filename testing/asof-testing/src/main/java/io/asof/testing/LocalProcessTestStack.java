package io.asof.testing;

import io.asof.local.LocalStack;
import io.asof.local.LocalStackConfig;
import io.asof.local.StackEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The local stack started for one test JVM, on free ports, under {@code target/}. */
final class LocalProcessTestStack implements TestStack {
  private final LocalStack stack;
  private final StackEndpoints endpoints;

  private LocalProcessTestStack(LocalStack stack, StackEndpoints endpoints) {
    this.stack = stack;
    this.endpoints = endpoints;
  }

  static LocalProcessTestStack start() {
    LocalStack stack =
        new LocalStack(config(), message -> System.err.println("[asof-stack] " + message));
    // should the JVM be stopped before JUnit closes the stack, do not leave servers behind
    Runtime.getRuntime().addShutdownHook(new Thread(stack::down, "asof-test-stack-down"));
    try {
      return new LocalProcessTestStack(stack, stack.up().endpoints());
    } catch (RuntimeException e) {
      stack.down();
      throw e;
    }
  }

  /** A fresh state directory under target/ with free ports and DynamoDB tables in memory. */
  static LocalStackConfig config() {
    try {
      Path target = Files.createDirectories(Path.of("target"));
      Path stateDir = Files.createTempDirectory(target, "asof-stack-");
      return LocalStackConfig.defaults(stateDir, distDir())
          .withPorts(LocalStack.freePort(), LocalStack.freePort())
          .withDynamoDbStorage(LocalStackConfig.DynamoDbStorage.IN_MEMORY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The layout made by asof-local-stack-dist; Maven's surefire passes it as {@code asof.dist}. */
  static Path distDir() {
    String dist = System.getProperty("asof.dist", "");
    if (!dist.isBlank()) {
      return Path.of(dist);
    }
    // run from an IDE: walk up to the repository root
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("api/local-stack-dist/target/dist");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return Path.of("api/local-stack-dist/target/dist");
  }

  @Override
  public StackEndpoints endpoints() {
    return endpoints;
  }

  @Override
  public StackMode mode() {
    return StackMode.LOCAL;
  }

  @Override
  public java.util.Optional<Path> localWarehouse() {
    return java.util.Optional.of(stack.config().warehouse());
  }

  @Override
  public void stopServers() {
    stack.down();
  }

  @Override
  public void startServers() {
    StackEndpoints restarted = stack.up().endpoints();
    if (!restarted.equals(endpoints)) {
      throw new IllegalStateException("the stack came back elsewhere: " + restarted);
    }
  }

  @Override
  public void close() {
    stack.down();
  }
}
