package dev.recdata.export.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.DeterministicOrder;
import dev.recdata.common.KeyRuns;
import dev.recdata.common.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The training-side sets as pure {@code Dataset<Row>} transformations over indexed interactions
 * ({@code user_idx}, {@code item_idx}, {@code rating}, {@code ts}, {@code event}): user profiles,
 * triplets, evaluation candidate lists and sequences. Nothing here reads or writes files.
 */
public final class TrainingSets {
  private TrainingSets() {}

  public static final String POS_IDX = "pos_idx";
  public static final String NEG_IDX = "neg_idx";
  public static final String SHUFFLE_KEY = "shuffle_key";
  public static final String LABEL = "label";
  public static final String LENGTH = "length";
  public static final String MASK = "mask";
  public static final String ITEMS = "items";
  public static final String HISTORY = "history";

  // profile columns: sorted, distinct item indexes per user
  public static final String TRAIN_POSITIVES = "train_positives";
  public static final String POSITIVES = "positives";
  public static final String SEEN = "seen";
  public static final String IMPRESSIONS = "impressions";
  public static final String VALIDATION_POSITIVES = "validation_positives";
  public static final String TEST_POSITIVES = "test_positives";

  private static final String PART = "_part";

  private static final org.apache.spark.sql.types.ArrayType ITEM_ARRAY =
      DataTypes.createArrayType(DataTypes.IntegerType, false);

  /**
   * What pads the item indexes of sequences after their {@code length} valid entries (where {@code
   * mask} is 0). Item 0, a real item, rather than -1: a whole {@code [U, L]} tensor then indexes an
   * embedding table of {@code num_items} rows without an out-of-range error (PyTorch's {@code
   * nn.Embedding} raises on -1), and the mask, not the value, says what is padding. Evaluation
   * lists are not padded: they are ragged (values and offsets).
   */
  public static final long PADDING_ITEM_IDX = 0L;

  private static final byte REAL = 1;
  private static final byte PADDING = 0;

  /** A positive: a like, or a rating at or above {@code threshold}; impressions never are. */
  public static Column isPositive(float threshold) {
    return col(Schema.EVENT)
        .equalTo(lit(Schema.EVENT_LIKE))
        .or(
            col(Schema.EVENT)
                .notEqual(lit(Schema.EVENT_IMPRESSION))
                .and(col(Schema.RATING).geq(lit(threshold))));
  }

  /**
   * One row per user with sorted, distinct item arrays: {@code train_positives}; {@code positives}
   * in any split (the triplet sampler's exclusions); {@code seen}, every item of the user in any
   * split whatever the rating (the evaluation sampler's exclusions); {@code impressions}; {@code
   * validation_positives} and {@code test_positives}; in ascending {@code user_idx} across
   * partitions and within each. One shuffle: the parts are tagged, unioned, clustered by user range
   * ({@link DeterministicOrder#clusterBy}) and sorted by user, and each user's run of rows becomes
   * its arrays in one pass. Six {@code collect_set}s did the same in Spark's object aggregate,
   * which gives up its hash map after 128 users per task and re-sorts every row as objects: 2.5x
   * slower at 25M.
   */
  public static Dataset<Row> profiles(
      Dataset<Row> train,
      Dataset<Row> validation,
      Dataset<Row> test,
      Dataset<Row> impressions,
      float threshold) {
    Dataset<Row> tagged =
        tag(train, PART_TRAIN, threshold)
            .unionByName(tag(validation, PART_VALIDATION, threshold))
            .unionByName(tag(test, PART_TEST, threshold))
            .unionByName(
                impressions.select(
                    col(Schema.USER_IDX),
                    col(Schema.ITEM_IDX),
                    lit(PART_IMPRESSION).as(PART),
                    lit(false).as(POSITIVE)));
    // in user ranges, ascending across partitions too: the evaluation lists made from the profiles
    // are then already in the user order their tensor files need
    return DeterministicOrder.clusterBy(tagged, Schema.USER_IDX, Schema.USER_IDX)
        .mapPartitions(TrainingSets::profilesOf, Encoders.row(PROFILES));
  }

  public static final StructType PROFILES =
      new StructType()
          .add(Schema.USER_IDX, DataTypes.IntegerType, false)
          .add(TRAIN_POSITIVES, ITEM_ARRAY, false)
          .add(POSITIVES, ITEM_ARRAY, false)
          .add(SEEN, ITEM_ARRAY, false)
          .add(IMPRESSIONS, ITEM_ARRAY, false)
          .add(VALIDATION_POSITIVES, ITEM_ARRAY, false)
          .add(TEST_POSITIVES, ITEM_ARRAY, false);

  private static final String POSITIVE = "positive";
  private static final byte PART_TRAIN = 0;
  private static final byte PART_VALIDATION = 1;
  private static final byte PART_TEST = 2;
  private static final byte PART_IMPRESSION = 3;

  private static Dataset<Row> tag(Dataset<Row> part, byte code, float threshold) {
    return part.select(
        col(Schema.USER_IDX),
        col(Schema.ITEM_IDX),
        lit(code).as(PART),
        functions.coalesce(isPositive(threshold), lit(false)).as(POSITIVE));
  }

  /** One profile per run of a user's rows (the partition is sorted by user). */
  private static Iterator<Row> profilesOf(Iterator<Row> rows) {
    ItemList[] lists = new ItemList[6];
    for (int i = 0; i < lists.length; i++) {
      lists[i] = new ItemList();
    }
    return KeyRuns.perKey(
        rows,
        new KeyRuns.Walk() {
          @Override
          public void add(Row row) {
            int item = row.getInt(1);
            byte part = row.getByte(2);
            if (part == PART_IMPRESSION) {
              lists[3].add(item);
            } else {
              lists[2].add(item); // seen
              if (row.getBoolean(3)) {
                lists[1].add(item); // positives
                lists[part == PART_TRAIN ? 0 : part == PART_VALIDATION ? 4 : 5].add(item);
              }
            }
          }

          @Override
          public Row finish(Object user) {
            Object[] values = new Object[1 + lists.length];
            values[0] = user;
            for (int i = 0; i < lists.length; i++) {
              values[1 + i] = lists[i].sortedDistinct();
              lists[i].size = 0;
            }
            return RowFactory.create(values);
          }
        });
  }

  /** A growing int list, emitted sorted and without repeats. */
  private static final class ItemList {
    private int[] items = new int[16];
    private int size;

    void add(int item) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = item;
    }

    scala.collection.immutable.Seq<Integer> sortedDistinct() {
      Arrays.sort(items, 0, size);
      List<Integer> out = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        if (i == 0 || items[i] != items[i - 1]) {
          out.add(items[i]);
        }
      }
      return scala.jdk.javaapi.CollectionConverters.asScala(out).toSeq();
    }
  }

  public static final StructType TRIPLETS =
      new StructType()
          .add(SHUFFLE_KEY, DataTypes.LongType, false)
          .add(Schema.USER_IDX, DataTypes.LongType, false)
          .add(POS_IDX, DataTypes.LongType, false)
          .add(NEG_IDX, DataTypes.LongType, false);

  /**
   * {@code k} triplets {@code (user_idx, pos_idx, neg_idx)} per train positive, with a seeded
   * {@code shuffle_key} = hash(seed, user, positive, j). Per user from its profile (flatMap over
   * users, the sampler broadcast), so exclusions are a sorted array lookup and no join with the
   * catalog is needed.
   */
  public static Dataset<Row> triplets(
      Dataset<Row> profiles, Broadcast<NegativeSampler> sampler, int k, long seed) {
    FlatMapFunction<Row, Row> perUser =
        row -> {
          NegativeSampler s = sampler.value();
          int user = row.getInt(row.fieldIndex(Schema.USER_IDX));
          int[] trainPositives = ints(row, TRAIN_POSITIVES);
          int[] excluded = ints(row, POSITIVES);
          int[] allowedImpressions =
              s.kind() == Sampler.IMPRESSIONS
                  ? minus(ints(row, IMPRESSIONS), excluded)
                  : new int[0];
          List<Row> out = new ArrayList<>(trainPositives.length * k);
          for (int positive : trainPositives) {
            int[] negatives = s.negatives(user, positive, k, excluded, allowedImpressions);
            for (int j = 0; j < negatives.length; j++) {
              long key = KeyedRandom.hash(seed, KeyedRandom.SHUFFLE, user, positive, j);
              out.add(RowFactory.create(key, (long) user, (long) positive, (long) negatives[j]));
            }
          }
          return out.iterator();
        };
    return profiles.flatMap(perUser, Encoders.row(TRIPLETS));
  }

  /**
   * Columns that order triplets totally: the shuffle key, then the content for the (2^-64) ties.
   */
  public static final List<String> TRIPLET_ORDER =
      List.of(SHUFFLE_KEY, Schema.USER_IDX, POS_IDX, NEG_IDX);

  /**
   * What the candidate lists of one split hold, from the profiles alone (one aggregate row reaches
   * the driver).
   *
   * @param usersWithoutNegatives users with held-out positives but no item left to draw as a
   *     negative (every catalogue item is one of theirs): left out of the lists, because a list of
   *     positives only is ranked perfectly by any model
   * @param usersWithFewerNegatives users with at least one but fewer than N items left: their list
   *     holds all of them
   */
  public record EvalCoverage(long usersWithoutNegatives, long usersWithFewerNegatives) {}

  public static EvalCoverage evalCoverage(
      Dataset<Row> profiles, String heldOut, int negatives, int catalogSize) {
    Column positives = functions.size(col(heldOut));
    Column available = lit(catalogSize).minus(functions.size(col(SEEN)));
    Column listed = positives.gt(0).and(available.gt(0));
    Row row =
        profiles
            .agg(
                functions.count(when(positives.gt(0).and(available.leq(0)), lit(1))),
                functions.count(when(listed.and(available.lt(negatives)), lit(1))))
            .first();
    return new EvalCoverage(row.getLong(0), row.getLong(1));
  }

  public static StructType evalSchema() {
    return new StructType()
        .add(Schema.USER_IDX, DataTypes.LongType, false)
        .add(Schema.ITEM_IDX, DataTypes.createArrayType(DataTypes.LongType, false), false)
        .add(LABEL, DataTypes.createArrayType(DataTypes.ByteType, false), false)
        .add(LENGTH, DataTypes.LongType, false);
  }

  /**
   * Per user with held-out positives in {@code heldOut}: a fixed candidate list of those positives
   * and {@code negatives} distinct uniform items the user has no interaction with in any split (all
   * such items when fewer are left), in {@linkplain #candidateOrder the seeded candidate order};
   * labels 1/0 and the list's length. Lists are as long as they are, not padded to the longest: at
   * 25M the longest is 33x the mean. A user with no item left to draw gets no list ({@link
   * EvalCoverage#usersWithoutNegatives}).
   */
  public static Dataset<Row> evalBatches(
      Dataset<Row> profiles,
      String heldOut,
      long list,
      Broadcast<NegativeSampler> sampler,
      int negatives,
      long seed) {
    FlatMapFunction<Row, Row> perUser =
        row -> {
          int[] positives = ints(row, heldOut);
          if (positives.length == 0) {
            return java.util.Collections.emptyIterator();
          }
          int user = row.getInt(row.fieldIndex(Schema.USER_IDX));
          int[] drawn = sampler.value().distinctUniform(user, list, negatives, ints(row, SEEN));
          if (drawn.length == 0) {
            return java.util.Collections.emptyIterator();
          }
          int[] candidates = new int[positives.length + drawn.length];
          System.arraycopy(positives, 0, candidates, 0, positives.length);
          System.arraycopy(drawn, 0, candidates, positives.length, drawn.length);
          Long[] items = new Long[candidates.length];
          Byte[] labels = new Byte[candidates.length];
          int n = 0;
          for (int item : candidateOrder(seed, user, candidates)) {
            items[n] = (long) item;
            labels[n++] = Arrays.binarySearch(positives, item) >= 0 ? (byte) 1 : (byte) 0;
          }
          return List.of(RowFactory.create((long) user, seq(items), seq(labels), (long) n))
              .iterator();
        };
    return profiles.flatMap(perUser, Encoders.row(evalSchema()));
  }

  /**
   * {@code items} of one user's candidate list in their list order: ascending {@code hash(seed,
   * user, item)} (signed 64-bit, {@link KeyedRandom#EVAL_ORDER}), ties (2^-64) by item index.
   * Positives and negatives are mixed: a model that gives a positive and a negative the same score
   * gains nothing from where the positive was put. The key is per (user, item), so an item's place
   * relative to another's does not depend on the rest of the list, the partitioning or the run.
   */
  static int[] candidateOrder(long seed, int user, int[] items) {
    long[][] keyed = new long[items.length][];
    for (int i = 0; i < items.length; i++) {
      keyed[i] =
          new long[] {KeyedRandom.hash(seed, KeyedRandom.EVAL_ORDER, user, items[i]), items[i]};
    }
    Arrays.sort(
        keyed, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int[] ordered = new int[items.length];
    for (int i = 0; i < items.length; i++) {
      ordered[i] = (int) keyed[i][1];
    }
    return ordered;
  }

  /**
   * Per user in train: {@code items}, the last {@code maxLength} train items in time order (ties by
   * item index), oldest first, right-padded with {@link #PADDING_ITEM_IDX}; {@code length}; the
   * whole {@code history}; and {@code mask} (1 for an item, 0 for padding). In ascending {@code
   * user_idx} across partitions and within each ({@link DeterministicOrder#clusterBy}): one shuffle
   * of the train rows by user range, sorted by (user, time, item), and a walk over each user's
   * rows, instead of a {@code collect_list} of structs sorted per user and a second sort of the
   * sequences for the tensor files.
   */
  public static Dataset<Row> sequences(Dataset<Row> train, int maxLength) {
    Dataset<Row> events =
        train
            .where(col(Schema.EVENT).notEqual(lit(Schema.EVENT_IMPRESSION)))
            .select(col(Schema.USER_IDX), col(Schema.TS), col(Schema.ITEM_IDX));
    return DeterministicOrder.clusterBy(
            events, Schema.USER_IDX, Schema.USER_IDX, Schema.TS, Schema.ITEM_IDX)
        .mapPartitions(
            (org.apache.spark.api.java.function.MapPartitionsFunction<Row, Row>)
                rows -> sequencesOf(rows, maxLength),
            Encoders.row(SEQUENCES));
  }

  public static final StructType SEQUENCES =
      new StructType()
          .add(Schema.USER_IDX, DataTypes.LongType, false)
          .add(ITEMS, DataTypes.createArrayType(DataTypes.LongType, false), false)
          .add(LENGTH, DataTypes.LongType, false)
          .add(HISTORY, DataTypes.createArrayType(DataTypes.LongType, false), false)
          .add(MASK, DataTypes.createArrayType(DataTypes.ByteType, false), false);

  /** One sequence per run of a user's rows (sorted by user, time, item). */
  private static Iterator<Row> sequencesOf(Iterator<Row> rows, int maxLength) {
    return KeyRuns.perKey(
        rows,
        new KeyRuns.Walk() {
          private long[] history = new long[64];
          private int size;

          @Override
          public void add(Row row) {
            if (size == history.length) {
              history = Arrays.copyOf(history, size * 2);
            }
            history[size++] = row.getInt(2);
          }

          @Override
          public Row finish(Object user) {
            int kept = Math.min(size, maxLength);
            Long[] items = new Long[maxLength];
            Byte[] mask = new Byte[maxLength];
            for (int i = 0; i < maxLength; i++) {
              items[i] = i < kept ? history[size - kept + i] : PADDING_ITEM_IDX;
              mask[i] = i < kept ? REAL : PADDING;
            }
            Long[] whole = new Long[size];
            for (int i = 0; i < size; i++) {
              whole[i] = history[i];
            }
            size = 0;
            return RowFactory.create(
                ((Integer) user).longValue(), seq(items), (long) kept, seq(whole), seq(mask));
          }
        });
  }

  /** Row encoders take Scala sequences for array columns, not Java lists. */
  private static <T> scala.collection.immutable.Seq<T> seq(T[] values) {
    return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(values)).toSeq();
  }

  static int[] ints(Row row, String column) {
    List<Integer> values = row.getList(row.fieldIndex(column));
    int[] out = new int[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** Sorted {@code a} without the elements of sorted {@code b}. */
  static int[] minus(int[] a, int[] b) {
    return Arrays.stream(a).filter(x -> Arrays.binarySearch(b, x) < 0).toArray();
  }
}
