package dev.recdata.export.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.testing.SharedSpark;
import dev.recdata.export.ExportFixtures;
import dev.recdata.export.ExportPaths;
import dev.recdata.export.ExportReader;
import dev.recdata.export.ExportReader.ExportInputs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The samplers on the planted fixture, through the Spark transformation (no files written). */
class TrainingSetsTest {
  private static final SparkSession spark = SharedSpark.session();
  private static final long[] POPULARITY = new long[12];

  @TempDir static Path dir;
  static Dataset<Row> profiles;
  static Map<Long, List<Long>> positives;

  @BeforeAll
  static void readTheFixture() {
    Path run = ExportFixtures.sharedRun();
    positives = ExportFixtures.positivesAnywhere();
    ExportInputs in =
        ExportReader.read(
            spark, ExportPaths.of(run.toString(), null, null, null, dir.resolve("out").toString()));
    profiles =
        TrainingSets.profiles(in.train(), in.validation(), in.test(), in.impressions(), 4.0f)
            .cache();
  }

  private static List<Row> triplets(Sampler kind, long seed, int k) {
    var sampler =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(NegativeSampler.of(kind, POPULARITY, 0.75, seed));
    return TrainingSets.triplets(profiles, sampler, k, seed)
        .orderBy(TrainingSets.SHUFFLE_KEY)
        .collectAsList();
  }

  @Test
  void everySamplerDrawsKNegativesPerTrainPositiveAndNeverAPositiveOfTheUser() {
    for (Sampler kind : Sampler.values()) {
      List<Row> triplets = triplets(kind, 11, 4);
      assertThat(triplets).as(kind.cliName()).hasSize(12 * 4);
      for (Row t : triplets) {
        assertThat(positives.get(t.getLong(1)))
            .as("%s: negatives of user %d", kind.cliName(), t.getLong(1))
            .doesNotContain(t.getLong(3));
      }
      // user 1's positives cover 9 of 12 items: only 109, 110, 111 (idx 8, 9, 10) are left
      assertThat(triplets.stream().filter(t -> t.getLong(1) == 0).map(t -> t.getLong(3)).distinct())
          .isSubsetOf(8L, 9L, 10L);
      if (kind == Sampler.IMPRESSIONS) {
        // its impressions are exactly those three: each positive gets all of them (then a top-up)
        Map<Long, Set<Long>> perPositive = new HashMap<>();
        triplets.stream()
            .filter(t -> t.getLong(1) == 0)
            .forEach(
                t ->
                    perPositive
                        .computeIfAbsent(t.getLong(2), p -> new HashSet<>())
                        .add(t.getLong(3)));
        assertThat(perPositive).hasSize(8);
        assertThat(perPositive.values())
            .allSatisfy(n -> assertThat(n).containsExactlyInAnyOrder(8L, 9L, 10L));
      }
    }
  }

  @Test
  void theSeedDecidesNegativesAndOrder() {
    List<Row> seed5 = triplets(Sampler.UNIFORM, 5, 4);
    assertThat(triplets(Sampler.UNIFORM, 5, 4)).isEqualTo(seed5);
    assertThat(triplets(Sampler.UNIFORM, 6, 4)).isNotEqualTo(seed5);
  }

  @Test
  void positivesFollowTheThresholdAndLikes() {
    Row user2 = profiles.where("user_idx = 1").first();
    // 101 (4.0) and 102 (5.0) and the like of 104 are positives; 103 rated 2.0 is not
    assertThat(user2.<Integer>getList(user2.fieldIndex(TrainingSets.TRAIN_POSITIVES)))
        .containsExactly(0, 1, 3);
    assertThat(user2.<Integer>getList(user2.fieldIndex(TrainingSets.SEEN)))
        .containsExactly(0, 1, 2, 3, 4, 5);
  }
}
