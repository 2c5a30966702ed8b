package dev.recdata.export.serving;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;

import dev.recdata.als.Baselines;
import dev.recdata.als.BlockTopK;
import dev.recdata.common.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Top-K unseen items per user and top-K similar items per item, both exact, from a {@link
 * FactorModel}. The scoring itself is {@link BlockTopK}; this class says what a query, a candidate
 * and an exclusion are.
 */
public final class Recommendations {
  private Recommendations() {}

  public static final String RANK = "rank";
  public static final String SCORE = "score";
  public static final String SIMILAR_ITEM_ID = "similar_item_id";

  /**
   * {@code (user_id, item_id)} pairs a user rated or liked anywhere in the interactions: never
   * recommended back. Impressions (shown, not liked) are not seen: the user may still like the
   * item.
   */
  public static Dataset<Row> seen(Dataset<Row> interactions) {
    return interactions
        .where(col(Schema.EVENT).isin(Schema.EVENT_RATING, Schema.EVENT_LIKE))
        .select(Schema.USER_ID, Schema.ITEM_ID)
        .distinct();
  }

  /**
   * {@code (user_id, rank, item_id, score)}: for every user with factors, the K unseen items with
   * the highest {@code global_mean + user.bias + item.bias + user.factors . item.factors} (score
   * desc, item_id asc), rank 1-based. Fewer than K rows only when the user has seen all but fewer
   * than K items.
   */
  public static Dataset<Row> forUsers(
      SparkSession spark,
      Dataset<Row> users,
      Dataset<Row> items,
      Dataset<Row> seen,
      double globalMean,
      int rank,
      int k) {
    Dataset<Row> seenPerUser = Baselines.excludedPerUser(seen);
    Dataset<Row> queries =
        users
            .join(seenPerUser, new String[] {Schema.USER_ID}, "left")
            .select(
                col(Schema.USER_ID).as(BlockTopK.QUERY_ID),
                col(FactorModel.FACTORS).as(BlockTopK.FACTORS),
                lit(globalMean).plus(col(FactorModel.BIAS).cast("double")).as(BlockTopK.OFFSET),
                lit(1.0).as(BlockTopK.SCALE),
                col(BlockTopK.EXCLUDED));
    Dataset<Row> candidates =
        items.select(
            col(Schema.ITEM_ID).as(BlockTopK.QUERY_ID),
            col(FactorModel.FACTORS).as(BlockTopK.FACTORS),
            col(FactorModel.BIAS).cast("double").as(BlockTopK.OFFSET),
            lit(1.0).as(BlockTopK.SCALE));
    return BlockTopK.topK(
            spark, BlockTopK.spread(spark, queries), BlockTopK.collect(candidates, rank), k)
        .select(
            col(BlockTopK.QUERY_ID).as(Schema.USER_ID),
            col(BlockTopK.RANK).as(RANK),
            col(BlockTopK.CANDIDATE_ID).as(Schema.ITEM_ID),
            col(BlockTopK.SCORE).as(SCORE));
  }

  /**
   * {@code (user_id, rank, item_id, score)} like {@link #forUsers}, but from a popularity baseline
   * fit on all the interactions: what ships when ALS lost to that baseline on validation ({@code
   * --serve-fallback popular}). The score is {@code 1 / rank}: a baseline ranks, it does not score.
   * {@code interactions} are etl's at {@code interactionsPath}; when etl wrote them clustered by
   * user, the catalogue order is counted without shuffling every event ({@link
   * ClusteredPopularity}).
   */
  public static Dataset<Row> fromBaseline(
      SparkSession spark,
      String baseline,
      Dataset<Row> interactions,
      String interactionsPath,
      boolean clusteredByUser,
      Dataset<Row> users,
      Dataset<Row> seen,
      int k,
      int recentDays) {
    long[] order =
        switch (baseline) {
          case "most_popular" -> {
            long[] inFiles =
                ClusteredPopularity.order(
                    spark, interactionsPath, clusteredByUser, baseline, null, recentDays);
            yield inFiles != null
                ? inFiles
                : Baselines.mostPopularOrder(Baselines.itemPopularity(seen));
          }
          case "recently_popular" -> {
            Object cutoff = Baselines.recentCutoff(interactions);
            if (cutoff == null) {
              yield new long[0]; // no rating or like: nothing to recommend, no rows
            }
            long[] inFiles =
                ClusteredPopularity.order(
                    spark, interactionsPath, clusteredByUser, baseline, cutoff, recentDays);
            yield inFiles != null
                ? inFiles
                : Baselines.recentlyPopularOrder(
                    Baselines.recentItemCounts(interactions, cutoff, recentDays));
          }
          default ->
              throw new IllegalArgumentException(
                  "no baseline " + baseline + ": expected most_popular or recently_popular");
        };
    Dataset<Row> lists =
        Baselines.firstUnseen(spark, order, Baselines.excludedPerUser(seen), users, k);
    return lists
        .select(col(Schema.USER_ID), functions.posexplode(col(Baselines.RECOMMENDED)))
        .select(
            col(Schema.USER_ID),
            col("pos").plus(lit(1)).cast("int").as(RANK),
            col("col").as(Schema.ITEM_ID),
            lit(1.0).divide(col("pos").plus(lit(1))).cast("float").as(SCORE));
  }

  /**
   * {@code (item_id, rank, similar_item_id, score)}: the K items with the highest cosine similarity
   * of item factors, the item itself excluded (score desc, similar_item_id asc). A zero factor
   * vector has cosine 0 to everything.
   */
  public static Dataset<Row> similarItems(SparkSession spark, Dataset<Row> items, int rank, int k) {
    Column squares =
        functions.aggregate(
            col(FactorModel.FACTORS),
            lit(0.0),
            (sum, x) -> sum.plus(x.cast("double").multiply(x.cast("double"))));
    Column inverseNorm = when(squares.gt(0), lit(1.0).divide(sqrt(squares))).otherwise(lit(0.0));
    Dataset<Row> normalised =
        items.select(
            col(Schema.ITEM_ID).as(BlockTopK.QUERY_ID),
            col(FactorModel.FACTORS).as(BlockTopK.FACTORS),
            lit(0.0).as(BlockTopK.OFFSET),
            inverseNorm.as(BlockTopK.SCALE),
            array(col(Schema.ITEM_ID)).as(BlockTopK.EXCLUDED));
    return BlockTopK.topK(
            spark, BlockTopK.spread(spark, normalised), BlockTopK.collect(normalised, rank), k)
        .select(
            col(BlockTopK.QUERY_ID).as(Schema.ITEM_ID),
            col(BlockTopK.RANK).as(RANK),
            col(BlockTopK.CANDIDATE_ID).as(SIMILAR_ITEM_ID),
            col(BlockTopK.SCORE).as(SCORE));
  }
}
