package dev.recdata.etl.clean;

import static dev.recdata.etl.clean.Rows.impression;
import static dev.recdata.etl.clean.Rows.interactions;
import static dev.recdata.etl.clean.Rows.like;
import static dev.recdata.etl.clean.Rows.lines;
import static dev.recdata.etl.clean.Rows.rating;
import static dev.recdata.etl.clean.Rows.row;
import static dev.recdata.etl.clean.Rows.sortedLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Schema;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CleaningTest {
  private static final Instant MIN_TS = Instant.parse("1990-01-01T00:00:00Z");
  private static final Instant MAX_TS = Instant.parse("2026-11-24T00:00:00Z");

  // ---- timestamps

  @Test
  void missingEarlyAndFutureTimestampsAreRejectedWithTheReason() {
    Dataset<Row> input =
        interactions(
            rating(1, 10, 4f, "1970-01-01T00:00:00Z"),
            row(2, 20, null, null, Schema.EVENT_LIKE, "fb"),
            rating(3, 30, 2f, "2030-01-01T00:00:00Z"),
            rating(4, 40, 5f, "1990-01-01T00:00:00Z"),
            rating(5, 50, 3f, "2026-11-24T00:00:00Z"));

    assertThat(sortedLines(Cleaning.rejectBadTimestamps(input, MIN_TS, MAX_TS)))
        .containsExactly(
            "4 40 5.0 1990-01-01T00:00:00Z rating ml", "5 50 3.0 2026-11-24T00:00:00Z rating ml");
    List<Row> rejects =
        Cleaning.badTimestamps(input, MIN_TS, MAX_TS).orderBy(Schema.REJECT_RAW).collectAsList();
    assertThat(rejects)
        .extracting(
            r ->
                r.getString(3)
                    + " | "
                    + r.getString(4)
                    + " | "
                    + r.getString(0)
                    + " | "
                    + r.getString(5))
        .containsExactly(
            "user_id=1, item_id=10, rating=4.0, ts=1970-01-01T00:00:00Z, event=rating, source=ml"
                + " | timestamp 1970-01-01T00:00:00Z before 1990-01-01T00:00:00Z | ml | timestamp_before_min",
            "user_id=2, item_id=20, rating=null, ts=null, event=like, source=fb | timestamp is empty | fb | empty_timestamp",
            "user_id=3, item_id=30, rating=2.0, ts=2030-01-01T00:00:00Z, event=rating, source=ml"
                + " | timestamp 2030-01-01T00:00:00Z after 2026-11-24T00:00:00Z | ml | timestamp_after_max");
    assertThat(rejects).allSatisfy(r -> assertThat(r.isNullAt(1) && r.isNullAt(2)).isTrue());
    assertThat(Cleaning.badTimestamps(input, MIN_TS, MAX_TS).schema().fieldNames())
        .containsExactly(Schema.REJECTS.fieldNames());
  }

  // ---- duplicates

  private static final Dataset<Row> REPEATS =
      interactions(
          rating(1, 10, 3f, "2020-01-01T00:00:00Z"),
          rating(1, 10, 5f, "2020-03-01T00:00:00Z"),
          rating(1, 10, 4f, "2020-02-01T00:00:00Z"),
          like(1, 10, "2020-01-15T00:00:00Z"),
          rating(2, 10, 1f, "2020-01-01T00:00:00Z"));

  @Test
  void keepLatestKeepsTheNewestRowOfEachUserItemEvent() {
    assertThat(sortedLines(Cleaning.dropDuplicates(REPEATS, true, DuplicatePolicy.KEEP_LATEST)))
        .containsExactly(
            "2 10 1.0 2020-01-01T00:00:00Z rating ml",
            "1 10 null 2020-01-15T00:00:00Z like fb",
            "1 10 5.0 2020-03-01T00:00:00Z rating ml");
  }

  @Test
  void keepFirstKeepsTheOldestRowOfEachUserItemEvent() {
    assertThat(sortedLines(Cleaning.dropDuplicates(REPEATS, true, DuplicatePolicy.KEEP_FIRST)))
        .containsExactly(
            "1 10 3.0 2020-01-01T00:00:00Z rating ml",
            "2 10 1.0 2020-01-01T00:00:00Z rating ml",
            "1 10 null 2020-01-15T00:00:00Z like fb");
  }

  @Test
  void tieOnTsGoesToTheHigherRatingThenSourceAToZWhateverTheInputOrder() {
    Row low = row(1, 10, 3f, "2020-01-01T00:00:00Z", Schema.EVENT_RATING, "a");
    Row highB = row(1, 10, 4f, "2020-01-01T00:00:00Z", Schema.EVENT_RATING, "b");
    Row highA = row(1, 10, 4f, "2020-01-01T00:00:00Z", Schema.EVENT_RATING, "a");
    for (DuplicatePolicy policy :
        List.of(DuplicatePolicy.KEEP_LATEST, DuplicatePolicy.KEEP_FIRST)) {
      for (Dataset<Row> input :
          List.of(
              interactions(low, highB, highA), interactions(highA, highB, low).repartition(3))) {
        assertThat(lines(Cleaning.dropDuplicates(input, true, policy)))
            .as(policy.name())
            .containsExactly("1 10 4.0 2020-01-01T00:00:00Z rating a");
      }
    }
  }

  @Test
  void exactDuplicatesGoEvenWhenEveryRepeatIsKept() {
    Dataset<Row> input =
        interactions(
            rating(1, 10, 4f, "2020-01-01T00:00:00Z"),
            rating(1, 10, 4f, "2020-01-01T00:00:00Z"),
            rating(1, 10, 4f, "2020-01-01T00:00:00Z"),
            rating(1, 10, 4f, "2020-01-02T00:00:00Z"),
            row(1, 10, 4f, "2020-01-01T00:00:00Z", Schema.EVENT_RATING, "other"));

    assertThat(sortedLines(Cleaning.dropDuplicates(input, true, DuplicatePolicy.KEEP_ALL)))
        .containsExactly(
            "1 10 4.0 2020-01-01T00:00:00Z rating ml",
            "1 10 4.0 2020-01-01T00:00:00Z rating other",
            "1 10 4.0 2020-01-02T00:00:00Z rating ml");
    assertThat(Cleaning.dropDuplicates(input, false, DuplicatePolicy.KEEP_ALL).count())
        .isEqualTo(5);
  }

  @Test
  void exactAndRepeatedDuplicatesAreTaggedApart() {
    Dataset<Row> input =
        interactions(
            rating(1, 10, 5f, "2020-02-01T00:00:00Z"),
            rating(1, 10, 5f, "2020-02-01T00:00:00Z"),
            rating(1, 10, 3f, "2020-01-01T00:00:00Z"),
            rating(1, 10, 3f, "2020-01-01T00:00:00Z"));

    List<String> reasons =
        Cleaning.tagDuplicates(Cleaning.startTagging(input), true, DuplicatePolicy.KEEP_LATEST)
            .orderBy(Schema.TS, Cleaning.DROP)
            .select(Cleaning.DROP)
            .collectAsList()
            .stream()
            .map(r -> String.valueOf(r.get(0)))
            .toList();

    // The older pair: one is the repeat the policy drops, its copy an exact duplicate of it.
    assertThat(reasons).containsExactly("exact", "user_item", "null", "exact");
  }

  // ---- implicit conversion

  @Test
  void ratingsAtOrAboveTheThresholdBecomeLikesAndLowerRatingsGo() {
    Dataset<Row> input =
        interactions(
            rating(1, 10, 4f, "2020-01-01T00:00:00Z"),
            rating(1, 11, 3.5f, "2020-01-02T00:00:00Z"),
            rating(1, 12, 5f, "2020-01-03T00:00:00Z"),
            like(1, 13, "2020-01-04T00:00:00Z"),
            impression(1, 14, "2020-01-05T00:00:00Z"),
            row(1, 15, null, "2020-01-06T00:00:00Z", Schema.EVENT_RATING, "ml"));

    assertThat(sortedLines(Cleaning.toImplicit(input, 4f)))
        .containsExactly(
            "1 10 4.0 2020-01-01T00:00:00Z like ml",
            "1 12 5.0 2020-01-03T00:00:00Z like ml",
            "1 13 null 2020-01-04T00:00:00Z like fb",
            "1 14 null 2020-01-05T00:00:00Z impression fb");
  }

  // ---- window

  private static final Dataset<Row> MONTH =
      interactions(
          rating(1, 10, 4f, "2020-01-01T00:00:00Z"),
          rating(1, 11, 4f, "2020-01-20T23:59:59Z"),
          rating(1, 12, 4f, "2020-01-21T00:00:00Z"),
          impression(2, 10, "2020-01-25T00:00:00Z"),
          like(2, 11, "2020-01-31T00:00:00Z"));

  @Test
  void sinceDropsRowsBeforeIt() {
    assertThat(sortedLines(Cleaning.window(MONTH, Instant.parse("2020-01-25T00:00:00Z"), null)))
        .containsExactly(
            "2 10 null 2020-01-25T00:00:00Z impression fb",
            "2 11 null 2020-01-31T00:00:00Z like fb");
  }

  @Test
  void windowDaysCountBackFromTheNewestRow() {
    assertThat(sortedLines(Cleaning.window(MONTH, null, 10)))
        .containsExactly(
            "1 12 4.0 2020-01-21T00:00:00Z rating ml",
            "2 10 null 2020-01-25T00:00:00Z impression fb",
            "2 11 null 2020-01-31T00:00:00Z like fb");
  }

  @Test
  void sinceAndWindowDaysTogetherUseTheLaterCutoff() {
    assertThat(Cleaning.window(MONTH, Instant.parse("2020-01-02T00:00:00Z"), 10).count())
        .isEqualTo(3);
    assertThat(Cleaning.window(MONTH, Instant.parse("2020-01-30T00:00:00Z"), 10).count())
        .isEqualTo(1);
  }

  // ---- k-core

  /**
   * Min 2 per user and per item. Round 1 removes user 4 (one like); round 2 item 103, left with
   * user 3 only; round 3 user 3, left with item 102 only; round 4 finds users 1, 2 and items 101,
   * 102 all at 2 or more.
   */
  private static final Dataset<Row> CASCADE =
      interactions(
          like(1, 101, "2020-01-01T00:00:00Z"),
          like(1, 102, "2020-01-01T00:00:01Z"),
          like(2, 101, "2020-01-01T00:00:02Z"),
          rating(2, 102, 5f, "2020-01-01T00:00:03Z"),
          like(3, 102, "2020-01-01T00:00:04Z"),
          like(3, 103, "2020-01-01T00:00:05Z"),
          like(4, 103, "2020-01-01T00:00:06Z"),
          impression(1, 103, "2020-01-01T00:00:07Z"),
          impression(4, 101, "2020-01-01T00:00:08Z"),
          impression(1, 101, "2020-01-01T00:00:09Z"),
          impression(5, 101, "2020-01-01T00:00:10Z"));

  @Test
  void removingAUserCascadesThroughItemsAndUsersUntilStable() {
    Cleaning.KCore core = Cleaning.tagKCore(Cleaning.startTagging(CASCADE), 2, 2);

    assertThat(sortedLines(Cleaning.kept(core.tagged())))
        .containsExactly(
            "1 101 null 2020-01-01T00:00:00Z like fb",
            "1 102 null 2020-01-01T00:00:01Z like fb",
            "2 101 null 2020-01-01T00:00:02Z like fb",
            "2 102 5.0 2020-01-01T00:00:03Z rating ml",
            "1 101 null 2020-01-01T00:00:09Z impression fb");
    assertThat(core.iterations()).isEqualTo(4);
    assertThat(core.converged()).isTrue();
  }

  @Test
  void impressionsLeaveWithTheirUserOrItemAndNeverCountTowardTheCore() {
    // User 5 has only an impression, user 4 and item 103 leave the core: their impressions go with
    // them.
    List<String> kept = sortedLines(Cleaning.kCore(CASCADE, 2, 2));

    assertThat(kept)
        .noneMatch(l -> l.startsWith("5 ") || l.startsWith("4 ") || l.contains(" 103 "));
    assertThat(kept).contains("1 101 null 2020-01-01T00:00:09Z impression fb");
    // Three impressions on item 201 do not give user 6 the two positives it needs.
    Dataset<Row> impressionsOnly =
        interactions(
            like(6, 201, "2020-01-01T00:00:00Z"),
            impression(6, 202, "2020-01-01T00:00:01Z"),
            impression(6, 203, "2020-01-01T00:00:02Z"),
            impression(6, 204, "2020-01-01T00:00:03Z"));
    assertThat(Cleaning.kCore(impressionsOnly, 2, 0).count()).isZero();
    assertThat(Cleaning.kCore(impressionsOnly, 1, 0).count()).isEqualTo(4);
    assertThat(Cleaning.kCore(impressionsOnly, 0, 1).count()).isEqualTo(1);
  }

  @Test
  void kCoreOffKeepsEveryRowWithoutARound() {
    Cleaning.KCore core = Cleaning.tagKCore(Cleaning.startTagging(CASCADE), 0, 0);

    assertThat(core.iterations()).isZero();
    assertThat(Cleaning.kept(core.tagged()).count()).isEqualTo(11);
  }

  // ---- sort

  @Test
  void canonicalSortIsTsThenUserThenItemThenEvent() {
    Dataset<Row> input =
        interactions(
            like(2, 10, "2020-01-02T00:00:00Z"),
            impression(1, 11, "2020-01-02T00:00:00Z"),
            like(1, 11, "2020-01-02T00:00:00Z"),
            rating(1, 10, 2f, "2020-01-02T00:00:00Z"),
            rating(9, 99, 2f, "2020-01-01T00:00:00Z"));

    assertThat(lines(Cleaning.sortCanonical(input.repartition(3))))
        .containsExactly(
            "9 99 2.0 2020-01-01T00:00:00Z rating ml",
            "1 10 2.0 2020-01-02T00:00:00Z rating ml",
            "1 11 null 2020-01-02T00:00:00Z impression fb",
            "1 11 null 2020-01-02T00:00:00Z like fb",
            "2 10 null 2020-01-02T00:00:00Z like fb");
  }
}
