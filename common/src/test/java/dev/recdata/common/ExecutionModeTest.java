package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.ExecutionMode.Mode;
import dev.recdata.common.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionModeTest {
  private final SparkSession spark = SharedSpark.session();

  @AfterEach
  void restore() {
    System.clearProperty(ExecutionMode.FORCE_PROPERTY);
    spark.conf().unset(ExecutionMode.WHOLE_STAGE);
    spark.conf().unset(ExecutionMode.FACTORY_MODE);
  }

  @Test
  void smallInputsRunInterpretedLargeAndUnknownOnesOnGeneratedCode() {
    assertThat(ExecutionMode.forRows(0)).isEqualTo(Mode.INTERPRETED);
    assertThat(ExecutionMode.forRows(100_000)).isEqualTo(Mode.INTERPRETED);
    assertThat(ExecutionMode.forRows(ExecutionMode.INTERPRETED_MAX_ROWS))
        .isEqualTo(Mode.INTERPRETED);
    assertThat(ExecutionMode.forRows(ExecutionMode.INTERPRETED_MAX_ROWS + 1))
        .isEqualTo(Mode.GENERATED);
    assertThat(ExecutionMode.forRows(25_000_000)).isEqualTo(Mode.GENERATED);
    assertThat(ExecutionMode.forRows(-1)).as("unknown size").isEqualTo(Mode.GENERATED);
  }

  @Test
  void thePropertyForcesEitherMode() {
    System.setProperty(ExecutionMode.FORCE_PROPERTY, "codegen");
    assertThat(ExecutionMode.forRows(10)).isEqualTo(Mode.GENERATED);
    System.setProperty(ExecutionMode.FORCE_PROPERTY, "interpreted");
    assertThat(ExecutionMode.forRows(25_000_000)).isEqualTo(Mode.INTERPRETED);
    System.setProperty(ExecutionMode.FORCE_PROPERTY, "interpretted");
    assertThatThrownBy(() -> ExecutionMode.forRows(10))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("-Drecdata.execution=interpretted: expected codegen or interpreted");
  }

  /** The pipeline's stages share a session: a large stage after a small one gets generated code. */
  @Test
  void eachStageSetsItsOwnModeOnTheSharedSession() {
    ExecutionMode.apply(spark, "small", 1_000);
    assertThat(spark.conf().get(ExecutionMode.WHOLE_STAGE)).isEqualTo("false");
    assertThat(spark.conf().get(ExecutionMode.FACTORY_MODE)).isEqualTo("NO_CODEGEN");
    // a query still runs, on interpreted expressions, and computes what generated code does
    List<Long> interpreted = oddValuesOfEvenIds();
    ExecutionMode.apply(spark, "large", 5_000_000);
    assertThat(spark.conf().get(ExecutionMode.WHOLE_STAGE)).isEqualTo("true");
    assertThat(spark.conf().get(ExecutionMode.FACTORY_MODE)).isEqualTo("FALLBACK");
    List<Long> generated = oddValuesOfEvenIds();
    assertThat(interpreted).containsExactly(1L, 7L, 13L).isEqualTo(generated);
  }

  private List<Long> oddValuesOfEvenIds() {
    return spark
        .sql("SELECT id * 3 + 1 AS v FROM range(5) WHERE id % 2 = 0")
        .as(Encoders.LONG())
        .collectAsList();
  }

  @Test
  void parquetRowsAreCountedFromTheFootersOfEveryFileBelowTheFolder(@TempDir Path tmp)
      throws Exception {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    spark.range(0, 1_234, 1, 3).write().parquet(tmp.resolve("splits/train").toString());
    spark.range(0, 56, 1, 1).write().parquet(tmp.resolve("splits/test").toString());
    Files.writeString(tmp.resolve("splits/manifest.json"), "{}");
    assertThat(ExecutionMode.parquetRows(conf, tmp.resolve("splits").toString())).isEqualTo(1_290);
    assertThat(ExecutionMode.parquetRows(conf, tmp.resolve("absent").toString())).isEqualTo(-1);
    assertThat(ExecutionMode.parquetRows(conf, null)).isEqualTo(-1);
  }

  @Test
  void textRowsAreEstimatedHighFromTheFilesSizes(@TempDir Path tmp) throws Exception {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path ratings = tmp.resolve("u.data");
    // 1,000 ML-100K-shaped lines: "196\t242\t3\t881250949\n", 20-22 bytes each
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 1_000; i++) {
      lines.append(100 + i % 800).append('\t').append(200 + i).append("\t3\t881250949\n");
    }
    Files.writeString(ratings, lines);
    long estimate = ExecutionMode.textRows(conf, List.of(ratings.toString()));
    assertThat(estimate).isBetween(1_000L, 1_200L);
    assertThat(ExecutionMode.textRows(conf, List.of(tmp.resolve("absent").toString())))
        .isEqualTo(-1);
  }
}
