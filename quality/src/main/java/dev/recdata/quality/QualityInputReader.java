package dev.recdata.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.recdata.common.DatasetNames;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.ManifestFile;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.etl.EtlOutput;
import dev.recdata.splits.SplitOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads what the quality stage checks: a split output ({@link SplitOutput}: train|validation|test,
 * or fold=i/train|test) or an etl output ({@link EtlOutput}: interactions). Reads only; the checks
 * live in {@link Checks}.
 */
public final class QualityInputReader {
  private QualityInputReader() {}

  public static QualityInput read(SparkSession spark, String dir) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    if (SplitOutput.isAt(conf, dir)) {
      return readSplit(spark, conf, dir, SplitOutput.read(conf, dir, "--input"));
    }
    EtlOutput etl = EtlOutput.readIfPresent(conf, dir);
    Path interactions = new Path(dir, Schema.Layout.INTERACTIONS);
    if (etl != null || HadoopPaths.exists(conf, interactions)) {
      Dataset<Row> rows =
          readParts(spark, interactions.toString()).withColumn(Metrics.SPLIT, lit(Metrics.ALL));
      return new QualityInput(
          QualityInput.ETL,
          dir,
          etl == null ? null : etl.counts(),
          etl == null ? null : etl.runId(),
          null,
          new double[0],
          0,
          List.of(),
          null,
          null,
          etl == null ? null : etl.runId(),
          null,
          etl == null ? DatasetNames.fromPath(dir) : etl.datasetName(),
          List.of(new QualityInput.Group("", List.of(Metrics.ALL), rows)));
    }
    throw RecdataException.badInput(
        "%s is neither a split folder nor an etl folder: expected train/ or fold=i/ (from split) or %s/ (from etl)"
            + " in it; it %s",
        dir, Schema.Layout.INTERACTIONS, ManifestFile.whatIsAt(conf, new Path(dir)));
  }

  private static QualityInput readSplit(
      SparkSession spark, Configuration conf, String dir, SplitOutput split) {
    List<QualityInput.Group> groups = new ArrayList<>();
    for (SplitOutput.Group group : split.groups()) {
      groups.add(group(spark, group));
    }
    EtlOutput etl = split.upstreamEtl(conf);
    return new QualityInput(
        QualityInput.SPLIT,
        dir,
        split.counts(),
        split.runId(),
        split.strategy(),
        split.ratios() == null ? new double[0] : split.ratios(),
        split.minInteractions(),
        split.cutoffs(),
        split.expectedRows(),
        etl == null ? null : etl.counts(),
        split.upstreamRunId(),
        split.folds(),
        split.datasetName(conf),
        groups);
  }

  private static QualityInput.Group group(SparkSession spark, SplitOutput.Group group) {
    List<String> parts = new ArrayList<>(group.parts().keySet());
    Dataset<Row> tagged = null;
    for (Map.Entry<String, String> part : group.parts().entrySet()) {
      Dataset<Row> rows =
          readParts(spark, part.getValue()).withColumn(Metrics.SPLIT, lit(part.getKey()));
      tagged = tagged == null ? rows : tagged.unionByName(rows);
    }
    RecdataException.checkInput(
        parts.contains(Schema.Layout.TRAIN) && parts.size() >= 2,
        "split folder %s has parts %s: expected %s and at least one of %s, %s",
        group.folder(),
        parts,
        Schema.Layout.TRAIN,
        Schema.Layout.VALIDATION,
        Schema.Layout.TEST);
    return new QualityInput.Group(group.name(), parts, tagged);
  }

  /**
   * Reads one Parquet folder and keeps the canonical columns, failing with the folder name if one
   * is missing.
   */
  private static Dataset<Row> readParts(SparkSession spark, String path) {
    Dataset<Row> rows;
    try {
      rows = spark.read().parquet(path);
    } catch (RuntimeException e) {
      throw RecdataException.badInput(e, "cannot read Parquet folder %s: %s", path, e.getMessage());
    }
    List<String> present = Arrays.asList(rows.columns());
    List<Column> columns = new ArrayList<>();
    for (var field : Schema.INTERACTIONS.fields()) {
      RecdataException.checkInput(
          present.contains(field.name()),
          "Parquet folder %s has columns %s: expected the canonical column %s",
          path,
          present,
          field.name());
      columns.add(col(field.name()).cast(field.dataType()).as(field.name()));
    }
    return rows.select(columns.toArray(Column[]::new));
  }
}
