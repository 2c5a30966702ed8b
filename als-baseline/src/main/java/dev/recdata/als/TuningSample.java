package dev.recdata.als;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.recdata.common.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The users the validation protocol (tuning and the verdict) and the global-time comparison look
 * at. A tuning point is a full ALS fit plus a full-catalogue ranking of every validation user, so
 * on a large train part one point costs what the whole run should: at 25M rows on 2 cores the first
 * point alone ran past the 10-minute budget. Above {@code --tune-sample-rows} every point is fitted
 * and scored on the train and validation rows of a seeded sample of users holding about that many
 * train rows, and so is the global-time comparison (one more fit, a report beside the split's own
 * protocol); the selected settings are then refit and scored on all rows, so test metrics and the
 * served model never come from the sample.
 *
 * <p>Users, not rows, are sampled: a user keeps their whole history, so the per-user ranking that
 * is scored looks like the full data's, and Spark's ALS scales regParam by each user's and item's
 * number of ratings (ALS-WR), so a regularisation chosen on the sample carries over. The choice is
 * a hash of the user id and the seed: the same input and seed give the same sample on any cluster.
 *
 * @param fraction the share of users kept (1 when nothing is sampled)
 * @param trainRows the train part's rows (0 when not counted: sampling disabled)
 */
record TuningSample(double fraction, long trainRows, long seed) {
  private static final long BUCKETS = 1_000_000;

  static TuningSample none() {
    return new TuningSample(1.0, 0, 0);
  }

  /**
   * Counts the train part (one pass) when sampling is allowed, and chooses the share of users that
   * holds about {@code tuneSampleRows} of its rows. With {@code --tune off} too: the single point
   * is still fitted on train and scored on validation for the verdict, and the global-time
   * comparison is one more fit; neither is the served model or the test score, and at 25M rows each
   * cost as much as a full fit.
   */
  static TuningSample of(Dataset<Row> train, AlsOptions o) {
    long limit = o.protocol().tuneSampleRows();
    if (limit == 0) {
      return none();
    }
    long rows = train.count();
    return rows <= limit
        ? new TuningSample(1.0, rows, o.seed())
        : new TuningSample((double) limit / rows, rows, o.seed());
  }

  boolean sampled() {
    return fraction < 1.0;
  }

  /** The rows of the sampled users; all rows when nothing is sampled. */
  Dataset<Row> apply(Dataset<Row> rows) {
    if (!sampled() || rows == null) {
      return rows;
    }
    long keep = Math.max(1, Math.round(fraction * BUCKETS));
    return rows.where(pmod(xxhash64(col(Schema.USER_ID), lit(seed)), lit(BUCKETS)).lt(lit(keep)));
  }
}
