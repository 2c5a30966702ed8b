package dev.recdata.export.serving;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes a one-column string Dataset, in its order, as one UTF-8 file of lines on any Hadoop file
 * system. Serving loads one file, not a folder of Spark part files; {@code toLocalIterator} streams
 * one partition at a time, so the driver holds one partition of lines, never the whole file, and
 * the sort order of the Dataset is the order of the file.
 */
final class JsonLinesWriter {
  private JsonLinesWriter() {}

  /** Returns the number of rows written (a row may hold several lines joined by {@code \n}). */
  static long write(Dataset<Row> lines, Configuration conf, String path) {
    Path target = new Path(path);
    long rows = 0;
    try {
      FileSystem fs = target.getFileSystem(conf);
      try (Writer out =
          new BufferedWriter(
              new OutputStreamWriter(fs.create(target, true), StandardCharsets.UTF_8), 1 << 16)) {
        Iterator<Row> it = lines.toLocalIterator();
        while (it.hasNext()) {
          out.write(it.next().getString(0));
          out.write('\n');
          rows++;
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }
}
