package dev.recdata.splits;

import dev.recdata.splits.SplitInputReader.InputOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Lets the split use etl's clustered layout without a shuffle. etl writes each user's events into
 * exactly one file, users ascending; Spark may still cut a large file into several scan partitions
 * or pack small files into one. Packing is harmless (users stay whole and ascending), cutting is
 * not: one user would be split twice. So while the split runs, file scans are planned with both the
 * split size and the per-file open cost at least the largest file, which gives exactly one
 * partition per file, and {@link #holds} confirms the plan really has one partition per file before
 * the split relies on it (otherwise it shuffles as for any input). {@link GroupCutter} checks the
 * other half at run time: keys ascend within a partition.
 */
public final class ClusteredScan {
  private static final String MAX_PARTITION_BYTES = "spark.sql.files.maxPartitionBytes";
  private static final String OPEN_COST = "spark.sql.files.openCostInBytes";
  private static final long AT_LEAST = 128L << 20;

  private final SparkSession spark;
  private final InputOrder order;
  private final int files;
  private final long splitBytes;

  private ClusteredScan(SparkSession spark, InputOrder order, int files, long splitBytes) {
    this.spark = spark;
    this.order = order;
    this.files = files;
    this.splitBytes = splitBytes;
  }

  static ClusteredScan of(SparkSession spark, SplitInputReader.SplitInput in) {
    return of(spark, in.interactions(), in.order(), in.path());
  }

  /**
   * For etl's interactions files read elsewhere (export), when the etl manifest says they are
   * clustered by user ({@link dev.recdata.etl.EtlOutput#clusteredBy()}).
   */
  public static ClusteredScan ofEtlFiles(
      SparkSession spark, Dataset<Row> interactions, String where) {
    return of(spark, interactions, InputOrder.CLUSTERED_FILES, where);
  }

  private static ClusteredScan of(
      SparkSession spark, Dataset<Row> interactions, InputOrder order, String where) {
    if (order != InputOrder.CLUSTERED_FILES) {
      return new ClusteredScan(spark, order, 0, 0);
    }
    String[] paths = interactions.inputFiles();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    long largest = 0;
    try {
      for (String file : paths) {
        Path path = new Path(file);
        largest = Math.max(largest, path.getFileSystem(conf).getFileStatus(path).getLen());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the interactions files of " + where, e);
    }
    return new ClusteredScan(spark, order, paths.length, Math.max(AT_LEAST, largest + 1));
  }

  /** Runs {@code body} with file scans planned one file per partition (clustered files only). */
  public <T> T run(Supplier<T> body) {
    if (order != InputOrder.CLUSTERED_FILES) {
      return body.get();
    }
    Map<String, String> previous = new LinkedHashMap<>();
    for (String key : new String[] {MAX_PARTITION_BYTES, OPEN_COST}) {
      previous.put(key, spark.conf().contains(key) ? spark.conf().get(key) : null);
      spark.conf().set(key, String.valueOf(splitBytes));
    }
    try {
      return body.get();
    } finally {
      previous.forEach(
          (key, value) -> {
            if (value == null) {
              spark.conf().unset(key);
            } else {
              spark.conf().set(key, value);
            }
          });
    }
  }

  /**
   * True when per-user cutting may skip the shuffle for {@code rows} (the input after narrow steps
   * only): grouping by user, and for files, a plan with exactly one partition per file. Call inside
   * {@link #run}.
   */
  boolean holds(Dataset<Row> rows, SplitOptions options) {
    if (options.groupBy() != GroupBy.USER) {
      return false;
    }
    return switch (order) {
      case UNKNOWN -> false;
      case CLUSTERED_PLAN -> true;
      case CLUSTERED_FILES -> onePartitionPerFile(rows);
    };
  }

  /**
   * True when {@code rows} (etl's clustered files after narrow steps only) are planned one file per
   * partition, so every user's rows arrive in one partition, users ascending. Call inside {@link
   * #run}.
   */
  public boolean onePartitionPerFile(Dataset<Row> rows) {
    // a fresh plan: a Dataset keeps the physical plan (and its scan partitions) of its first use
    return order == InputOrder.CLUSTERED_FILES
        && files > 0
        && rows.alias("clustered").rdd().getNumPartitions() == files;
  }
}
