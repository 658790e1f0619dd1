package io.asof.push.log;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.asof.push.log.LogRecovery.Recovered;
import io.asof.push.log.RecordFormat.BadRecordException;
import io.asof.push.log.RecordFormat.StoredRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-ahead log of pushed batches in a directory on local disk. Thread-safe.
 *
 * <p>Batches are records in segment files named by their first sequence ({@code
 * push-00000000000000000001.wal}; the format is in {@link RecordFormat}). One writer thread takes
 * every append waiting at that moment, writes them in one write and forces them to disk with one
 * {@code force}, then acknowledges them all (group commit); appends that arrive meanwhile wait for
 * the next write.
 */
public final class PushLog implements AutoCloseable {
  /** The most bytes of records one write takes (a single larger record is written alone). */
  static final int GROUP_BYTES = 8 << 20;

  static final String LOCK_FILE = "push.lock";

  private static final Logger LOG = LoggerFactory.getLogger(PushLog.class);

  private final Path dir;
  private final PushLogConfig config;
  private final ChannelOpener opener;
  private final FileChannel lockChannel;
  private final FileLock fileLock;
  private final Optional<FileChannel> dirChannel;
  private final Optional<Truncation> truncation;
  private final Thread writer;
  private final AtomicLong syncs = new AtomicLong();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  // guarded by lock
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final ArrayList<Segment> segments;
  private State state = State.OPEN;
  private Optional<IOException> failure = Optional.empty();
  private long lastSequence;
  private long appends;
  private Duration lastSync = Duration.ZERO;

  // confined to the writer thread (and to close, after it ended)
  private Optional<FileChannel> current = Optional.empty();
  // whether the current segment is in `segments`: a new one is listed once its first write is on
  // disk
  private boolean currentListed;
  // whether the last write failed: the next one first puts the files right again
  private boolean failed;
  private long currentFirst;
  private long currentEntries;
  private long currentBytes;
  private long nextSequence;
  private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);

  private enum State {
    OPEN,
    CLOSING,
    CLOSED
  }

  /** Opens a segment file for the writer; tests hand in channels that fail. */
  @FunctionalInterface
  interface ChannelOpener {
    FileChannel open(Path file, OpenOption... options) throws IOException;
  }

  private PushLog(
      Path dir,
      PushLogConfig config,
      ChannelOpener opener,
      FileChannel lockChannel,
      FileLock fileLock,
      Optional<FileChannel> dirChannel,
      Recovered recovered)
      throws IOException {
    this.dir = dir;
    this.config = config;
    this.opener = opener;
    this.lockChannel = lockChannel;
    this.fileLock = fileLock;
    this.dirChannel = dirChannel;
    this.truncation = recovered.truncation();
    this.segments = new ArrayList<>(recovered.segments());
    this.nextSequence = recovered.nextSequence();
    this.lastSequence = nextSequence - 1;
    if (!segments.isEmpty()) {
      Segment last = segments.getLast();
      current = Optional.of(opener.open(last.file(), StandardOpenOption.WRITE));
      currentListed = true;
      currentFirst = last.firstSequence();
      currentEntries = last.entries();
      currentBytes = last.bytes();
    }
    this.writer =
        Thread.ofPlatform().daemon().name("push-log-writer " + dir).unstarted(this::write);
  }

  /**
   * Opens (creating) the log in {@code dir}: takes an exclusive lock on it (a second opener in this
   * or another process fails with a message naming the directory and saying another asof serve uses
   * it), scans its segments, truncates a torn record at the tail of the last segment (a write that
   * was never acknowledged), and fails with file and byte offset on corruption anywhere else
   * ({@link PushLogCorruptionException}).
   */
  public static PushLog open(Path dir, PushLogConfig config) throws IOException {
    return open(dir, config, FileChannel::open);
  }

  static PushLog open(Path dir, PushLogConfig config, ChannelOpener opener) throws IOException {
    requireNonNull(dir, "dir is null");
    requireNonNull(config, "config is null");
    requireNonNull(opener, "opener is null");
    Path absolute = dir.toAbsolutePath();
    Files.createDirectories(absolute);
    FileChannel lockChannel =
        FileChannel.open(
            absolute.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileChannel dirChannel = null;
    try {
      FileLock fileLock;
      try {
        fileLock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        fileLock = null;
      }
      if (fileLock == null) {
        throw new IOException(
            ("the push log directory %s is in use by another asof serve%s (it holds the lock on"
                    + " %s): stop that server, or give this one another directory")
                .formatted(absolute, holder(absolute), absolute.resolve(LOCK_FILE)));
      }
      // who holds it, for the message above
      lockChannel.truncate(0);
      lockChannel.write(UTF_8.encode(ProcessHandle.current().pid() + "\n"), 0);
      dirChannel = openDirectory(absolute);
      Recovered recovered = LogRecovery.recover(absolute, config);
      PushLog log =
          new PushLog(
              absolute,
              config,
              opener,
              lockChannel,
              fileLock,
              Optional.ofNullable(dirChannel),
              recovered);
      log.writer.start();
      return log;
    } catch (IOException | RuntimeException | Error e) {
      // closing the channel releases the lock
      try (lockChannel) {
        if (dirChannel != null) {
          dirChannel.close();
        }
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The process that wrote its id into the lock file, as " (process N)", or nothing. */
  private static String holder(Path dir) {
    try {
      String pid = Files.readString(dir.resolve(LOCK_FILE), UTF_8).strip();
      return pid.matches("\\d{1,19}") ? " (process %s)".formatted(pid) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The directory itself, to force new and deleted file names to disk; none where the platform
   * cannot open a directory.
   */
  private static FileChannel openDirectory(Path dir) {
    try {
      return FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Appends one batch and returns once it is on disk (forced), with its sequence number (strictly
   * increasing, never reused, also across reopen). Concurrent appends are group-committed: one
   * write and one {@code force} serve every append waiting at that moment.
   *
   * <p>A number once returned is never returned again. The numbers of a write that failed or was
   * torn by a crash were returned to nobody; they go to the next appends after reopen.
   *
   * @throws IllegalArgumentException when the payload is larger than {@link
   *     PushLogConfig#maxBatchBytes} or the view name is empty or longer than 65,535 bytes of UTF-8
   * @throws IOException when writing failed (a full disk, an I/O error); none of the batches of
   *     that write is acknowledged. The next append first cuts what the failed write left off the
   *     segment and starts a new one, so the log takes appends again once writes succeed, without a
   *     reopen
   * @throws IllegalStateException when the log is closed
   */
  public long append(String view, int version, byte[] payload) throws IOException {
    requireNonNull(view, "view is null");
    requireNonNull(payload, "payload is null");
    if (payload.length > config.maxBatchBytes()) {
      throw new IllegalArgumentException(
          "a batch of %d bytes is larger than the push log takes (%d bytes)"
              .formatted(payload.length, config.maxBatchBytes()));
    }
    byte[] viewBytes = view.getBytes(UTF_8);
    if (viewBytes.length == 0 || viewBytes.length > RecordFormat.MAX_VIEW_BYTES) {
      throw new IllegalArgumentException(
          "a view name must have 1 to %d bytes of UTF-8, not %d"
              .formatted(RecordFormat.MAX_VIEW_BYTES, viewBytes.length));
    }
    Pending pending =
        new Pending(
            viewBytes, version, payload, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
    lock.lock();
    try {
      checkOpen();
      queue.add(pending);
      work.signal();
    } finally {
      lock.unlock();
    }
    try {
      return pending.done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException cause) {
        // a new exception, so that its stack trace shows the caller too
        throw new IOException(cause.getMessage(), cause);
      }
      throw e;
    }
  }

  /**
   * Hands every entry with sequence greater than {@code after} to the consumer, in sequence order:
   * those durable when the call starts. Entries released meanwhile may be left out.
   *
   * @throws PushLogCorruptionException when a segment no longer holds what was written
   */
  public void replay(long after, Consumer<Entry> consumer) throws IOException {
    requireNonNull(consumer, "consumer is null");
    List<Segment> snapshot;
    lock.lock();
    try {
      checkOpen();
      snapshot = List.copyOf(segments);
    } finally {
      lock.unlock();
    }
    for (Segment segment : snapshot) {
      if (segment.entries() == 0 || segment.nextSequence() - 1 <= after) {
        continue;
      }
      SegmentReader reader;
      try {
        reader = SegmentReader.open(segment.file(), segment.bytes());
      } catch (NoSuchFileException e) {
        if (released(segment)) {
          continue;
        }
        throw e;
      }
      try (reader) {
        long expected = segment.firstSequence();
        try {
          reader.readHeader(expected);
        } catch (BadRecordException e) {
          throw new PushLogCorruptionException(segment.file(), 0, e.getMessage());
        }
        for (; expected < segment.nextSequence(); expected++) {
          long at = reader.position();
          StoredRecord record;
          try {
            record = reader.next();
          } catch (BadRecordException e) {
            throw new PushLogCorruptionException(segment.file(), at, e.getMessage());
          }
          if (record.sequence() != expected) {
            throw new PushLogCorruptionException(
                segment.file(),
                at,
                "a record of sequence %d where %d was expected"
                    .formatted(record.sequence(), expected));
          }
          if (record.sequence() > after) {
            consumer.accept(
                new Entry(
                    record.sequence(),
                    record.view(),
                    record.version(),
                    Instant.EPOCH.plus(record.appendedAtMicros(), ChronoUnit.MICROS),
                    reader.payload(record)));
          }
        }
      }
    }
  }

  private boolean released(Segment segment) {
    lock.lock();
    try {
      return segments.isEmpty() || segments.getFirst().firstSequence() > segment.firstSequence();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The caller no longer needs entries with sequence up to {@code through}: segments holding only
   * such entries are deleted (never the one being written).
   */
  public void release(long through) throws IOException {
    List<Segment> released = new ArrayList<>();
    lock.lock();
    try {
      checkOpen();
      while (segments.size() > 1 && segments.get(1).firstSequence() - 1 <= through) {
        released.add(segments.removeFirst());
      }
    } finally {
      lock.unlock();
    }
    // oldest first, each name forced away before the next: a crash leaves no gap in the sequence
    for (Segment segment : released) {
      Files.deleteIfExists(segment.file());
      syncDirectory();
    }
  }

  /** The highest durable sequence, 0 when nothing was ever appended. */
  public long lastSequence() {
    lock.lock();
    try {
      checkOpen();
      return lastSequence;
    } finally {
      lock.unlock();
    }
  }

  /** What the log holds and has done since it was opened. */
  public Stats stats() {
    lock.lock();
    try {
      checkOpen();
      long entries = 0;
      long bytes = 0;
      for (Segment segment : segments) {
        entries += segment.entries();
        bytes += segment.bytes();
      }
      return new Stats(entries, bytes, segments.size(), syncs.get(), appends, lastSync);
    } finally {
      lock.unlock();
    }
  }

  /** What {@link #open} cut off the end of the last segment (a torn write), if anything. */
  public Optional<Truncation> truncation() {
    return truncation;
  }

  /** The directory of the log. */
  public Path directory() {
    return dir;
  }

  /**
   * Writes the appends still waiting, then releases the directory; any later call but {@code close}
   * fails.
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (state != State.OPEN) {
        return;
      }
      state = State.CLOSING;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      state = State.CLOSED;
    } finally {
      lock.unlock();
    }
    try (lockChannel) {
      try {
        if (current.isPresent()) {
          current.get().close();
        }
        if (dirChannel.isPresent()) {
          dirChannel.get().close();
        }
      } finally {
        fileLock.release();
      }
    }
  }

  private void checkOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("the push log in %s is closed".formatted(dir));
    }
  }

  /** The writer thread: one group of waiting appends after the other, until closed. */
  private void write() {
    while (true) {
      List<Pending> group = new ArrayList<>();
      lock.lock();
      try {
        while (queue.isEmpty() && state == State.OPEN) {
          work.awaitUninterruptibly();
        }
        if (queue.isEmpty()) {
          return;
        }
        long bytes = 0;
        while (!queue.isEmpty()
            && (group.isEmpty() || bytes + queue.peekFirst().bytes() <= GROUP_BYTES)) {
          Pending next = queue.removeFirst();
          group.add(next);
          bytes += next.bytes();
        }
      } finally {
        lock.unlock();
      }
      try {
        boolean recovered = false;
        if (failed) {
          recover();
          recovered = true;
        }
        writeGroup(group);
        if (recovered) {
          recovered();
        }
      } catch (IOException | RuntimeException | Error e) {
        failed = true;
        fail(group, e);
      }
    }
  }

  private void writeGroup(List<Pending> group) throws IOException {
    long bytes = 0;
    for (Pending pending : group) {
      bytes += pending.bytes();
    }
    boolean created = false;
    if (current.isEmpty() || (currentEntries > 0 && currentBytes + bytes > config.segmentBytes())) {
      Path file = dir.resolve(Segment.fileName(nextSequence));
      FileChannel channel =
          opener.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      if (current.isPresent()) {
        current.get().close();
      }
      current = Optional.of(channel);
      currentListed = false;
      currentFirst = nextSequence;
      currentEntries = 0;
      currentBytes = 0;
      created = true;
    }
    FileChannel channel = current.get();
    int header = currentBytes == 0 ? RecordFormat.SEGMENT_HEADER_BYTES : 0;
    ByteBuffer out = buffer(Math.toIntExact(header + bytes));
    if (header > 0) {
      RecordFormat.writeSegmentHeader(out, currentFirst);
    }
    long first = nextSequence;
    for (int i = 0; i < group.size(); i++) {
      Pending pending = group.get(i);
      RecordFormat.writeRecord(
          out,
          first + i,
          first,
          pending.appendedAtMicros,
          pending.version,
          pending.view,
          pending.payload);
    }
    out.flip();
    long position = currentBytes;
    long started;
    long forced;
    try {
      while (out.hasRemaining()) {
        position += channel.write(out, position);
      }
      started = System.nanoTime();
      channel.force(false);
      forced = System.nanoTime();
      syncs.incrementAndGet();
      if (created) {
        syncDirectory();
      }
    } catch (IOException | RuntimeException | Error e) {
      // best effort: what was not acknowledged should not be read back by a reopen in this process
      try {
        channel.truncate(currentBytes);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    long written = position - currentBytes;
    currentBytes = position;
    currentEntries += group.size();
    nextSequence += group.size();
    lock.lock();
    try {
      if (!currentListed) {
        segments.add(new Segment(dir.resolve(Segment.fileName(currentFirst)), currentFirst, 0, 0));
        currentListed = true;
      }
      segments.set(segments.size() - 1, segments.getLast().plus(group.size(), written));
      lastSequence = nextSequence - 1;
      appends += group.size();
      lastSync = Duration.ofNanos(forced - started);
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).done.complete(first + i);
    }
  }

  private ByteBuffer buffer(int bytes) {
    if (buffer.capacity() < bytes) {
      buffer = ByteBuffer.allocateDirect(Math.max(bytes, 2 * buffer.capacity()));
    }
    return buffer.clear();
  }

  private void syncDirectory() throws IOException {
    if (dirChannel.isPresent()) {
      dirChannel.get().force(true);
      syncs.incrementAndGet();
    }
  }

  /**
   * After a failed write, before the next: cuts what the failed write may have left at the end of
   * the current segment and forces that, then leaves the segment (a file whose write failed once
   * takes no more; the next write starts a new one), or deletes it when the failed write was its
   * first (it holds nothing acknowledged). Until this succeeds, every write fails again.
   */
  private void recover() throws IOException {
    if (current.isPresent()) {
      FileChannel channel = current.get();
      if (!currentListed) {
        channel.close();
        current = Optional.empty();
        Files.deleteIfExists(dir.resolve(Segment.fileName(currentFirst)));
        syncDirectory();
      } else {
        channel.truncate(currentBytes);
        channel.force(true);
        if (currentEntries > 0) {
          channel.close();
          current = Optional.empty();
        }
      }
    }
    failed = false;
  }

  /** Says that a write after a failed one went through. */
  private void recovered() {
    Optional<IOException> was;
    lock.lock();
    try {
      was = failure;
      failure = Optional.empty();
    } finally {
      lock.unlock();
    }
    LOG.info(
        "the push log in %s takes appends again after a failed write (%s)"
            .formatted(dir, was.map(Throwable::getMessage).orElse("")));
  }

  /** Fails the group and every append waiting behind it; the next append tries again. */
  private void fail(List<Pending> group, Throwable cause) {
    IOException failure =
        new IOException(
            "writing to the push log in %s failed, nothing of that write was taken (the next append tries again): %s"
                .formatted(dir, cause.getMessage()),
            cause);
    List<Pending> failed = new ArrayList<>(group);
    lock.lock();
    try {
      this.failure = Optional.of(failure);
      failed.addAll(queue);
      queue.clear();
    } finally {
      lock.unlock();
    }
    for (Pending pending : failed) {
      pending.done.completeExceptionally(failure);
    }
  }

  /** An append waiting for the writer. */
  private static final class Pending {
    final byte[] view;
    final int version;
    final byte[] payload;
    final long appendedAtMicros;
    final CompletableFuture<Long> done = new CompletableFuture<>();

    Pending(byte[] view, int version, byte[] payload, long appendedAtMicros) {
      this.view = view;
      this.version = version;
      this.payload = payload;
      this.appendedAtMicros = appendedAtMicros;
    }

    int bytes() {
      return RecordFormat.recordBytes(view.length, payload.length);
    }
  }

  /**
   * A batch read back from the log, equal to another with the same fields and payload bytes. The
   * payload is a fresh copy read from disk, handed over without copying again.
   */
  // an array, not a List<Byte> or a copy: payloads are up to megabytes and handed straight on
  @SuppressWarnings("ArrayRecordComponent")
  public record Entry(long sequence, String view, int version, Instant appendedAt, byte[] payload) {
    public Entry {
      if (sequence < 1) {
        throw new IllegalArgumentException("sequence must be positive, not " + sequence);
      }
      requireNonNull(view, "view is null");
      requireNonNull(appendedAt, "appendedAt is null");
      requireNonNull(payload, "payload is null");
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Entry entry
          && sequence == entry.sequence
          && view.equals(entry.view)
          && version == entry.version
          && appendedAt.equals(entry.appendedAt)
          && Arrays.equals(payload, entry.payload);
    }

    @Override
    public int hashCode() {
      return Objects.hash(sequence, view, version, appendedAt, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
      return "Entry[sequence=%d, view=%s, version=%d, appendedAt=%s, payload=%d bytes]"
          .formatted(sequence, view, version, appendedAt, payload.length);
    }
  }

  /**
   * What the log holds (entries, bytes and segment files on disk) and has done since it was opened:
   * force calls (of files and of the directory), acknowledged appends and how long the last force
   * of a write took.
   */
  public record Stats(
      long entries, long bytes, int segments, long syncs, long appends, Duration lastSync) {
    public Stats {
      requireNonNull(lastSync, "lastSync is null");
    }
  }

  /** Bytes {@link #open} cut off the end of the last segment: a write torn by a crash. */
  public record Truncation(Path file, long offset, long bytes, String problem) {
    public Truncation {
      requireNonNull(file, "file is null");
      requireNonNull(problem, "problem is null");
    }
  }
}
