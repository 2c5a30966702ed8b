package dev.recdata.splits;

import static org.apache.spark.sql.functions.col;

import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.etl.EtlJob;
import dev.recdata.etl.EtlOutput;
import dev.recdata.etl.InMemoryEtl;
import dev.recdata.etl.read.ColumnMapping;
import dev.recdata.etl.read.FileReadOptions;
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
   * The interactions, the etl output they came from when there is one ({@code null} otherwise), the
   * path read and, for raw files, what etl run in memory rejected and removed ({@code null}
   * otherwise).
   */
  public record SplitInput(
      Dataset<Row> interactions,
      EtlOutput upstream,
      String path,
      InputOrder order,
      InMemoryEtl inMemoryEtl) {
    public SplitInput(
        Dataset<Row> interactions, EtlOutput upstream, String path, InputOrder order) {
      this(interactions, upstream, path, order, null);
    }
  }

  /**
   * What the split may assume about how the rows arrive, which decides whether it must shuffle
   * them.
   */
  public enum InputOrder {
    /** Any order: the split shuffles by group and sorts (a Parquet folder of unknown origin). */
    UNKNOWN,
    /**
     * Files etl wrote clustered by user ({@link EtlOutput#clusteredBy()}): read one file per
     * partition, every user's rows arrive together and the split needs no shuffle.
     */
    CLUSTERED_FILES,
    /**
     * A plan whose partitions are already clustered by user (etl run in memory): no shuffle either.
     */
    CLUSTERED_PLAN
  }

  /** As below, raw files read the way etl reads them without options. */
  public static SplitInput read(SparkSession spark, String input) {
    return read(spark, input, FileReadOptions.defaults());
  }

  /**
   * @param raw how etl reads {@code input} when it is neither an etl output nor canonical Parquet
   *     (layout, column mapping, tolerated rejects)
   */
  public static SplitInput read(SparkSession spark, String input, FileReadOptions raw) {
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
    if (!etlOutput && isRaw(spark, input, raw)) {
      // One-off use on raw files (a MovieLens folder, a CSV): run etl in memory first, with its
      // default cleaning.
      InMemoryEtl etl = EtlJob.inMemory(spark, input, raw);
      return new SplitInput(etl.interactions(), null, input, InputOrder.CLUSTERED_PLAN, etl);
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
    boolean clustered = upstream != null && Schema.USER_ID.equals(upstream.clusteredBy());
    return new SplitInput(
        canonical(interactions, parquet),
        upstream,
        input,
        clustered ? InputOrder.CLUSTERED_FILES : InputOrder.UNKNOWN);
  }

  /**
   * Raw files for etl: a forced --format other than parquet, or a detected layout that is not a
   * Parquet folder. A Parquet input with a column mapping is raw too (etl maps its columns); one
   * without is taken as canonical interactions.
   */
  private static boolean isRaw(SparkSession spark, String input, FileReadOptions raw) {
    InputFormat format =
        raw.format() == InputFormat.AUTO
            ? InputReader.detect(spark, input, InputFormat.AUTO)
            : raw.format();
    return format != InputFormat.PARQUET || !raw.mapping().equals(ColumnMapping.defaults());
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
