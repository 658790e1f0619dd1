package io.asof.push.log;

import io.asof.push.log.RecordFormat.BadRecordException;
import io.asof.push.log.RecordFormat.StoredRecord;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a segment file's header and records in order, up to a given end, through a window of the
 * file that grows to hold the longest record met.
 */
final class SegmentReader implements Closeable {
  private static final int WINDOW_BYTES = 256 * 1024;

  private final FileChannel channel;
  private final long end;
  private ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES);
  private long windowStart;
  private long position;

  private SegmentReader(FileChannel channel, long end) {
    this.channel = channel;
    this.end = end;
    window.limit(0);
  }

  /** Opens {@code file} to read its first {@code end} bytes. */
  static SegmentReader open(Path file, long end) throws IOException {
    return new SegmentReader(FileChannel.open(file, StandardOpenOption.READ), end);
  }

  /** The offset of the next record. */
  long position() {
    return position;
  }

  boolean atEnd() {
    return position >= end;
  }

  void readHeader(long firstSequence) throws IOException, BadRecordException {
    if (end < RecordFormat.SEGMENT_HEADER_BYTES) {
      throw new BadRecordException("the file ends within the segment header");
    }
    RecordFormat.readSegmentHeader(bytesAt(0, RecordFormat.SEGMENT_HEADER_BYTES), firstSequence);
    position = RecordFormat.SEGMENT_HEADER_BYTES;
  }

  /**
   * Reads the record at the position and moves past it; its payload stays readable through {@link
   * #payload} until the next call.
   */
  StoredRecord next() throws IOException, BadRecordException {
    if (end - position < 4) {
      throw new BadRecordException("the file ends within a record's length field");
    }
    ByteBuffer window = bytesAt(position, 4);
    int length = window.getInt(window.position());
    if (length < RecordFormat.MIN_RECORD_BYTES || length > RecordFormat.MAX_RECORD_BYTES) {
      throw new BadRecordException("a record length of %d bytes".formatted(length));
    }
    if (length > end - position) {
      throw new BadRecordException(
          "a record of %d bytes, but the file ends %d bytes on".formatted(length, end - position));
    }
    StoredRecord record = RecordFormat.readRecord(bytesAt(position, length));
    position += length;
    return record;
  }

  /** A copy of the payload of the record {@link #next} just returned. */
  byte[] payload(StoredRecord record) {
    return Arrays.copyOfRange(
        window.array(), record.payloadOffset(), record.payloadOffset() + record.payloadBytes());
  }

  /** Every byte from {@code offset} to the end, in a buffer of their own indices. */
  ByteBuffer rest(long offset) throws IOException, BadRecordException {
    return bytesAt(offset, Math.toIntExact(end - offset)).slice();
  }

  /**
   * The window, positioned at {@code offset} with at least {@code bytes} bytes from there; a record
   * parsed from it finds its payload at buffer offsets.
   */
  private ByteBuffer bytesAt(long offset, int bytes) throws IOException, BadRecordException {
    if (offset < windowStart || offset + bytes > windowStart + window.limit()) {
      if (bytes > window.capacity()) {
        window = ByteBuffer.allocate(Math.max(bytes, 2 * window.capacity()));
      }
      window.clear();
      window.limit((int) Math.min(window.capacity(), end - offset));
      windowStart = offset;
      while (window.position() < bytes) {
        if (channel.read(window, windowStart + window.position()) < 0) {
          throw new BadRecordException(
              "the file ends at byte %d, before %d"
                  .formatted(windowStart + window.position(), end));
        }
      }
      window.flip();
    }
    return window.position((int) (offset - windowStart));
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
