package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recdata.common.testing.SharedSpark;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class RatingMetricsTest {
  private static final SparkSession spark = SharedSpark.session();

  private static Dataset<Row> pairs(double[][] labelAndPrediction) {
    List<Row> rows = new java.util.ArrayList<>();
    for (double[] p : labelAndPrediction) {
      rows.add(RowFactory.create(p[0], p[1]));
    }
    return spark.createDataFrame(
        rows,
        new org.apache.spark.sql.types.StructType()
            .add("label", "double")
            .add("prediction", "double"));
  }

  @Test
  void rmseAndMaeMatchHandComputedValues() {
    Map<String, Double> m =
        RatingMetrics.evaluate(
            pairs(new double[][] {{4, 3.5}, {3, 3}, {5, 4}}), "label", "prediction");
    assertThat(m.get("rmse")).isCloseTo(Math.sqrt((0.25 + 0 + 1) / 3), within(1e-9));
    assertThat(m.get("mae")).isCloseTo(0.5, within(1e-9));
    assertThat(m.get("rated_pairs")).isEqualTo(3.0);
  }

  @Test
  void aNaNPredictionFailsInsteadOfPoisoningTheMean() {
    assertThatThrownBy(
            () ->
                RatingMetrics.rmse(
                    pairs(new double[][] {{4, Double.NaN}, {3, 3}}), "label", "prediction"))
        .hasMessageContaining("1 predictions are NaN");
  }
}
