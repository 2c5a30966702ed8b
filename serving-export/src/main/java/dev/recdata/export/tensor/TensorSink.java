package dev.recdata.export.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Appends one tensor's elements, in row-major order, to its fixed region of a file. Buffered, and
 * written with positional writes, so several tensors of one safetensors file can be filled row by
 * row side by side. The writer checks on close that every region got exactly its size: a short
 * tensor is an error, never a file with zeros at the end.
 */
public final class TensorSink {
  private static final int BUFFER_BYTES = 1 << 20;

  private final TensorSpec spec;
  private final FileChannel channel;
  private final long start;
  private final ByteBuffer buffer =
      ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private long written;

  TensorSink(TensorSpec spec, FileChannel channel, long start) {
    this.spec = spec;
    this.channel = channel;
    this.start = start;
  }

  public TensorSpec spec() {
    return spec;
  }

  public TensorSink putLong(long value) {
    check(DType.I64);
    room(8).putLong(value);
    return this;
  }

  public TensorSink putInt(int value) {
    check(DType.I32);
    room(4).putInt(value);
    return this;
  }

  public TensorSink putFloat(float value) {
    check(DType.F32);
    room(4).putFloat(value);
    return this;
  }

  public TensorSink putByte(byte value) {
    if (spec.dtype() != DType.I8 && spec.dtype() != DType.U8) {
      throw new IllegalStateException("tensor " + spec + " does not hold bytes");
    }
    room(1).put(value);
    return this;
  }

  /** Bytes appended so far, buffered or not. */
  public long bytesWritten() {
    return written + buffer.position();
  }

  private void check(DType expected) {
    if (spec.dtype() != expected) {
      throw new IllegalStateException("tensor " + spec + " does not hold " + expected);
    }
  }

  private ByteBuffer room(int bytes) {
    if (bytesWritten() + bytes > spec.byteSize()) {
      throw new IllegalStateException(
          "tensor " + spec + " is full: more elements than its shape holds");
    }
    if (buffer.remaining() < bytes) {
      flush();
    }
    return buffer;
  }

  void flush() {
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        written += channel.write(buffer, start + written);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffer.clear();
  }

  void finish() {
    flush();
    if (written != spec.byteSize()) {
      throw new IllegalStateException(
          "tensor " + spec + " got " + written + " of its " + spec.byteSize() + " bytes");
    }
  }
}
