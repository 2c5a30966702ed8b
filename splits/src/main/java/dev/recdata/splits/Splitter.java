package dev.recdata.splits;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.recdata.common.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Assigns every positive interaction to exactly one split (or, for kfold, to the one fold whose
 * test holds it). Pure: no files are read or written; only global-time by ratios runs small
 * aggregations to find its cutoffs.
 */
public final class Splitter {
  private Splitter() {}

  /** The added column: train, validation or test. */
  public static final String SPLIT = "split";

  /** The added column for kfold: the fold whose test holds the row, or {@link #NO_FOLD}. */
  public static final String FOLD = "fold";

  /** Fold of rows that are in every fold's train and no fold's test (groups too small to fold). */
  public static final int NO_FOLD = -1;

  public static final String TRAIN = Schema.Layout.TRAIN;
  public static final String VALIDATION = Schema.Layout.VALIDATION;
  public static final String TEST = Schema.Layout.TEST;
  public static final List<String> SPLIT_NAMES = List.of(TRAIN, VALIDATION, TEST);

  private static final String ORDER_KEY = "_order_key";
  private static final String[] CANONICAL = Schema.INTERACTIONS.fieldNames();

  /**
   * The events splits are made of: everything but impressions. Impressions are items shown and
   * passed over, not interactions to evaluate on; they stay in the etl output for negative
   * sampling.
   */
  public static Dataset<Row> positives(Dataset<Row> interactions) {
    return interactions.filter(col(Schema.EVENT).notEqual(lit(Schema.EVENT_IMPRESSION)));
  }

  /**
   * The canonical columns plus {@link #SPLIT} (a string), or for kfold plus {@link #FOLD} (an int).
   * Expects positive events only (see {@link #positives}), in any order.
   */
  public static Dataset<Row> assign(Dataset<Row> interactions, SplitOptions options) {
    return assign(interactions, options, false);
  }

  /**
   * As {@link #assign(Dataset, SplitOptions)}; with {@code clusteredByUser} the caller guarantees
   * that each partition holds whole users in ascending user order (etl's layout), so per-user
   * strategies skip the shuffle and sort each user's rows in memory instead.
   */
  public static Dataset<Row> assign(
      Dataset<Row> interactions, SplitOptions options, boolean clusteredByUser) {
    return assign(interactions, options, clusteredByUser, null);
  }

  /**
   * As above, counting the groups cut into {@code counts} (per-group strategies only; null for
   * none) while the tagged rows are produced.
   */
  static Dataset<Row> assign(
      Dataset<Row> interactions,
      SplitOptions options,
      boolean clusteredByUser,
      GroupCutter.Counts counts) {
    Dataset<Row> canonical =
        interactions.select(Arrays.stream(CANONICAL).map(c -> col(c)).toArray(Column[]::new));
    if (options.strategy() == Strategy.GLOBAL_TIME) {
      List<Instant> cutoffs =
          options.cutoffs().isEmpty()
              ? GlobalTimeCutoffs.fromRatios(canonical, options.ratios())
              : options.cutoffs();
      return byCutoffs(canonical, cutoffs);
    }
    return perGroup(canonical, options, clusteredByUser, counts);
  }

  /**
   * One cutoff for everyone: {@code ts <= first} is train; with two cutoffs {@code first < ts <=
   * second} is validation; the rest is test. Ties at a cutoff go to the earlier split.
   */
  static Dataset<Row> byCutoffs(Dataset<Row> canonical, List<Instant> cutoffs) {
    if (cutoffs.isEmpty()) {
      // Only an empty input has no quantile cutoffs; there is nothing to tag.
      return canonical.withColumn(SPLIT, lit(TRAIN));
    }
    Column micros = unix_micros(col(Schema.TS));
    Column split =
        cutoffs.size() == 1
            ? when(micros.leq(lit(GlobalTimeCutoffs.micros(cutoffs.get(0)))), TRAIN).otherwise(TEST)
            : when(micros.leq(lit(GlobalTimeCutoffs.micros(cutoffs.get(0)))), TRAIN)
                .when(micros.leq(lit(GlobalTimeCutoffs.micros(cutoffs.get(1)))), VALIDATION)
                .otherwise(TEST);
    return canonical.withColumn(SPLIT, split);
  }

  /**
   * One shuffle by group key, a sort within partitions, and a single streaming pass per group (see
   * {@link GroupCutter}); for input already clustered by user, only the pass, with each user's rows
   * sorted in memory by the same order. Temporal strategies order a group's events by {@link
   * Schema#USER_EVENT_ORDER} (time, then item, event, source, rating) so duplicates too have a
   * fixed order; random strategies order them by a stable hash of (seed, user, item, ts) first
   * instead of rand(), so the same input and seed give the same split on any cluster and either
   * path.
   */
  static Dataset<Row> perGroup(
      Dataset<Row> canonical,
      SplitOptions options,
      boolean clusteredByUser,
      GroupCutter.Counts counts) {
    PerGroupCut cut = perGroupCut(canonical, options, clusteredByUser, counts);
    return mapInternalRows(cut.grouped(), cut.cutter(), cut.tagged());
  }

  /**
   * A per-group split before it runs: the rows with every group together and in ascending key order
   * (clustered input as it is, other input shuffled by group and sorted), the cutter that tags
   * them, and the schema of the tagged rows. {@link SplitFiles} runs the cutter inside its own
   * write tasks.
   */
  record PerGroupCut(Dataset<Row> grouped, GroupCutter cutter, StructType tagged) {}

  /**
   * As {@link #assign(Dataset, SplitOptions, boolean, GroupCutter.Counts)} for a per-group
   * strategy, unrun.
   */
  static PerGroupCut perGroupCut(
      Dataset<Row> interactions,
      SplitOptions options,
      boolean clusteredByUser,
      GroupCutter.Counts counts) {
    if (options.strategy() == Strategy.GLOBAL_TIME) {
      throw new IllegalArgumentException("global-time is not a per-group split");
    }
    Dataset<Row> canonical =
        interactions.select(Arrays.stream(CANONICAL).map(c -> col(c)).toArray(Column[]::new));
    String groupColumn = options.groupBy().column();
    List<Column> order = new ArrayList<>(List.of(col(groupColumn)));
    Dataset<Row> keyed = canonical;
    if (options.strategy().isRandom()) {
      keyed =
          canonical.withColumn(
              ORDER_KEY,
              xxhash64(
                  lit(options.seed()), col(Schema.USER_ID), col(Schema.ITEM_ID), col(Schema.TS)));
      order.add(col(ORDER_KEY));
    }
    for (String column : Schema.USER_EVENT_ORDER) {
      order.add(col(column));
    }
    order.add(col(Schema.USER_ID));
    StructType out =
        options.strategy() == Strategy.KFOLD
            ? canonical.schema().add(FOLD, DataTypes.IntegerType, false)
            : canonical.schema().add(SPLIT, DataTypes.StringType, false);
    int groupIndex = Arrays.asList(CANONICAL).indexOf(groupColumn);
    boolean clustered = clusteredByUser && options.groupBy() == GroupBy.USER;
    Dataset<Row> grouped =
        clustered
            ? keyed
            : keyed
                .repartition(col(groupColumn))
                .sortWithinPartitions(order.toArray(Column[]::new));
    EventOrder inGroup =
        clustered
            ? new EventOrder(keyed.schema(), options.strategy().isRandom() ? ORDER_KEY : null)
            : null;
    GroupCutter cutter = new GroupCutter(options, groupIndex, canonical.schema(), inGroup, counts);
    return new PerGroupCut(grouped, cutter, out);
  }

  /**
   * {@code rows} through {@code function} as Spark's internal rows, without a {@code Row}
   * conversion either way. With adaptive execution on, planning the internal RDD of a plan with a
   * shuffle runs that shuffle's map stage at once (Spark materialises query stages to plan the
   * rest); the function itself runs lazily.
   */
  /**
   * The rows of {@code rows}'s plan as Spark's internal rows (reused objects: copy a row to keep
   * it).
   */
  static RDD<InternalRow> internalRows(Dataset<Row> rows) {
    return ((org.apache.spark.sql.classic.Dataset<Row>) rows).queryExecution().toRdd();
  }

  static Dataset<Row> mapInternalRows(
      Dataset<Row> rows,
      FlatMapFunction<Iterator<InternalRow>, InternalRow> function,
      StructType out) {
    RDD<InternalRow> mapped = internalRows(rows).toJavaRDD().mapPartitions(function).rdd();
    return ((org.apache.spark.sql.classic.SparkSession) rows.sparkSession())
        .internalCreateDataFrame(mapped, out, false);
  }
}
