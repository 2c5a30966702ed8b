package dev.recdata.als;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.recdata.common.ExactSums;
import dev.recdata.common.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Global mean plus damped user and item biases: {@code b_i = sum(r - mu) / (n_i + d)}, then {@code
 * b_u = sum(r - mu - b_i) / (n_u + d)}. The rating baseline ALS has to beat, and the centring ALS
 * fits residuals of. Unknown users and items get a bias of 0, so every pair gets a finite
 * prediction.
 *
 * <p>Predictions are clipped to the range of the training labels ({@code [minLabel, maxLabel]},
 * e.g. 1 to 5 stars): a rating outside the scale is never right, and scikit-surprise, whose
 * published RMSEs the benchmark compares against, clips the same way.
 */
public record BiasModel(
    double globalMean,
    double minLabel,
    double maxLabel,
    Dataset<Row> userBias,
    Dataset<Row> itemBias) {
  public static final String USER_BIAS = "user_bias";
  public static final String ITEM_BIAS = "item_bias";
  public static final String PREDICTION = "prediction";

  /** Fits on {@code (user_id, item_id, label)}. */
  public static BiasModel fit(Dataset<Row> labels, double damping) {
    Row stats =
        labels
            .agg(ExactSums.avg(col(Feedback.LABEL)), min(Feedback.LABEL), max(Feedback.LABEL))
            .first();
    double mu = stats.isNullAt(0) ? 0.0 : stats.getDouble(0);
    double lo =
        stats.isNullAt(1) ? Double.NEGATIVE_INFINITY : ((Number) stats.get(1)).doubleValue();
    double hi =
        stats.isNullAt(2) ? Double.POSITIVE_INFINITY : ((Number) stats.get(2)).doubleValue();
    Dataset<Row> itemBias =
        labels
            .groupBy(Schema.ITEM_ID)
            .agg(
                ExactSums.sum(col(Feedback.LABEL).minus(mu))
                    .divide(count(lit(1)).plus(damping))
                    .as(ITEM_BIAS));
    Dataset<Row> userBias =
        labels
            .join(itemBias, Schema.ITEM_ID)
            .groupBy(Schema.USER_ID)
            .agg(
                ExactSums.sum(col(Feedback.LABEL).minus(mu).minus(col(ITEM_BIAS)))
                    .divide(count(lit(1)).plus(damping))
                    .as(USER_BIAS));
    return new BiasModel(mu, lo, hi, userBias.cache(), itemBias.cache());
  }

  /**
   * Adds {@code column} = mu + b_u + b_i, clipped to the label range, to rows with user_id and
   * item_id.
   */
  public Dataset<Row> predict(Dataset<Row> pairs, String column) {
    return withBaseline(pairs, column, true);
  }

  /**
   * Adds {@code column} = mu + b_u + b_i, clipped or not (residual models add to the unclipped
   * sum).
   */
  Dataset<Row> withBaseline(Dataset<Row> pairs, String column, boolean clipped) {
    return pairs
        .join(userBias, new String[] {Schema.USER_ID}, "left")
        .join(itemBias, new String[] {Schema.ITEM_ID}, "left")
        .withColumn(column, clipped ? clip(baseline()) : baseline())
        .drop(USER_BIAS, ITEM_BIAS);
  }

  /** {@code prediction} limited to the training labels' range. */
  Column clip(Column prediction) {
    return greatest(lit(minLabel), least(lit(maxLabel), prediction));
  }

  /** mu + b_u + b_i over joined bias columns. */
  Column baseline() {
    return lit(globalMean)
        .plus(coalesce(col(USER_BIAS), lit(0.0)))
        .plus(coalesce(col(ITEM_BIAS), lit(0.0)));
  }

  /** The labels minus the baseline: what ALS fits when centring. */
  public Dataset<Row> residuals(Dataset<Row> labels) {
    return labels
        .join(userBias, new String[] {Schema.USER_ID}, "left")
        .join(itemBias, new String[] {Schema.ITEM_ID}, "left")
        .withColumn(Feedback.LABEL, col(Feedback.LABEL).minus(baseline()).cast("float"))
        .drop(USER_BIAS, ITEM_BIAS);
  }
}
