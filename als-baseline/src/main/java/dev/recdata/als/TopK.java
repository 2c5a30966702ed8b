package dev.recdata.als;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import dev.recdata.common.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Turns scored candidates into each user's top K unseen items.
 *
 * <p>Every recommender (ALS, most-popular, random) hands over an over-fetched candidate list: ALS's {@code
 * recommendForUserSubset} cannot exclude items, so it is asked for K + the largest train history, which
 * guarantees K unseen items survive the filter, while its blocked BLAS top-K still avoids materialising the
 * user x item matrix as rows. Seen items are dropped with an anti-join and the top K kept with {@code
 * row_number() <= K}, which Spark plans as a per-partition group limit before the shuffle.
 */
final class TopK {
  private TopK() {}

  static final String SCORE = "score";
  private static final String RANK = "rank";

  /** Ties in score go to the smaller item id, so rankings are reproducible. */
  static Dataset<Row> rank(Dataset<Row> candidates, Dataset<Row> seen, int k) {
    WindowSpec byUser = Window.partitionBy(Schema.USER_ID).orderBy(col(SCORE).desc(), col(Schema.ITEM_ID).asc());
    return candidates
        .join(seen, new String[] {Schema.USER_ID, Schema.ITEM_ID}, "left_anti")
        .withColumn(RANK, row_number().over(byUser))
        .where(col(RANK).leq(k))
        .groupBy(Schema.USER_ID)
        .agg(sort_array(collect_list(struct(col(RANK), col(Schema.ITEM_ID)))).as("ranked"))
        .select(col(Schema.USER_ID), transform(col("ranked"), r -> r.getField(Schema.ITEM_ID)).as(RankingMetrics.RECOMMENDED));
  }

  /** Rows for {@link RankingMetrics}: every user with relevant items, with their list or null (cold start). */
  static Dataset<Row> withRelevant(Dataset<Row> relevant, Dataset<Row> recommendations) {
    return relevant.join(recommendations, new String[] {Schema.USER_ID}, "left");
  }
}
