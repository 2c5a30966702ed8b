package dev.recdata.als;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.recdata.common.Schema;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The baselines ALS is measured against, under the same protocol: each gives every user its top K
 * items that the user has not seen in train, as {@code (user_id, recommended array<bigint>)}.
 */
public final class Baselines {
  private Baselines() {}

  /** The list column of every baseline's {@code (user_id, recommended array<bigint>)}. */
  public static final String RECOMMENDED = RankingMetrics.RECOMMENDED;

  /** The distinct users of an item in {@link #itemPopularity} and recently-popular's counts. */
  public static final String POPULARITY = "popularity";

  /** The distinct users of an item in the recent window, in recently-popular's counts. */
  public static final String RECENT_POPULARITY = "recent_popularity";

  private static final String ITEM_HASH = "item_hash";

  /**
   * {@code (user_id, excluded array<bigint>)}: each user's seen items, the exclusion every ranking
   * applies.
   */
  public static Dataset<Row> excludedPerUser(Dataset<Row> seen) {
    return seen.groupBy(Schema.USER_ID)
        .agg(collect_list(col(Schema.ITEM_ID)).as(BlockTopK.EXCLUDED));
  }

  /** The K items with the most train users (ties to the smaller id) that each user has not seen. */
  public static Dataset<Row> mostPopular(
      SparkSession spark, Dataset<Row> seen, Dataset<Row> excluded, Dataset<Row> users, int k) {
    return firstUnseen(spark, mostPopularOrder(itemPopularity(seen)), excluded, users, k);
  }

  /**
   * {@code (item_id, popularity)}: the distinct users of each item in {@code seen} (distinct {@code
   * (user_id, item_id)} pairs).
   */
  public static Dataset<Row> itemPopularity(Dataset<Row> seen) {
    return seen.groupBy(Schema.ITEM_ID).agg(count(lit(1)).as(POPULARITY));
  }

  /** The catalogue most-popular reads: {@code (item_id, popularity)} by popularity, then id. */
  public static long[] mostPopularOrder(Dataset<Row> itemPopularity) {
    return ids(itemPopularity.orderBy(col(POPULARITY).desc(), col(Schema.ITEM_ID).asc()));
  }

  /**
   * The K items with the most distinct users in the last {@code days} days before the training
   * cutoff (the latest rating or like in {@code rows}) that each user has not seen; items tie on
   * their all-time popularity, then on the smaller id, so every list is K long when the catalogue
   * allows. Under a time-ordered test this is the baseline to beat: what is popular now, not what
   * was popular over the years.
   */
  public static Dataset<Row> recentlyPopular(
      SparkSession spark,
      Dataset<Row> rows,
      Dataset<Row> excluded,
      Dataset<Row> users,
      int k,
      int days) {
    Object cutoff = recentCutoff(rows);
    if (cutoff == null) {
      return spark.createDataFrame(List.of(), ListWalk.OUTPUT);
    }
    return firstUnseen(
        spark, recentlyPopularOrder(recentItemCounts(rows, cutoff, days)), excluded, users, k);
  }

  /**
   * Recently-popular's training cutoff: the latest rating or like in {@code rows}; null if none.
   */
  public static Object recentCutoff(Dataset<Row> rows) {
    return positiveEvents(rows).agg(max(col(Schema.TS))).first().get(0);
  }

  /**
   * {@code (item_id, recent_popularity, popularity)}: the distinct users of each item in the {@code
   * days} days before {@code cutoff}, and in all of {@code rows}' ratings and likes.
   */
  public static Dataset<Row> recentItemCounts(Dataset<Row> rows, Object cutoff, int days) {
    return positiveEvents(rows)
        .groupBy(Schema.ITEM_ID)
        .agg(
            countDistinct(when(isRecent(cutoff, days), col(Schema.USER_ID))).as(RECENT_POPULARITY),
            countDistinct(col(Schema.USER_ID)).as(POPULARITY));
  }

  /** Ratings and likes: the events the popularity baselines count. */
  public static Dataset<Row> positiveEvents(Dataset<Row> rows) {
    return rows.where(col(Schema.EVENT).isin(Schema.EVENT_RATING, Schema.EVENT_LIKE))
        .select(Schema.USER_ID, Schema.ITEM_ID, Schema.TS);
  }

  /** Whether an event's {@code ts} falls in the {@code days} days before {@code cutoff}. */
  public static Column isRecent(Object cutoff, int days) {
    return col(Schema.TS).gt(lit(cutoff).minus(expr("make_dt_interval(" + days + ", 0, 0, 0)")));
  }

  /**
   * The catalogue recently-popular reads: {@code (item_id, recent_popularity, popularity)} by
   * recent users, then all-time users, then id.
   */
  public static long[] recentlyPopularOrder(Dataset<Row> itemCounts) {
    return ids(
        itemCounts.orderBy(
            col(RECENT_POPULARITY).desc(), col(POPULARITY).desc(), col(Schema.ITEM_ID).asc()));
  }

  /**
   * {@code (user_id, recommended)}: each of {@code users} reads {@code order} from the top and
   * keeps the first K items not in their {@code excluded} list.
   */
  public static Dataset<Row> firstUnseen(
      SparkSession spark, long[] order, Dataset<Row> excluded, Dataset<Row> users, int k) {
    return ListWalk.firstUnseen(spark, queries(users, excluded, lit(0)), order, k);
  }

  /**
   * K unseen items per user in a random order that depends only on the seed, the user and the item:
   * the catalogue is shuffled once by {@code hash(item, seed)} and each user reads it from a start
   * chosen by {@code hash(user, seed)}, skipping what they saw. Each user's list is a uniformly
   * random window.
   */
  public static Dataset<Row> random(
      SparkSession spark,
      Dataset<Row> seen,
      Dataset<Row> excluded,
      Dataset<Row> users,
      int k,
      long seed) {
    long[] order =
        ids(
            seen.select(Schema.ITEM_ID)
                .distinct()
                .withColumn(ITEM_HASH, xxhash64(col(Schema.ITEM_ID), lit(seed)))
                .orderBy(col(ITEM_HASH).asc(), col(Schema.ITEM_ID).asc()));
    if (order.length == 0) {
      return spark.createDataFrame(List.of(), ListWalk.OUTPUT);
    }
    return ListWalk.firstUnseen(
        spark,
        queries(
            users,
            excluded,
            pmod(xxhash64(col(Schema.USER_ID), lit(seed)), lit(order.length)).cast("int")),
        order,
        k);
  }

  /** The damped bias model: the rating-error baseline. */
  public static BiasModel biasModel(Dataset<Row> labels, double damping) {
    return BiasModel.fit(labels, damping);
  }

  private static Dataset<Row> queries(
      Dataset<Row> users, Dataset<Row> excluded, org.apache.spark.sql.Column start) {
    return users
        .select(Schema.USER_ID)
        .join(excluded, new String[] {Schema.USER_ID}, "left")
        .select(col(Schema.USER_ID), start.as(ListWalk.START), col(BlockTopK.EXCLUDED));
  }

  /**
   * The catalogue in the given order: item ids only, one per item, so it is as small as the
   * catalogue.
   */
  private static long[] ids(Dataset<Row> orderedItems) {
    return orderedItems.select(Schema.ITEM_ID).collectAsList().stream()
        .mapToLong(r -> r.getLong(0))
        .toArray();
  }
}
