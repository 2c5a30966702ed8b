package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
  private final SparkSession spark = SharedSpark.session();
  private final StructType schema = new StructType().add("n", DataTypes.IntegerType);

  private Dataset<Row> rows(int... values) {
    return spark.createDataFrame(
        java.util.Arrays.stream(values).mapToObj(v -> RowFactory.create(v)).toList(), schema);
  }

  @Test
  void failedRunLeavesThePreviousOutputUntouched(@TempDir Path tmp) throws Exception {
    String target = tmp.resolve("out").toString();
    AtomicOutput first = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), target, "run1");
    rows(1, 2, 3).write().parquet(first.path("data"));
    first.commit();

    AtomicOutput second = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), target, "run2");
    rows(9).write().parquet(second.path("data"));
    // The run dies before commit: the staged rows must never become visible.
    second.abort();

    List<Integer> seen = spark.read().parquet(target + "/data").as(org.apache.spark.sql.Encoders.INT()).collectAsList();
    assertThat(seen).containsExactlyInAnyOrder(1, 2, 3);
    try (var listing = Files.list(tmp)) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("out");
    }
  }

  @Test
  void rerunReplacesTheOutputWhole(@TempDir Path tmp) {
    String target = tmp.resolve("out").toString();
    for (int[] values : new int[][] {{1, 2}, {7}}) {
      AtomicOutput out = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), target, "r");
      rows(values).write().parquet(out.path("data"));
      out.commit();
    }
    assertThat(spark.read().parquet(target + "/data").count()).isEqualTo(1);
  }
}
