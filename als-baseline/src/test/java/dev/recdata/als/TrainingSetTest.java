package dev.recdata.als;

import static dev.recdata.als.Fixtures.interactions;
import static dev.recdata.als.Fixtures.like;
import static dev.recdata.als.Fixtures.rating;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import dev.recdata.common.testing.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** What ALS is given to train on, and the clear error when it cannot train on it. */
class TrainingSetTest {
  /** Application feedback: likes only, no rating (the weekly retrain from feedback). */
  private final Dataset<Row> likesOnly = interactions(like(1, 10), like(1, 11), like(2, 10));

  @Test
  void explicitAlsOnLikesOnlyIsABadInputThatNamesTheFix() {
    AlsOptions explicit = AlsOptions.defaults(AlsOptions.Mode.EXPLICIT);

    assertThatThrownBy(() -> TrainingSet.of(SharedSpark.session(), likesOnly, explicit, null, null))
        .isInstanceOfSatisfying(
            RecdataException.class,
            e -> assertThat(e.exitCode()).isEqualTo(RecdataException.EXIT_BAD_INPUT))
        .hasMessageContaining("needs ratings")
        .hasMessageContaining("--mode implicit");
  }

  @Test
  void implicitAlsTrainsOnTheSameLikes() {
    TrainingSet set =
        TrainingSet.of(
            SharedSpark.session(),
            likesOnly,
            AlsOptions.defaults(AlsOptions.Mode.IMPLICIT),
            null,
            null);

    assertThat(set.labels().count()).isEqualTo(3);
    set.unpersist();
  }

  @Test
  void implicitAlsWithNoPositiveAtAllSaysSo() {
    Dataset<Row> lowRatings = interactions(rating(1, 10, 1.0f), rating(2, 11, 2.0f));
    AlsOptions positivesOnly =
        AlsOptions.defaults(AlsOptions.Mode.IMPLICIT)
            .withProtocol(AlsOptions.Protocol.asGiven().withSignal(AlsOptions.Signal.POSITIVES));

    assertThatThrownBy(
            () -> TrainingSet.of(SharedSpark.session(), lowRatings, positivesOnly, null, null))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("needs positives");
    // with every rating as a signal, low ratings are something to learn from
    assertThat(
            TrainingSet.of(
                    SharedSpark.session(),
                    lowRatings,
                    AlsOptions.defaults(AlsOptions.Mode.IMPLICIT),
                    null,
                    null)
                .catalogSize())
        .isEqualTo(2);
  }

  /**
   * The planted case behind a random coverage@10 of 1.16: items rated below the threshold are not
   * labels for positives-only ALS but are in the catalogue random draws from.
   */
  @Test
  void coverageDividesByEveryTrainItemSoNoRecommenderPassesOne() {
    Dataset<Row> train =
        interactions(
            rating(1, 10, 5.0f),
            rating(1, 11, 1.0f),
            rating(2, 12, 1.0f),
            rating(2, 13, 1.0f),
            rating(3, 10, 4.0f),
            rating(3, 14, 2.0f));
    AlsOptions positivesOnly =
        AlsOptions.defaults(AlsOptions.Mode.IMPLICIT)
            .withProtocol(AlsOptions.Protocol.asGiven().withSignal(AlsOptions.Signal.POSITIVES));
    TrainingSet set = TrainingSet.of(SharedSpark.session(), train, positivesOnly, null, null);

    assertThat(set.labels().select("item_id").distinct().count()).isEqualTo(1);
    assertThat(set.catalogSize()).isEqualTo(5);
    Dataset<Row> users = train.select("user_id").distinct();
    Dataset<Row> randomLists =
        Baselines.random(SharedSpark.session(), set.seen(), set.excluded(), users, 10, 7);
    assertThat(RankingMetrics.coverage(randomLists, 10, set.catalogSize()))
        .isGreaterThan(0.0)
        .isLessThanOrEqualTo(1.0);
    set.unpersist();
  }

  /**
   * The served refit fits on a fit-only set: the same labels, indices and bias model as a full set,
   * so the same factors to the bit and the same centring, without the seen pairs and exclusion
   * lists nothing ranks against (asking for them is a programming error, not a silent null).
   */
  @Test
  void aFitOnlySetFitsTheSameModelAsAFullSet() {
    AlsOptions explicit = AlsOptions.defaults(AlsOptions.Mode.EXPLICIT);
    Dataset<Row> rows = interactions(Fixtures.twoTastes());
    TrainingSet full = TrainingSet.of(SharedSpark.session(), rows, explicit, null, null);
    TrainingSet fitOnly = TrainingSet.fitOnly(SharedSpark.session(), rows, explicit, null, null);

    AlsRecommender fromFull = AlsRecommender.fit(full, explicit);
    AlsRecommender fromFitOnly = AlsRecommender.fit(fitOnly, explicit);

    assertThat(factors(fromFitOnly.model().userFactors()))
        .isNotEmpty()
        .isEqualTo(factors(fromFull.model().userFactors()));
    assertThat(factors(fromFitOnly.model().itemFactors()))
        .isNotEmpty()
        .isEqualTo(factors(fromFull.model().itemFactors()));
    assertThat(fromFitOnly.centring()).isNotNull();
    assertThat(fromFitOnly.centring().globalMean()).isEqualTo(fromFull.centring().globalMean());
    assertThatThrownBy(fitOnly::excluded)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fit-only");
    assertThatThrownBy(fitOnly::catalogSize).isInstanceOf(IllegalStateException.class);
    full.unpersist();
    fitOnly.unpersist();
  }

  /** Every factor as its exact bits, by id. */
  private static java.util.List<String> factors(Dataset<Row> factors) {
    return factors.orderBy("id").collectAsList().stream()
        .map(
            row ->
                row.getInt(0)
                    + ":"
                    + row.<Float>getList(1).stream()
                        .map(f -> Integer.toHexString(Float.floatToRawIntBits(f)))
                        .toList())
        .toList();
  }
}
