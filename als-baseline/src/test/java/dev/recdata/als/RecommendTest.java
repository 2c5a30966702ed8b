package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Every recommender's top K: unseen items only, exact, reproducible, and no over-fetch per user.
 */
class RecommendTest {
  private static final SparkSession spark = SharedSpark.session();

  private static Map<Long, List<Long>> lists(Dataset<Row> recommended) {
    return recommended.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getLong(0), r -> r.<Long>getList(1)));
  }

  private static Dataset<Row> pairs(long[][] userItem) {
    return spark.createDataFrame(
        java.util.Arrays.stream(userItem).map(p -> RowFactory.create(p[0], p[1])).toList(),
        new StructType().add(Schema.USER_ID, "bigint").add(Schema.ITEM_ID, "bigint"));
  }

  private static Dataset<Row> users(long... ids) {
    return spark.createDataFrame(
        java.util.Arrays.stream(ids).mapToObj(RowFactory::create).toList(),
        new StructType().add(Schema.USER_ID, "bigint"));
  }

  @Test
  void walkSkipsExcludedItemsWrapsAroundAndStopsWhenTheCatalogueRunsOut() {
    long[] order = {5, 7, 9, 11};

    assertThat(ListWalk.walk(order, 0, Set.of(7L), 2)).containsExactly(5L, 9L);
    assertThat(ListWalk.walk(order, 2, Set.of(), 3)).containsExactly(9L, 11L, 5L);
    assertThat(ListWalk.walk(order, 3, Set.of(5L, 9L), 5)).containsExactly(11L, 7L);
    assertThat(ListWalk.walk(order, 1, Set.of(5L, 7L, 9L, 11L), 2)).isEmpty();
  }

  @Test
  void mostPopularSkipsWhatTheUserSawAndBreaksCountTiesByItemId() {
    // items 7 and 5 have 2 users each, item 9 has 1; user 1 saw item 5; user 4 is not in train
    Dataset<Row> seen = pairs(new long[][] {{1, 5}, {2, 5}, {2, 7}, {3, 7}, {3, 9}});

    Map<Long, List<Long>> top =
        lists(
            Baselines.mostPopular(spark, seen, Baselines.excludedPerUser(seen), users(1, 2, 4), 2));

    assertThat(top.get(1L)).containsExactly(7L, 9L);
    assertThat(top.get(2L)).containsExactly(9L); // saw 5 and 7: only one item left
    assertThat(top.get(4L)).containsExactly(5L, 7L);
  }

  @Test
  void mostPopularReachesPastAHeavyUsersHistory() {
    // user 0 saw the 50 most popular items; K = 3 must still give it the next three
    List<long[]> rows = new ArrayList<>();
    for (long item = 0; item < 60; item++) {
      for (long u = 1; u <= 60 - item; u++) {
        rows.add(new long[] {u, item}); // item i has 60 - i users
      }
    }
    for (long item = 0; item < 50; item++) {
      rows.add(new long[] {0, item});
    }
    Dataset<Row> seen = pairs(rows.toArray(new long[0][]));

    Map<Long, List<Long>> top =
        lists(Baselines.mostPopular(spark, seen, Baselines.excludedPerUser(seen), users(0), 3));

    assertThat(top.get(0L)).containsExactly(50L, 51L, 52L);
  }

  @Test
  void randomBaselineIsReproducibleDistinctUnseenAndOnlyFromTheCatalogue() {
    long[][] history = new long[40][];
    for (int i = 0; i < 40; i++) {
      history[i] = new long[] {i % 4, 100 + i};
    }
    Dataset<Row> seen = pairs(history);
    Dataset<Row> excluded = Baselines.excludedPerUser(seen);
    Dataset<Row> users = users(0, 1, 2, 3);

    Map<Long, List<Long>> first = lists(Baselines.random(spark, seen, excluded, users, 5, 3L));
    Map<Long, List<Long>> again = lists(Baselines.random(spark, seen, excluded, users, 5, 3L));
    Map<Long, List<Long>> otherSeed = lists(Baselines.random(spark, seen, excluded, users, 5, 4L));

    assertThat(first).isEqualTo(again).isNotEqualTo(otherSeed).hasSize(4);
    first.forEach(
        (user, items) -> {
          assertThat(items)
              .hasSize(5)
              .doesNotHaveDuplicates()
              .allSatisfy(i -> assertThat(i).isBetween(100L, 139L));
          assertThat(items)
              .allSatisfy(
                  i -> assertThat((i - 100) % 4).isNotEqualTo(user)); // never its own history
        });
  }

  /**
   * ALS's ranking is the exact top K of its own scores over unseen items: compared with scoring
   * every unseen (user, item) pair from the factors (plus the item bias when centred) and sorting.
   * Items differ in mean rating by design, so leaving the item bias out of the centred ranking
   * changes the lists.
   */
  @Test
  void alsRecommendsTheTopUnseenItemsByItsOwnScores() {
    java.util.Random random = new java.util.Random(11);
    List<Row> rows = new ArrayList<>();
    for (long u = 1; u <= 30; u++) {
      for (long i = 1; i <= 40; i++) {
        if (random.nextDouble() < 0.5) {
          float rating =
              Math.max(1f, Math.min(5f, Math.round(1 + i / 10.0 + random.nextGaussian())));
          rows.add(Fixtures.rating(u, i, rating));
        }
      }
    }
    for (boolean centred : new boolean[] {false, true}) {
      AlsOptions o =
          new AlsOptions(
              AlsOptions.Mode.EXPLICIT,
              3,
              5,
              0.1,
              1,
              false,
              7L,
              1,
              4f,
              5,
              null,
              null,
              false,
              centred,
              1.0);
      TrainingSet training = TrainingSet.of(spark, Fixtures.interactions(rows), o, null, null);
      AlsRecommender als = AlsRecommender.fit(training, o);

      Map<Long, List<Long>> got =
          lists(als.recommend(training.userIndex().select(Schema.USER_ID), 5));

      assertThat(got).hasSize(30).isEqualTo(bruteForce(als, training, 5));
      Set<List<Long>> seen = new HashSet<>();
      for (Row r : training.seen().collectAsList()) {
        seen.add(List.of(r.getLong(0), r.getLong(1)));
      }
      got.forEach(
          (user, items) ->
              assertThat(items).hasSize(5).noneMatch(i -> seen.contains(List.of(user, i))));
    }
  }

  /**
   * Every unseen pair scored from the factors (item bias added when centred), sorted: score desc,
   * item asc.
   */
  private static Map<Long, List<Long>> bruteForce(AlsRecommender als, TrainingSet training, int k) {
    Map<Long, float[]> users =
        factors(
            als.model()
                .userFactors()
                .join(training.userIndex().withColumnRenamed(Schema.USER_IDX, "id"), "id"),
            Schema.USER_ID);
    Map<Long, float[]> items =
        factors(
            als.model()
                .itemFactors()
                .join(training.itemIndex().withColumnRenamed(Schema.ITEM_IDX, "id"), "id"),
            Schema.ITEM_ID);
    Map<Long, Double> itemBias = new HashMap<>();
    if (als.centring() != null) {
      als.centring()
          .itemBias()
          .collectAsList()
          .forEach(r -> itemBias.put(r.getLong(0), r.getDouble(1)));
    }
    Set<List<Long>> seen = new HashSet<>();
    training.seen().collectAsList().forEach(r -> seen.add(List.of(r.getLong(0), r.getLong(1))));
    Map<Long, List<Long>> top = new HashMap<>();
    users.forEach(
        (user, u) -> {
          List<Map.Entry<Long, Float>> scored = new ArrayList<>();
          items.forEach(
              (item, v) -> {
                if (!seen.contains(List.of(user, item))) {
                  double dot = 0.0;
                  for (int r = 0; r < u.length; r++) {
                    dot += (double) u[r] * v[r];
                  }
                  scored.add(Map.entry(item, (float) (itemBias.getOrDefault(item, 0.0) + dot)));
                }
              });
          top.put(
              user,
              scored.stream()
                  .sorted(
                      Map.Entry.<Long, Float>comparingByValue()
                          .reversed()
                          .thenComparing(Map.Entry.comparingByKey()))
                  .limit(k)
                  .map(Map.Entry::getKey)
                  .toList());
        });
    return top;
  }

  private static Map<Long, float[]> factors(Dataset<Row> rows, String idColumn) {
    Map<Long, float[]> byId = new HashMap<>();
    for (Row r : rows.select(idColumn, "features").collectAsList()) {
      List<Float> f = r.getList(1);
      float[] v = new float[f.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = f.get(i);
      }
      byId.put(r.getLong(0), v);
    }
    return byId;
  }
}
