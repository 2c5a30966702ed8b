package dev.recdata.export.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.export.serving.FactorModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * ALS's score on evaluation lists, with planted rank-1 factors whose ranking is known: every user's
 * factor is [1], so an item's factor is its score (plus the biases).
 */
class EvalBatchScoreTest {
  private static final SparkSession spark = SharedSpark.session();

  private static final StructType FACTORS =
      new StructType()
          .add("idx", DataTypes.LongType, false)
          .add(FactorModel.FACTORS, DataTypes.createArrayType(DataTypes.FloatType, false))
          .add(FactorModel.BIAS, DataTypes.FloatType, false);

  /** A candidate list as the export writes it; {@code positives} are labelled 1. */
  private static Row list(long user, long[] items, long... positives) {
    Long[] candidates = new Long[items.length];
    Byte[] labels = new Byte[items.length];
    for (int i = 0; i < items.length; i++) {
      candidates[i] = items[i];
      long item = items[i];
      labels[i] = Arrays.stream(positives).anyMatch(p -> p == item) ? (byte) 1 : (byte) 0;
    }
    return RowFactory.create(user, seq(candidates), seq(labels), (long) items.length);
  }

  private static <T> scala.collection.immutable.Seq<T> seq(T[] values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(values)).toSeq();
  }

  /** Every user in {@code users} has the factor [1] and no bias. */
  private static Dataset<Row> users(long... users) {
    List<Row> out = new ArrayList<>();
    for (long u : users) {
      out.add(RowFactory.create(u, new Float[] {1f}, 0f));
    }
    return spark.createDataFrame(out, FACTORS).withColumnRenamed("idx", Schema.USER_IDX);
  }

  /** Items with factor [score] and the given bias. */
  private static Dataset<Row> items(Map<Long, float[]> factorAndBias) {
    List<Row> out = new ArrayList<>();
    factorAndBias.forEach((i, fb) -> out.add(RowFactory.create(i, new Float[] {fb[0]}, fb[1])));
    return spark.createDataFrame(out, FACTORS).withColumnRenamed("idx", Schema.ITEM_IDX);
  }

  private static EvalBatchScore.Score score(
      List<Row> lists, Dataset<Row> users, Dataset<Row> items, double globalMean) {
    Dataset<Row> batches = spark.createDataFrame(lists, TrainingSets.evalSchema());
    return EvalBatchScore.summarise(
        EvalBatchScore.rankings(batches, users, items, globalMean, 1), EvalBatchScore.K);
  }

  private static double discount(int rank) {
    return 1 / (Math.log(rank + 1) / Math.log(2));
  }

  /** User 0: 12 candidates, positives 9 and 11; user 1: 6 candidates, positive 14. */
  private static final List<Row> TWO_LISTS =
      List.of(
          list(0, new long[] {5, 3, 9, 1, 0, 2, 4, 6, 7, 8, 10, 11}, 9, 11),
          list(1, new long[] {12, 13, 14, 15, 16, 17}, 14));

  private static Map<Long, float[]> positivesScored(float positive) {
    Map<Long, float[]> items = new TreeMap<>();
    for (long i = 0; i < 18; i++) {
      items.put(i, new float[] {i == 9 || i == 11 || i == 14 ? positive : 0f, 0f});
    }
    return items;
  }

  @Test
  void aModelThatRanksEveryPositiveFirstScoresOne() {
    EvalBatchScore.Score score = score(TWO_LISTS, users(0, 1), items(positivesScored(1f)), 0);
    assertThat(score.hitRate()).isEqualTo(1.0);
    assertThat(score.ndcg()).isCloseTo(1.0, within(1e-12));
    assertThat(score.users()).isEqualTo(2L);
    assertThat(score.usersWithoutFactors()).isZero();
    assertThat(score.candidatesWithoutFactors()).isZero();
  }

  /**
   * Lists of different lengths: user 1's 6 candidates are ranked among themselves, not against user
   * 0's 12 (item 0, in user 0's list, scores above user 1's positive).
   */
  @Test
  void aReversedModelScoresWhatThePositivesRanksGiveInEachList() {
    EvalBatchScore.Score score = score(TWO_LISTS, users(0, 1), items(positivesScored(-1f)), 0);
    // user 0: positives ranked 11 and 12 of 12, outside the top 10; user 1: ranked 6 of 6
    assertThat(score.hitRate()).isEqualTo(0.5);
    assertThat(score.ndcg()).isCloseTo((0 + discount(6)) / 2, within(1e-12));
  }

  @Test
  void tiesGoToTheEarlierPositionInTheList() {
    // every score 0: the list order decides; the positive (the largest item index) is third
    List<Row> lists = List.of(list(2, new long[] {20, 21, 29, 22, 23, 24, 25, 26, 27, 28}, 29));
    Map<Long, float[]> zeros = new TreeMap<>();
    for (long i = 20; i < 30; i++) {
      zeros.put(i, new float[] {0f, 0f});
    }
    EvalBatchScore.Score score = score(lists, users(2), items(zeros), 0);
    assertThat(score.ndcg()).isCloseTo(discount(3), within(1e-12));
  }

  @Test
  void candidatesWithoutFactorsRankLastAndAUserWithoutFactorsIsRankedInListOrder() {
    // item 30 (the positive) has no factors; 31 and 32 score -5, still above it
    Map<Long, float[]> items = Map.of(31L, new float[] {-5f, 0f}, 32L, new float[] {-5f, 0f});
    List<Row> lists =
        List.of(
            list(3, new long[] {30, 31, 32}, 30),
            list(4, new long[] {31, 30, 32}, 30)); // user 4 has no factors
    EvalBatchScore.Score score = score(lists, users(3), items(items), 0);
    assertThat(score.ndcg()).isCloseTo((discount(3) + discount(2)) / 2, within(1e-12));
    assertThat(score.usersWithoutFactors()).isEqualTo(1L);
    assertThat(score.candidatesWithoutFactors()).isEqualTo(2L);
  }

  @Test
  void theItemBiasIsPartOfTheScore() {
    // equal factors: only item 42's bias puts the positive, last in the list, first
    Map<Long, float[]> items =
        Map.of(40L, new float[] {1f, 0f}, 41L, new float[] {1f, 0f}, 42L, new float[] {1f, 0.5f});
    EvalBatchScore.Score score =
        score(List.of(list(5, new long[] {40, 41, 42}, 42)), users(5), items(items), 3.5);
    assertThat(score.ndcg()).isEqualTo(1.0);
  }
}
