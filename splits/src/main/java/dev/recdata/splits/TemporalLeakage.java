package dev.recdata.splits;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.recdata.common.Schema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Placeholder; replaced by the leakage-vector branch. */
public final class TemporalLeakage {
  private TemporalLeakage() {}

  public static double share(Dataset<Row> train, Dataset<Row> test) {
    Dataset<Row> t =
        train.groupBy(Schema.TS).agg(count(lit(1)).as("n_train"), lit(0L).as("n_test"));
    Dataset<Row> s = test.groupBy(Schema.TS).agg(lit(0L).as("n_train"), count(lit(1)).as("n_test"));
    Dataset<Row> both =
        t.unionByName(s).groupBy(Schema.TS).agg(sum("n_train").as("a"), sum("n_test").as("b"));
    Dataset<Row> later =
        both.withColumn(
            "later",
            sum("a")
                .over(
                    Window.orderBy(col(Schema.TS).desc())
                        .rowsBetween(Window.unboundedPreceding(), -1)));
    Row r =
        later
            .agg(
                sum(
                    col("b")
                        .multiply(org.apache.spark.sql.functions.coalesce(col("later"), lit(0L)))
                        .cast("decimal(38,0)")),
                sum("a"),
                sum("b"))
            .first();
    if (r.isNullAt(1) || r.isNullAt(2) || r.getLong(1) == 0 || r.getLong(2) == 0) {
      return Double.NaN;
    }
    return r.getDecimal(0).doubleValue() / ((double) r.getLong(1) * r.getLong(2));
  }
}
