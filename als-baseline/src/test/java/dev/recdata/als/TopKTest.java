package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class TopKTest {
  private static final SparkSession spark = SharedSpark.session();

  private static Map<Long, List<Long>> lists(Dataset<Row> ranked) {
    return ranked.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getLong(0), r -> r.<Long>getList(1)));
  }

  private static Dataset<Row> pairs(long[][] userItem) {
    return spark.createDataFrame(
        java.util.Arrays.stream(userItem).map(p -> RowFactory.create(p[0], p[1])).toList(),
        new StructType().add(Schema.USER_ID, "bigint").add(Schema.ITEM_ID, "bigint"));
  }

  @Test
  void seenItemsAreNeverRecommendedAndTiesGoToTheSmallerItemId() {
    Dataset<Row> candidates =
        spark.createDataFrame(
            List.of(
                RowFactory.create(1L, 30L, 0.9),
                RowFactory.create(1L, 20L, 0.5),
                RowFactory.create(1L, 10L, 0.5),
                RowFactory.create(1L, 40L, 0.99),
                RowFactory.create(2L, 40L, 0.1)),
            new StructType().add(Schema.USER_ID, "bigint").add(Schema.ITEM_ID, "bigint").add(TopK.SCORE, "double"));
    Dataset<Row> seen = pairs(new long[][] {{1, 40}});

    Map<Long, List<Long>> top = lists(TopK.rank(candidates, seen, 3));

    assertThat(top.get(1L)).containsExactly(30L, 10L, 20L);
    assertThat(top.get(2L)).containsExactly(40L);
  }

  @Test
  void mostPopularSkipsWhatTheUserSawAndBreaksCountTiesByItemId() {
    // items 7 and 5 have 2 users each, item 9 has 1; user 1 saw item 5
    Dataset<Row> seen = pairs(new long[][] {{1, 5}, {2, 5}, {2, 7}, {3, 7}, {3, 9}});
    Dataset<Row> users = pairs(new long[][] {{1, 0}, {4, 0}}).select(Schema.USER_ID);
    Dataset<Row> candidates = Baselines.mostPopular(seen, users, 2 + 2);

    Map<Long, List<Long>> top = lists(TopK.rank(candidates, seen, 2));

    assertThat(top.get(1L)).containsExactly(7L, 9L);
    assertThat(top.get(4L)).containsExactly(5L, 7L);
  }

  @Test
  void randomBaselineIsReproducibleDistinctAndOnlyFromTheCatalogue() {
    long[][] history = new long[40][];
    for (int i = 0; i < 40; i++) {
      history[i] = new long[] {i % 4, 100 + i};
    }
    Dataset<Row> seen = pairs(history);
    Dataset<Row> users = seen.select(Schema.USER_ID).distinct();

    Map<Long, List<Long>> first = lists(TopK.rank(Baselines.random(spark, seen, users, 15, 3L), seen, 5));
    Map<Long, List<Long>> again = lists(TopK.rank(Baselines.random(spark, seen, users, 15, 3L), seen, 5));
    Map<Long, List<Long>> otherSeed = lists(TopK.rank(Baselines.random(spark, seen, users, 15, 4L), seen, 5));

    assertThat(first).isEqualTo(again).isNotEqualTo(otherSeed).hasSize(4);
    first.forEach(
        (user, items) -> {
          assertThat(items).hasSize(5).doesNotHaveDuplicates().allSatisfy(i -> assertThat(i).isBetween(100L, 139L));
          assertThat(items).allSatisfy(i -> assertThat((i - 100) % 4).isNotEqualTo(user)); // never its own history
        });
  }
}
