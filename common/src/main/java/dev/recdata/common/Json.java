package dev.recdata.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes small JSON documents (manifests, reports, params) on any Hadoop file system, so
 * the same code serves local folders, hdfs:// and s3a://. Jackson comes with Spark.
 */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          // Instants as ISO-8601 strings, without pulling in jackson-datatype-jsr310 for one type.
          .registerModule(
              new com.fasterxml.jackson.databind.module.SimpleModule("recdata-time")
                  .addSerializer(
                      java.time.Instant.class,
                      com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance)
                  // Durations as ISO-8601 too (PT10M), the form every option taking one accepts
                  .addSerializer(
                      java.time.Duration.class,
                      com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance));

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static void write(Configuration conf, String path, Object value) {
    Path target = new Path(path);
    try {
      FileSystem fs = target.getFileSystem(conf);
      try (OutputStream out = fs.create(target, true)) {
        MAPPER.writeValue(out, value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  public static JsonNode read(Configuration conf, String path) {
    Path source = new Path(path);
    try {
      FileSystem fs = source.getFileSystem(conf);
      try (InputStream in = fs.open(source)) {
        return MAPPER.readTree(in);
      }
    } catch (IOException e) {
      throw RecdataException.badInput(e, "cannot read JSON %s: %s", path, e.getMessage());
    }
  }

  /**
   * Reads {@code path} when it exists; {@code null} otherwise (for example no previous manifest
   * yet).
   */
  public static JsonNode readIfExists(Configuration conf, String path) {
    try {
      Path source = new Path(path);
      if (!source.getFileSystem(conf).exists(source)) {
        return null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + path, e);
    }
    return read(conf, path);
  }
}
