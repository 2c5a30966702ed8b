package dev.recdata.splits;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.Schema;
import dev.recdata.common.SparkSessions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The counts a split needs before and after cutting: events, impressions, groups (users, or items
 * with --group-by item) with at least one positive event, and those groups below
 * --min-interactions. Per-group strategies count rows in one global aggregate ({@link #rows}) and
 * take the groups from the cutter, which sees every group anyway ({@link #withGroups}); the
 * global-time split, which has no cutter, counts everything in one grouped aggregate ({@link #of}).
 */
record InputStats(long events, long impressions, long groups, long groupsBelowMin) {

  /** Events and impressions only (groups unknown, -1): one scan with no shuffle of groups. */
  static InputStats rows(Dataset<Row> canonical) {
    Column impression = col(Schema.EVENT).equalTo(Schema.EVENT_IMPRESSION);
    Row row = canonical.agg(count(lit(1)), sum(when(impression, 1L).otherwise(0L))).first();
    return new InputStats(row.getLong(0), row.isNullAt(1) ? 0 : row.getLong(1), -1, -1);
  }

  InputStats withGroups(long groups, long groupsBelowMin) {
    return new InputStats(events, impressions, groups, groupsBelowMin);
  }

  static InputStats of(Dataset<Row> canonical, SplitOptions options) {
    Column impression = col(Schema.EVENT).equalTo(Schema.EVENT_IMPRESSION);
    Row row =
        canonical
            .groupBy(options.groupBy().column())
            .agg(count(lit(1)).as("n"), sum(when(impression, 1L).otherwise(0L)).as("i"))
            .withColumn("p", col("n").minus(col("i")))
            .agg(
                sum(col("n")),
                sum(col("i")),
                count(when(col("p").gt(0), 1)),
                count(when(col("p").gt(0).and(col("p").lt(options.minInteractions())), 1)))
            .first();
    return new InputStats(
        row.isNullAt(0) ? 0 : row.getLong(0),
        row.isNullAt(1) ? 0 : row.getLong(1),
        row.getLong(2),
        row.getLong(3));
  }

  /**
   * Distinct users with a positive event: the group count, unless groups are items (one more job).
   */
  long users(SparkSession spark, Dataset<Row> positives, SplitOptions options) {
    if (options.groupBy() == GroupBy.USER) {
      return groups;
    }
    SparkSessions.describe(spark, "split", "count users");
    return positives.select(Schema.USER_ID).distinct().count();
  }
}
