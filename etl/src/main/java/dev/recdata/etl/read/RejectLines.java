package dev.recdata.etl.read;

import static org.apache.spark.sql.functions.col;

import dev.recdata.common.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Turns the byte offsets of rejected lines into 1-based line numbers.
 *
 * <p>Why offsets first: exact line numbers for every row need an extra counting pass over all input
 * (zipWithIndex) even when nothing is rejected. Rejects are few, so only they pay: each file that
 * has rejects is streamed once, by one task, from its start to its last reject, counting newline
 * bytes (no decoding, no parsing, about a second per GB). An input without rejects costs nothing
 * here.
 */
final class RejectLines {
  private RejectLines() {}

  /** {@link TextLines#REJECTS_WITH_OFFSETS} in, {@code Schema.REJECTS} out. */
  static Dataset<Row> withLineNumbers(SparkSession spark, Dataset<Row> rejectsWithOffsets) {
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    return rejectsWithOffsets
        .repartition(col(Schema.REJECT_FILE))
        .sortWithinPartitions(col(Schema.REJECT_FILE), col(TextLines.OFFSET))
        .mapPartitions(
            (MapPartitionsFunction<Row, Row>) rows -> new Numbered(rows, conf),
            Encoders.row(Schema.REJECTS));
  }

  /** Streams each file once, in offset order, counting newlines up to every reject's offset. */
  private static final class Numbered implements Iterator<Row> {
    private final Iterator<Row> rejects;
    private final HadoopConf conf;
    private final byte[] buffer = new byte[1 << 16];
    private String file;
    private InputStream in;
    private long position;
    private long newlines;

    Numbered(Iterator<Row> rejects, HadoopConf conf) {
      this.rejects = rejects;
      this.conf = conf;
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener(
            (org.apache.spark.util.TaskCompletionListener) context -> close());
      }
    }

    @Override
    public boolean hasNext() {
      if (rejects.hasNext()) {
        return true;
      }
      close();
      return false;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row reject = rejects.next();
      String rejectFile = reject.getAs(Schema.REJECT_FILE);
      long offset = reject.<Long>getAs(TextLines.OFFSET);
      try {
        if (!rejectFile.equals(file)) {
          open(rejectFile);
        }
        skipTo(offset);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot count lines in " + rejectFile, e);
      }
      return RowFactory.create(
          reject.getAs(Schema.SOURCE),
          rejectFile,
          newlines + 1,
          reject.getAs(Schema.REJECT_RAW),
          reject.getAs(Schema.REJECT_REASON),
          reject.getAs(Schema.REJECT_REASON_CODE));
    }

    private void open(String path) throws IOException {
      close();
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf.get());
      InputStream raw = fs.open(p);
      // TextInputFormat's offsets in a compressed file count uncompressed bytes: count in the same
      // stream.
      CompressionCodec codec = new CompressionCodecFactory(conf.get()).getCodec(p);
      in = codec == null ? raw : codec.createInputStream(raw);
      file = path;
      position = 0;
      newlines = 0;
    }

    private void skipTo(long offset) throws IOException {
      while (position < offset) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, offset - position));
        if (n < 0) {
          throw new IOException("file ended at byte " + position + " before offset " + offset);
        }
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            newlines++;
          }
        }
        position += n;
      }
    }

    private void close() {
      if (in != null) {
        try {
          in.close();
        } catch (IOException ignored) {
          // read-only stream: nothing to lose
        }
        in = null;
        file = null;
      }
    }
  }
}
