package dev.recdata.export.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one tensor as a NumPy {@code .npy} file (format version 1.0): the magic string, a
 * little-endian header length and a Python-literal header padded so the data starts on a 64-byte
 * boundary, then the raw little-endian, C-order data. {@code numpy.load} (and {@code
 * mmap_mode='r'}) reads it.
 *
 * <p>Written by hand for the same reason as {@link SafetensorsWriter}: the format is a few lines
 * and the Java libraries for it are not maintained.
 */
public final class NpyWriter implements AutoCloseable {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  private final FileChannel channel;
  private final TensorSink sink;
  private boolean closed;

  private NpyWriter(FileChannel channel, TensorSink sink) {
    this.channel = channel;
    this.sink = sink;
  }

  public static NpyWriter create(Path file, TensorSpec spec) {
    byte[] header = header(spec);
    try {
      FileChannel channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      ByteBuffer prefix = ByteBuffer.wrap(header);
      while (prefix.hasRemaining()) {
        channel.write(prefix);
      }
      return new NpyWriter(channel, new TensorSink(spec, channel, header.length));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public TensorSink tensor() {
    return sink;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (channel) {
      sink.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Magic, version, header length and the padded header dict, 64-byte aligned in total. */
  static byte[] header(TensorSpec spec) {
    StringBuilder shape = new StringBuilder("(");
    long[] dims = spec.shape();
    for (int i = 0; i < dims.length; i++) {
      shape.append(dims[i]).append(dims.length == 1 ? "," : i < dims.length - 1 ? ", " : "");
    }
    shape.append(')');
    String dict =
        "{'descr': '"
            + spec.dtype().numpyDescr()
            + "', 'fortran_order': False, 'shape': "
            + shape
            + ", }";
    int unpadded = MAGIC.length + 2 + dict.length() + 1; // + the closing newline
    int total = (unpadded + 63) / 64 * 64;
    String padded = dict + " ".repeat(total - unpadded) + "\n";
    byte[] text = padded.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer header = ByteBuffer.allocate(total).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    header.put(MAGIC).putShort((short) text.length).put(text);
    return header.array();
  }
}
