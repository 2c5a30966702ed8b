package dev.recdata.export.training;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.zip_with;

import dev.recdata.als.RankingMetrics;
import dev.recdata.common.ExactSums;
import dev.recdata.common.Schema;
import dev.recdata.export.serving.FactorModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A factor model's hit rate and NDCG on the evaluation batches themselves (the sampled protocol: a
 * user's held-out positives among N sampled negatives), so a ranker trained on the exported tensors
 * is compared with ALS on the same candidates, ranked by the same rule. The metrics are als's
 * {@link RankingMetrics} (binary relevance), over column expressions and one aggregate: nothing per
 * user reaches the driver.
 *
 * <p>The rule: a user's candidates are ranked by {@code global_mean + user.bias + item.bias +
 * user.factors . item.factors}, highest first. A candidate without a score (its user or its item
 * has no factors) ranks below every scored one. Ties (equal scores, or both unscored) go to the
 * earlier position in the list; the list is in the seeded candidate order ({@link
 * TrainingSets#candidateOrder}), so ties are broken by that key and a user without factors is
 * ranked in list order, as a random ranker would rank it.
 */
public final class EvalBatchScore {
  private EvalBatchScore() {}

  /** The cut-off of the reported metrics, as in als's metrics.json. */
  public static final int K = 10;

  static final String RANKED = "ranked";
  static final String USER_WITHOUT_FACTORS = "user_without_factors";
  static final String CANDIDATES_WITHOUT_FACTORS = "candidates_without_factors";

  private static final String POSITION = "position";
  private static final String CANDIDATE = "candidate";
  private static final String UNSCORED = "unscored";
  private static final String NEGATED_SCORE = "negated_score";
  private static final String USER_FACTORS = "user_factors";
  private static final String USER_BIAS = "user_bias";
  private static final String ITEM_FACTORS = "item_factors";
  private static final String ITEM_BIAS = "item_bias";

  /**
   * The model's metrics over one set of batches.
   *
   * @param users users with a candidate list (every one counts in the means)
   * @param usersWithoutFactors users the model has no factors for: ranked in list order
   * @param candidatesWithoutFactors candidates whose item has no factors: ranked last
   */
  public record Score(
      int k,
      double hitRate,
      double ndcg,
      long users,
      long usersWithoutFactors,
      long candidatesWithoutFactors) {}

  public static Score of(Dataset<Row> batches, FactorModel model, int k) {
    return summarise(rankings(batches, model.users(), model.items(), model.globalMean()), k);
  }

  /**
   * Per user of {@code batches} ({@link TrainingSets#evalSchema}): {@code recommended}, every
   * candidate in rank order; {@code relevant}, the positives; and whether the user and how many of
   * its candidates lack factors. {@code users} and {@code items} are {@link FactorModel}'s.
   */
  static Dataset<Row> rankings(
      Dataset<Row> batches, Dataset<Row> users, Dataset<Row> items, double globalMean) {
    Dataset<Row> userFactors =
        users.select(
            col(Schema.USER_IDX).cast("bigint").as(Schema.USER_IDX),
            col(FactorModel.FACTORS).as(USER_FACTORS),
            col(FactorModel.BIAS).cast("double").as(USER_BIAS));
    // Item factors are small (items x rank) and every candidate needs one: broadcast them, as
    // the serving side's top-K does.
    Dataset<Row> itemFactors =
        broadcast(
            items.select(
                col(Schema.ITEM_IDX).cast("bigint").as(CANDIDATE),
                col(FactorModel.FACTORS).as(ITEM_FACTORS),
                col(FactorModel.BIAS).cast("double").as(ITEM_BIAS)));
    // Users join once per list, before the list is exploded into candidates.
    Dataset<Row> candidates =
        batches
            .join(userFactors, new String[] {Schema.USER_IDX}, "left")
            .select(
                col(Schema.USER_IDX),
                col(USER_FACTORS),
                col(USER_BIAS),
                col(TrainingSets.LABEL),
                posexplode(col(Schema.ITEM_IDX)).as(new String[] {POSITION, CANDIDATE}))
            .withColumn(
                TrainingSets.LABEL, element_at(col(TrainingSets.LABEL), col(POSITION).plus(1)))
            .join(itemFactors, new String[] {CANDIDATE}, "left");
    Column dot =
        functions.aggregate(
            zip_with(
                col(USER_FACTORS),
                col(ITEM_FACTORS),
                (u, i) -> u.cast("double").multiply(i.cast("double"))),
            lit(0.0),
            Column::plus);
    Column score = lit(globalMean).plus(col(USER_BIAS)).plus(col(ITEM_BIAS)).plus(dot);
    Column unscored = col(USER_FACTORS).isNull().or(col(ITEM_FACTORS).isNull());
    // Sorted ascending, this struct is the ranking rule: scored first, then the highest score,
    // then the earliest position (unique within a list, so the later fields never decide).
    Column rankKey =
        struct(
            unscored.as(UNSCORED),
            when(unscored, lit(0.0)).otherwise(functions.negate(score)).as(NEGATED_SCORE),
            col(POSITION).as(POSITION),
            col(CANDIDATE).as(CANDIDATE),
            col(TrainingSets.LABEL).as(TrainingSets.LABEL));
    return candidates
        .groupBy(col(Schema.USER_IDX))
        .agg(
            array_sort(collect_list(rankKey)).as(RANKED),
            max(when(col(USER_FACTORS).isNull(), lit(1L)).otherwise(lit(0L)))
                .as(USER_WITHOUT_FACTORS),
            sum(when(col(ITEM_FACTORS).isNull(), lit(1L)).otherwise(lit(0L)))
                .as(CANDIDATES_WITHOUT_FACTORS))
        .select(
            col(Schema.USER_IDX),
            transform(col(RANKED), c -> c.getField(CANDIDATE)).as(RankingMetrics.RECOMMENDED),
            transform(
                    filter(col(RANKED), c -> c.getField(TrainingSets.LABEL).equalTo(lit(1))),
                    c -> c.getField(CANDIDATE))
                .as(RankingMetrics.RELEVANT),
            col(USER_WITHOUT_FACTORS),
            col(CANDIDATES_WITHOUT_FACTORS));
  }

  static Score summarise(Dataset<Row> rankings, int k) {
    Row row =
        rankings
            .agg(
                ExactSums.avg(RankingMetrics.hitRateAt(k)),
                ExactSums.avg(RankingMetrics.ndcgAt(k)),
                count(lit(1)),
                coalesce(sum(col(USER_WITHOUT_FACTORS)), lit(0L)),
                coalesce(sum(col(CANDIDATES_WITHOUT_FACTORS)), lit(0L)))
            .first();
    return new Score(
        k,
        row.isNullAt(0) ? 0.0 : row.getDouble(0),
        row.isNullAt(1) ? 0.0 : row.getDouble(1),
        row.getLong(2),
        row.getLong(3),
        row.getLong(4));
  }
}
