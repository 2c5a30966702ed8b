package dev.recdata.splits;

import static org.apache.spark.sql.functions.col;

import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.etl.EtlJob;
import dev.recdata.etl.EtlOutput;
import dev.recdata.etl.read.InputFormat;
import dev.recdata.etl.read.InputReader;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the interactions to split: an etl output folder ({@code DIR/interactions} plus {@code
 * DIR/manifest.json}) or a Parquet folder of canonical interactions directly.
 */
public final class SplitInputReader {
  private SplitInputReader() {}

  /**
   * The interactions, the etl output they came from when there is one ({@code null} otherwise) and
   * the path read.
   */
  public record SplitInput(
      Dataset<Row> interactions, EtlOutput upstream, String path, InputOrder order) {}

  /** What the split may assume about how the rows arrive, which decides whether it must shuffle them. */
  public enum InputOrder {
    /** Any order: the split shuffles by group and sorts (a Parquet folder of unknown origin). */
    UNKNOWN,
    /**
     * Files etl wrote clustered by user ({@link EtlOutput#clusteredBy()}): read one file per
     * partition, every user's rows arrive together and the split needs no shuffle.
     */
    CLUSTERED_FILES,
    /** A plan whose partitions are already clustered by user (etl run in memory): no shuffle either. */
    CLUSTERED_PLAN
  }

  public static SplitInput read(SparkSession spark, String input) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path root = new Path(input);
    boolean etlOutput;
    try {
      FileSystem fs = root.getFileSystem(conf);
      RecdataException.checkInput(
          fs.exists(root),
          "--input %s does not exist: expected an etl output folder (with %s/) or a Parquet folder"
              + " of interactions",
          input,
          Schema.Layout.INTERACTIONS);
      etlOutput = fs.isDirectory(new Path(root, Schema.Layout.INTERACTIONS));
    } catch (IOException e) {
      throw RecdataException.badInput(e, "cannot read --input %s: %s", input, e.getMessage());
    }
    if (!etlOutput && InputReader.detect(spark, input, InputFormat.AUTO) != InputFormat.PARQUET) {
      // One-off use on raw files (a MovieLens folder, a CSV): run etl in memory first, with its defaults.
      Dataset<Row> cleaned = EtlJob.inMemory(spark, input, EtlJob.DEFAULT_MAX_REJECT_RATIO);
      return new SplitInput(cleaned, null, input, InputOrder.CLUSTERED_PLAN);
    }
    String parquet = etlOutput ? new Path(root, Schema.Layout.INTERACTIONS).toString() : input;
    EtlOutput upstream = etlOutput ? EtlOutput.readIfPresent(conf, input) : null;
    Dataset<Row> interactions;
    try {
      interactions = spark.read().parquet(parquet);
    } catch (RuntimeException e) {
      throw RecdataException.badInput(
          e,
          "cannot read Parquet interactions from %s: %s",
          parquet,
          String.valueOf(e.getMessage()));
    }
    boolean clustered =
        upstream != null && Schema.USER_ID.equals(upstream.clusteredBy());
    return new SplitInput(
        canonical(interactions, parquet),
        upstream,
        input,
        clustered ? InputOrder.CLUSTERED_FILES : InputOrder.UNKNOWN);
  }

  /**
   * The canonical columns in canonical order; a missing column or one of another type is bad input
   * named with the column and the expected type.
   */
  static Dataset<Row> canonical(Dataset<Row> interactions, String where) {
    StructType actual = interactions.schema();
    for (StructField expected : Schema.INTERACTIONS.fields()) {
      boolean present = Arrays.asList(actual.fieldNames()).contains(expected.name());
      RecdataException.checkInput(
          present,
          "%s has no column %s: expected the canonical interactions schema %s",
          where,
          expected.name(),
          Schema.INTERACTIONS.simpleString());
      StructField field = actual.apply(expected.name());
      RecdataException.checkInput(
          field.dataType().equals(expected.dataType()),
          "%s: column %s is %s, expected %s",
          where,
          expected.name(),
          field.dataType().simpleString(),
          expected.dataType().simpleString());
    }
    return interactions.select(
        Arrays.stream(Schema.INTERACTIONS.fieldNames()).map(c -> col(c)).toArray(Column[]::new));
  }
}
