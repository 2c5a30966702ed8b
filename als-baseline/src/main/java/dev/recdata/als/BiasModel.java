package dev.recdata.als;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.recdata.common.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Global mean plus damped user and item biases: {@code b_i = sum(r - mu) / (n_i + d)}, then {@code b_u =
 * sum(r - mu - b_i) / (n_u + d)}. The rating baseline ALS has to beat, and the centring ALS fits residuals
 * of. Unknown users and items get a bias of 0, so every pair gets a finite prediction.
 */
public record BiasModel(double globalMean, Dataset<Row> userBias, Dataset<Row> itemBias) {
  public static final String USER_BIAS = "user_bias";
  public static final String ITEM_BIAS = "item_bias";
  public static final String PREDICTION = "prediction";

  /** Fits on {@code (user_id, item_id, label)}. */
  public static BiasModel fit(Dataset<Row> labels, double damping) {
    Row mean = labels.agg(avg(Feedback.LABEL)).first();
    double mu = mean.isNullAt(0) ? 0.0 : mean.getDouble(0);
    Dataset<Row> itemBias =
        labels
            .groupBy(Schema.ITEM_ID)
            .agg(sum(col(Feedback.LABEL).minus(mu)).divide(count(lit(1)).plus(damping)).as(ITEM_BIAS));
    Dataset<Row> userBias =
        labels
            .join(itemBias, Schema.ITEM_ID)
            .groupBy(Schema.USER_ID)
            .agg(
                sum(col(Feedback.LABEL).minus(mu).minus(col(ITEM_BIAS)))
                    .divide(count(lit(1)).plus(damping))
                    .as(USER_BIAS));
    return new BiasModel(mu, userBias.cache(), itemBias.cache());
  }

  /** Adds {@code column} = mu + b_u + b_i to rows with user_id and item_id. */
  public Dataset<Row> predict(Dataset<Row> pairs, String column) {
    return pairs
        .join(userBias, new String[] {Schema.USER_ID}, "left")
        .join(itemBias, new String[] {Schema.ITEM_ID}, "left")
        .withColumn(column, baseline())
        .drop(USER_BIAS, ITEM_BIAS);
  }

  /** mu + b_u + b_i over joined bias columns. */
  Column baseline() {
    return lit(globalMean).plus(coalesce(col(USER_BIAS), lit(0.0))).plus(coalesce(col(ITEM_BIAS), lit(0.0)));
  }

  /** The labels minus the baseline: what ALS fits when centring. */
  public Dataset<Row> residuals(Dataset<Row> labels) {
    return labels
        .join(userBias, new String[] {Schema.USER_ID}, "left")
        .join(itemBias, new String[] {Schema.ITEM_ID}, "left")
        .withColumn(Feedback.LABEL, col(Feedback.LABEL).minus(baseline()).cast("float"))
        .drop(USER_BIAS, ITEM_BIAS);
  }

  public void unpersist() {
    userBias.unpersist();
    itemBias.unpersist();
  }
}
