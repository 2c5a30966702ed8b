package dev.recdata.export.training;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.recdata.als.BlockTopK;
import dev.recdata.als.RankingMetrics;
import dev.recdata.common.ExactSums;
import dev.recdata.common.Schema;
import dev.recdata.export.serving.FactorModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

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

  static final String USER_WITHOUT_FACTORS = "user_without_factors";
  static final String CANDIDATES_WITHOUT_FACTORS = "candidates_without_factors";

  private static final String USER_FACTORS = "user_factors";
  private static final String USER_BIAS = "user_bias";

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
    return summarise(
        rankings(batches, model.users(), model.items(), model.globalMean(), model.rank()), k);
  }

  /**
   * Per user of {@code batches} ({@link TrainingSets#evalSchema}): {@code recommended}, every
   * candidate in rank order; {@code relevant}, the positives; and whether the user and how many of
   * its candidates lack factors. {@code users} and {@code items} are {@link FactorModel}'s, of
   * {@code rank} factors each.
   *
   * <p>One pass over the lists, each ranked whole in Java with the item factors broadcast: the
   * column version (explode every candidate, join its item, sum a zip of the factor arrays, collect
   * and sort the lists again) took 54.8 s on the 16.5M test candidates of a 25M export, most of it
   * in interpreted higher-order functions and the re-grouping shuffle; at 5M it went from 19.2 s to
   * 3.7 s. Scores are the same doubles, added in the same order ({@code ((global_mean + user.bias)
   * + item.bias) + dot}, the dot product summed in rank order), and ties are ordered as Spark
   * orders doubles (-0.0 equals 0.0, NaN last), so the rankings are the ones the columns gave.
   */
  static Dataset<Row> rankings(
      Dataset<Row> batches, Dataset<Row> users, Dataset<Row> items, double globalMean, int rank) {
    Dataset<Row> userFactors =
        users.select(
            col(Schema.USER_IDX).cast("bigint").as(Schema.USER_IDX),
            col(FactorModel.FACTORS).as(USER_FACTORS),
            col(FactorModel.BIAS).cast("double").as(USER_BIAS));
    // the candidate table of the serving side's top-K: items in id order, factors widened once
    BlockTopK.Candidates table =
        BlockTopK.collect(
            items.select(
                col(Schema.ITEM_IDX).cast("bigint").as(BlockTopK.QUERY_ID),
                col(FactorModel.FACTORS).as(BlockTopK.FACTORS),
                coalesce(col(FactorModel.BIAS).cast("double"), lit(0.0)).as(BlockTopK.OFFSET),
                lit(1.0).as(BlockTopK.SCALE)),
            rank);
    Broadcast<BlockTopK.Candidates> broadcast =
        JavaSparkContext.fromSparkContext(batches.sparkSession().sparkContext()).broadcast(table);
    Dataset<Row> lists =
        batches
            .join(userFactors, new String[] {Schema.USER_IDX}, "left")
            .select(
                col(Schema.USER_IDX),
                col(Schema.ITEM_IDX),
                col(TrainingSets.LABEL),
                col(USER_FACTORS),
                col(USER_BIAS));
    MapFunction<Row, Row> ranked = list -> rankList(list, broadcast.value(), globalMean);
    return lists.map(ranked, Encoders.row(RANKINGS));
  }

  /** What {@link #rankings} gives per user. */
  static final StructType RANKINGS =
      new StructType()
          .add(Schema.USER_IDX, DataTypes.LongType, false)
          .add(
              RankingMetrics.RECOMMENDED,
              DataTypes.createArrayType(DataTypes.LongType, false),
              false)
          .add(RankingMetrics.RELEVANT, DataTypes.createArrayType(DataTypes.LongType, false), false)
          .add(USER_WITHOUT_FACTORS, DataTypes.LongType, false)
          .add(CANDIDATES_WITHOUT_FACTORS, DataTypes.LongType, false);

  /**
   * One user's list ranked: scored candidates first, by descending score, then by position in the
   * list.
   */
  private static Row rankList(Row list, BlockTopK.Candidates items, double globalMean) {
    long user = list.getLong(0);
    List<Long> candidates = list.getList(1);
    List<Byte> labels = list.getList(2);
    List<Float> userFactors = list.isNullAt(3) ? null : list.getList(3);
    double userBias = list.isNullAt(4) ? 0.0 : list.getDouble(4);
    int n = candidates.size();
    boolean[] unscored = new boolean[n];
    double[] negatedScore = new double[n];
    long withoutFactors = 0;
    for (int p = 0; p < n; p++) {
      int item = items.position(candidates.get(p));
      if (item < 0) {
        withoutFactors++;
      }
      if (userFactors == null || item < 0 || userFactors.size() != items.rank()) {
        unscored[p] = true;
        continue;
      }
      negatedScore[p] =
          -(globalMean + userBias + items.offset(item) + items.dot(userFactors, item));
    }
    Integer[] order = new Integer[n];
    for (int p = 0; p < n; p++) {
      order[p] = p;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          if (unscored[a] != unscored[b]) {
            return unscored[a] ? 1 : -1;
          }
          if (!unscored[a]) {
            int byScore = compareDoubles(negatedScore[a], negatedScore[b]);
            if (byScore != 0) {
              return byScore;
            }
          }
          return Integer.compare(a, b);
        });
    Long[] recommended = new Long[n];
    List<Long> relevant = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      recommended[i] = candidates.get(order[i]);
      if (labels.get(order[i]) == 1) {
        relevant.add(recommended[i]);
      }
    }
    return RowFactory.create(
        user,
        recommended,
        relevant.toArray(Long[]::new),
        userFactors == null ? 1L : 0L,
        withoutFactors);
  }

  /** Spark's order of doubles: -0.0 equals 0.0, NaN after everything and equal to itself. */
  static int compareDoubles(double x, double y) {
    return x == y ? 0 : Double.compare(x, y);
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
