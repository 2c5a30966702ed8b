package dev.recdata.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.OutputTrees;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.export.ExportFixtures.Safetensors;
import dev.recdata.export.training.Sampler;
import dev.recdata.export.training.TrainingSets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportJobTest {
  private static final SparkSession spark = SharedSpark.session();
  private static final int K = 4;
  private static final int EVAL_NEGATIVES = 5;

  /** 24 bytes per triplet row: 4 rows per shard. */
  private static final long TINY_SHARDS = 100;

  @TempDir static Path shared;
  static Path run;
  static Path export;
  static ExportSummary summary;

  static ExportOptions options(Sampler sampler, long seed) {
    return ExportOptions.defaults()
        .withSampler(sampler)
        .withSeed(seed)
        .withNegatives(K, EVAL_NEGATIVES)
        .withMaxSequenceLength(2);
  }

  static ExportSummary export(ExportOptions o, Path out) {
    return ExportJob.run(
        spark, ExportPaths.of(run.toString(), null, null, null, out.toString()), o, null, null);
  }

  @BeforeAll
  static void exportTheFixture() {
    run = ExportFixtures.sharedRun();
    summary =
        export(options(Sampler.UNIFORM, 7).withShardBytes(TINY_SHARDS), shared.resolve("out"));
    export = shared.resolve("out");
  }

  private static List<Row> parquet(String set) {
    return spark
        .read()
        .parquet(export.resolve("training/parquet/" + set).toString())
        .collectAsList();
  }

  private static List<Row> triplets(Path exportDir) {
    return spark
        .read()
        .parquet(exportDir.resolve("training/parquet/triplets").toString())
        .orderBy(TrainingSets.SHUFFLE_KEY)
        .collectAsList();
  }

  private static void assertNoNegativeIsAPositive(List<Row> triplets) {
    Map<Long, List<Long>> positives = ExportFixtures.positivesAnywhere();
    for (Row t : triplets) {
      assertThat(positives.get(t.getLong(1)))
          .as("negatives of user %d", t.getLong(1))
          .doesNotContain(t.getLong(3));
    }
  }

  @Test
  void tripletsAreKPerTrainPositiveAndNoNegativeIsAPositiveOfItsUser() {
    List<Row> triplets = triplets(export);
    assertThat(triplets)
        .hasSize(12 * K); // 12 train positives: 8 of user 1, 3 of user 2, 1 of user 3
    assertThat(summary.counts().path("training").path("triplets").asLong()).isEqualTo(12L * K);
    assertNoNegativeIsAPositive(triplets);
  }

  /**
   * Every file byte for byte (tensors, Parquet footers, names); the manifest differs in run ids and
   * times only.
   */
  @Test
  void theSameSeedGivesAByteIdenticalExport() {
    Path again = shared.resolve("again");
    export(options(Sampler.UNIFORM, 7).withShardBytes(TINY_SHARDS), again);
    OutputTrees.assertSameOutput(export, again);
  }

  /**
   * Without {@code parquet} in {@code --formats} the tensors are still filled from a Parquet copy
   * of each set: a scratch folder, which must not be left in the output, and the tensor files must
   * be the bytes of the export that kept its Parquet.
   */
  @Test
  void aTensorsOnlyExportLeavesNoParquetAndWritesTheSameTensors() throws Exception {
    Path tensorsOnly = shared.resolve("tensors-only");
    export(
        options(Sampler.UNIFORM, 7)
            .withShardBytes(TINY_SHARDS)
            .withFormats(
                java.util.Set.of(
                    dev.recdata.export.tensor.Format.SAFETENSORS,
                    dev.recdata.export.tensor.Format.NPY)),
        tensorsOnly);
    List<String> left;
    try (var walk = Files.walk(tensorsOnly.resolve("training"))) {
      left = walk.map(Path::toString).filter(p -> p.contains("parquet")).toList();
    }
    assertThat(left).as("Parquet left in a tensors-only export's training side").isEmpty();
    List<Path> tensorFiles;
    try (var walk = Files.walk(tensorsOnly.resolve("training"))) {
      tensorFiles =
          walk.filter(Files::isRegularFile)
              .filter(p -> p.toString().endsWith(".safetensors") || p.toString().endsWith(".npy"))
              .toList();
    }
    assertThat(tensorFiles).hasSizeGreaterThan(10);
    for (Path file : tensorFiles) {
      Path same =
          export.resolve("training").resolve(tensorsOnly.resolve("training").relativize(file));
      assertThat(Files.mismatch(file, same)).as("bytes of %s", same).isEqualTo(-1L);
    }
  }

  @Test
  void evalBatchesMixHeldOutPositivesWithUnseenNegativesEachListAsLongAsItIs() {
    Map<Long, Row> test = new HashMap<>();
    parquet("test_eval_batches").forEach(r -> test.put(r.getLong(0), r));
    assertThat(test.keySet()).containsExactlyInAnyOrder(0L, 1L, 2L); // user 4 has no test positive
    Row user1 = test.get(0L);
    List<Long> items = user1.getList(1);
    List<Byte> labels = user1.getList(2);
    // user 1 has touched 9 of 12 items: 1 positive + the 3 items left, and no padding
    assertThat(items).containsExactlyInAnyOrder(11L, 8L, 9L, 10L);
    assertThat(labels).hasSize(4);
    for (int c = 0; c < items.size(); c++) {
      assertThat(labels.get(c))
          .as("label of %d", items.get(c))
          .isEqualTo(items.get(c) == 11L ? (byte) 1 : (byte) 0);
    }
    assertThat(user1.getLong(3)).isEqualTo(4L);
    Row user2 = test.get(1L);
    List<Long> candidates = user2.getList(1);
    assertThat(candidates).contains(5L).hasSize(1 + EVAL_NEGATIVES);
    assertThat(user2.<Byte>getList(2).get(candidates.indexOf(5L))).isEqualTo((byte) 1);
    assertThat(user2.getLong(3)).isEqualTo(1 + EVAL_NEGATIVES);
    // no negative is an item user 2 interacted with in any split (101..106 = idx 0..5)
    assertThat(candidates.stream().filter(i -> i != 5L).toList())
        .doesNotHaveDuplicates()
        .allSatisfy(i -> assertThat(i).isBetween(6L, 11L));
    List<Row> validation = parquet("val_eval_batches");
    assertThat(validation).hasSize(1);
    assertThat(validation.get(0).getLong(0)).isEqualTo(1L);
    assertThat(validation.get(0).<Long>getList(1)).contains(4L);

    // the tensors (row shards here): row r's candidates are item_idx[offsets[r]:offsets[r+1]],
    // the same lists, in the same order, as the Parquet copy
    Safetensors st = ExportFixtures.readSet(export.resolve("training"), "test_eval_batches");
    long[] user = st.tensors().get("user_idx");
    long[] offsets = st.tensors().get("offsets");
    long[] item = st.tensors().get("item_idx");
    long[] label = st.tensors().get("label");
    long[] length = st.tensors().get("length");
    assertThat(st.shapes().get("offsets")).containsExactly(user.length + 1);
    assertThat(st.shapes().get("item_idx")).containsExactly(item.length);
    assertThat(offsets[0]).isZero();
    assertThat(offsets[user.length]).isEqualTo(item.length).isEqualTo(label.length).isEqualTo(16);
    assertThat(st.metadata().path("values").asText()).isEqualTo("16");
    assertThat(st.metadata().path("max_length").asText()).isEqualTo("6");
    assertThat(st.metadata().path("layout").asText()).isEqualTo("ragged");
    for (int r = 0; r < user.length; r++) {
      Row row = test.get(user[r]);
      assertThat(offsets[r + 1] - offsets[r]).as("row %d", r).isEqualTo(length[r]);
      assertThat(Arrays.copyOfRange(item, (int) offsets[r], (int) offsets[r + 1]))
          .as("row %d's candidates", r)
          .containsExactly(row.<Long>getList(1).stream().mapToLong(Long::longValue).toArray());
      assertThat(Arrays.copyOfRange(label, (int) offsets[r], (int) offsets[r + 1]))
          .containsExactly(row.<Byte>getList(2).stream().mapToLong(Byte::longValue).toArray());
    }
  }

  private static final List<String> TRAINING_SETS =
      List.of(
          "triplets",
          "val_eval_batches",
          "test_eval_batches",
          "sequences",
          "item_features",
          "user_features");

  /** A set's {@code __metadata__}: of its one file, or of its index and of every shard. */
  private static List<JsonNode> headers(String set) throws Exception {
    Path training = export.resolve("training");
    Path index = training.resolve(set + ".safetensors.index.json");
    if (!Files.exists(index)) {
      return List.of(
          ExportFixtures.readSafetensors(training.resolve(set + ".safetensors")).metadata());
    }
    JsonNode json = Json.MAPPER.readTree(index.toFile());
    List<JsonNode> headers = new ArrayList<>(List.of(json.path("metadata")));
    for (JsonNode shard : json.path("shards")) {
      headers.add(
          ExportFixtures.readSafetensors(training.resolve(shard.path("file").asText())).metadata());
    }
    return headers;
  }

  /**
   * What sizes a PyTorch model's embedding tables: the rows of etl's id maps (4 users, 12 items),
   * in every training set's header. Not the largest index a set holds plus one, nor the items seen
   * in train (9 here): item 112 (idx 11) is only a test positive, item 111 (idx 10) only an
   * impression, and a table one row short raises on them.
   */
  @Test
  void everyTrainingTensorSetStatesTheEmbeddingTableSizesOfTheIdMaps() throws Exception {
    long users =
        spark.read().parquet(run.resolve("etl/" + Schema.Layout.USER_MAP).toString()).count();
    long items =
        spark.read().parquet(run.resolve("etl/" + Schema.Layout.ITEM_MAP).toString()).count();
    assertThat(users).isEqualTo(4L);
    assertThat(items).isEqualTo(12L);
    long largestItem = 0;
    for (long i :
        ExportFixtures.readSet(export.resolve("training"), "test_eval_batches")
            .tensors()
            .get("item_idx")) {
      largestItem = Math.max(largestItem, i);
    }
    assertThat(largestItem).as("the test lists hold the last item").isEqualTo(items - 1);
    for (String set : TRAINING_SETS) {
      List<JsonNode> headers = headers(set);
      assertThat(headers).as(set).isNotEmpty();
      for (JsonNode meta : headers) {
        assertThat(meta.path("num_users").asText()).as("%s num_users", set).isEqualTo("4");
        assertThat(meta.path("num_items").asText()).as("%s num_items", set).isEqualTo("12");
        assertThat(meta.path("id_map_version").asText()).as(set).startsWith("sha256:");
      }
    }
  }

  @Test
  void setsThatSampleOrPadSayHowInTheirHeaders() throws Exception {
    for (JsonNode meta : headers("triplets")) {
      assertThat(meta.path("num_negatives").asText()).isEqualTo(Integer.toString(K));
      assertThat(meta.path("negatives").asText()).as("kept for older readers").isEqualTo("4");
      assertThat(meta.path("sampler").asText()).isEqualTo("uniform");
      assertThat(meta.has("padding_item_idx")).as("triplets are not padded").isFalse();
    }
    for (String set : List.of("val_eval_batches", "test_eval_batches")) {
      for (JsonNode meta : headers(set)) {
        assertThat(meta.path("num_negatives").asText())
            .as(set)
            .isEqualTo(Integer.toString(EVAL_NEGATIVES));
        assertThat(meta.path("eval_negatives").asText()).as(set).isEqualTo("5");
        assertThat(meta.path("sampler").asText()).as(set).isEqualTo("uniform");
        assertThat(meta.path("layout").asText()).as(set).isEqualTo("ragged");
        assertThat(meta.has("padding_item_idx")).as("%s is not padded", set).isFalse();
      }
    }
    for (JsonNode meta : headers("sequences")) {
      assertThat(meta.path("padding_item_idx").asText()).isEqualTo("0");
    }
  }

  @Test
  void manifestSaysTheEvalProtocolAndWhyThereIsNoAlsScore() throws Exception {
    JsonNode eval =
        Json.MAPPER.readTree(export.resolve("manifest.json").toFile()).path("eval_batches");
    assertThat(eval.path("protocol").asText())
        .isEqualTo("sampled: positives + 5 negatives per user, seeded shuffled order");
    JsonNode test = eval.path("test_eval_batches");
    assertThat(test.path("users").asLong()).isEqualTo(3L);
    // 4 + 6 + 6: user 1's positive and the 3 items it has left, users 2 and 3 a positive and 5
    // negatives each
    assertThat(test.path("candidates").asLong()).isEqualTo(16L);
    assertThat(test.path("max_candidates").asLong()).isEqualTo(6L);
    assertThat(test.path("users_without_negatives").asLong()).isZero();
    // user 1 has 3 items left to draw, fewer than 5
    assertThat(test.path("users_with_fewer_negatives").asLong()).isEqualTo(1L);
    assertThat(test.path("als").path("omitted").asText()).startsWith("no ALS output");
    assertThat(test.path("als").has("ndcg@10")).isFalse();
  }

  @Test
  void sequencesKeepTheLastTrainItemsInTimeOrderAndTheTextHasTheWholeHistory() throws Exception {
    Map<Long, Row> sequences = new HashMap<>();
    parquet("sequences").forEach(r -> sequences.put(r.getLong(0), r));
    // user 2 in time order: 103 (t=1), 104 (t=2), 101 (t=3), 102 (t=4); the last 2 kept
    assertThat(sequences.get(1L).<Long>getList(1)).containsExactly(0L, 1L);
    assertThat(sequences.get(1L).getLong(2)).isEqualTo(2L);
    // user 4: one item, padded
    assertThat(sequences.get(3L).<Long>getList(1)).containsExactly(9L, 0L);
    assertThat(sequences.get(3L).getLong(2)).isEqualTo(1L);
    assertThat(sequences.get(3L).<Byte>getList(4)).containsExactly((byte) 1, (byte) 0);
    List<String> lines = Files.readAllLines(export.resolve("training/sequences.txt"));
    assertThat(lines.stream().filter(l -> l.startsWith("1 ")).toList())
        .containsExactly("1 2", "1 3", "1 0", "1 1");
    assertThat(lines).hasSize(ExportFixtures.train().size());
    Safetensors st = ExportFixtures.readSet(export.resolve("training"), "sequences");
    assertThat(st.tensors().get("user_idx")).containsExactly(0, 1, 2, 3);
    assertThat(st.shapes().get("items")).containsExactly(4, 2);
    // user 2's item 0 (101) is real, user 4's second 0 is padding: only the mask tells them apart
    assertThat(st.tensors().get("items")).containsExactly(6, 7, 0, 1, 6, 7, 9, 0);
    assertThat(st.shapes().get("mask")).containsExactly(4, 2);
    assertThat(st.tensors().get("mask")).containsExactly(1, 1, 1, 1, 1, 1, 1, 0);
  }

  @Test
  void aTinyShardLimitSplitsTripletsIntoIndexedShardsThatAgreeWithNpyAndParquet() throws Exception {
    JsonNode index =
        Json.MAPPER.readTree(export.resolve("training/triplets.safetensors.index.json").toFile());
    long rows = 12L * K;
    assertThat(index.path("total_rows").asLong()).isEqualTo(rows);
    assertThat(index.path("metadata").path("count").asText()).isEqualTo(Long.toString(rows));
    assertThat(index.path("shards")).hasSize(12); // 4 rows of 24 bytes under 100 bytes
    assertThat(export.resolve("training/triplets.safetensors")).doesNotExist();
    List<Long> fromShards = new ArrayList<>();
    long expectedBegin = 0;
    for (JsonNode shard : index.path("shards")) {
      assertThat(shard.path("rows").get(0).asLong()).isEqualTo(expectedBegin);
      expectedBegin = shard.path("rows").get(1).asLong();
      Safetensors st =
          ExportFixtures.readSafetensors(
              export.resolve("training").resolve(shard.path("file").asText()));
      assertThat(st.metadata().path("sampler").asText()).isEqualTo("uniform");
      assertThat(st.metadata().path("id_map_version").asText()).startsWith("sha256:");
      for (long v : st.tensors().get("triplets")) {
        fromShards.add(v);
      }
    }
    assertThat(index.path("shards").get(0).path("file").asText())
        .isEqualTo("triplets-00001-of-00012.safetensors");
    assertThat(expectedBegin).isEqualTo(rows);
    List<Long> fromParquet = new ArrayList<>();
    for (Row t : triplets(export)) {
      fromParquet.addAll(List.of(t.getLong(1), t.getLong(2), t.getLong(3)));
    }
    assertThat(fromShards).isEqualTo(fromParquet);
    // the .npy is one file, not sharded: same values after its 64-byte-aligned header
    byte[] npy = Files.readAllBytes(export.resolve("training/npy/triplets/triplets.npy"));
    var data =
        java.nio.ByteBuffer.wrap(npy, npy.length - fromShards.size() * 8, fromShards.size() * 8)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    List<Long> fromNpy = new ArrayList<>();
    while (data.hasRemaining()) {
      fromNpy.add(data.getLong());
    }
    assertThat(fromNpy).isEqualTo(fromShards);
  }

  @Test
  void featuresAreMultiHotAndOneHotOverTheWrittenVocabularies() throws Exception {
    JsonNode vocabularies =
        Json.MAPPER.readTree(export.resolve("training/vocabularies.json").toFile());
    assertThat(vocabularies.path("genres").toString())
        .isEqualTo("[\"Action\",\"Comedy\",\"Drama\"]");
    assertThat(vocabularies.path("genders").toString()).isEqualTo("[\"F\",\"M\"]");
    assertThat(vocabularies.path("occupations").toString()).isEqualTo("[\"student\",\"writer\"]");
    Safetensors items = ExportFixtures.readSet(export.resolve("training"), "item_features");
    assertThat(items.shapes().get("genres")).containsExactly(12, 3);
    float[] item1 = new float[3];
    for (int g = 0; g < 3; g++) {
      item1[g] =
          Float.intBitsToFloat(
              (int) items.tensors().get("genres")[3 + g]); // item 102: Comedy, Drama
    }
    assertThat(item1).containsExactly(0f, 1f, 1f);
    assertThat(items.tensors().get("year")[0]).isEqualTo(1990);
    assertThat(items.tensors().get("year")[11]).isEqualTo(-1);
    Safetensors users = ExportFixtures.readSet(export.resolve("training"), "user_features");
    assertThat(users.tensors().get("age")).containsExactly(24, 53, -1, -1);
    assertThat(users.shapes().get("occupation")).containsExactly(4, 2);
  }

  @Test
  void manifestHasLineageOptionsCountsAndAChecksumOfEveryFile() throws Exception {
    JsonNode manifest = Json.MAPPER.readTree(export.resolve("manifest.json").toFile());
    assertThat(manifest.path("lineage").path("etl").path("run_id").asText())
        .isEqualTo("fixture-etl");
    assertThat(manifest.path("lineage").path("split").path("run_id").asText())
        .isEqualTo("fixture-split");
    assertThat(manifest.path("options").path("negatives").asInt()).isEqualTo(K);
    assertThat(manifest.path("counts").path("training").path("triplets").asLong())
        .isEqualTo(12L * K);
    assertThat(manifest.path("versions").path("spark").asText()).isNotEmpty();
    JsonNode files = manifest.path("files");
    assertThat(files.has("training/vocabularies.json")).isTrue();
    assertThat(files.has("training/sequences.txt")).isTrue();
    JsonNode index = files.path("training/triplets.safetensors.index.json");
    byte[] bytes = Files.readAllBytes(export.resolve("training/triplets.safetensors.index.json"));
    assertThat(index.path("bytes").asLong()).isEqualTo(bytes.length);
    assertThat(index.path("sha256").asText())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(files.fieldNames())
        .toIterable()
        .anyMatch(f -> f.startsWith("training/parquet/triplets/part-"));
    assertThat(summary.outputDir()).as("--out itself").isEqualTo(export.toString());
    assertThat(Schema.Layout.MANIFEST).isEqualTo("manifest.json");
  }
}
