package dev.recdata.als;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.ExactSums;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Top-K ranking metrics with binary relevance, computed from rows {@code (user_id, recommended
 * array<bigint> in rank order, relevant array<bigint>)} as column expressions and one aggregate:
 * nothing per user reaches the driver. A user whose {@code recommended} is null or empty (cold
 * start) scores 0 on every metric and still counts in the mean. Definitions follow Spark's {@code
 * RankingMetrics} where it has them: precision@K divides by K, MAP@K by min(|relevant|, K); MRR is
 * the reciprocal rank of the first hit within the top K (0 without one); hit rate@K is 1 when any
 * of the top K is relevant.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  public static final String RECOMMENDED = "recommended";
  public static final String RELEVANT = "relevant";

  private static Column topK(int k) {
    return slice(coalesce(col(RECOMMENDED), array().cast("array<bigint>")), 1, k);
  }

  private static Column isHit(Column item) {
    return array_contains(col(RELEVANT), item);
  }

  private static Column hits(int k) {
    return size(filter(topK(k), RankingMetrics::isHit)).cast("double");
  }

  private static Column log2(Column x) {
    return log(2.0, x);
  }

  private static Column sumOf(Column doubles) {
    return aggregate(doubles, lit(0.0), Column::plus);
  }

  public static Column precisionAt(int k) {
    return hits(k).divide(k);
  }

  public static Column recallAt(int k) {
    return when(size(col(RELEVANT)).gt(0), hits(k).divide(size(col(RELEVANT)))).otherwise(lit(0.0));
  }

  public static Column ndcgAt(int k) {
    Column dcg =
        sumOf(
            transform(
                topK(k),
                (item, i) ->
                    when(isHit(item), lit(1.0).divide(log2(i.plus(2)))).otherwise(lit(0.0))));
    Column idcg =
        sumOf(transform(slice(col(RELEVANT), 1, k), (item, i) -> lit(1.0).divide(log2(i.plus(2)))));
    return when(idcg.gt(0), dcg.divide(idcg)).otherwise(lit(0.0));
  }

  public static Column mapAt(int k) {
    // precision at each hit's rank: hits among the first i+1 divided by i+1
    Column precisionAtHits =
        transform(
            topK(k),
            (item, i) ->
                when(
                        isHit(item),
                        size(filter(slice(topK(k), lit(1), i.plus(1)), RankingMetrics::isHit))
                            .divide(i.plus(1)))
                    .otherwise(lit(0.0)));
    Column denominator = least(size(col(RELEVANT)), lit(k));
    return when(denominator.gt(0), sumOf(precisionAtHits).divide(denominator)).otherwise(lit(0.0));
  }

  public static Column mrrAt(int k) {
    Column firstHitRank =
        array_min(
            filter(
                transform(topK(k), (item, i) -> when(isHit(item), i.plus(1))), Column::isNotNull));
    return coalesce(lit(1.0).divide(firstHitRank), lit(0.0));
  }

  public static Column hitRateAt(int k) {
    return when(hits(k).gt(0), lit(1.0)).otherwise(lit(0.0));
  }

  /**
   * Mean over users of every ranking metric, plus coverage: distinct recommended items / catalog
   * size.
   */
  public static Map<String, Double> evaluate(Dataset<Row> rankings, int k, long catalogSize) {
    // two aggregates read the rankings: cache them so the top K is computed once (users x K rows,
    // small)
    rankings = rankings.cache();
    try {
      return evaluateCached(rankings, k, catalogSize);
    } finally {
      rankings.unpersist();
    }
  }

  private static Map<String, Double> evaluateCached(
      Dataset<Row> rankings, int k, long catalogSize) {
    Row means =
        rankings
            .agg(
                ExactSums.avg(precisionAt(k)),
                ExactSums.avg(recallAt(k)),
                ExactSums.avg(ndcgAt(k)),
                ExactSums.avg(mapAt(k)),
                ExactSums.avg(mrrAt(k)),
                ExactSums.avg(hitRateAt(k)),
                count(lit(1)),
                sum(when(size(topK(k)).equalTo(0), 1).otherwise(0)))
            .first();
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("precision@" + k, orZero(means, 0));
    metrics.put("recall@" + k, orZero(means, 1));
    metrics.put("ndcg@" + k, orZero(means, 2));
    metrics.put("map@" + k, orZero(means, 3));
    metrics.put("mrr", orZero(means, 4));
    metrics.put("hit_rate@" + k, orZero(means, 5));
    metrics.put("coverage@" + k, coverage(rankings, k, catalogSize));
    metrics.put("ranked_users", (double) means.getLong(6));
    metrics.put(
        "users_without_recommendations", means.isNullAt(7) ? 0.0 : (double) means.getLong(7));
    return metrics;
  }

  public static double precision(Dataset<Row> rankings, int k) {
    return mean(rankings, precisionAt(k));
  }

  public static double recall(Dataset<Row> rankings, int k) {
    return mean(rankings, recallAt(k));
  }

  public static double ndcg(Dataset<Row> rankings, int k) {
    return mean(rankings, ndcgAt(k));
  }

  public static double map(Dataset<Row> rankings, int k) {
    return mean(rankings, mapAt(k));
  }

  public static double mrr(Dataset<Row> rankings, int k) {
    return mean(rankings, mrrAt(k));
  }

  public static double hitRate(Dataset<Row> rankings, int k) {
    return mean(rankings, hitRateAt(k));
  }

  /** Share of the catalog that appears in at least one user's top K. */
  public static double coverage(Dataset<Row> rankings, int k, long catalogSize) {
    if (catalogSize <= 0) {
      return 0.0;
    }
    long distinct =
        rankings
            .select(explode(topK(k)).as("item"))
            .agg(count_distinct(col("item")))
            .first()
            .getLong(0);
    return (double) distinct / catalogSize;
  }

  private static double mean(Dataset<Row> rankings, Column perUser) {
    Row row = rankings.agg(ExactSums.avg(perUser)).first();
    return row.isNullAt(0) ? 0.0 : row.getDouble(0);
  }

  private static double orZero(Row row, int i) {
    return row.isNullAt(i) ? 0.0 : row.getDouble(i);
  }
}
