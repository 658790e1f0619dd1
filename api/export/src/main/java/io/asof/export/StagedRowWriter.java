package io.asof.export;

import static java.util.Objects.requireNonNull;

import io.asof.model.Column;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What every {@link RowWriter} shares: rows go to {@code <file>.tmp} beside the target, {@link
 * #close()} moves that into place in one atomic rename, and {@link #abort()} (or a failing write or
 * close) deletes it, so a failed export never leaves a half-written file under the target name.
 * Subclasses only encode rows.
 */
abstract class StagedRowWriter implements RowWriter {
  private enum State {
    OPEN,
    CLOSED,
    ABORTED
  }

  private final Path target;
  private final Path temp;
  private final List<Column> columns;
  private State state = State.OPEN;
  private long rows;

  StagedRowWriter(Path file, List<Column> columns) {
    this.target = requireNonNull(file, "file is null");
    Path name = requireNonNull(file.getFileName(), "file has no name");
    this.temp = file.resolveSibling(name + ".tmp");
    this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
  }

  /** The temporary file the subclass writes to. */
  final Path temp() {
    return temp;
  }

  final List<Column> columns() {
    return columns;
  }

  /** Encodes one row whose size matches the columns. */
  abstract void writeRow(List<Object> values) throws IOException;

  /** Completes the temporary file and closes it; on abort, the file is deleted right after. */
  abstract void closeFile() throws IOException;

  @Override
  public final void write(List<Object> values) {
    requireNonNull(values, "values is null");
    if (state != State.OPEN) {
      throw new IllegalStateException("Writer for " + target + " is " + state);
    }
    try {
      if (values.size() != columns.size()) {
        throw new IllegalArgumentException(
            "Row has %d values for %d columns".formatted(values.size(), columns.size()));
      }
      writeRow(values);
    } catch (IOException e) {
      abort();
      throw new UncheckedIOException("Cannot write " + temp, e);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
    rows++;
  }

  @Override
  public final long rows() {
    return rows;
  }

  @Override
  public final void close() throws IOException {
    if (state != State.OPEN) {
      return;
    }
    try {
      closeFile();
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
    state = State.CLOSED;
  }

  @Override
  public final void abort() {
    if (state != State.OPEN) {
      return;
    }
    state = State.ABORTED;
    try {
      closeFile();
    } catch (IOException | RuntimeException e) {
      // The file is deleted next; how closing it went no longer matters.
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // Best effort, as documented: a leftover .tmp file is never mistaken for the export.
    }
  }
}
