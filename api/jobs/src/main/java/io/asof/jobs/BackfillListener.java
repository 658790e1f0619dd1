package io.asof.jobs;

import io.asof.compiler.backfill.ExpectationFailure;
import io.asof.registry.BackfillChunk;
import io.asof.registry.BackfillJob;
import java.time.Duration;
import java.util.List;

/** What a backfill tells its caller as it goes; every method is called from one thread. */
public interface BackfillListener {
  /** The job is about to run {@code chunks} (those not committed yet) of {@code job}. */
  default void starting(BackfillJob job, List<BackfillChunk> chunks) {}

  /**
   * A chunk is committed: {@code done} of {@code total} chunks of this run so far, {@code rows}
   * committed by this run, {@code elapsed} since it started.
   */
  default void committed(BackfillChunk chunk, int done, int total, long rows, Duration elapsed) {}

  /** A chunk's rows break the view's expectations; it is not committed, nor are later chunks. */
  default void rejected(BackfillChunk chunk, List<ExpectationFailure> failures) {}

  /** The view's published view now reads its table (after the first commit of a version). */
  default void published(String view, String table) {}

  /** Does nothing. */
  BackfillListener NONE = new BackfillListener() {};
}
