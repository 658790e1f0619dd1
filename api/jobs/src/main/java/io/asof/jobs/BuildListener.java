package io.asof.jobs;

import io.asof.compiler.CompiledTrainingSet;
import io.asof.engine.QueryProgress;

/** Hears how a training-set build goes, to show it (the CLI prints it; the server does not). */
public interface BuildListener {
  /** Hears nothing. */
  BuildListener NONE = new BuildListener() {};

  /** The statement that writes {@code table} is about to run. */
  default void starting(CompiledTrainingSet set, String table) {}

  /** The statement has got this far. */
  default void progress(QueryProgress progress) {}
}
