package dev.recdata.als;

import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.etl.EtlOutput;
import dev.recdata.splits.SplitOutput;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a split ({@link SplitOutput}: holdout or k folds) and the etl id maps when the etl output
 * it was cut from is reachable.
 */
final class SplitReader {
  private SplitReader() {}

  /**
   * One train/test pair; {@code validation} is null in k-fold splits or when the split has none.
   */
  record Fold(String name, Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test) {}

  /** The split's content; the id maps are null when the etl output is not reachable. */
  record SplitInput(
      List<Fold> folds,
      boolean kfold,
      SplitOutput split,
      Dataset<Row> userMap,
      Dataset<Row> itemMap,
      String idMapSource) {}

  static SplitInput read(SparkSession spark, String input) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    SplitOutput split = SplitOutput.read(conf, input, "--input");
    List<Fold> folds = new ArrayList<>();
    for (SplitOutput.Group group : split.groups()) {
      folds.add(
          new Fold(
              split.kfold() ? group.name() : "holdout",
              parquet(spark, group.train(), group.folder(), Schema.Layout.TRAIN),
              group.validation() == null
                  ? null
                  : parquet(spark, group.validation(), group.folder(), Schema.Layout.VALIDATION),
              parquet(spark, group.test(), group.folder(), Schema.Layout.TEST)));
    }
    Dataset<Row> userMap = null;
    Dataset<Row> itemMap = null;
    String idMapSource = null;
    EtlOutput etl = split.upstreamEtl(conf);
    if (etl != null && etl.has(conf, etl.userMap()) && etl.has(conf, etl.itemMap())) {
      userMap = spark.read().parquet(etl.userMap()).select(Schema.USER_ID, Schema.USER_IDX);
      itemMap = spark.read().parquet(etl.itemMap()).select(Schema.ITEM_ID, Schema.ITEM_IDX);
      idMapSource = split.inputPath();
    }
    return new SplitInput(folds, split.kfold(), split, userMap, itemMap, idMapSource);
  }

  private static Dataset<Row> parquet(SparkSession spark, String path, String folder, String part) {
    RecdataException.checkInput(path != null, "missing split part %s/%s", folder, part);
    Dataset<Row> rows = spark.read().parquet(path);
    for (String column : Schema.INTERACTIONS.fieldNames()) {
      RecdataException.checkInput(
          List.of(rows.columns()).contains(column),
          "%s has no column %s: expected the canonical interactions columns %s",
          path,
          column,
          List.of(Schema.INTERACTIONS.fieldNames()));
    }
    return rows.select(
        rows.col(Schema.USER_ID).cast("bigint").as(Schema.USER_ID),
        rows.col(Schema.ITEM_ID).cast("bigint").as(Schema.ITEM_ID),
        rows.col(Schema.RATING).cast("float").as(Schema.RATING),
        rows.col(Schema.TS),
        rows.col(Schema.EVENT),
        rows.col(Schema.SOURCE));
  }
}
