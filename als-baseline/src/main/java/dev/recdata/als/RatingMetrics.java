package dev.recdata.als;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.recdata.common.ExactSums;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rating error over rows {@code (label, prediction)}. A NaN or null prediction is a bug upstream
 * (cold start must be filled before scoring), so it fails loudly instead of silently turning the
 * mean into NaN.
 */
public final class RatingMetrics {
  private RatingMetrics() {}

  public static Map<String, Double> evaluate(
      Dataset<Row> predictions, String label, String prediction) {
    Column p = col(prediction).cast("double");
    Column error = p.minus(col(label).cast("double"));
    Row row =
        predictions
            .agg(
                sqrt(ExactSums.avg(pow(error, 2))),
                ExactSums.avg(abs(error)),
                count(lit(1)),
                sum(when(p.isNull().or(isnan(p)), 1).otherwise(0)))
            .first();
    long missing = row.isNullAt(3) ? 0 : row.getLong(3);
    if (missing > 0) {
      throw new IllegalStateException(
          missing + " predictions are NaN or null: cold start was not filled");
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("rmse", row.isNullAt(0) ? Double.NaN : row.getDouble(0));
    metrics.put("mae", row.isNullAt(1) ? Double.NaN : row.getDouble(1));
    metrics.put("rated_pairs", (double) row.getLong(2));
    return metrics;
  }

  public static double rmse(Dataset<Row> predictions, String label, String prediction) {
    return evaluate(predictions, label, prediction).get("rmse");
  }

  public static double mae(Dataset<Row> predictions, String label, String prediction) {
    return evaluate(predictions, label, prediction).get("mae");
  }
}
