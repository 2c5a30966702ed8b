package dev.recdata.etl.clean;

import static dev.recdata.etl.clean.Rows.impression;
import static dev.recdata.etl.clean.Rows.interactions;
import static dev.recdata.etl.clean.Rows.lines;
import static dev.recdata.etl.clean.Rows.rating;
import static dev.recdata.etl.clean.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.recdata.common.Schema;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CleaningPipelineTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  /** MovieLens-like ratings with planted faults; each comment says which step removes the row. */
  private static final Dataset<Row> RATINGS =
      interactions(
          rating(
              1,
              101,
              5f,
              "2020-03-01T00:00:00Z"), // user_item: becomes a like, older than user 1's like of 101
          rating(1, 101, 5f, "2020-03-01T00:00:00Z"), // exact
          rating(1, 102, 4f, "2020-03-02T00:00:00Z"),
          rating(1, 102, 3f, "2020-02-01T00:00:00Z"), // user_item: an older rating of the same item
          rating(1, 103, 2f, "2020-03-03T00:00:00Z"), // below_threshold
          rating(2, 101, 4f, "2020-03-01T00:00:00Z"),
          rating(2, 102, 5f, "2020-03-05T00:00:00Z"),
          rating(2, 103, 5f, "1970-01-01T00:00:00Z"), // rejected
          row(3, 101, 4f, null, Schema.EVENT_RATING, "ml"), // rejected
          rating(2, 104, 5f, "2019-06-01T00:00:00Z")); // window

  /** Feedback from another source, unioned in. */
  private static final Dataset<Row> FEEDBACK =
      interactions(
          Rows.like(1, 101, "2020-03-06T00:00:00Z"),
          Rows.like(3, 102, "2020-03-07T00:00:00Z"), // k_core: user 3 has one positive left
          impression(3, 101, "2020-03-08T00:00:00Z"), // k_core: leaves with user 3
          impression(1, 104, "2020-03-09T00:00:00Z"), // k_core: item 104 has no positive left
          impression(2, 102, "2020-03-10T00:00:00Z"));

  private static final CleaningOptions EVERY_STEP =
      CleaningOptions.defaults(NOW)
          .withPositiveThreshold(4f)
          .withWindow(Instant.parse("2020-01-01T00:00:00Z"), null)
          .withKCore(2, 1);

  /** One run with every step on, shared by the tests that read it: a pipeline run costs seconds. */
  private static CleaningResult everyStep;

  @BeforeAll
  static void runEveryStep() {
    // Feedback first and repartitioned: the output must not depend on the input order.
    everyStep = CleaningPipeline.apply(FEEDBACK.union(RATINGS).repartition(3), EVERY_STEP);
  }

  @Test
  void everyRowIsCountedExactlyOnceOnMixedSourcesWithPlantedFaults() {
    CleaningResult result = everyStep;

    assertThat(result.rowsIn()).isEqualTo(15);
    assertThat(result.rejected()).isEqualTo(2);
    assertThat(result.deduplicated()).containsExactly(entry("exact", 1L), entry("user_item", 2L));
    assertThat(result.filtered())
        .containsExactly(entry("below_threshold", 1L), entry("window", 1L), entry("k_core", 3L));
    assertThat(result.rowsOut()).isEqualTo(5);
    assertThat(result.balanced()).isTrue();
    assertThat(result.interactions().count()).isEqualTo(result.rowsOut());
    assertThat(result.rejects().count()).isEqualTo(result.rejected());
    assertThat(result.kCoreIterations()).isEqualTo(2);
    assertThat(result.kCoreConverged()).isTrue();
  }

  @Test
  void outputIsTheSurvivorsClusteredByUserInTimeOrder() {
    CleaningResult result = everyStep;

    assertThat(result.interactions().schema().fieldNames())
        .containsExactly(Schema.INTERACTIONS.fieldNames());
    assertThat(lines(result.interactions()))
        .containsExactly(
            "1 102 4.0 2020-03-02T00:00:00Z like ml",
            "1 101 null 2020-03-06T00:00:00Z like fb",
            "2 101 4.0 2020-03-01T00:00:00Z like ml",
            "2 102 5.0 2020-03-05T00:00:00Z like ml",
            "2 102 null 2020-03-10T00:00:00Z impression fb");
    assertThat(result.rejects().orderBy(Schema.REJECT_RAW).collectAsList())
        .extracting(r -> r.getString(4))
        .containsExactly(
            "timestamp 1970-01-01T00:00:00Z before 1990-01-01T00:00:00Z", "timestamp is empty");
  }

  @Test
  void stepsSwitchedOffStillReportEveryKeyAsZero() {
    CleaningOptions nothing =
        CleaningOptions.defaults(NOW)
            .withDropExactDuplicates(false)
            .withDuplicates(DuplicatePolicy.KEEP_ALL);

    CleaningResult result = CleaningPipeline.apply(RATINGS.union(FEEDBACK), nothing);

    assertThat(result.deduplicated()).containsExactly(entry("exact", 0L), entry("user_item", 0L));
    assertThat(result.filtered())
        .containsExactly(entry("below_threshold", 0L), entry("window", 0L), entry("k_core", 0L));
    assertThat(result.rejected()).isEqualTo(2);
    assertThat(result.rowsOut()).isEqualTo(13);
    assertThat(result.kCoreIterations()).isZero();
    assertThat(result.balanced()).isTrue();
  }

  @Test
  void windowDaysCountFromTheNewestRowThatPassedTheEarlierSteps() {
    // The 1970 and missing timestamps are rejected first, so they cannot move the newest row.
    CleaningResult result =
        CleaningPipeline.apply(
            RATINGS.union(FEEDBACK), CleaningOptions.defaults(NOW).withWindow(null, 5));

    // Newest kept row 2020-03-10: 5 days back keeps 2020-03-05 on.
    assertThat(result.filtered()).containsEntry("window", 5L);
    assertThat(lines(result.interactions()))
        .containsExactly(
            "1 101 null 2020-03-06T00:00:00Z like fb",
            "1 104 null 2020-03-09T00:00:00Z impression fb",
            "2 102 5.0 2020-03-05T00:00:00Z rating ml",
            "2 102 null 2020-03-10T00:00:00Z impression fb",
            "3 102 null 2020-03-07T00:00:00Z like fb",
            "3 101 null 2020-03-08T00:00:00Z impression fb");
    assertThat(result.balanced()).isTrue();
  }

  @Test
  void aRatingTurnedIntoALikeAndAFeedbackLikeOfThePairBecomeOneLike() {
    CleaningResult result =
        CleaningPipeline.apply(
            Rows.interactions(
                Rows.rating(1, 10, 5.0f, "2020-01-01T00:00:00Z"),
                Rows.like(1, 10, "2020-02-01T00:00:00Z")),
            CleaningOptions.defaults(NOW).withPositiveThreshold(4.0f));

    assertThat(lines(result.interactions()))
        .containsExactly("1 10 null 2020-02-01T00:00:00Z like fb");
    assertThat(result.deduplicated()).containsEntry("user_item", 1L);
    assertThat(result.balanced()).isTrue();
  }
}
