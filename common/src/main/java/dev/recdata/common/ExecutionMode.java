package dev.recdata.common;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, per stage, between Spark's generated code and its interpreted expressions.
 *
 * <p>Spark compiles Java source for every query plan (Janino), and the JVM's C2 compiler then
 * compiles that code again once it is hot. On a small input the compiling is the work: a JFR
 * profile of the default pipeline (100K rows, 2 cores) put 43% of the process's CPU in the JIT
 * compiler threads and a third in the tasks themselves. Interpreted expressions are shared classes,
 * compiled once per JVM; they evaluate a row more slowly, which only matters once there are many
 * rows. Measured on 2 cores (submit/bench/ANALYSIS.md), runs interleaved with generated code: the
 * default pipeline about 10% faster and 15-20% less CPU; at 1M rows the two were even overall (etl
 * and export slower interpreted, quality and als faster), hence the threshold in between.
 *
 * <p>Both paths compute the same rows in the same order ({@code OutputDigestsTest} runs the
 * recorded pipeline in both modes against one set of digests). A value the user set for either
 * setting ({@code --conf}, {@code spark-defaults.conf}, {@code -D}) is never overridden.
 */
public final class ExecutionMode {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutionMode.class);

  /** Inputs up to this many rows run interpreted: between 100K (a clear gain) and 1M (even). */
  public static final long INTERPRETED_MAX_ROWS = 500_000;

  /**
   * Bytes of delimited text per rating, at least: ML-100K's u.data is 19.9, ML-25M's ratings.csv
   * 27. Dividing by the smaller figure overestimates rows, so a doubtful input keeps generated
   * code.
   */
  static final long MIN_TEXT_BYTES_PER_ROW = 19;

  static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
  static final String FACTORY_MODE = "spark.sql.codegen.factoryMode";

  /**
   * {@code codegen} or {@code interpreted} forces one mode for every stage (tests run the recorded
   * pipeline both ways); unset, the input's size decides.
   */
  static final String FORCE_PROPERTY = "recdata.execution";

  /** The modes; {@link #INTERPRETED} is Spark's interpreted expressions, no whole-stage code. */
  public enum Mode {
    GENERATED,
    INTERPRETED
  }

  private ExecutionMode() {}

  /** The mode for an input of {@code rows} rows (negative: unknown, so generated code). */
  public static Mode forRows(long rows) {
    String forced = System.getProperty(FORCE_PROPERTY, "");
    if (forced.equals("codegen")) {
      return Mode.GENERATED;
    }
    if (forced.equals("interpreted")) {
      return Mode.INTERPRETED;
    }
    RecdataException.checkInput(
        forced.isEmpty(),
        "-D%s=%s: expected codegen or interpreted (or no value, to choose by the input's size)",
        FORCE_PROPERTY,
        forced);
    return rows >= 0 && rows <= INTERPRETED_MAX_ROWS ? Mode.INTERPRETED : Mode.GENERATED;
  }

  /**
   * {@link #apply} for a stage whose input is the Parquet files under {@code folder}, counted from
   * their footers.
   */
  public static void applyForParquet(SparkSession spark, String stage, String folder) {
    apply(spark, stage, parquetRows(spark.sparkContext().hadoopConfiguration(), folder));
  }

  /**
   * Sets the session's mode for the queries that follow, for an input of {@code rows} rows; the
   * pipeline's stages share one session, so each stage sets it either way.
   */
  public static void apply(SparkSession spark, String stage, long rows) {
    Mode mode = forRows(rows);
    boolean interpreted = mode == Mode.INTERPRETED;
    set(spark, WHOLE_STAGE, interpreted ? "false" : null);
    set(spark, FACTORY_MODE, interpreted ? "NO_CODEGEN" : null);
    LOG.info(
        "{}: {} rows, {} execution",
        stage,
        rows < 0 ? "unknown" : String.format(java.util.Locale.ROOT, "%,d", rows),
        interpreted ? "interpreted" : "generated-code");
  }

  private static void set(SparkSession spark, String key, String value) {
    if (spark.sparkContext().getConf().contains(key)) {
      return; // the user's choice
    }
    if (value == null) {
      spark.conf().unset(key);
    } else {
      spark.conf().set(key, value);
    }
  }

  /** Rows of delimited text files, estimated from their size (an upper bound on real inputs). */
  public static long textRows(Configuration conf, Iterable<String> files) {
    long bytes = 0;
    for (String file : files) {
      Path path = new Path(file);
      try {
        bytes += path.getFileSystem(conf).getFileStatus(path).getLen();
      } catch (IOException e) {
        return -1;
      }
    }
    return bytes / MIN_TEXT_BYTES_PER_ROW;
  }

  /**
   * Rows of every Parquet file under {@code folder}, from the files' footers (no Spark job); -1
   * when the folder cannot be listed or a footer read.
   */
  public static long parquetRows(Configuration conf, String folder) {
    if (folder == null) {
      return -1;
    }
    try {
      Path root = new Path(folder);
      FileSystem fs = root.getFileSystem(conf);
      long rows = 0;
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
      while (files.hasNext()) {
        FileStatus file = files.next();
        String name = file.getPath().getName();
        if (!name.endsWith(".parquet") || name.startsWith(".") || name.startsWith("_")) {
          continue;
        }
        try (ParquetFileReader reader =
            ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf))) {
          rows += reader.getRecordCount();
        }
      }
      return rows;
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not count the rows under {}: {}", folder, e.toString());
      return -1;
    }
  }
}
