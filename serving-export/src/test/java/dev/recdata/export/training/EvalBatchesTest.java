package dev.recdata.export.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The evaluation candidate lists, built from profiles written inline (no files). */
class EvalBatchesTest {
  private static final SparkSession spark = SharedSpark.session();
  private static final int CATALOG = 30;
  private static final int NEGATIVES = 5;
  private static final long SEED = 17;

  /** Every user of {@link #fortyUsers} has 3 positives and 24 items to draw 5 negatives from. */
  private static final int LIST = 3 + NEGATIVES;

  private static final StructType PROFILES =
      new StructType()
          .add(Schema.USER_IDX, DataTypes.IntegerType, false)
          .add(TrainingSets.SEEN, DataTypes.createArrayType(DataTypes.IntegerType, false))
          .add(
              TrainingSets.TEST_POSITIVES, DataTypes.createArrayType(DataTypes.IntegerType, false));

  private static Row profile(int user, int[] seen, int[] positives) {
    return RowFactory.create(user, seq(seen), seq(positives));
  }

  private static scala.collection.immutable.Seq<Integer> seq(int[] values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.stream(values).boxed().toList())
        .toSeq();
  }

  /** 40 users, each with 3 test positives and 3 more items seen in train, all different. */
  private static List<Row> fortyUsers() {
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < 40; u++) {
      int[] positives = {u % CATALOG, (u + 7) % CATALOG, (u + 13) % CATALOG};
      int[] seen =
          IntStream.concat(
                  Arrays.stream(positives),
                  IntStream.of((u + 1) % CATALOG, (u + 2) % CATALOG, (u + 3) % CATALOG))
              .sorted()
              .toArray();
      Arrays.sort(positives);
      rows.add(profile(u, seen, positives));
    }
    return rows;
  }

  private static Broadcast<NegativeSampler> sampler() {
    return JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(NegativeSampler.of(Sampler.UNIFORM, new long[CATALOG], 0.75, SEED));
  }

  private static List<Row> batches(List<Row> profiles, int partitions) {
    Dataset<Row> input = spark.createDataFrame(profiles, PROFILES).repartition(partitions);
    return TrainingSets.evalBatches(
            input, TrainingSets.TEST_POSITIVES, 2, sampler(), NEGATIVES, SEED)
        .orderBy(Schema.USER_IDX)
        .collectAsList();
  }

  private static List<Long> items(Row batch) {
    return batch.getList(batch.fieldIndex(Schema.ITEM_IDX));
  }

  private static List<Byte> labels(Row batch) {
    return batch.getList(batch.fieldIndex(TrainingSets.LABEL));
  }

  @Test
  void positivesAreMixedAmongTheNegativesNotPutFirst() {
    List<Row> batches = batches(fortyUsers(), 2);
    assertThat(batches).hasSize(40);
    long positivesFirst =
        batches.stream()
            .filter(b -> labels(b).subList(0, 3).equals(List.of((byte) 1, (byte) 1, (byte) 1)))
            .count();
    // a shuffled list of 3 positives and 5 negatives starts with the 3 positives 1 time in 56
    assertThat(positivesFirst).as("lists that start with their positives").isLessThan(5);
    // and positives sit in every one of the 8 positions of some list
    boolean[] positionsWithAPositive = new boolean[LIST];
    for (Row b : batches) {
      List<Byte> labels = labels(b);
      assertThat(labels.stream().filter(l -> l == 1)).hasSize(3);
      for (int p = 0; p < LIST; p++) {
        positionsWithAPositive[p] |= labels.get(p) == 1;
      }
      assertThat(b.getLong(b.fieldIndex(TrainingSets.LENGTH))).isEqualTo(LIST);
    }
    assertThat(positionsWithAPositive).containsOnly(true);
  }

  @Test
  void candidatesAreInAscendingKeyedHashOfSeedUserAndItem() {
    for (Row b : batches(fortyUsers(), 2)) {
      long user = b.getLong(b.fieldIndex(Schema.USER_IDX));
      List<Long> keys =
          items(b).stream()
              .map(i -> KeyedRandom.hash(SEED, KeyedRandom.EVAL_ORDER, user, i))
              .toList();
      assertThat(keys).isSorted();
    }
  }

  @Test
  void theListsAreTheSameOnEveryRunAndPartitioning() {
    List<Row> once = batches(fortyUsers(), 2);
    assertThat(batches(fortyUsers(), 2)).isEqualTo(once);
    assertThat(batches(fortyUsers(), 1)).isEqualTo(once);
    assertThat(batches(fortyUsers(), 7)).isEqualTo(once);
  }

  @Test
  void aUserWhoInteractedWithEveryItemGetsNoListAndIsCounted() {
    List<Row> profiles = new ArrayList<>(fortyUsers());
    int[] everything = IntStream.range(0, CATALOG).toArray();
    profiles.add(profile(40, everything, new int[] {1, 2, 3, 4, 5}));
    // one item left: a list of the positive and that single negative, not padded to the others'
    // length
    int[] allButOne = IntStream.range(0, CATALOG).filter(i -> i != 29).toArray();
    profiles.add(profile(41, allButOne, new int[] {5}));

    List<Row> batches = batches(profiles, 2);
    assertThat(batches.stream().map(b -> b.getLong(0))).doesNotContain(40L).contains(41L);
    Row user41 = batches.stream().filter(b -> b.getLong(0) == 41L).findFirst().orElseThrow();
    assertThat(items(user41)).containsExactlyInAnyOrder(5L, 29L);
    assertThat(labels(user41)).hasSize(2);
    assertThat(user41.getLong(user41.fieldIndex(TrainingSets.LENGTH))).isEqualTo(2L);

    TrainingSets.EvalCoverage coverage =
        TrainingSets.evalCoverage(
            spark.createDataFrame(profiles, PROFILES),
            TrainingSets.TEST_POSITIVES,
            NEGATIVES,
            CATALOG);
    assertThat(coverage.usersWithoutNegatives()).isEqualTo(1L);
    assertThat(coverage.usersWithFewerNegatives()).isEqualTo(1L);
  }
}
