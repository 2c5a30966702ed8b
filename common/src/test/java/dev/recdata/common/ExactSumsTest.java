package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.testing.SharedSpark;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ExactSumsTest {
  private final SparkSession spark = SharedSpark.session();
  private static final StructType ONE_DOUBLE = new StructType().add("x", DataTypes.DoubleType);

  /** One partition, rows in the given order: the order a double sum adds them in. */
  private Dataset<Row> inOrder(double... values) {
    List<Row> rows = java.util.Arrays.stream(values).mapToObj(RowFactory::create).toList();
    return spark.createDataFrame(rows, ONE_DOUBLE).coalesce(1);
  }

  private static double first(Dataset<Row> frame, Column aggregate) {
    return frame.agg(aggregate).first().getDouble(0);
  }

  @Test
  void theSumAndMeanDoNotDependOnTheOrderRowsAreAddedIn() {
    Dataset<Row> forward = inOrder(0.1, 0.2, 0.3);
    Dataset<Row> backward = inOrder(0.3, 0.2, 0.1);
    Column x = functions.col("x");

    // the premise: a double sum of the same rows differs with their order
    assertThat(first(forward, functions.sum(x))).isNotEqualTo(first(backward, functions.sum(x)));

    assertThat(first(forward, ExactSums.sum(x)))
        .isEqualTo(0.6)
        .isEqualTo(first(backward, ExactSums.sum(x)));
    assertThat(first(forward, ExactSums.avg(x)))
        .isEqualTo(0.2)
        .isEqualTo(first(backward, ExactSums.avg(x)));
  }

  @Test
  void anEmptyInputHasNoMean() {
    Row row = inOrder().agg(ExactSums.avg(functions.col("x"))).first();
    assertThat(row.isNullAt(0)).isTrue();
  }
}
