package io.asof.testing;

import io.asof.local.StackEndpoints;
import io.asof.local.TrinoReadiness;
import java.net.URI;
import java.time.Duration;

/** A cluster someone else runs, named by system properties; nothing is started or stopped. */
final class ExternalTestStack implements TestStack {
  private final StackEndpoints endpoints;

  private ExternalTestStack(StackEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  /** The cluster, or a reason to skip when its properties are missing. */
  static ExternalTestStack start() {
    String trino = System.getProperty("asof.trino.url", "").strip();
    String dynamoDb = System.getProperty("asof.dynamodb.endpoint", "").strip();
    if (trino.isEmpty() || dynamoDb.isEmpty()) {
      throw new StackUnavailableException(
          "external mode needs -Dasof.trino.url=http://host:port and -Dasof.dynamodb.endpoint=http://host:port");
    }
    URI trinoUri = URI.create(trino.replaceFirst("^jdbc:trino:", "http:"));
    StackEndpoints endpoints = StackEndpoints.of(trinoUri, URI.create(dynamoDb));
    TrinoReadiness.awaitWritable(endpoints, Duration.ofMinutes(1));
    return new ExternalTestStack(endpoints);
  }

  @Override
  public StackEndpoints endpoints() {
    return endpoints;
  }

  @Override
  public StackMode mode() {
    return StackMode.EXTERNAL;
  }

  @Override
  public void close() {
    // not ours to stop
  }
}
