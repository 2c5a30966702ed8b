package dev.recdata.export.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sets export writes without sorting them again (profiles, sequences, evaluation lists) arrive
 * in ascending user order across many partitions, and hold what a plain per-user computation gives:
 * on 2,000 users whose rows come shuffled, with repeated items and tied timestamps planted.
 */
class PresortedSetsTest {
  private static final SparkSession spark = SharedSpark.session();
  private static final int USERS = 2_000;
  private static final int ITEMS = 300;

  private static final StructType ROWS =
      new StructType()
          .add(Schema.USER_IDX, DataTypes.IntegerType, false)
          .add(Schema.ITEM_IDX, DataTypes.IntegerType, false)
          .add(Schema.RATING, DataTypes.FloatType, true)
          .add(Schema.TS, DataTypes.TimestampType, false)
          .add(Schema.EVENT, DataTypes.StringType, false);

  private static String oldAdvisory;
  private static String oldPartitions;
  private static List<Row> train;
  private static List<Row> test;

  @BeforeAll
  static void manySmallPartitions() {
    oldAdvisory = spark.conf().get("spark.sql.adaptive.advisoryPartitionSizeInBytes");
    oldPartitions = spark.conf().get("spark.sql.shuffle.partitions");
    spark.conf().set("spark.sql.adaptive.advisoryPartitionSizeInBytes", "4096");
    spark.conf().set("spark.sql.shuffle.partitions", "8");
    train = new ArrayList<>();
    test = new ArrayList<>();
    java.util.Random random = new java.util.Random(5);
    for (int user = 0; user < USERS; user++) {
      int rows = 1 + random.nextInt(12);
      for (int r = 0; r < rows; r++) {
        int item = random.nextInt(ITEMS);
        // few distinct seconds per user: ties in time, ordered by item
        Timestamp ts = new Timestamp(1_000L * random.nextInt(4));
        String event = random.nextInt(10) == 0 ? Schema.EVENT_IMPRESSION : Schema.EVENT_RATING;
        train.add(RowFactory.create(user, item, 1f + random.nextInt(5), ts, event));
      }
      test.add(RowFactory.create(user, random.nextInt(ITEMS), 5f, new Timestamp(9_000L), "rating"));
    }
    java.util.Collections.shuffle(train, random);
  }

  @AfterAll
  static void restore() {
    spark.conf().set("spark.sql.adaptive.advisoryPartitionSizeInBytes", oldAdvisory);
    spark.conf().set("spark.sql.shuffle.partitions", oldPartitions);
  }

  private static Dataset<Row> frame(List<Row> rows) {
    return spark.createDataFrame(rows, ROWS).repartition(5);
  }

  private static int partitions(Dataset<Row> rows) {
    return (int)
        rows
            .javaRDD()
            .mapPartitions(it -> List.of(it.hasNext() ? 1 : 0).iterator())
            .collect()
            .stream()
            .filter(n -> n == 1)
            .count();
  }

  private static void assertAscendingUsers(List<Row> rows, String set) {
    for (int i = 1; i < rows.size(); i++) {
      assertThat(((Number) rows.get(i).get(0)).longValue())
          .as("%s row %d", set, i)
          .isGreaterThan(((Number) rows.get(i - 1).get(0)).longValue());
    }
  }

  @Test
  void sequencesArriveByUserWithEachHistoryInTimeThenItemOrder() {
    Dataset<Row> sequences = TrainingSets.sequences(frame(train), 5);
    assertThat(partitions(sequences)).isGreaterThan(2);
    List<Row> rows = sequences.collectAsList();
    assertAscendingUsers(rows, "sequences");

    Map<Integer, List<long[]>> expected = new TreeMap<>();
    for (Row r : train) {
      if (!r.getString(4).equals(Schema.EVENT_IMPRESSION)) {
        expected
            .computeIfAbsent(r.getInt(0), u -> new ArrayList<>())
            .add(new long[] {r.getTimestamp(3).getTime(), r.getInt(1)});
      }
    }
    assertThat(rows).hasSize(expected.size());
    for (Row row : rows) {
      List<long[]> events = expected.get((int) row.getLong(0));
      events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
      List<Long> history = events.stream().map(e -> e[1]).toList();
      assertThat(row.<Long>getList(3)).as("history of %d", row.getLong(0)).isEqualTo(history);
      int kept = Math.min(history.size(), 5);
      List<Long> items = new ArrayList<>(history.subList(history.size() - kept, history.size()));
      List<Byte> mask = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        mask.add((byte) (i < kept ? 1 : 0));
      }
      while (items.size() < 5) {
        items.add(TrainingSets.PADDING_ITEM_IDX);
      }
      assertThat(row.<Long>getList(1)).isEqualTo(items);
      assertThat(row.getLong(2)).isEqualTo(kept);
      assertThat(row.<Byte>getList(4)).isEqualTo(mask);
    }
  }

  @Test
  void profilesAndEvaluationListsArriveByUserWithSortedDistinctItems() {
    Dataset<Row> empty = spark.createDataFrame(List.of(), ROWS);
    Dataset<Row> profiles =
        TrainingSets.profiles(frame(train), empty, frame(test), empty, 4.0f).cache();
    assertThat(partitions(profiles)).isGreaterThan(2);
    List<Row> rows = profiles.collectAsList();
    assertAscendingUsers(rows, "profiles");
    assertThat(rows).hasSize(USERS);

    Map<Integer, TreeSet<Integer>> seen = new TreeMap<>();
    Map<Integer, TreeSet<Integer>> trainPositives = new TreeMap<>();
    for (Row r : train) {
      if (!r.getString(4).equals(Schema.EVENT_IMPRESSION)) {
        seen.computeIfAbsent(r.getInt(0), u -> new TreeSet<>()).add(r.getInt(1));
        if (r.getFloat(2) >= 4f) {
          trainPositives.computeIfAbsent(r.getInt(0), u -> new TreeSet<>()).add(r.getInt(1));
        }
      } else {
        seen.computeIfAbsent(r.getInt(0), u -> new TreeSet<>()).add(r.getInt(1));
      }
    }
    for (Row r : test) {
      seen.computeIfAbsent(r.getInt(0), u -> new TreeSet<>()).add(r.getInt(1));
    }
    for (Row row : rows) {
      int user = row.getInt(0);
      assertThat(row.<Integer>getList(row.fieldIndex(TrainingSets.SEEN)))
          .isEqualTo(List.copyOf(seen.get(user)));
      assertThat(row.<Integer>getList(row.fieldIndex(TrainingSets.TRAIN_POSITIVES)))
          .isEqualTo(List.copyOf(trainPositives.getOrDefault(user, new TreeSet<>())));
    }

    var sampler =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(NegativeSampler.of(Sampler.UNIFORM, new long[ITEMS], 0.75, 3));
    List<Row> lists =
        TrainingSets.evalBatches(profiles, TrainingSets.TEST_POSITIVES, 2, sampler, 10, 3)
            .collectAsList();
    assertThat(lists).hasSize(USERS);
    assertAscendingUsers(lists, "test_eval_batches");
    profiles.unpersist();
  }
}
