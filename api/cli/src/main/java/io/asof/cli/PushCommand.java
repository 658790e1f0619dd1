package io.asof.cli;

import io.asof.push.client.AsofPushClient;
import io.asof.push.client.PushFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code asof push VIEW --file rows.ndjson}: the rows of a file pushed to a running server, in
 * batches, every batch checked first so that a bad line stops the push before any row is taken.
 */
@Command(
    name = "push",
    description =
        "Push the rows of an NDJSON file (one JSON object per line) to a push view of a running ./asof serve, in batches; every batch is checked first, so a bad line is reported (with its line number) before any row is taken.")
final class PushCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "VIEW", description = "The push view.")
  String view;

  @Option(
      names = "--file",
      paramLabel = "FILE",
      required = true,
      description = "The rows, one JSON object per line (NDJSON); blank lines are skipped.")
  Path file;

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:18081",
      description = "The server (./asof serve) to push to (default: ${DEFAULT-VALUE}).")
  URI server;

  @Option(
      names = "--batch-rows",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Rows per push (default: ${DEFAULT-VALUE}).")
  int batchRows;

  @Option(
      names = "--no-check",
      description = "Do not check every batch before pushing the first (one pass over the file).")
  boolean noCheck;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "An API token with the write role, when the server has auth on (default: $ASOF_TOKEN).")
  String token;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--file: no such file: " + file);
    }
    if (batchRows < 1) {
      throw new IllegalArgumentException("--batch-rows must be at least 1, got " + batchRows);
    }
    AsofPushClient.Builder builder = AsofPushClient.builder(server);
    String apiToken = token != null ? token : System.getenv("ASOF_TOKEN");
    if (apiToken != null && !apiToken.isBlank()) {
      builder.token(apiToken);
    }
    AsofPushClient client = builder.build();
    long started = System.nanoTime();
    AtomicLong rows = new AtomicLong();
    out.printf(
        "Pushing %s to %s at %s%s ...%n",
        file, view, server, noCheck ? "" : " (every batch checked first)");
    out.flush();
    List<AsofPushClient.Pushed> pushed;
    try {
      pushed =
          client.pushFile(
              view,
              file,
              batchRows,
              !noCheck,
              one -> {
                long total = rows.addAndGet(one.rows());
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf(
                    "  %,d rows taken (sequence %d)  %.1f s  %,.0f rows/s%n",
                    total, one.sequence(), seconds, total / Math.max(seconds, 1e-3));
                out.flush();
              });
    } catch (PushFailedException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "asof push: %s%s%n",
          e.getMessage(),
          rows.get() == 0
              ? "; nothing was taken"
              : "; %,d rows before it were taken%s"
                  .formatted(
                      rows.get(), e.mayHaveBeenTaken() ? " (and this batch may have been)" : ""));
      if (e.status() == 0) {
        err.println("  Is the server running? Start it with ./asof serve");
      }
      err.flush();
      return 1;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(
        "Pushed %,d rows to %s in %d batches in %.1f s (%,.0f rows/s): durable now, committed to the view's table with the next micro-batch.%n",
        rows.get(), view, pushed.size(), seconds, rows.get() / Math.max(seconds, 1e-3));
    out.flush();
    return 0;
  }
}
