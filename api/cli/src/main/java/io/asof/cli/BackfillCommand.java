package io.asof.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.asof.cli.RepositoryCommand.RepositoryOptions;
import io.asof.compiler.backfill.ExpectationFailure;
import io.asof.engine.MeteredQueryEngine;
import io.asof.jobs.BackfillListener;
import io.asof.jobs.BackfillService;
import io.asof.model.Diagnostic;
import io.asof.model.Durations;
import io.asof.model.RepositoryException;
import io.asof.registry.BackfillChunk;
import io.asof.registry.BackfillJob;
import io.asof.registry.JooqRegistryStore;
import io.asof.registry.Lease;
import io.asof.registry.RegistryStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code asof backfill VIEW --from T1 --to T2}: recomputes a materialized view's rows for a range
 * into its Iceberg table, one commit per chunk; {@code --resume JOB} finishes a failed or
 * interrupted job; {@code --list} shows a view's jobs.
 */
@Command(
    name = "backfill",
    description =
        "Recompute a materialized view for a time range into its Iceberg table <catalog>.features.<view>__v<N>: one atomic commit per chunk, checked against the view's expectations first; resumable.")
final class BackfillCommand implements Callable<Integer> {
  private static final int BAR = 20;

  @Mixin StackOptions stackOptions;
  @Mixin EngineOptions trinoOptions;
  @Mixin RepositoryOptions repositoryOptions;
  @Mixin ChunkOptions chunkOptions;
  @Mixin OnlineOptions onlineOptions;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "VIEW",
      description = "The materialized view to backfill (not with --resume).")
  String view;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "First event time to fill, inclusive: 2026-01-01 or 2026-01-01T06:00 (UTC).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "End of the range, exclusive; 'now' for the current time.")
  String to;

  @Option(
      names = "--resume",
      paramLabel = "JOB",
      description = "Run the chunks of a failed or interrupted job that are not committed.")
  String resume;

  @Option(names = "--list", description = "List the view's backfill jobs, newest first.")
  boolean list;

  @Option(
      names = "--json",
      description =
          "With --list: print the jobs as one JSON object (see docs/cli.md) instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (resume == null && view == null) {
      throw new IllegalArgumentException(
          "name the view to backfill (./asof backfill VIEW --from T1 --to T2), or --resume JOB");
    }
    if (resume != null && (view != null || from != null || to != null)) {
      throw new IllegalArgumentException(
          "--resume JOB runs the job's own view and range: leave out VIEW, --from and --to");
    }
    if (json && !list) {
      throw new IllegalArgumentException(
          "--json goes with --list (./asof backfill VIEW --list --json); a backfill prints its progress as text");
    }
    if (resume == null && !list && (from == null || to == null)) {
      throw new IllegalArgumentException(
          "a backfill needs its range: --from TIME --to TIME (e.g. --from 2026-01-01 --to now)");
    }
    // what starting the local stack prints stays out of the JSON a script reads
    PrintWriter progress = json ? err : out;
    try (MeteredQueryEngine engine =
            new MeteredQueryEngine(trinoOptions.open(stackOptions, progress));
        RegistryStore registry =
            JooqRegistryStore.open(repositoryOptions.registryConfig(stackOptions))) {
      BackfillService service =
          new BackfillService(
              engine,
              trinoOptions.dialect(),
              registry,
              repositoryOptions.repo,
              trinoOptions.catalog());
      if (list) {
        return json ? json(out, service.jobs(view)) : list(out, service.jobs(view));
      }
      Instant start = null;
      Instant end = null;
      if (resume == null) {
        // a range that cannot be backfilled is refused before the lease is taken
        start = time(from);
        end = time(to);
        BackfillService.chunks(start, end, chunkOptions.chunk());
      }
      // one writer of the view version's table at a time, from before the job is recorded until
      // its last commit (and the online store's update after it)
      Lease lease;
      try {
        lease = resume != null ? service.leaseOfJob(resume) : service.lease(view, "backfill");
      } catch (RepositoryException e) {
        return problems(err, e);
      }
      try (lease) {
        BackfillJob job;
        try {
          if (resume != null) {
            job = service.resume(resume);
          } else {
            job = service.start(view, start, end, chunkOptions.chunk());
          }
        } catch (RepositoryException e) {
          return problems(err, e);
        }
        Instant started = Instant.now();
        BackfillJob after =
            service.run(
                lease, job, chunkOptions.parallel, new Progress(out, chunkOptions.parallel));
        JobCosts.record(
            registry, "backfill", after.id(), trinoOptions.engineName(), engine.usage(), out);
        if (after.status() != BackfillJob.Status.SUCCEEDED) {
          err.println("asof: backfill job " + after.id() + " failed: " + after.error().orElse(""));
          return 1;
        }
        summary(out, after, Duration.between(started, Instant.now()));
        OnlineCommand.update(
            engine,
            trinoOptions.dialect(),
            registry,
            repositoryOptions,
            trinoOptions.catalog(),
            stackOptions,
            onlineOptions,
            after.view(),
            after.from(),
            out);
      }
      return 0;
    }
  }

  private static int problems(PrintWriter err, RepositoryException e) {
    for (Diagnostic diagnostic : e.diagnostics()) {
      err.println(diagnostic.relativeTo(Path.of("").toAbsolutePath()));
    }
    err.printf(
        "%d problem%s; nothing was backfilled.%n",
        e.diagnostics().size(), e.diagnostics().size() == 1 ? "" : "s");
    return 1;
  }

  static Instant time(String text) {
    return text.strip().equalsIgnoreCase("now") ? Instant.now() : BackfillService.parseTime(text);
  }

  /** One line per committed chunk: a bar, chunks, rows, elapsed and the time left. */
  static final class Progress implements BackfillListener {
    private final PrintWriter out;
    private final int parallel;

    Progress(PrintWriter out, int parallel) {
      this.out = out;
      this.parallel = parallel;
    }

    @Override
    public void starting(BackfillJob job, List<BackfillChunk> chunks) {
      int committed = job.chunks().size() - chunks.size();
      out.printf(
          "%s %s from %s to %s: %d chunk%s of %s, %s (job %s)%s ...%n",
          committed > 0 ? "Resuming" : "Backfilling",
          job.table(),
          job.from(),
          job.to(),
          chunks.size(),
          chunks.size() == 1 ? "" : "s",
          Durations.format(job.chunk()),
          "up to %d at a time".formatted(Math.max(1, Math.min(chunks.size(), parallel))),
          job.id(),
          committed > 0 ? "; %d committed before".formatted(committed) : "");
      out.flush();
    }

    @Override
    public void committed(BackfillChunk chunk, int done, int total, long rows, Duration elapsed) {
      int filled = total == 0 ? BAR : done * BAR / total;
      Duration left = elapsed.multipliedBy(total - done).dividedBy(Math.max(done, 1));
      out.printf(
          "  [%s%s] %d/%d chunks  %,d rows  %s elapsed  ETA %s%n",
          "#".repeat(filled),
          "-".repeat(BAR - filled),
          done,
          total,
          rows,
          clock(elapsed),
          clock(left));
      out.flush();
    }

    @Override
    public void rejected(BackfillChunk chunk, List<ExpectationFailure> failures) {
      out.printf(
          "  chunk %d (%s to %s) breaks the view's expectations; not committed%n",
          chunk.index(), chunk.from(), chunk.to());
    }

    @Override
    public void published(String view, String table) {
      out.printf("  the published view of %s reads %s now%n", view, table);
    }
  }

  static void summary(PrintWriter out, BackfillJob job, Duration wall) {
    long rows = 0;
    long files = 0;
    long bytes = 0;
    for (BackfillChunk chunk : job.chunks()) {
      rows += chunk.rows();
      files += chunk.files();
      bytes += chunk.bytes();
    }
    out.printf(
        "Backfilled %s: %d chunks, %,d rows, %,d files, %s, in %.1f s (job %s).%n",
        job.table(),
        job.chunks().size(),
        rows,
        files,
        TrainingSetCommand.size(bytes),
        wall.toMillis() / 1000.0,
        job.id());
    out.println("  Iceberg snapshots of this job, one per chunk:");
    List<List<String>> table = new ArrayList<>();
    for (BackfillChunk chunk : job.chunks()) {
      table.add(
          List.of(
              String.valueOf(chunk.index()),
              chunk.from().toString(),
              chunk.to().toString(),
              "%,d".formatted(chunk.rows()),
              chunk.snapshotId().isPresent()
                  ? String.valueOf(chunk.snapshotId().getAsLong())
                  : "(no change)",
              String.valueOf(chunk.files()),
              TrainingSetCommand.size(chunk.bytes())));
    }
    out.print(
        TablePrinter.render(
            List.of("chunk", "from", "to", "rows", "snapshot", "files", "size"), table, "    "));
    out.printf(
        "  Read the table as of one of them: SELECT * FROM %s FOR VERSION AS OF <snapshot>%n",
        job.table());
  }

  private static int list(PrintWriter out, List<BackfillJob> jobs) {
    if (jobs.isEmpty()) {
      out.println("No backfill jobs.");
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (BackfillJob job : jobs) {
      long committed =
          job.chunks().stream().filter(c -> c.status() == BackfillChunk.Status.COMMITTED).count();
      rows.add(
          List.of(
              job.id(),
              "v" + job.version(),
              job.from().toString(),
              job.to().toString(),
              job.status().name().toLowerCase(java.util.Locale.ROOT),
              committed + "/" + job.chunks().size(),
              "%,d".formatted(job.chunks().stream().mapToLong(BackfillChunk::rows).sum()),
              job.startedAt().toString()));
    }
    out.print(
        TablePrinter.render(
            List.of("job", "version", "from", "to", "status", "chunks", "rows", "started"),
            rows,
            ""));
    return 0;
  }

  private static int json(PrintWriter out, List<BackfillJob> jobs) {
    JsonOutput output = new JsonOutput();
    output.print(out, output.list("jobs", jobs, BackfillCommand::json));
    return 0;
  }

  private static void json(ObjectNode one, BackfillJob job) {
    one.put("job", job.id());
    one.put("view", job.view());
    one.put("version", job.version());
    one.put("table", job.table());
    one.put("from", job.from().toString());
    one.put("to", job.to().toString());
    one.put("chunk_ms", job.chunk().toMillis());
    one.put("status", job.status().name().toLowerCase(java.util.Locale.ROOT));
    one.put("started_at", job.startedAt().toString());
    JsonOutput.putTime(one, "finished_at", job.finishedAt());
    one.put("error", job.error().orElse(null));
    one.put("rows", job.chunks().stream().mapToLong(BackfillChunk::rows).sum());
    ArrayNode chunks = one.putArray("chunks");
    for (BackfillChunk chunk : job.chunks()) {
      ObjectNode c = chunks.addObject();
      c.put("index", chunk.index());
      c.put("from", chunk.from().toString());
      c.put("to", chunk.to().toString());
      c.put("status", chunk.status().name().toLowerCase(java.util.Locale.ROOT));
      c.put("rows", chunk.rows());
      if (chunk.snapshotId().isPresent()) {
        c.put("snapshot_id", chunk.snapshotId().getAsLong());
      } else {
        c.putNull("snapshot_id");
      }
      c.put("files", chunk.files());
      c.put("bytes", chunk.bytes());
      c.put("took_ms", chunk.took().toMillis());
      JsonOutput.putTime(c, "committed_at", chunk.committedAt());
      c.put("error", chunk.error().orElse(null));
    }
  }

  static String clock(Duration duration) {
    long seconds = duration.toSeconds();
    return seconds >= 3600
        ? "%d:%02d:%02d".formatted(seconds / 3600, seconds / 60 % 60, seconds % 60)
        : "%d:%02d".formatted(seconds / 60, seconds % 60);
  }
}
