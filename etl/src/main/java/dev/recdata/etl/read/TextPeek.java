package dev.recdata.etl.read;

import dev.recdata.common.RecdataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Reads the first lines of a file on the driver: headers and emptiness are checked before any job
 * runs.
 */
final class TextPeek {
  private TextPeek() {}

  /**
   * Up to {@code count} lines from the start of the file, blank lines skipped, BOM and CR removed.
   */
  static List<String> firstLines(
      FileSystem fs, Configuration conf, Path file, Charset charset, int count) {
    List<String> lines = new ArrayList<>();
    try (InputStream raw = fs.open(file)) {
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file);
      InputStream in = codec == null ? raw : codec.createInputStream(raw);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset));
      String line;
      while (lines.size() < count && (line = reader.readLine()) != null) {
        if (lines.isEmpty() && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (!line.isBlank()) {
          lines.add(CsvLine.chomp(line));
        }
      }
    } catch (IOException e) {
      throw RecdataException.badInput(e, "cannot read %s: %s", file, e.getMessage());
    }
    return lines;
  }
}
