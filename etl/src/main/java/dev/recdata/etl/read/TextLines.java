package dev.recdata.etl.read;

import dev.recdata.common.Schema;
import dev.recdata.etl.RejectReason.Rejection;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Reads text files line by line through a hand-written {@link LineParser}, in parallel over the
 * files' splits, into valid rows and rejects.
 *
 * <p>Why not Spark's CSV source: for four numeric columns its generic tokenizer and per-field casts
 * cost several times a byte-level parse. Why Hadoop's TextInputFormat: its keys are the byte
 * offsets of the lines, which is all a reject needs to be located later (see {@link RejectLines}).
 *
 * <p>Valid rows and rejects are two scans of the same files with the same parser rather than one
 * cached scan split by "reason IS NULL": the reject scan builds no row for a valid line (parsing
 * four numbers from bytes is cheap), while caching 25M parsed rows would cost gigabytes of executor
 * memory on a small box.
 */
final class TextLines {
  private TextLines() {}

  /** Rejects before their byte offsets are turned into line numbers. */
  static final String OFFSET = "offset";

  static final StructType REJECTS_WITH_OFFSETS =
      new StructType()
          .add(Schema.SOURCE, DataTypes.StringType, false)
          .add(Schema.REJECT_FILE, DataTypes.StringType, false)
          .add(OFFSET, DataTypes.LongType, false)
          .add(Schema.REJECT_RAW, DataTypes.StringType, true)
          .add(Schema.REJECT_REASON, DataTypes.StringType, false)
          .add(Schema.REJECT_REASON_CODE, DataTypes.StringType, false);

  /** Valid rows in the parser's schema, and rejects in {@link #REJECTS_WITH_OFFSETS}. */
  record Parsed(Dataset<Row> rows, Dataset<Row> rejects) {}

  /**
   * @param files qualified paths of the files to read (gzip and other Hadoop codecs are fine)
   * @param charset how to decode a rejected line's raw text
   * @param skipHeader whether each file's first line (offset 0) is a header
   */
  static Parsed parse(
      SparkSession spark,
      String source,
      List<String> files,
      Charset charset,
      boolean skipHeader,
      LineParser parser,
      StructType schema) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    String charsetName = charset.name();
    int width = schema.size();
    List<JavaRDD<Row>> rows = new ArrayList<>();
    List<JavaRDD<Row>> rejects = new ArrayList<>();
    for (String file : files) {
      JavaPairRDD<LongWritable, Text> lines =
          jsc.newAPIHadoopFile(file, TextInputFormat.class, LongWritable.class, Text.class, conf);
      rows.add(lines.mapPartitions(it -> new ValidRows(it, parser, width, skipHeader)));
      rejects.add(
          lines.mapPartitions(
              it -> new RejectedRows(it, parser, width, skipHeader, source, file, charsetName)));
    }
    return new Parsed(
        spark.createDataFrame(union(jsc, rows), schema),
        spark.createDataFrame(union(jsc, rejects), REJECTS_WITH_OFFSETS));
  }

  private static JavaRDD<Row> union(JavaSparkContext jsc, List<JavaRDD<Row>> rdds) {
    return rdds.size() == 1 ? rdds.get(0) : jsc.union(rdds.toArray(JavaRDD[]::new));
  }

  /**
   * Blank lines (a trailing empty line, CRLF leftovers) hold no row: they are neither rows nor
   * rejects.
   */
  static boolean blank(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Iterates the lines a parser accepts, as rows. */
  private static final class ValidRows implements Iterator<Row> {
    private final Iterator<Tuple2<LongWritable, Text>> lines;
    private final LineParser parser;
    private final int width;
    private final boolean skipHeader;
    private Row next;

    ValidRows(
        Iterator<Tuple2<LongWritable, Text>> lines,
        LineParser parser,
        int width,
        boolean skipHeader) {
      this.lines = lines;
      this.parser = parser;
      this.width = width;
      this.skipHeader = skipHeader;
    }

    @Override
    public boolean hasNext() {
      while (next == null && lines.hasNext()) {
        Tuple2<LongWritable, Text> line = lines.next();
        Text text = line._2();
        if ((skipHeader && line._1().get() == 0) || blank(text.getBytes(), text.getLength())) {
          continue;
        }
        Object[] values = new Object[width];
        if (parser.parse(text.getBytes(), text.getLength(), values) == null) {
          next = RowFactory.create(values);
        }
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }
  }

  /** Iterates the lines a parser refuses, as (source, file, offset, raw, reason, reason code). */
  private static final class RejectedRows implements Iterator<Row> {
    private final Iterator<Tuple2<LongWritable, Text>> lines;
    private final LineParser parser;
    private final Object[] scratch;
    private final boolean skipHeader;
    private final String source;
    private final String file;
    private final Charset charset;
    private Row next;

    RejectedRows(
        Iterator<Tuple2<LongWritable, Text>> lines,
        LineParser parser,
        int width,
        boolean skipHeader,
        String source,
        String file,
        String charset) {
      this.lines = lines;
      this.parser = parser;
      this.scratch = new Object[width];
      this.skipHeader = skipHeader;
      this.source = source;
      this.file = file;
      this.charset = Charset.forName(charset);
    }

    @Override
    public boolean hasNext() {
      while (next == null && lines.hasNext()) {
        Tuple2<LongWritable, Text> line = lines.next();
        long offset = line._1().get();
        Text text = line._2();
        if ((skipHeader && offset == 0) || blank(text.getBytes(), text.getLength())) {
          continue;
        }
        Rejection rejection = parser.parse(text.getBytes(), text.getLength(), scratch);
        if (rejection != null) {
          String raw = new String(text.getBytes(), 0, text.getLength(), charset);
          next =
              RowFactory.create(source, file, offset, raw, rejection.message(), rejection.code());
        }
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }
  }
}
