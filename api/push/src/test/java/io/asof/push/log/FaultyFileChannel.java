package io.asof.push.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file channel that passes everything to a real one, except that {@code force} fails with "I/O
 * error" while the switch it was given is on (a disk that lost a write), and a positioned write
 * writes half its bytes and fails with "No space left on device" while the other switch is on (a
 * full disk).
 */
final class FaultyFileChannel extends FileChannel {
  private final FileChannel delegate;
  private final AtomicBoolean failing;
  private final AtomicBoolean full;

  FaultyFileChannel(FileChannel delegate, AtomicBoolean failing) {
    this(delegate, failing, new AtomicBoolean());
  }

  FaultyFileChannel(FileChannel delegate, AtomicBoolean failing, AtomicBoolean full) {
    this.delegate = delegate;
    this.failing = failing;
    this.full = full;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    if (failing.get()) {
      throw new IOException("Input/output error (a fault of the test)");
    }
    delegate.force(metaData);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return delegate.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return delegate.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    delegate.truncate(size);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    return delegate.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    if (full.get()) {
      ByteBuffer half = src.slice(src.position(), src.remaining() / 2);
      delegate.write(half, position);
      src.position(src.position() + src.remaining() / 2);
      throw new IOException("No space left on device (a fault of the test)");
    }
    return delegate.write(src, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return delegate.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
