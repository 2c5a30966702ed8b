package dev.recdata.als;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.xxhash64;

import dev.recdata.common.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The baselines ALS is measured against, under the same protocol: each produces over-fetched candidates
 * {@code (user_id, item_id, score)} that {@link TopK} filters and cuts exactly as it does ALS's.
 */
public final class Baselines {
  private Baselines() {}

  private static final String POSITION = "position";

  /** The n items with the most train users (ties to the smaller id), offered to every user. */
  public static Dataset<Row> mostPopular(Dataset<Row> seen, Dataset<Row> users, int n) {
    Dataset<Row> top =
        seen.groupBy(Schema.ITEM_ID)
            .agg(count(lit(1)).cast("double").as(TopK.SCORE))
            .orderBy(col(TopK.SCORE).desc(), col(Schema.ITEM_ID).asc())
            .limit(n);
    return users.select(Schema.USER_ID).crossJoin(top);
  }

  /**
   * n items per user in a random order that depends only on the seed, the user and the item: the catalogue is
   * shuffled once by {@code hash(item, seed)} and each user reads n consecutive items from a start chosen by
   * {@code hash(user, seed)}. Each user's list is a uniformly random window, at the cost of one join on a
   * position instead of scoring every (user, item) pair.
   */
  public static Dataset<Row> random(SparkSession spark, Dataset<Row> seen, Dataset<Row> users, int n, long seed) {
    Dataset<Row> shuffled =
        IdIndex.build(
                spark,
                seen.select(xxhash64(col(Schema.ITEM_ID), lit(seed)).as("item_hash"), col(Schema.ITEM_ID))
                    .distinct()
                    .select(col("item_hash")),
                "item_hash",
                POSITION)
            .join(seen.select(Schema.ITEM_ID).distinct().withColumn("item_hash", xxhash64(col(Schema.ITEM_ID), lit(seed))), "item_hash")
            .select(Schema.ITEM_ID, POSITION);
    long catalog = shuffled.count();
    if (catalog == 0) {
      return users.select(col(Schema.USER_ID), lit(0L).as(Schema.ITEM_ID), lit(0.0).as(TopK.SCORE)).limit(0);
    }
    int take = (int) Math.min(n, catalog);
    return users
        .select(
            col(Schema.USER_ID),
            pmod(xxhash64(col(Schema.USER_ID), lit(seed)), lit(catalog)).as("start"),
            explode(sequence(lit(0), lit(take - 1))).as("offset"))
        .select(
            col(Schema.USER_ID),
            pmod(col("start").plus(col("offset")), lit(catalog)).cast("int").as(POSITION),
            col("offset").cast("double").multiply(-1).as(TopK.SCORE))
        .join(shuffled, POSITION)
        .select(Schema.USER_ID, Schema.ITEM_ID, TopK.SCORE);
  }

  /** The damped bias model: the rating-error baseline. */
  public static BiasModel biasModel(Dataset<Row> labels, double damping) {
    return BiasModel.fit(labels, damping);
  }
}
