package dev.recdata.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.als.AlsOutput;
import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.export.serving.AlsModelReader;
import dev.recdata.export.training.EvalBatchScore;
import dev.recdata.export.training.Sampler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export of the fixture run plus user 5, who rated every catalogue item, with an ALS output
 * whose factors are planted: the held-out model ({@code als/heldout/model}) puts every user's test
 * positive first, the served model ({@code als/model}) puts it last. So the manifest's score says
 * which model it came from.
 */
class EvalBatchesExportTest {
  private static final SparkSession spark = SharedSpark.session();
  private static final int EVAL_NEGATIVES = 5;
  private static final int USERS = 5;
  private static final int ITEMS = 12;

  /** The test positive (item idx) of each user idx: ids 112, 106, 109, -, 112. */
  private static final int[] TEST_POSITIVE = {11, 5, 8, -1, 11};

  @TempDir static Path tmp;
  static Path run;
  static Path export;
  static JsonNode evalBatches;

  @BeforeAll
  static void exportWithPlantedModels() throws Exception {
    run = plantedRun(tmp.resolve("run"));
    export = tmp.resolve("export");
    exportRun(run, export);
    evalBatches =
        Json.MAPPER.readTree(export.resolve("manifest.json").toFile()).path("eval_batches");
  }

  /**
   * The fixture run plus user 5 who rated every item, and {@code als/} with the planted served
   * model (positives last) and held-out model (positives first).
   */
  static Path plantedRun(Path dir) throws Exception {
    List<Row> everyItem = new ArrayList<>();
    for (long item = 101; item <= 111; item++) {
      everyItem.add(ExportFixtures.r(5, item, 5f, item));
    }
    Path run = ExportFixtures.writeRun(dir, everyItem, List.of(ExportFixtures.r(5, 112, 4f, 20)));
    Path als = run.resolve("als");
    writeParams(als, run.resolve("etl"));
    saveModel(als.resolve(AlsOutput.MODEL), -1f);
    saveModel(als.resolve(AlsOutput.HELD_OUT).resolve(AlsOutput.MODEL), 1f);
    return run;
  }

  static void exportRun(Path run, Path export) {
    ExportJob.run(
        spark,
        ExportPaths.of(run.toString(), null, null, null, export.toString()),
        ExportOptions.defaults()
            .withSampler(Sampler.UNIFORM)
            .withNegatives(4, EVAL_NEGATIVES)
            .withMaxSequenceLength(2),
        null,
        null);
  }

  /** An implicit ALS output trained on the run's etl id maps, as the als stage describes one. */
  private static void writeParams(Path als, Path etl) {
    var params = Json.object().put("stage", "als").put("format_version", 2);
    params.put("run_id", "planted-als");
    params.putObject("input").put("id_maps", etl.toString());
    params.putObject("options").put("mode", "implicit").put("seed", 1);
    params.putObject("model_params").put("rank", USERS);
    Json.write(
        spark.sparkContext().hadoopConfiguration(),
        als.resolve(AlsOutput.PARAMS).toString(),
        params);
  }

  /**
   * Rank-5 factors: user u is the unit vector e_u; the test positive of user u carries {@code sign
   * * e_u}, every other item 0. User u then scores its positive {@code sign} and every other
   * candidate 0.
   */
  private static void saveModel(Path dir, float sign) throws Exception {
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false));
    List<Row> users = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      Float[] f = zeros();
      f[u] = 1f;
      users.add(RowFactory.create(u, f));
    }
    List<Row> items = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      Float[] f = zeros();
      for (int u = 0; u < USERS; u++) {
        if (TEST_POSITIVE[u] == i) {
          f[u] = sign;
        }
      }
      items.add(RowFactory.create(i, f));
    }
    new ALSModel(
            "planted",
            USERS,
            spark.createDataFrame(users, schema),
            spark.createDataFrame(items, schema))
        .save(dir.toString());
  }

  private static Float[] zeros() {
    Float[] f = new Float[USERS];
    java.util.Arrays.fill(f, 0f);
    return f;
  }

  static Dataset<Row> testBatches(Path export) {
    return spark.read().parquet(export.resolve("training/parquet/test_eval_batches").toString());
  }

  /** NDCG when each user's single positive is ranked last: lists of 4, 6 and 6 candidates. */
  private static final double POSITIVE_LAST = (1 / log2(5) + 1 / log2(7) + 1 / log2(7)) / 3;

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  void aUserWhoInteractedWithEveryItemIsLeftOutOfTheBatchesAndCounted() {
    assertThat(
            testBatches(export)
                .select(Schema.USER_IDX)
                .as(org.apache.spark.sql.Encoders.LONG())
                .collectAsList())
        .containsExactlyInAnyOrder(0L, 1L, 2L);
    JsonNode test = evalBatches.path("test_eval_batches");
    assertThat(test.path("users").asLong()).isEqualTo(3L);
    assertThat(test.path("users_without_negatives").asLong()).isEqualTo(1L);
    assertThat(evalBatches.path("val_eval_batches").path("users_without_negatives").asLong())
        .as("user 5 has no validation positive: not a candidate list to leave out")
        .isZero();
  }

  @Test
  void theManifestScoresTheTestBatchesWithTheHeldOutModel() {
    JsonNode als = evalBatches.path("test_eval_batches").path("als");
    assertThat(als.path("model").asText()).endsWith("/als/heldout");
    assertThat(als.path("k").asInt()).isEqualTo(10);
    assertThat(als.path("hit_rate@10").asDouble()).isEqualTo(1.0);
    assertThat(als.path("ndcg@10").asDouble()).isCloseTo(1.0, within(1e-12));
    assertThat(als.path("users").asLong()).isEqualTo(3L);
    assertThat(als.path("users_without_factors").asLong()).isZero();
    assertThat(evalBatches.path("val_eval_batches").path("als").path("omitted").asText())
        .startsWith("validation chose the ALS settings");
  }

  @Test
  void anAlsOutputWithoutHeldOutIsScoredWithItsModel() throws Exception {
    // the served model's folder on its own: an ALS output written before heldout/ existed
    Path older = tmp.resolve("older-als");
    writeParams(older, run.resolve("etl"));
    saveModel(older.resolve(AlsOutput.MODEL), -1f);
    AlsModelReader.HeldOutModel heldOut =
        AlsModelReader.readHeldOut(
            spark,
            run.resolve("etl").toString(),
            AlsOutput.read(spark.sparkContext().hadoopConfiguration(), older.toString(), "--als"));
    assertThat(heldOut.separate()).isFalse();
    EvalBatchScore.Score score = EvalBatchScore.of(testBatches(export), heldOut.model(), 10);
    assertThat(score.ndcg()).isCloseTo(POSITIVE_LAST, within(1e-12));
    assertThat(score.hitRate()).isEqualTo(1.0); // every list is shorter than 10
  }
}
