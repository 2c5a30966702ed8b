package dev.recdata.als;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.lit;

import dev.recdata.common.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns canonical interactions into what ALS and the metrics read: training labels per (user,
 * item), the items a user has already seen, the rated pairs to predict and the relevant items per
 * test user.
 */
final class Feedback {
  private Feedback() {}

  /** The training target per (user, item): ALS and the baselines see exactly these pairs. */
  static final String LABEL = "label";

  /**
   * Explicit: the mean rating of each rated pair. Implicit: the confidence weight of each pair, the
   * sum of its events' weights ({@code 1 + alpha * weight} is ALS's confidence). A like weighs 1
   * and a rating weighs {@code rating / threshold} (so on a 1-5 scale with threshold 4, a 5 weighs
   * 1.25, a 4 weighs 1 and a 2 weighs 0.5: alpha means the same on any rating scale). With {@link
   * AlsOptions.Signal#POSITIVES} only likes and ratings at or above the threshold count; with
   * {@link AlsOptions.Signal#RATINGS} every rating does. Impressions are never positives.
   */
  static Dataset<Row> labels(Dataset<Row> interactions, AlsOptions o) {
    if (o.mode() == AlsOptions.Mode.EXPLICIT) {
      return interactions
          .where(col(Schema.EVENT).equalTo(Schema.EVENT_RATING).and(col(Schema.RATING).isNotNull()))
          .groupBy(Schema.USER_ID, Schema.ITEM_ID)
          .agg(org.apache.spark.sql.functions.avg(Schema.RATING).cast("float").as(LABEL));
    }
    Column observed =
        o.protocol().signal() == AlsOptions.Signal.POSITIVES
            ? isPositive(o.positiveThreshold())
            : col(Schema.EVENT)
                .equalTo(Schema.EVENT_LIKE)
                .or(
                    col(Schema.EVENT)
                        .equalTo(Schema.EVENT_RATING)
                        .and(col(Schema.RATING).isNotNull()));
    // a threshold of 0 or below would make every weight infinite or negative: weigh ratings as is
    double scale = o.positiveThreshold() > 0 ? o.positiveThreshold() : 1.0;
    return interactions
        .where(observed)
        .groupBy(Schema.USER_ID, Schema.ITEM_ID)
        .agg(
            org.apache
                .spark
                .sql
                .functions
                .sum(coalesce(col(Schema.RATING).divide(lit(scale)), lit(1.0)))
                .cast("float")
                .as(LABEL));
  }

  /** A like, or a rating at or above the threshold. */
  static Column isPositive(float threshold) {
    return col(Schema.EVENT)
        .equalTo(Schema.EVENT_LIKE)
        .or(col(Schema.EVENT).equalTo(Schema.EVENT_RATING).and(col(Schema.RATING).geq(threshold)));
  }

  /** Every (user, item) the user rated or liked in train: never recommended back to them. */
  static Dataset<Row> seen(Dataset<Row> train) {
    return train
        .where(col(Schema.EVENT).isin(Schema.EVENT_RATING, Schema.EVENT_LIKE))
        .select(Schema.USER_ID, Schema.ITEM_ID)
        .distinct();
  }

  /** Test pairs with a rating, for RMSE and MAE (a pair rated twice keeps its mean). */
  static Dataset<Row> ratedPairs(Dataset<Row> test) {
    return test.where(
            col(Schema.EVENT).equalTo(Schema.EVENT_RATING).and(col(Schema.RATING).isNotNull()))
        .groupBy(Schema.USER_ID, Schema.ITEM_ID)
        .agg(org.apache.spark.sql.functions.avg(Schema.RATING).as(Schema.RATING));
  }

  /**
   * {@code (user_id, relevant array<bigint>)} for every test user with at least one positive; users
   * without one have nothing to retrieve and are left out of the ranking metrics (they would score
   * 0 by definition).
   */
  static Dataset<Row> relevant(Dataset<Row> test, AlsOptions o) {
    return test.where(isPositive(o.positiveThreshold()))
        .groupBy(Schema.USER_ID)
        .agg(array_sort(collect_set(col(Schema.ITEM_ID))).as(RankingMetrics.RELEVANT));
  }
}
