package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recdata.common.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  private static final SparkSession spark = SharedSpark.session();
  private static final StructType ROWS =
      new StructType()
          .add("user_id", DataTypes.LongType)
          .add(RankingMetrics.RECOMMENDED, DataTypes.createArrayType(DataTypes.LongType))
          .add(RankingMetrics.RELEVANT, DataTypes.createArrayType(DataTypes.LongType));
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  private static Dataset<Row> rows(Row... rows) {
    return spark.createDataFrame(List.of(rows), ROWS);
  }

  private static Row user(long id, List<Long> recommended, List<Long> relevant) {
    return RowFactory.create(
        id,
        recommended == null
            ? null
            : scala.jdk.javaapi.CollectionConverters.asScala(recommended).toSeq(),
        scala.jdk.javaapi.CollectionConverters.asScala(relevant).toSeq());
  }

  // u1: one hit at rank 2 of 2 relevant; u2: every slot a hit; u3: cold start, no list at all.
  private static Dataset<Row> threeUsers() {
    return rows(
        user(1, List.of(1L, 2L, 3L), List.of(2L, 4L)),
        user(2, List.of(5L, 6L, 7L), List.of(5L, 6L, 7L, 8L)),
        user(3, null, List.of(9L)));
  }

  @Test
  void meansMatchHandComputedValuesAndColdUserCountsAsZero() {
    Map<String, Double> m = RankingMetrics.evaluate(threeUsers(), 3, 10);

    double ndcgUser1 = (1 / LOG2_3) / (1 + 1 / LOG2_3);
    assertThat(m.get("precision@3")).isCloseTo((1.0 / 3 + 1 + 0) / 3, within(1e-9));
    assertThat(m.get("recall@3")).isCloseTo((0.5 + 0.75 + 0) / 3, within(1e-9));
    assertThat(m.get("ndcg@3")).isCloseTo((ndcgUser1 + 1 + 0) / 3, within(1e-9));
    assertThat(m.get("map@3")).isCloseTo((0.5 / 2 + 1 + 0) / 3, within(1e-9));
    assertThat(m.get("mrr")).isCloseTo((0.5 + 1 + 0) / 3, within(1e-9));
    assertThat(m.get("hit_rate@3")).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(m.get("coverage@3")).isCloseTo(6.0 / 10, within(1e-9));
    assertThat(m.get("ranked_users")).isEqualTo(3.0);
    assertThat(m.get("users_without_recommendations")).isEqualTo(1.0);
  }

  @Test
  void singleMetricHelpersAgreeWithEvaluate() {
    Dataset<Row> rows = threeUsers();
    assertThat(RankingMetrics.precision(rows, 3)).isCloseTo((1.0 / 3 + 1) / 3, within(1e-9));
    assertThat(RankingMetrics.mrr(rows, 3)).isCloseTo(0.5, within(1e-9));
    assertThat(RankingMetrics.hitRate(rows, 3)).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(RankingMetrics.coverage(rows, 3, 12)).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void onlyTheFirstKCountAndALaterHitIsIgnored() {
    // the only hit sits at rank 3: outside K = 2
    Map<String, Double> m =
        RankingMetrics.evaluate(rows(user(1, List.of(1L, 2L, 3L), List.of(3L))), 2, 3);
    assertThat(m.get("ndcg@2")).isZero();
    assertThat(m.get("mrr")).isZero();
    assertThat(m.get("hit_rate@2")).isZero();
    assertThat(m.get("coverage@2")).isCloseTo(2.0 / 3, within(1e-9));
  }

  @Test
  void userWithNoRelevantItemsScoresZeroNotNaN() {
    Map<String, Double> m =
        RankingMetrics.evaluate(rows(user(1, List.of(1L, 2L), List.of())), 2, 2);
    assertThat(m.values()).allSatisfy(v -> assertThat(v).isNotNaN());
    assertThat(m.get("recall@2")).isZero();
    assertThat(m.get("ndcg@2")).isZero();
    assertThat(m.get("map@2")).isZero();
  }

  @Test
  void mapRewardsEarlyHits() {
    // hits at ranks 1 and 3 of 3: (1/1 + 2/3) / min(2, 3)
    Map<String, Double> m =
        RankingMetrics.evaluate(rows(user(1, List.of(10L, 11L, 12L), List.of(10L, 12L))), 3, 3);
    assertThat(m.get("map@3")).isCloseTo((1 + 2.0 / 3) / 2, within(1e-9));
    assertThat(m.get("ndcg@3")).isCloseTo((1 + 0.5) / (1 + 1 / LOG2_3), within(1e-9));
  }
}
