package dev.recdata.common;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Sums and means that come out bit for bit the same on every run. A double sum depends on the order
 * its partial sums are combined in, and Spark combines partitions' partial aggregates in the order
 * tasks finish, so {@code avg(x)} over doubles can differ in the last digit between two runs on the
 * same data (seen in metrics.json). Summing as DECIMAL(38, 18) is exact, so the order no longer
 * matters; each value is rounded to 18 decimal places once, when cast, which is far below what any
 * metric reports.
 */
public final class ExactSums {
  /**
   * Values must stay below 10^20 in magnitude, per row and summed: true of ratings, errors and
   * shares.
   */
  public static final DecimalType EXACT = DataTypes.createDecimalType(38, 18);

  private ExactSums() {}

  /**
   * The mean of {@code value} as a double, independent of partitioning and task order; null when
   * empty.
   */
  public static Column avg(Column value) {
    return functions.avg(value.cast(EXACT)).cast(DataTypes.DoubleType);
  }

  /**
   * The sum of {@code value} as a double, independent of partitioning and task order; null when
   * empty.
   */
  public static Column sum(Column value) {
    return functions.sum(value.cast(EXACT)).cast(DataTypes.DoubleType);
  }
}
