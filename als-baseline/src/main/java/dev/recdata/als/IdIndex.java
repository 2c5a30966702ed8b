package dev.recdata.als;

import dev.recdata.common.RecdataException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Dense int indices for ALS, which only takes int ids. The index is ordered by id, so the same
 * train set always gives the same index (and the same factors for a given seed).
 */
final class IdIndex {
  private IdIndex() {}

  /**
   * {@code (idColumn bigint, idxColumn int)} over the distinct ids of {@code rows}, 0-based in id
   * order. zipWithIndex over a sorted RDD numbers rows without pulling them into one partition (a
   * global row_number() window would).
   */
  static Dataset<Row> build(
      SparkSession spark, Dataset<Row> rows, String idColumn, String idxColumn) {
    JavaRDD<Row> sorted = rows.select(idColumn).distinct().orderBy(idColumn).javaRDD();
    JavaRDD<Row> indexed =
        sorted
            .zipWithIndex()
            .map(
                pair -> {
                  if (pair._2() > Integer.MAX_VALUE) {
                    throw RecdataException.badInput(
                        "more than %d distinct %s values: ALS needs int ids",
                        Integer.MAX_VALUE, idColumn);
                  }
                  return RowFactory.create(pair._1().getLong(0), (int) (long) pair._2());
                });
    StructType schema =
        new StructType()
            .add(idColumn, DataTypes.LongType, false)
            .add(idxColumn, DataTypes.IntegerType, false);
    return spark.createDataFrame(indexed, schema);
  }
}
