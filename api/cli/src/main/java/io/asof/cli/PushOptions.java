package io.asof.cli;

import io.asof.push.PushConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where and how {@code asof serve} takes pushed rows: its log, staging and commit settings. */
final class PushOptions {
  /** Under the local stack's warehouse, which its Trino reads as {@code local:///}. */
  static final String LOCAL_STAGING = "asof_push_staging";

  @Option(
      names = "--push-log",
      paramLabel = "DIR",
      description =
          "The push log (write-ahead log of pushed rows) on local disk; one server at a time (default: push-log in the state directory).")
  Path log;

  @Option(
      names = "--push-staging-dir",
      paramLabel = "DIR",
      description =
          "Where micro-batches of pushed rows are written as Parquet files before they are committed; Trino must read it as --push-staging-uri (default: the local stack's warehouse/asof_push_staging).")
  Path stagingDir;

  @Option(
      names = "--push-staging-uri",
      paramLabel = "URI",
      description =
          "--push-staging-dir as Trino's Iceberg catalog reads it (default with the local stack: local:///asof_push_staging).")
  URI stagingUri;

  @Option(
      names = "--push-commit-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "The longest a pushed row waits for its micro-batch commit (default: ${DEFAULT-VALUE}).")
  String commitInterval;

  @Option(
      names = "--push-commit-rows",
      paramLabel = "N",
      defaultValue = "" + PushConfig.DEFAULT_COMMIT_ROWS,
      description =
          "A view's micro-batch is committed as soon as this many rows wait (default: ${DEFAULT-VALUE}).")
  int commitRows;

  @Option(
      names = "--push-max-buffered-rows",
      paramLabel = "N",
      defaultValue = "" + PushConfig.DEFAULT_MAX_BUFFERED_ROWS,
      description =
          "The most rows of one view waiting for a commit; pushes beyond get 429 with Retry-After (default: ${DEFAULT-VALUE}).")
  int maxBufferedRows;

  /**
   * The configuration, or empty when pushes cannot be committed: an external Trino without a
   * staging directory it reads.
   */
  Optional<PushConfig> config(StackOptions stack, boolean localTrino) {
    Path logDir = log != null ? log : stack.stateDir().resolve("push-log");
    Path dir = stagingDir;
    URI uri = stagingUri;
    if (dir == null && uri == null && localTrino) {
      dir = stack.config().warehouse().resolve(LOCAL_STAGING);
      uri = URI.create("local:///" + LOCAL_STAGING);
    }
    if (dir == null || uri == null) {
      if (dir != null || uri != null) {
        throw new IllegalArgumentException(
            "give both --push-staging-dir and --push-staging-uri (the same directory as this machine and as Trino see it)");
      }
      return Optional.empty();
    }
    Duration interval = ChunkOptions.duration("--push-commit-interval", commitInterval);
    return Optional.of(
        PushConfig.defaults(logDir.toAbsolutePath(), dir.toAbsolutePath(), uri)
            .withCommits(interval, commitRows)
            .withMaxBufferedRows(maxBufferedRows));
  }
}
