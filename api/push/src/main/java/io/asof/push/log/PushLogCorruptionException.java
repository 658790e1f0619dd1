package io.asof.push.log;

import java.io.IOException;
import java.nio.file.Path;

/** A segment of the push log holds bytes that are not what the log wrote there. */
public final class PushLogCorruptionException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long offset;

  PushLogCorruptionException(Path file, long offset, String problem) {
    super(
        ("the push log segment %s is corrupt at byte %d: %s. The entries from there on cannot be"
                + " read: restore the file, or move it and the segments after it out of %s to"
                + " start without them (losing those entries)")
            .formatted(file, offset, problem, file.getParent()));
    this.file = file.toString();
    this.offset = offset;
  }

  /** The segment file. */
  public Path file() {
    return Path.of(file);
  }

  /** The byte offset in it of the damaged header or record. */
  public long offset() {
    return offset;
  }
}
