package io.asof.cli;

import io.asof.engine.MeteredQueryEngine;
import io.asof.registry.CostLedger;
import io.asof.registry.JobCost;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;

/** Records what a job's statements cost in the registry, and says so. */
final class JobCosts {
  private JobCosts() {}

  static void record(
      CostLedger registry,
      String kind,
      String job,
      String engine,
      MeteredQueryEngine.Usage usage,
      PrintWriter out) {
    registry.recordCost(
        new JobCost(
            kind,
            job,
            engine,
            usage.statements(),
            usage.bytesScanned(),
            usage.costUsd(),
            usage.elapsed(),
            Instant.now()));
    out.printf(
        "Cost: %,d statements on %s, %s scanned%s (recorded in the registry as %s %s).%n",
        usage.statements(),
        engine,
        bytes(usage.bytesScanned()),
        usage.costUsd().isPresent()
            ? String.format(Locale.ROOT, ", $%.4f", usage.costUsd().getAsDouble())
            : "",
        kind,
        job);
  }

  static String bytes(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%,d bytes", bytes);
    }
    return bytes < 1024L * 1024 * 1024
        ? String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024))
        : String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
  }
}
