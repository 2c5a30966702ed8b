package dev.recdata.export.tensor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Writes a <a href="https://huggingface.co/docs/safetensors">safetensors</a> file: an 8-byte
 * little-endian header length, a JSON header (dtype, shape and data offsets per tensor, string
 * {@code __metadata__}), padded with spaces to 8 bytes, then each tensor's raw little-endian bytes
 * back to back.
 *
 * <p>Written by hand: the format is the dozen lines above, and no maintained Java library writes it
 * (the Rust and Python ones are the reference; {@code safetensors.torch.load_file} reads what this
 * writes, which the export tests check). Shapes are fixed up front so rows stream to disk without
 * holding a tensor in memory. The file is local: safetensors needs positional writes, so callers
 * copy it to object storage afterwards.
 */
public final class SafetensorsWriter implements AutoCloseable {
  private final FileChannel channel;
  private final Map<String, TensorSink> sinks = new LinkedHashMap<>();
  private boolean closed;

  private SafetensorsWriter(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Creates {@code file} with the header for {@code tensors} (in this order) and {@code metadata}.
   */
  public static SafetensorsWriter create(
      Path file, List<TensorSpec> tensors, SortedMap<String, String> metadata) {
    byte[] header = header(tensors, metadata);
    try {
      FileChannel channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
      SafetensorsWriter writer = new SafetensorsWriter(channel);
      ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
      prefix.putLong(header.length).put(header).flip();
      while (prefix.hasRemaining()) {
        channel.write(prefix);
      }
      long offset = 8L + header.length;
      for (TensorSpec spec : tensors) {
        writer.sinks.put(spec.name(), new TensorSink(spec, channel, offset));
        offset += spec.byteSize();
      }
      return writer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** The sink of tensor {@code name}: append its elements in row-major order. */
  public TensorSink tensor(String name) {
    TensorSink sink = sinks.get(name);
    if (sink == null) {
      throw new IllegalArgumentException(
          "no tensor " + name + " in this file; it has " + sinks.keySet());
    }
    return sink;
  }

  /** Flushes every tensor and checks each got exactly its size. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try (channel) {
      for (TensorSink sink : sinks.values()) {
        sink.finish();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] header(List<TensorSpec> tensors, SortedMap<String, String> metadata) {
    ObjectNode root = Json.object();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (TensorSpec spec : tensors) {
      if (spec.name().equals("__metadata__") || root.has(spec.name())) {
        throw new IllegalArgumentException("duplicate or reserved tensor name " + spec.name());
      }
      ObjectNode entry = root.putObject(spec.name());
      entry.put("dtype", spec.dtype().safetensorsName());
      ArrayNode shape = entry.putArray("shape");
      for (long dim : spec.shape()) {
        shape.add(dim);
      }
      entry.putArray("data_offsets").add(offset).add(offset + spec.byteSize());
      offset += spec.byteSize();
    }
    byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // the data that follows starts 8-byte aligned
    byte[] header = new byte[padded];
    System.arraycopy(json, 0, header, 0, json.length);
    for (int i = json.length; i < padded; i++) {
      header[i] = ' ';
    }
    return header;
  }
}
