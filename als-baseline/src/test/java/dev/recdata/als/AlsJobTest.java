package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
import dev.recdata.common.testing.OutputTrees;
import dev.recdata.common.testing.SharedSpark;
import dev.recdata.common.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlsJobTest {
  private static final SparkSession spark = SharedSpark.session();

  @TempDir Path tmp;

  private JsonNode json(Path file) {
    return Json.read(spark.sparkContext().hadoopConfiguration(), file.toString());
  }

  @Test
  void alsBeatsMostPopularOnMl100kAndKeepsEveryGridPoint() {
    Path split = tmp.resolve("split");
    Ml100kSplits.writeHoldout(
        Ml100kSplits.interactions(spark, TestData.ml100k()), split, Schema.USER_ID, 0.7, 0.1, 11L);
    AlsOptions o =
        new AlsOptions(
            AlsOptions.Mode.IMPLICIT,
            10,
            5,
            0.1,
            1.0,
            false,
            42L,
            2,
            1.0f,
            10,
            "ndcg@10",
            Grid.parse("regParam=0.05,0.5"),
            true,
            false,
            5.0);

    AlsReport report =
        AlsJob.run(spark, split.toString(), tmp.resolve("out").toString(), o, null, null);

    double als = report.test().get("als").get("ndcg@10");
    double popular = report.test().get("most_popular").get("ndcg@10");
    assertThat(als).isGreaterThan(popular);
    assertThat(report.test().get("random").get("ndcg@10")).isLessThan(popular);
    assertThat(report.grid())
        .extracting(AlsReport.GridScore::label)
        .containsExactly("regParam=0.05", "regParam=0.5");
    assertThat(report.alsBeatsBaselines(10)).isTrue();
    assertThat(report.improvementOverBaselines().get("most_popular").get("ndcg@10"))
        .isCloseTo((als - popular) / popular, within(1e-12));

    Path dir = tmp.resolve("out");
    JsonNode metrics = json(dir.resolve("metrics.json"));
    assertThat(metrics.get("grid")).hasSize(2);
    assertThat(metrics.path("test").path("als").path("ndcg@10").asDouble()).isEqualTo(als);
    assertThat(json(dir.resolve("params.json")).path("model_trained_on").asText())
        .isEqualTo("train+validation");
    assertThat(ALSModel.load(dir.resolve("model").toString()).rank()).isEqualTo(10);
    assertThat(dir.resolve("_checkpoints")).doesNotExist();
  }

  private static List<Row> coldStartTest() {
    List<Row> test = new ArrayList<>();
    test.add(Fixtures.rating(1, 3, 5)); // left unrated in train: (1 + 3) % 4 == 0
    test.add(Fixtures.rating(99, 1, 4)); // cold user
    test.add(Fixtures.rating(2, 77, 5)); // cold item
    test.add(Fixtures.rating(4, 8, 5));
    return test;
  }

  @Test
  void explicitRunFillsColdStartAndScoresColdUsersAsZero() {
    Path split = tmp.resolve("split");
    List<Row> train = Fixtures.twoTastes();
    Fixtures.writeSplit(split, "train", train);
    Fixtures.writeSplit(split, "test", coldStartTest());
    Fixtures.writeManifest(spark, split, tmp.resolve("no-etl").toString());
    AlsOptions o =
        new AlsOptions(
            AlsOptions.Mode.EXPLICIT,
            2,
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

    AlsReport report =
        AlsJob.run(spark, split.toString(), tmp.resolve("out").toString(), o, null, null);

    Map<String, Double> als = report.test().get("als");
    assertThat(als.get("rmse")).isFinite();
    assertThat(als.get("rated_pairs")).isEqualTo(4.0);
    assertThat(als.get("ranked_users")).isEqualTo(4.0);
    assertThat(als.get("users_without_recommendations")).isEqualTo(1.0); // user 99
    assertThat(report.test())
        .containsOnlyKeys("als", "most_popular", "recently_popular", "random", "bias");
    assertThat(report.test().get("bias").get("rmse")).isFinite();

    // The same split and seed again: factors, biases and model byte for byte (MLlib's save
    // timestamp aside).
    AlsJob.run(spark, split.toString(), tmp.resolve("again").toString(), o, null, null);
    OutputTrees.assertSameOutput(tmp.resolve("out"), tmp.resolve("again"));
    assertThat(ALSModel.load(tmp.resolve("again/model").toString()).uid())
        .isEqualTo(AlsRecommender.MODEL_UID);
  }

  @Test
  void kfoldReportsMeanAndStandardDeviationAcrossFolds() {
    Path split = tmp.resolve("split");
    List<Row> all = Fixtures.twoTastes();
    for (int f = 0; f < 2; f++) {
      List<Row> train = new ArrayList<>();
      List<Row> test = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        (i % 2 == f ? test : train).add(all.get(i));
      }
      Fixtures.writeSplit(split, "fold=" + f + "/train", train);
      Fixtures.writeSplit(split, "fold=" + f + "/test", test);
    }
    AlsOptions o =
        new AlsOptions(
            AlsOptions.Mode.EXPLICIT,
            2,
            3,
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

    AlsReport report =
        AlsJob.run(spark, split.toString(), tmp.resolve("out").toString(), o, null, null);

    assertThat(report.protocol()).isEqualTo("kfold");
    assertThat(report.folds()).isEqualTo(2);
    assertThat(report.testStd().get("als")).containsKeys("rmse", "ndcg@3");
    assertThat(report.testStd().get("als").get("rmse")).isFinite().isGreaterThanOrEqualTo(0.0);
    assertThat(json(tmp.resolve("out/metrics.json")).path("test_std").path("bias").has("rmse"))
        .isTrue();
  }

  @Test
  void aGridWithoutValidationIsRefused() {
    Path split = tmp.resolve("split");
    Fixtures.writeSplit(split, "train", Fixtures.twoTastes());
    Fixtures.writeSplit(split, "test", Fixtures.twoTastes());
    AlsOptions o = AlsOptions.defaults(AlsOptions.Mode.EXPLICIT).withGrid(Grid.parse("rank=2,3"));

    assertThatThrownBy(
            () -> AlsJob.run(spark, split.toString(), tmp.resolve("out").toString(), o, null, null))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("--tune has 2 points")
        .hasMessageContaining("no validation split");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void aSavedModelReloadsAndPredictsTheSameScores() throws Exception {
    AlsOptions o =
        new AlsOptions(
            AlsOptions.Mode.EXPLICIT,
            3,
            4,
            0.1,
            1,
            false,
            5L,
            1,
            4f,
            3,
            null,
            null,
            false,
            false,
            1.0);
    TrainingSet training =
        TrainingSet.of(spark, Fixtures.interactions(Fixtures.twoTastes()), o, null, null);
    AlsRecommender als = AlsRecommender.fit(training, o);
    Path saved = Files.createDirectories(tmp.resolve("m")).resolve("model");
    als.model().write().save(saved.toString());

    Dataset<Row> pairs =
        training
            .labels()
            .join(training.userIndex(), Schema.USER_ID)
            .join(training.itemIndex(), Schema.ITEM_ID)
            .select(Schema.USER_IDX, Schema.ITEM_IDX);
    List<Row> before =
        als.model().transform(pairs).orderBy(Schema.USER_IDX, Schema.ITEM_IDX).collectAsList();
    List<Row> after =
        ALSModel.load(saved.toString())
            .transform(pairs)
            .orderBy(Schema.USER_IDX, Schema.ITEM_IDX)
            .collectAsList();

    assertThat(after).hasSize(before.size()).isEqualTo(before);
    assertThat(before).allSatisfy(r -> assertThat(r.getFloat(2)).isFinite());
  }

  private static Row positive(long user, long item, long day) {
    return RowFactory.create(
        user,
        item,
        5f,
        Timestamp.from(Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofDays(day))),
        Schema.EVENT_RATING,
        "test");
  }

  /**
   * Histories with no taste in them: every user draws items by popularity alone (item i with weight
   * 1/i), so the most popular unseen items are the best guess for anyone, and a high-rank,
   * barely-regularised ALS can only fit noise.
   */
  private static void writePopularityIsTheAnswer(Path split) {
    java.util.Random random = new java.util.Random(7);
    List<Row> train = new ArrayList<>();
    List<Row> validation = new ArrayList<>();
    List<Row> test = new ArrayList<>();
    int items = 40;
    double[] weights = new double[items];
    for (int i = 0; i < items; i++) {
      weights[i] = 1.0 / (i + 1);
    }
    for (long u = 1; u <= 80; u++) {
      java.util.Set<Integer> drawn = new java.util.LinkedHashSet<>();
      while (drawn.size() < 12) {
        double total = 0;
        for (int i = 0; i < items; i++) {
          total += drawn.contains(i) ? 0 : weights[i];
        }
        double pick = random.nextDouble() * total;
        for (int i = 0; i < items; i++) {
          if (drawn.contains(i)) {
            continue;
          }
          pick -= weights[i];
          if (pick <= 0) {
            drawn.add(i);
            break;
          }
        }
      }
      int position = 0;
      for (int item : drawn) {
        Row row = positive(u, item + 1, u + position);
        (position < 8 ? train : position < 10 ? validation : test).add(row);
        position++;
      }
    }
    Fixtures.writeSplit(split, "train", train);
    Fixtures.writeSplit(split, "validation", validation);
    Fixtures.writeSplit(split, "test", test);
  }

  private static AlsOptions overfittingAls(AlsOptions.ServeFallback fallback) {
    return new AlsOptions(
            AlsOptions.Mode.IMPLICIT,
            24,
            8,
            0.0001,
            40.0,
            false,
            3L,
            1,
            4f,
            10,
            null,
            null,
            true,
            false,
            5.0)
        .withProtocol(
            AlsOptions.Protocol.defaults()
                .withTune(AlsOptions.Tune.OFF, null)
                .withServeFallback(fallback));
  }

  @Test
  void whenPopularityIsTheAnswerTheFallbackShipsPopularityAndSaysSo() {
    Path split = tmp.resolve("split");
    writePopularityIsTheAnswer(split);

    AlsReport report =
        AlsJob.run(
            spark,
            split.toString(),
            tmp.resolve("out").toString(),
            overfittingAls(AlsOptions.ServeFallback.POPULAR),
            null,
            null);

    Verdict verdict = report.verdict();
    assertThat(verdict.decidedOn()).isEqualTo("validation");
    assertThat(verdict.alsWon()).isFalse();
    assertThat(verdict.served()).isIn("most_popular", "recently_popular");
    assertThat(verdict.served()).isEqualTo(verdict.bestBaseline());
    assertThat(verdict.summary()).contains("ALS LOSES").contains("serving " + verdict.served());
    JsonNode params = json(tmp.resolve("out/params.json"));
    assertThat(params.path("serve").path("recommendations_from").asText())
        .isEqualTo(verdict.served());
    JsonNode metrics = json(tmp.resolve("out/metrics.json"));
    assertThat(metrics.path("verdict").path("als_won").asBoolean()).isFalse();
    // both protocols are shown: the global-time comparison, and how leaky the per-user one is
    // (each user's rows sit on their own days here, so most training rows are later than a test
    // row)
    assertThat(metrics.path("test_global_time").path("most_popular").has("ndcg@10")).isTrue();
    assertThat(metrics.path("temporal_leakage_share").asDouble()).isBetween(0.3, 0.7);
    assertThat(metrics.path("protocols").has("test_global_time")).isTrue();
    AlsOutput output =
        AlsOutput.read(
            spark.sparkContext().hadoopConfiguration(), tmp.resolve("out").toString(), "--als");
    assertThat(output.servesAls()).isFalse();

    // --serve-fallback none: the same loss, ALS ships anyway and the verdict says so
    AlsReport anyway =
        AlsJob.run(
            spark,
            split.toString(),
            tmp.resolve("none").toString(),
            overfittingAls(AlsOptions.ServeFallback.NONE),
            null,
            null);
    assertThat(anyway.verdict().alsWon()).isFalse();
    assertThat(anyway.verdict().served()).isEqualTo("als");
    assertThat(anyway.verdict().summary()).contains("serving ALS anyway");
  }

  @Test
  void theServedModelIsRefitOnEveryRowWhileTheMetricsComeFromTheHeldOutOne() {
    Path split = tmp.resolve("split");
    List<Row> train = new ArrayList<>();
    List<Row> validation = new ArrayList<>();
    List<Row> test = new ArrayList<>();
    for (Row row : Fixtures.twoTastes()) {
      (row.getLong(1) == 8 ? validation : train).add(row);
    }
    test.add(Fixtures.rating(1, 9, 5f)); // item 9 exists only in test
    test.add(Fixtures.rating(2, 9, 5f));
    test.add(Fixtures.rating(4, 3, 5f));
    Fixtures.writeSplit(split, "train", train);
    Fixtures.writeSplit(split, "validation", validation);
    Fixtures.writeSplit(split, "test", test);
    AlsOptions o =
        new AlsOptions(
                AlsOptions.Mode.IMPLICIT,
                2,
                3,
                0.1,
                1.0,
                false,
                1L,
                1,
                4f,
                3,
                null,
                null,
                true,
                false,
                1.0)
            .withProtocol(AlsOptions.Protocol.defaults().withTune(AlsOptions.Tune.OFF, null));

    AlsJob.run(spark, split.toString(), tmp.resolve("out").toString(), o, null, null);

    Path out = tmp.resolve("out");
    // the served model has factors for every item of every split, test's item 9 included
    assertThat(ALSModel.load(out.resolve("model").toString()).itemFactors().count()).isEqualTo(9);
    assertThat(ALSModel.load(out.resolve("heldout/model").toString()).itemFactors().count())
        .isEqualTo(8);
    JsonNode params = json(out.resolve("params.json"));
    assertThat(params.path("model_trained_on").asText()).isEqualTo("train+validation+test");
    assertThat(params.path("heldout").path("trained_on").asText()).isEqualTo("train+validation");
    AlsOutput output =
        AlsOutput.read(spark.sparkContext().hadoopConfiguration(), out.toString(), "--als");
    assertThat(output.modelTrainedOn()).isEqualTo("train+validation+test");
    assertThat(output.heldOut(spark.sparkContext().hadoopConfiguration()).model())
        .endsWith("heldout/model");
  }

  @Test
  void noPointStartsThatWouldEndAfterTheTuningBudget() {
    Path split = tmp.resolve("split");
    List<Row> train = new ArrayList<>();
    List<Row> validation = new ArrayList<>();
    for (Row row : Fixtures.twoTastes()) {
      (row.getLong(1) == 8 ? validation : train).add(row);
    }
    Fixtures.writeSplit(split, "train", train);
    Fixtures.writeSplit(split, "validation", validation);
    Fixtures.writeSplit(split, "test", validation);
    AlsOptions o =
        AlsOptions.defaults(AlsOptions.Mode.IMPLICIT)
            .withGrid(Grid.parse("rank=2,3,4"))
            .withProtocol(
                AlsOptions.Protocol.asGiven().withTune(AlsOptions.Tune.GRID, Duration.ofMillis(1)));

    AlsReport report =
        AlsJob.run(spark, split.toString(), tmp.resolve("out").toString(), o, null, null);

    // the first point always runs (there is no model without it); after it, the budget is spent
    assertThat(report.grid()).extracting(AlsReport.GridScore::label).containsExactly("rank=2");
    assertThat(report.selectedPoint()).containsEntry("rank", 2.0);
    assertThat(json(tmp.resolve("out/metrics.json")).path("tune_points").asInt()).isEqualTo(1);
    assertThat(AlsJob.wouldOverrun(Duration.ofHours(1), System.nanoTime(), report.grid()))
        .isFalse();
  }

  @Test
  void aLargeTrainPartIsTunedOnASeededSampleOfUsersWhileTestIsScoredOnEveryone() {
    Path split = tmp.resolve("split");
    long trainRows = writeTwoTastesSplit(split);
    AlsOptions.Protocol grid = AlsOptions.Protocol.asGiven().withTune(AlsOptions.Tune.GRID, null);
    AlsOptions o = AlsOptions.defaults(AlsOptions.Mode.IMPLICIT).withGrid(Grid.parse("rank=2"));

    AlsReport full = runWithSampleRows(split, "full", o, grid, trainRows);
    AlsReport sampled = runWithSampleRows(split, "sampled", o, grid, trainRows / 2);

    // at the limit nothing is sampled; above it about half the users are tuned on, whole
    assertThat(full.tuningSample().sampled()).isFalse();
    assertThat(sampled.tuningSample().fraction()).isCloseTo(0.5, within(1e-9));
    assertThat(sampled.tuningSample().trainRows()).isEqualTo(trainRows);
    double tunedUsers = sampled.grid().get(0).metrics().get("ranked_users");
    assertThat(full.grid().get(0).metrics().get("ranked_users")).isEqualTo(40.0);
    assertThat(tunedUsers).isBetween(10.0, 30.0);
    // test metrics come from all rows either way
    assertThat(sampled.test().get("als").get("ranked_users")).isEqualTo(40.0);
    JsonNode metrics = json(tmp.resolve("sampled/metrics.json"));
    assertThat(metrics.path("tuning_sample").path("train_rows").asLong()).isEqualTo(trainRows);
    assertThat(metrics.path("protocols").path("validation").asText()).contains("seeded 50.00%");
    assertThat(json(tmp.resolve("full/metrics.json")).has("tuning_sample")).isFalse();

    // the same seed draws the same users
    AlsReport again = runWithSampleRows(split, "again", o, grid, trainRows / 2);
    assertThat(again.grid().get(0).metrics()).isEqualTo(sampled.grid().get(0).metrics());
  }

  /**
   * With --tune off the single point is still fitted on train and scored on validation (the
   * verdict), and the global-time comparison is one more fit: above --tune-sample-rows both run on
   * the sample's users, while test is still scored on everyone (at 25M rows each cost a full fit).
   */
  @Test
  void withTuningOffTheVerdictAndTheGlobalTimeComparisonUseTheSampleToo() {
    Path split = tmp.resolve("split");
    long trainRows = writeTwoTastesSplit(split);
    AlsOptions.Protocol off =
        AlsOptions.commandDefaults().protocol().withTune(AlsOptions.Tune.OFF, null);
    AlsOptions o = AlsOptions.defaults(AlsOptions.Mode.IMPLICIT).at(Map.of("rank", 2.0));

    AlsReport full = runWithSampleRows(split, "full", o, off, trainRows);
    AlsReport sampled = runWithSampleRows(split, "sampled", o, off, trainRows / 2);

    assertThat(full.tuningSample().sampled()).isFalse();
    assertThat(sampled.tuningSample().fraction()).isCloseTo(0.5, within(1e-9));
    // the verdict's validation fit: every user at the limit, about half above it
    assertThat(full.validation().get("als").get("ranked_users")).isEqualTo(40.0);
    assertThat(sampled.validation().get("als").get("ranked_users")).isBetween(10.0, 30.0);
    assertThat(sampled.validation().get("most_popular").get("ranked_users"))
        .isEqualTo(sampled.validation().get("als").get("ranked_users"));
    // the global-time comparison: on the same users
    double everyone = full.globalTime().get("als").get("ranked_users");
    double sampledUsers = sampled.globalTime().get("als").get("ranked_users");
    assertThat(everyone).isEqualTo(40.0);
    assertThat(sampledUsers).isEqualTo(sampled.validation().get("als").get("ranked_users"));
    // test: everyone either way
    assertThat(sampled.test().get("als").get("ranked_users")).isEqualTo(40.0);
    JsonNode metrics = json(tmp.resolve("sampled/metrics.json"));
    assertThat(metrics.path("tuning_sample").path("train_rows").asLong()).isEqualTo(trainRows);
    assertThat(metrics.path("protocols").path("test_global_time").asText())
        .contains("of the tuning sample's users");
    assertThat(
            json(tmp.resolve("full/metrics.json"))
                .path("protocols")
                .path("test_global_time")
                .asText())
        .doesNotContain("sample");
  }

  /** {@code als} on {@code split} into {@code tmp/out} with {@code --tune-sample-rows rows}. */
  private AlsReport runWithSampleRows(
      Path split, String out, AlsOptions o, AlsOptions.Protocol protocol, long rows) {
    return AlsJob.run(
        spark,
        split.toString(),
        tmp.resolve(out).toString(),
        o.withProtocol(protocol.withTuneSampleRows(rows)),
        null,
        null);
  }

  /**
   * 40 users in two tastes over 10 items, one day per item position (so a global time cutoff falls
   * between a user's rows); item 9 is each user's validation row and item 10 their test row, both
   * positives, so every user is ranked on validation and test. Returns the train rows.
   */
  private static long writeTwoTastesSplit(Path split) {
    List<Row> train = new ArrayList<>();
    List<Row> validation = new ArrayList<>();
    List<Row> test = new ArrayList<>();
    for (long u = 1; u <= 40; u++) {
      for (long i = 1; i <= 10; i++) {
        if ((u + i) % 4 == 0 && i <= 8) {
          continue;
        }
        boolean sameTaste = (u <= 20) == (i % 2 == 0);
        Row row =
            RowFactory.create(
                u,
                i,
                sameTaste || i > 8 ? 5f : 2f,
                new Timestamp(Fixtures.TS.getTime() + i * 86_400_000L),
                Schema.EVENT_RATING,
                "test");
        (i == 9 ? validation : i == 10 ? test : train).add(row);
      }
    }
    Fixtures.writeSplit(split, "train", train);
    Fixtures.writeSplit(split, "validation", validation);
    Fixtures.writeSplit(split, "test", test);
    return train.size();
  }
}
