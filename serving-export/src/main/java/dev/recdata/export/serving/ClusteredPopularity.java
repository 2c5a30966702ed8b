package dev.recdata.export.serving;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.recdata.als.Baselines;
import dev.recdata.common.Schema;
import dev.recdata.splits.ClusteredScan;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The popularity baselines' catalogue order from etl's interactions files without shuffling every
 * event. Popularity is distinct users per item, which Spark computes as a distinct over every
 * {@code (user, item)} pair: a shuffle of all the rows (25M at MovieLens 25M scale) before the
 * counting. etl writes each user's events into one file, users ascending ({@link ClusteredScan}),
 * so each user's distinct items can be found inside the task that reads them, and only one row per
 * item and task is shuffled for the count. The counts, and so the order, are the same as {@link
 * Baselines#itemPopularity} and recently-popular's {@code countDistinct}s give.
 */
final class ClusteredPopularity {
  private ClusteredPopularity() {}

  private static final String RECENT = "recent";
  private static final StructType DISTINCT_PAIRS =
      new StructType()
          .add(Schema.ITEM_ID, DataTypes.LongType, false)
          .add(RECENT, DataTypes.IntegerType, false);

  /**
   * The catalogue order of {@code baseline} ({@code most_popular} or {@code recently_popular}) over
   * the ratings and likes in etl's interactions at {@code path}; null when the files cannot be read
   * one per partition, or the manifest does not say they are clustered (then the caller counts with
   * a shuffle). {@code cutoff} is recently-popular's training cutoff (ignored for most-popular).
   */
  static long[] order(
      SparkSession spark,
      String path,
      boolean clusteredByUser,
      String baseline,
      Object cutoff,
      int recentDays) {
    if (!clusteredByUser) {
      return null;
    }
    boolean recently = baseline.equals("recently_popular");
    ClusteredScan scan = ClusteredScan.ofEtlFiles(spark, spark.read().parquet(path), path);
    return scan.run(
        () -> {
          // planned inside run: the scan's partitions are fixed when the Dataset is first used
          Dataset<Row> events = Baselines.positiveEvents(spark.read().parquet(path));
          if (!scan.onePartitionPerFile(events)) {
            return null;
          }
          Column recent = recently ? Baselines.isRecent(cutoff, recentDays) : lit(false);
          Dataset<Row> pairs =
              events
                  .select(col(Schema.USER_ID), col(Schema.ITEM_ID), recent.as(RECENT))
                  .mapPartitions(
                      (MapPartitionsFunction<Row, Row>) DistinctPerUser::new,
                      Encoders.row(DISTINCT_PAIRS));
          Dataset<Row> counts =
              pairs
                  .groupBy(Schema.ITEM_ID)
                  .agg(
                      count(lit(1)).as(Baselines.POPULARITY),
                      sum(col(RECENT)).as(Baselines.RECENT_POPULARITY));
          return recently
              ? Baselines.recentlyPopularOrder(counts)
              : Baselines.mostPopularOrder(counts);
        });
  }

  /**
   * {@code (item_id, recent)} once per distinct item of each user, from {@code (user_id, item_id,
   * recent)} rows clustered by user: recent is 1 when any of the user's events on the item is.
   */
  static final class DistinctPerUser implements Iterator<Row> {
    private final Iterator<Row> rows;
    private Row next;
    private boolean started;
    private long previousUser;
    private long[] items = new long[64];
    private long[] recentItems = new long[16];
    private int itemCount;
    private int recentCount;
    private int emitted;
    private int distinct;

    DistinctPerUser(Iterator<Row> rows) {
      this.rows = rows;
      this.next = rows.hasNext() ? rows.next() : null;
    }

    @Override
    public boolean hasNext() {
      return emitted < distinct || next != null;
    }

    @Override
    public Row next() {
      if (emitted == distinct) {
        if (next == null) {
          throw new NoSuchElementException();
        }
        readUser();
      }
      long item = items[emitted++];
      boolean recent = Arrays.binarySearch(recentItems, 0, recentCount, item) >= 0;
      return RowFactory.create(item, recent ? 1 : 0);
    }

    /** Reads the next user's rows and leaves their distinct items, ascending, in {@code items}. */
    private void readUser() {
      long user = next.getLong(0);
      // etl wrote users ascending, each in one file; a user seen again was cut in two and would
      // count twice
      if (started && user <= previousUser) {
        throw new IllegalStateException(
            String.format(
                "interactions are not clustered by user as etl's manifest says: user %d follows %d"
                    + " in one partition",
                user, previousUser));
      }
      started = true;
      previousUser = user;
      itemCount = 0;
      recentCount = 0;
      while (next != null && next.getLong(0) == user) {
        long item = next.getLong(1);
        if (itemCount == items.length) {
          items = Arrays.copyOf(items, itemCount * 2);
        }
        items[itemCount++] = item;
        if (next.getBoolean(2)) {
          if (recentCount == recentItems.length) {
            recentItems = Arrays.copyOf(recentItems, recentCount * 2);
          }
          recentItems[recentCount++] = item;
        }
        next = rows.hasNext() ? rows.next() : null;
      }
      Arrays.sort(items, 0, itemCount);
      Arrays.sort(recentItems, 0, recentCount);
      int unique = 0;
      for (int i = 0; i < itemCount; i++) {
        if (i == 0 || items[i] != items[i - 1]) {
          items[unique++] = items[i];
        }
      }
      distinct = unique;
      emitted = 0;
    }
  }
}
