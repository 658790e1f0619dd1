package io.asof.push.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The bytes of a segment file: a header, then records back to back, all big-endian.
 *
 * <pre>
 * segment header (24 bytes)
 *   0  i64 magic "asofpush"
 *   8  i32 format version (1)
 *  12  i64 first sequence (the one in the file name)
 *  20  i32 CRC32C of bytes 0..19
 * record (38 bytes + view + payload)
 *   0  i32 length of the whole record, this field and the CRC included
 *   4  i64 sequence
 *  12  i64 sequence of the first record of the same write (its group)
 *  20  i64 append time, microseconds since the epoch
 *  28  i32 view version
 *  32  u16 view name length n, then n bytes of UTF-8
 *  34+n    payload, up to the CRC
 *  end-4   i32 CRC32C of every byte of the record before it
 * </pre>
 *
 * <p>The group's first sequence is what tells a torn last write from corruption: records of a later
 * write after a damaged one prove the damaged one was forced to disk.
 */
final class RecordFormat {
  static final long MAGIC = 0x6173_6f66_7075_7368L; // "asofpush"
  static final int FORMAT_VERSION = 1;
  static final int SEGMENT_HEADER_BYTES = 24;
  static final int RECORD_HEADER_BYTES = 34;
  static final int CRC_BYTES = 4;
  static final int RECORD_OVERHEAD = RECORD_HEADER_BYTES + CRC_BYTES;
  static final int MAX_VIEW_BYTES = 0xFFFF;

  /** The shortest record: a one-byte view name and an empty payload. */
  static final int MIN_RECORD_BYTES = RECORD_OVERHEAD + 1;

  /** The longest record any configuration writes. */
  static final int MAX_RECORD_BYTES =
      RECORD_OVERHEAD + MAX_VIEW_BYTES + PushLogConfig.MAX_BATCH_BYTES_LIMIT;

  private RecordFormat() {}

  static int recordBytes(int viewBytes, int payloadBytes) {
    return RECORD_OVERHEAD + viewBytes + payloadBytes;
  }

  static void writeSegmentHeader(ByteBuffer out, long firstSequence) {
    int start = out.position();
    out.putLong(MAGIC).putInt(FORMAT_VERSION).putLong(firstSequence);
    out.putInt(crc(out, start, out.position() - start));
  }

  /** Checks the 24 bytes at {@code in}'s position, and moves past them. */
  static void readSegmentHeader(ByteBuffer in, long firstSequence) throws BadRecordException {
    int start = in.position();
    long magic = in.getLong();
    int version = in.getInt();
    long first = in.getLong();
    int crc = in.getInt();
    if (magic != MAGIC) {
      throw new BadRecordException("no segment header (the file does not start with \"asofpush\")");
    }
    if (crc != crc(in, start, SEGMENT_HEADER_BYTES - CRC_BYTES)) {
      throw new BadRecordException("the segment header's checksum does not match");
    }
    if (version != FORMAT_VERSION) {
      throw new BadRecordException(
          "format version %d, this build reads version %d".formatted(version, FORMAT_VERSION));
    }
    if (first != firstSequence) {
      throw new BadRecordException(
          "the header says the segment starts at sequence %d, the file name says %d"
              .formatted(first, firstSequence));
    }
  }

  /** Writes one record at {@code out}'s position, which has room for it. */
  static void writeRecord(
      ByteBuffer out,
      long sequence,
      long groupFirst,
      long appendedAtMicros,
      int version,
      byte[] view,
      byte[] payload) {
    int start = out.position();
    out.putInt(recordBytes(view.length, payload.length))
        .putLong(sequence)
        .putLong(groupFirst)
        .putLong(appendedAtMicros)
        .putInt(version)
        .putShort((short) view.length)
        .put(view)
        .put(payload);
    out.putInt(crc(out, start, out.position() - start));
  }

  /**
   * Reads the record at {@code in}'s position, whose length field has been checked to fit in {@code
   * in}'s remaining bytes, checks its checksum, and moves past it.
   */
  static StoredRecord readRecord(ByteBuffer in) throws BadRecordException {
    int start = in.position();
    int length = in.getInt(start);
    if (length < MIN_RECORD_BYTES || length > in.remaining()) {
      throw new BadRecordException("a record length of %d bytes".formatted(length));
    }
    int crc = in.getInt(start + length - CRC_BYTES);
    if (crc != crc(in, start, length - CRC_BYTES)) {
      throw new BadRecordException("the record's checksum does not match");
    }
    long sequence = in.getLong(start + 4);
    long groupFirst = in.getLong(start + 12);
    long appendedAtMicros = in.getLong(start + 20);
    int version = in.getInt(start + 28);
    int viewBytes = Short.toUnsignedInt(in.getShort(start + 32));
    int payloadBytes = length - RECORD_OVERHEAD - viewBytes;
    if (viewBytes == 0 || payloadBytes < 0) {
      throw new BadRecordException("a view name of %d bytes".formatted(viewBytes));
    }
    if (groupFirst < 1 || groupFirst > sequence) {
      throw new BadRecordException(
          "sequence %d names %d as the first of its write".formatted(sequence, groupFirst));
    }
    String view =
        new String(in.array(), in.arrayOffset() + start + RECORD_HEADER_BYTES, viewBytes, UTF_8);
    in.position(start + length);
    return new StoredRecord(
        sequence,
        groupFirst,
        appendedAtMicros,
        version,
        view,
        start + RECORD_HEADER_BYTES + viewBytes,
        payloadBytes);
  }

  private static int crc(ByteBuffer buffer, int start, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.slice(start, length));
    return (int) crc.getValue();
  }

  /**
   * A record that passed its checksum; the payload is {@code payloadBytes} bytes at {@code
   * payloadOffset} of the buffer it was read from.
   */
  record StoredRecord(
      long sequence,
      long groupFirst,
      long appendedAtMicros,
      int version,
      String view,
      int payloadOffset,
      int payloadBytes) {}

  /** Bytes that are not a valid header or record; the message says what is wrong with them. */
  static final class BadRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    BadRecordException(String message) {
      super(message);
    }
  }
}
