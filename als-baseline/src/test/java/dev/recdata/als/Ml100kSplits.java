package dev.recdata.als;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.xxhash64;

import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.Schema.Layout;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Split folders for tests and the benchmark, written the way {@code split} lays them out, from
 * MovieLens 100K. The splits module is separate; this is a small seeded stand-in: rows are ordered
 * within a group (a user, or an item for the stratified split) by {@code hash(user, item, seed)}
 * and cut by position.
 */
final class Ml100kSplits {
  private Ml100kSplits() {}

  static Dataset<Row> interactions(SparkSession spark, Path ml100k) {
    return spark
        .read()
        .option("sep", "\t")
        .schema("u bigint, i bigint, r float, t long")
        .csv(ml100k.resolve("u.data").toString())
        .select(
            col("u").as(Schema.USER_ID),
            col("i").as(Schema.ITEM_ID),
            col("r").as(Schema.RATING),
            timestamp_seconds(col("t")).as(Schema.TS),
            lit(Schema.EVENT_RATING).as(Schema.EVENT),
            lit("ml-100k").as(Schema.SOURCE));
  }

  /** Adds {@code position} in [0, 1): the row's place within its group in seeded hash order. */
  static Dataset<Row> positioned(Dataset<Row> rows, String groupColumn, long seed) {
    var byGroup = Window.partitionBy(groupColumn);
    var ordered = byGroup.orderBy(xxhash64(col(Schema.USER_ID), col(Schema.ITEM_ID), lit(seed)));
    return rows.withColumn(
        "position", row_number().over(ordered).minus(1).divide(count(lit(1)).over(byGroup)));
  }

  /** train / validation / test with the given fractions within each group. */
  static void writeHoldout(
      Dataset<Row> rows, Path dir, String groupColumn, double train, double validation, long seed) {
    Dataset<Row> p = positioned(rows, groupColumn, seed).cache();
    write(p.where(col("position").lt(train)), dir.resolve("splits/train"));
    if (validation > 0) {
      write(
          p.where(col("position").geq(train).and(col("position").lt(train + validation))),
          dir.resolve("splits/validation"));
    }
    write(p.where(col("position").geq(train + validation)), dir.resolve("splits/test"));
    p.unpersist();
    manifest(rows.sparkSession(), dir, "holdout-by-" + groupColumn, 0);
  }

  /** fold=i/{train,test}: fold i tests on the i-th of {@code folds} equal slices of each group. */
  static void writeKfold(Dataset<Row> rows, Path dir, String groupColumn, int folds, long seed) {
    Dataset<Row> p =
        positioned(rows, groupColumn, seed)
            .withColumn("fold", col("position").multiply(folds).cast("int"))
            .cache();
    for (int i = 0; i < folds; i++) {
      write(p.where(col("fold").notEqual(i)), dir.resolve("splits/fold=" + i + "/train"));
      write(p.where(col("fold").equalTo(i)), dir.resolve("splits/fold=" + i + "/test"));
    }
    p.unpersist();
    manifest(rows.sparkSession(), dir, "kfold-by-" + groupColumn, folds);
  }

  private static void write(Dataset<Row> rows, Path path) {
    rows.select(
            Schema.USER_ID, Schema.ITEM_ID, Schema.RATING, Schema.TS, Schema.EVENT, Schema.SOURCE)
        .coalesce(1)
        .write()
        .mode("overwrite")
        .parquet(path.toString());
  }

  private static void manifest(SparkSession spark, Path dir, String strategy, int folds) {
    var m = Json.object();
    m.put("stage", "split");
    m.put("run_id", "test-split");
    m.put("strategy", strategy);
    m.put("folds", folds);
    m.putObject("input")
        .put("path", dir.resolve("no-etl").toString())
        .put("upstream_run_id", "test-etl");
    Json.write(
        spark.sparkContext().hadoopConfiguration(), dir.resolve(Layout.MANIFEST).toString(), m);
  }
}
