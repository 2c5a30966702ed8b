package dev.recdata.export.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.DebianPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export of an explicit ALS model of MovieLens 100K, checked in Java and by PyTorch from the
 * tensors.
 */
class ServingExportMl100kIT {
  @TempDir static Path tmp;
  static ServingFixtures.Run run;
  static final int K = ServingOptions.DEFAULT_TOP_K;

  @BeforeAll
  static void exportMl100k() {
    long start = System.nanoTime();
    run = ServingFixtures.ml100kRun(tmp, ServingOptions.defaults());
    System.err.printf(
        "ml-100k: als + export %.1f s; export steps %s; counts %s%n",
        (System.nanoTime() - start) / 1e9, run.summary().seconds(), run.summary().counts());
  }

  private static Dataset<Row> interactions() {
    return ServingFixtures.spark
        .read()
        .parquet(run.etl().resolve(Schema.Layout.INTERACTIONS).toString());
  }

  @Test
  void everyUserGetsExactlyKUnseenItems() {
    Dataset<Row> recommendations =
        ServingFixtures.spark
            .read()
            .parquet(run.serving().resolve("parquet/recommendations").toString());

    assertThat(recommendations.count()).isEqualTo(943L * K);
    assertThat(recommendations.groupBy(Schema.USER_ID).count().where("count != " + K).count())
        .isZero();
    assertThat(
            recommendations
                .join(
                    Recommendations.seen(interactions()),
                    new String[] {Schema.USER_ID, Schema.ITEM_ID})
                .count())
        .as("recommended items the user has rated")
        .isZero();
    assertThat(run.summary().counts())
        .containsEntry("recommendation_users", 943L)
        .containsEntry("user_factors", 943L);
    // items rated only in the test split have no factors: they are never recommended nor similar
    assertThat(run.summary().counts().get("item_factors")).isBetween(1600L, 1682L);
  }

  @Test
  void recommendationsAreTheBruteForceTopKOverTheExportedFactors() throws Exception {
    double mu = run.summary().globalMean();
    List<BruteForce.Vector> users = vectors("user_factors", Schema.USER_ID, mu);
    List<BruteForce.Vector> items = vectors("item_factors", Schema.ITEM_ID, 0.0);
    Map<Long, Set<Long>> seen = new HashMap<>();
    for (Row r : Recommendations.seen(interactions()).collectAsList()) {
      seen.computeIfAbsent(r.getLong(0), u -> new HashSet<>()).add(r.getLong(1));
    }
    Map<Long, List<BruteForce.Scored>> expected = BruteForce.topK(users, items, seen, K);

    int lines = 0;
    for (String line : Files.readAllLines(run.serving().resolve("recommendations.jsonl"))) {
      JsonNode json = Json.MAPPER.readTree(line);
      List<BruteForce.Scored> want = expected.get(json.get("user_id").asLong());
      List<Long> ids = new ArrayList<>();
      json.get("items").forEach(i -> ids.add(i.asLong()));
      assertThat(ids).containsExactlyElementsOf(want.stream().map(BruteForce.Scored::id).toList());
      for (int r = 0; r < K; r++) {
        assertThat(json.get("scores").get(r).asDouble())
            .isCloseTo(want.get(r).score(), within(1e-5));
      }
      lines++;
    }
    assertThat(lines).isEqualTo(943);
  }

  @Test
  void similarItemsAreKOtherItemsEach() {
    Dataset<Row> similar =
        ServingFixtures.spark
            .read()
            .parquet(run.serving().resolve("parquet/similar_items").toString());

    assertThat(similar.count())
        .isEqualTo(run.summary().counts().get("item_factors") * ServingOptions.DEFAULT_SIMILAR_K);
    assertThat(similar.where("item_id = similar_item_id").count()).isZero();
    assertThat(similar.where("score > 1.0001 or score < -1.0001").count()).isZero();
  }

  @Test
  void pytorchRecomputesTheSameTopKFromTheSafetensorsAndNpyFiles() throws Exception {
    DebianPython.require("torch", "numpy");
    Path seen = ServingFixtures.writeSeen(tmp.resolve("seen.txt"), interactions());
    Path script = Paths.get("src/test/resources/python/check_recommendations.py").toAbsolutePath();

    String out =
        DebianPython.run(
            Files.readString(script),
            run.serving().toString(),
            seen.toString(),
            Integer.toString(K),
            Paths.get("python").toAbsolutePath().toString());

    assertThat(out.strip()).isEqualTo("ok 943");
  }

  private static List<BruteForce.Vector> vectors(String set, String idColumn, double base) {
    List<BruteForce.Vector> vectors = new ArrayList<>();
    for (Row r :
        ServingFixtures.spark
            .read()
            .parquet(run.serving().resolve("parquet/" + set).toString())
            .collectAsList()) {
      List<Float> list = r.getList(r.fieldIndex(FactorModel.FACTORS));
      float[] f = new float[list.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = list.get(i);
      }
      vectors.add(
          new BruteForce.Vector(
              r.getLong(r.fieldIndex(idColumn)),
              f,
              base + r.getFloat(r.fieldIndex(FactorModel.BIAS)),
              1.0));
    }
    return vectors;
  }
}
