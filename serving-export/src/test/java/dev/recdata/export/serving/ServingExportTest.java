package dev.recdata.export.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.als.AlsOptions;
import dev.recdata.common.AtomicOutput;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.etl.EtlOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export of a tiny explicit model (six users, eight items, two tastes), trained by the real als
 * stage. Every user rated six items, so with K = 2 the unseen items are known in advance whatever
 * the factors.
 */
class ServingExportTest {
  @TempDir static Path tmp;
  static ServingFixtures.Run run;

  /**
   * Users 1-3 like items 1-4, users 4-6 items 5-8 (5 inside one's taste, 2 outside); two items
   * unrated each.
   */
  static List<Row> twoTastes() {
    List<Row> rows = new ArrayList<>();
    for (long u = 1; u <= 6; u++) {
      for (long i = 1; i <= 8; i++) {
        if ((u + i) % 4 != 0) {
          rows.add(ServingFixtures.rating(u, i, (u <= 3) == (i <= 4) ? 5f : 2f));
        }
      }
    }
    return rows;
  }

  @BeforeAll
  static void exportTinyModel() {
    List<Row> train = twoTastes();
    List<Row> test =
        List.of(ServingFixtures.rating(1, 3, 4f)); // user 1's unrated item 3, rated in test
    List<Row> etl = new ArrayList<>(train);
    etl.addAll(test);
    etl.add(
        ServingFixtures.event(
            1, 7, null, Schema.EVENT_IMPRESSION)); // shown, not liked: still a candidate
    etl.add(ServingFixtures.event(2, 2, null, Schema.EVENT_LIKE)); // liked: seen
    Path etlDir = ServingFixtures.writeEtl(tmp, ServingFixtures.interactions(etl));
    AlsOptions als =
        new AlsOptions(
            AlsOptions.Mode.EXPLICIT,
            3,
            5,
            0.1,
            1,
            false,
            1L,
            1,
            4f,
            3,
            null,
            null,
            false,
            true,
            1.0);
    Path alsDir =
        ServingFixtures.trainAls(
            tmp,
            etlDir,
            ServingFixtures.interactions(train),
            ServingFixtures.interactions(test),
            als);
    run =
        ServingFixtures.export(
            tmp,
            etlDir,
            alsDir,
            new ServingOptions(2, 3, ServingOptions.defaults().formats(), null, "items-test"));
  }

  private static Map<Long, List<Long>> recommendedItems() throws Exception {
    Map<Long, List<Long>> byUser = new HashMap<>();
    List<String> lines = Files.readAllLines(run.serving().resolve("recommendations.jsonl"));
    for (String line : lines) {
      JsonNode json = Json.MAPPER.readTree(line);
      List<Long> items = new ArrayList<>();
      json.get("items").forEach(i -> items.add(i.asLong()));
      byUser.put(json.get("user_id").asLong(), items);
    }
    return byUser;
  }

  @Test
  void recommendsExactlyTheUnseenItemsAndImpressionsDoNotCountAsSeen() throws Exception {
    Map<Long, List<Long>> recommended = recommendedItems();

    assertThat(recommended.get(1L)).containsExactly(7L); // 3 was rated in test, 7 only shown
    assertThat(recommended.get(2L)).containsExactly(6L); // 2 liked
    assertThat(recommended.get(3L))
        .containsExactlyInAnyOrder(1L, 5L); // K = 2 unseen items: exactly K
    assertThat(recommended.get(4L)).containsExactlyInAnyOrder(4L, 8L);
    assertThat(recommended.get(5L)).containsExactlyInAnyOrder(3L, 7L);
    assertThat(recommended.get(6L)).containsExactlyInAnyOrder(2L, 6L);
    assertThat(run.summary().counts())
        .containsEntry("recommendation_users", 6L)
        .containsEntry("recommendations", 10L);
  }

  @Test
  void jsonLinesAreOnePerUserInIdOrderInTheServingApiShape() throws Exception {
    List<String> lines = Files.readAllLines(run.serving().resolve("recommendations.jsonl"));

    assertThat(lines).hasSize(6);
    List<Long> users = new ArrayList<>();
    for (String line : lines) {
      JsonNode json = Json.MAPPER.readTree(line);
      assertThat(json.fieldNames()).toIterable().containsExactly("user_id", "items", "scores");
      assertThat(json.get("scores").size()).isEqualTo(json.get("items").size());
      users.add(json.get("user_id").asLong());
    }
    assertThat(users).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(Files.readAllLines(run.serving().resolve("id_maps/users.jsonl")).get(0))
        .isEqualTo("{\"user_id\":1,\"user_idx\":0}");
    assertThat(Files.readAllLines(run.serving().resolve("id_maps/items.jsonl"))).hasSize(8);
  }

  @Test
  void scoresAreTheFormulaOverTheExportedFactorsInDescendingOrder() throws Exception {
    Map<String, String> metadata =
        ServingFixtures.safetensorsMetadata(run.serving().resolve("user_factors.safetensors"));
    JsonNode params =
        Json.read(ServingFixtures.conf(), run.als().resolve("params.json").toString());
    double globalMean = Double.parseDouble(metadata.get("global_mean"));
    assertThat(globalMean)
        .isEqualTo(params.path("biases").path("global_mean").asDouble())
        .isBetween(2.0, 5.0);
    assertThat(metadata)
        .containsEntry("rank", "3")
        .containsEntry("model_version", params.path("run_id").asText())
        .containsEntry("count", "6")
        .containsEntry("mode", "explicit")
        .containsEntry("etl_run_id", "fixture-etl");
    assertThat(metadata.get("id_map_version"))
        .as("the same id-map version as the training tensors: the id maps' fingerprint")
        .isEqualTo(
            EtlOutput.read(ServingFixtures.conf(), run.etl().toString(), "--etl")
                .idMapVersion(ServingFixtures.conf()))
        .startsWith("sha256:");

    Map<Long, BruteForce.Vector> users = factors("user_factors", Schema.USER_ID, globalMean);
    Map<Long, BruteForce.Vector> items = factors("item_factors", Schema.ITEM_ID, 0.0);
    assertThat(items.values())
        .anySatisfy(v -> assertThat(v.offset()).isNotZero()); // the biases are really there
    List<Row> recommendations =
        ServingFixtures.spark
            .read()
            .parquet(run.serving().resolve("parquet/recommendations").toString())
            .orderBy(Schema.USER_ID, Recommendations.RANK)
            .collectAsList();
    assertThat(recommendations).hasSize(10);
    for (int i = 0; i < recommendations.size(); i++) {
      Row r = recommendations.get(i);
      BruteForce.Vector u = users.get(r.getLong(0));
      BruteForce.Vector v = items.get(r.getLong(2));
      double dot = 0;
      for (int d = 0; d < 3; d++) {
        dot += u.factors()[d] * v.factors()[d];
      }
      assertThat((double) r.getFloat(3)).isCloseTo(u.offset() + v.offset() + dot, within(1e-5));
      if (i > 0 && recommendations.get(i - 1).getLong(0) == r.getLong(0)) {
        assertThat(recommendations.get(i - 1).getFloat(3)).isGreaterThanOrEqualTo(r.getFloat(3));
      }
    }
  }

  @Test
  void similarItemsExcludeTheItemItselfAndMatchBruteForceCosine() throws Exception {
    Map<Long, BruteForce.Vector> items = factors("item_factors", Schema.ITEM_ID, 0.0);
    List<BruteForce.Vector> normalised = new ArrayList<>();
    Map<Long, Set<Long>> self = new HashMap<>();
    for (BruteForce.Vector v : items.values()) {
      normalised.add(
          new BruteForce.Vector(v.id(), v.factors(), 0.0, 1.0 / BruteForce.norm(v.factors())));
      self.put(v.id(), Set.of(v.id()));
    }
    Map<Long, List<BruteForce.Scored>> expected = BruteForce.topK(normalised, normalised, self, 3);

    Map<Long, List<Long>> actualIds = new HashMap<>();
    for (String line : Files.readAllLines(run.serving().resolve("similar_items.jsonl"))) {
      JsonNode json = Json.MAPPER.readTree(line);
      long item = json.get("item_id").asLong();
      List<Long> ids = new ArrayList<>();
      for (int r = 0; r < json.get("items").size(); r++) {
        ids.add(json.get("items").get(r).asLong());
        assertThat(json.get("scores").get(r).asDouble())
            .isCloseTo(expected.get(item).get(r).score(), within(1e-6));
      }
      assertThat(ids).doesNotContain(item).hasSize(3);
      actualIds.put(item, ids);
    }
    assertThat(actualIds).hasSize(8);
    expected.forEach(
        (item, list) ->
            assertThat(actualIds.get(item))
                .containsExactlyElementsOf(list.stream().map(BruteForce.Scored::id).toList()));
  }

  @Test
  void writesEveryFormatAndTheOpenSearchBulkBody() throws Exception {
    Path serving = run.serving();
    for (String set : List.of("user_factors", "item_factors")) {
      assertThat(serving.resolve(set + ".safetensors")).isRegularFile();
      assertThat(serving.resolve("parquet/" + set)).isDirectory();
    }
    for (String tensor : List.of("user_idx", "user_id", "factors", "bias")) {
      assertThat(serving.resolve("npy/user_factors/" + tensor + ".npy")).isRegularFile();
    }
    assertThat(serving.resolve("parquet/id_map_users")).isDirectory();
    assertThat(serving.resolve("parquet/similar_items")).isDirectory();

    List<String> bulk = Files.readAllLines(serving.resolve("item_embeddings.opensearch.jsonl"));
    assertThat(bulk).hasSize(16);
    assertThat(bulk.get(0)).isEqualTo("{\"index\":{\"_index\":\"items-test\",\"_id\":\"1\"}}");
    JsonNode doc = Json.MAPPER.readTree(bulk.get(1));
    assertThat(doc.get("item_id").asLong()).isEqualTo(1);
    assertThat(doc.get("embedding").size()).isEqualTo(3);
    assertThat(doc.get("model_version").asText()).isEqualTo(run.summary().modelVersion());
    JsonNode mapping =
        Json.read(ServingFixtures.conf(), serving.resolve("opensearch_mapping.json").toString());
    JsonNode embedding = mapping.path("mappings").path("properties").path("embedding");
    assertThat(embedding.path("type").asText()).isEqualTo("knn_vector");
    assertThat(embedding.path("dimension").asInt()).isEqualTo(3);
    assertThat(embedding.path("method").path("space_type").asText()).isEqualTo("cosinesimil");
    assertThat(mapping.path("settings").path("index").path("knn").asBoolean()).isTrue();
  }

  @Test
  void aModelTrainedOnItsOwnIndexIsRefused() throws Exception {
    Path als = Files.createDirectories(tmp.resolve("own-index/als/model"));
    var params = Json.object().put("stage", "als").put("run_id", "r1");
    params.putObject("input").put("id_maps", "built over train, ordered by id");
    Json.write(ServingFixtures.conf(), als.resolveSibling("params.json").toString(), params);
    AtomicOutput output =
        AtomicOutput.begin(
            ServingFixtures.conf(),
            tmp.resolve("own-index/export").toString(),
            "t",
            dev.recdata.export.ExportJob.OWNER);

    assertThatThrownBy(
            () ->
                ServingExport.write(
                    ServingFixtures.spark,
                    run.etl().toString(),
                    als.getParent().toString(),
                    ServingOptions.defaults(),
                    output))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("index built over its train split");
    output.abort();
  }

  @Test
  void whenAlsLostTheExportShipsTheWinningBaselinesRecommendations() throws Exception {
    // the ALS output of the tiny run, its verdict turned into "most_popular won on validation"
    Path als = tmp.resolve("lost/als");
    org.apache.commons.io.FileUtils.copyDirectory(run.als().toFile(), als.toFile());
    var params =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            Json.MAPPER.readTree(als.resolve("params.json").toFile());
    params.putObject("serve").put("recommendations_from", "most_popular").put("recent_days", 30);
    Json.write(ServingFixtures.conf(), als.resolve("params.json").toString(), params);

    ServingFixtures.Run lost =
        ServingFixtures.export(
            tmp.resolve("lost"),
            run.etl(),
            als,
            new ServingOptions(2, 3, ServingOptions.defaults().formats(), null, "items-test"));

    // expected: items by distinct users who rated or liked them (ties to the smaller id), the
    // user's own rated or liked items skipped, the first two
    List<Row> events =
        ServingFixtures.spark
            .read()
            .parquet(run.etl().resolve("interactions").toString())
            .where("event in ('rating', 'like')")
            .select(Schema.USER_ID, Schema.ITEM_ID)
            .distinct()
            .collectAsList();
    Map<Long, Set<Long>> seen = new HashMap<>();
    Map<Long, Integer> popularity = new HashMap<>();
    for (Row r : events) {
      seen.computeIfAbsent(r.getLong(0), u -> new java.util.HashSet<>()).add(r.getLong(1));
      popularity.merge(r.getLong(1), 1, Integer::sum);
    }
    List<Long> order = new ArrayList<>(popularity.keySet());
    order.sort(
        java.util.Comparator.<Long>comparingInt(popularity::get)
            .reversed()
            .thenComparing(java.util.Comparator.naturalOrder()));
    Map<Long, List<Long>> recommended = new HashMap<>();
    for (String line : Files.readAllLines(lost.serving().resolve("recommendations.jsonl"))) {
      JsonNode json = Json.MAPPER.readTree(line);
      List<Long> items = new ArrayList<>();
      json.get("items").forEach(i -> items.add(i.asLong()));
      recommended.put(json.get("user_id").asLong(), items);
    }
    assertThat(recommended).hasSize(6);
    recommended.forEach(
        (user, items) ->
            assertThat(items)
                .as("user %d", user)
                .isEqualTo(
                    order.stream().filter(i -> !seen.get(user).contains(i)).limit(2).toList()));
    assertThat(
            ServingFixtures.safetensorsMetadata(lost.serving().resolve("user_factors.safetensors")))
        .containsEntry("recommendations_from", "most_popular");
    // the model's own list differs (else this test would prove nothing)
    assertThat(recommended).isNotEqualTo(recommendedItems());
  }

  @Test
  void anImplicitModelHasZeroBiasesAndGlobalMean() throws Exception {
    Path als = tmp.resolve("implicit/als");
    Dataset<Row> labels =
        ServingFixtures.spark
            .read()
            .parquet(run.etl().resolve("id_maps/users").toString())
            .crossJoin(
                ServingFixtures.spark.read().parquet(run.etl().resolve("id_maps/items").toString()))
            .where("(user_id + item_id) % 3 = 0")
            .selectExpr("user_idx", "item_idx", "1.0f as label");
    ALSModel model =
        new ALS()
            .setImplicitPrefs(true)
            .setRank(2)
            .setMaxIter(2)
            .setSeed(1L)
            .setUserCol("user_idx")
            .setItemCol("item_idx")
            .setRatingCol("label")
            .fit(labels);
    model.write().save(als.resolve("model").toString());
    var params = Json.object().put("stage", "als").put("run_id", "implicit-run");
    params.putObject("input").put("id_maps", run.etl().toString());
    params.putObject("options").put("mode", "IMPLICIT").put("seed", 1L);
    Json.write(ServingFixtures.conf(), als.resolve("params.json").toString(), params);

    FactorModel factors =
        AlsModelReader.read(ServingFixtures.spark, run.etl().toString(), als.toString(), null);

    assertThat(factors.mode()).isEqualTo("implicit");
    assertThat(factors.globalMean()).isZero();
    assertThat(factors.modelVersion()).isEqualTo("implicit-run");
    assertThat(factors.users().where("bias != 0").count()).isZero();
    assertThat(factors.items().where("bias != 0").count()).isZero();
    assertThat(factors.users().count()).isEqualTo(6);
  }

  /** The exported parquet tensor set as vectors whose offset is {@code base + bias}. */
  private static Map<Long, BruteForce.Vector> factors(String set, String idColumn, double base) {
    Map<Long, BruteForce.Vector> vectors = new HashMap<>();
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
      long id = r.getLong(r.fieldIndex(idColumn));
      vectors.put(
          id, new BruteForce.Vector(id, f, base + r.getFloat(r.fieldIndex(FactorModel.BIAS)), 1.0));
    }
    return vectors;
  }
}
