package dev.recdata.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.testing.DebianPython;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.export.serving.AlsModelReader;
import dev.recdata.export.serving.FactorModel;
import dev.recdata.export.training.EvalBatchScore;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real client: Debian's numpy ranks the exported test batches with {@code
 * recdata_tensors.rank_metrics} and must get the numbers the export computes in Spark, for the
 * planted held-out model (the manifest's score), the served model that ranks positives last, and no
 * scores at all (the list order decides). So a ranker scored in Python is compared with ALS like
 * for like.
 */
class EvalBatchMetricsPythonIT {
  private static final SparkSession spark = SharedSpark.session();

  @TempDir Path tmp;

  @Test
  void pythonRanksTheBatchesByTheRuleOfTheManifestsScore() throws Exception {
    DebianPython.require("numpy");
    Path run = EvalBatchesExportTest.plantedRun(tmp.resolve("run"));
    Path export = tmp.resolve("export");
    EvalBatchesExportTest.exportRun(run, export);
    JsonNode heldOut =
        Json.MAPPER
            .readTree(export.resolve("manifest.json").toFile())
            .path("eval_batches")
            .path("test_eval_batches")
            .path("als");
    assertThat(heldOut.path("ndcg@10").isNumber()).as("the manifest has a score").isTrue();

    Dataset<Row> batches = EvalBatchesExportTest.testBatches(export);
    FactorModel served =
        AlsModelReader.read(
            spark, run.resolve("etl").toString(), run.resolve("als").toString(), null);
    EvalBatchScore.Score positivesLast = EvalBatchScore.of(batches, served, EvalBatchScore.K);
    FactorModel noUsers =
        new FactorModel(
            served.users().limit(0),
            served.items(),
            served.rank(),
            0.0,
            "implicit",
            "none",
            0,
            "",
            "",
            "als",
            30);
    EvalBatchScore.Score listOrder = EvalBatchScore.of(batches, noUsers, EvalBatchScore.K);
    assertThat(positivesLast.ndcg()).isLessThan(1.0);
    assertThat(listOrder.usersWithoutFactors()).isEqualTo(listOrder.users());

    JsonNode python =
        Json.MAPPER.readTree(
            DebianPython.run(
                PYTHON,
                export.resolve("training/test_eval_batches.safetensors").toString(),
                Path.of("python").toAbsolutePath().toString()));
    // the planted held-out model scores each user's positive 1 and everything else 0: the labels
    assertMetrics(
        python.path("labels"),
        heldOut.path("hit_rate@10").asDouble(),
        heldOut.path("ndcg@10").asDouble());
    assertMetrics(python.path("negated_labels"), positivesLast.hitRate(), positivesLast.ndcg());
    assertMetrics(python.path("no_scores"), listOrder.hitRate(), listOrder.ndcg());
    assertMetrics(python.path("equal_scores"), listOrder.hitRate(), listOrder.ndcg());
    assertMetrics(
        python.path("padded_labels"),
        heldOut.path("hit_rate@10").asDouble(),
        heldOut.path("ndcg@10").asDouble());
  }

  private static void assertMetrics(JsonNode python, double hitRate, double ndcg) {
    assertThat(python.path("hit_rate@10").asDouble()).isCloseTo(hitRate, within(1e-9));
    assertThat(python.path("ndcg@10").asDouble()).isCloseTo(ndcg, within(1e-9));
  }

  private static final String PYTHON =
      """
      import json, sys
      import numpy as np
      path, module_dir = sys.argv[1:3]
      sys.path.insert(0, module_dir)
      import recdata_tensors as rt

      b = rt.load(path)
      labels = b['label'].astype(np.float64)
      # the same scores as a padded [U, C] matrix, whose entries past a row's length score highest:
      # they must be ignored, not ranked
      offsets, length = b['offsets'], b['length']
      padded = np.full((len(length), int(length.max()) + 3), 1e9)
      for r in range(len(length)):
          padded[r, :length[r]] = labels[offsets[r]:offsets[r + 1]]
      print(json.dumps({
          'padded_labels': rt.rank_metrics(padded, b),
          'labels': rt.rank_metrics(labels, b),
          'negated_labels': rt.rank_metrics(-labels, b),
          'no_scores': rt.rank_metrics(np.full(labels.shape, np.nan), b),
          'equal_scores': rt.rank_metrics(np.zeros(labels.shape), b),
      }))
      """;
}
