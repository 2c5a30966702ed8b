package dev.recdata.als;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import dev.recdata.common.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One training set prepared once and shared by every model fitted on it (grid points and baselines): the
 * labels, the seen pairs, the int indices, the bias model (explicit mode) and two sizes the ranking needs.
 */
record TrainingSet(
    Dataset<Row> labels,
    Dataset<Row> seen,
    Dataset<Row> userIndex,
    Dataset<Row> itemIndex,
    BiasModel bias,
    long maxSeen,
    long catalogSize) {

  /**
   * The index comes from the etl id maps when given (so factors line up with the rest of the pipeline), else
   * it is built over this train set; users and items absent from it are cold start for this model.
   */
  static TrainingSet of(
      SparkSession spark, Dataset<Row> train, AlsOptions o, Dataset<Row> userMap, Dataset<Row> itemMap) {
    Dataset<Row> labels = Feedback.labels(train, o).cache();
    Dataset<Row> seen = Feedback.seen(train).cache();
    Dataset<Row> userIndex =
        (userMap != null ? userMap : IdIndex.build(spark, labels, Schema.USER_ID, Schema.USER_IDX)).cache();
    Dataset<Row> itemIndex =
        (itemMap != null ? itemMap : IdIndex.build(spark, labels, Schema.ITEM_ID, Schema.ITEM_IDX)).cache();
    BiasModel bias = o.mode() == AlsOptions.Mode.EXPLICIT ? Baselines.biasModel(labels, o.biasDamping()) : null;
    Row sizes = seen.groupBy(Schema.USER_ID).agg(count(lit(1)).as("n")).agg(max(col("n"))).first();
    long maxSeen = sizes.isNullAt(0) ? 0 : sizes.getLong(0);
    long catalogSize = labels.select(Schema.ITEM_ID).distinct().count();
    return new TrainingSet(labels, seen, userIndex, itemIndex, bias, maxSeen, catalogSize);
  }

  /** Candidates per user needed so that K unseen ones survive the seen-item filter. */
  int overFetch(int k) {
    return (int) Math.min(Integer.MAX_VALUE - 1, k + maxSeen);
  }

  void unpersist() {
    labels.unpersist();
    seen.unpersist();
    userIndex.unpersist();
    itemIndex.unpersist();
    if (bias != null) {
      bias.unpersist();
    }
  }
}
