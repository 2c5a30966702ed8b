package dev.recdata.quality;

import static dev.recdata.quality.Fixtures.cleanSplit;
import static dev.recdata.quality.Fixtures.copy;
import static dev.recdata.quality.Fixtures.row;
import static dev.recdata.quality.Fixtures.tagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recdata.common.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ChecksTest {
  private static final String TRAIN = Schema.Layout.TRAIN;
  private static final String VALIDATION = Schema.Layout.VALIDATION;
  private static final String TEST = Schema.Layout.TEST;
  private static final List<String> PARTS = List.of(TRAIN, VALIDATION, TEST);
  private static final double[] RATIOS = {0.7, 0.2, 0.1};

  /** What the quality job computes once per group and every check reads. */
  private static GroupStats stats(Dataset<Row> tagged) {
    return GroupStats.of(tagged, PARTS);
  }

  @Test
  void cleanSplitPassesEveryCheck() {
    Dataset<Row> t = tagged(cleanSplit());
    List<CheckResult> results =
        List.of(
            Checks.rowConservation(stats(t), 100),
            Checks.rowsInTwoSplits(stats(t)),
            Checks.pairLeakage(stats(t), 0),
            Checks.temporalLeakage(stats(t), Level.ERROR, 0),
            Checks.ratioPerUser(
                Checks.userSplitCounts(stats(t), RATIOS, 0.05, 3), 0.95, "70/20/10"),
            Checks.ratioOverall(stats(t), RATIOS, 0.05),
            Checks.coldStartUsers(stats(t), 0),
            Checks.coldStartItems(stats(t), 0),
            Checks.duplicates(stats(t)),
            Checks.nullIds(stats(t)),
            Checks.idRange(t, stats(t)));
    assertThat(results)
        .allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(Status.PASS));
    assertThat(results.get(4).observed()).isEqualTo(1.0);
  }

  @Test
  void rowDuplicatedIntoTwoSplitsFailsConservationAndOverlap() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(TEST).add(parts.get(TRAIN).get(0));
    Dataset<Row> t = tagged(parts);

    CheckResult conservation = Checks.rowConservation(stats(t), 100);
    CheckResult overlap = Checks.rowsInTwoSplits(stats(t));

    assertThat(conservation.status()).isEqualTo(Status.FAIL);
    assertThat(conservation.observed()).isEqualTo(1.0);
    assertThat(conservation.message()).contains("101", "100", "rows were added");
    assertThat(overlap.status()).isEqualTo(Status.FAIL);
    assertThat(overlap.observed()).isEqualTo(1.0);
  }

  @Test
  void lostRowFailsConservation() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(TEST).remove(0);

    CheckResult conservation = Checks.rowConservation(stats(tagged(parts)), 100);

    assertThat(conservation.status()).isEqualTo(Status.FAIL);
    assertThat(conservation.message()).contains("rows were lost");
  }

  @Test
  void leakedUserItemPairFailsPairLeakage() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    // User 1 rated item 3 on day 1 in train; the same pair again in test, later.
    parts.get(TEST).add(row(1, 3, 11, 5f));
    Dataset<Row> t = tagged(parts);

    CheckResult leak = Checks.pairLeakage(stats(t), 0);

    assertThat(leak.status()).isEqualTo(Status.FAIL);
    assertThat(leak.observed()).isCloseTo(1.0 / 31, within(1e-9));
    assertThat(Checks.rowsInTwoSplits(stats(t)).status()).isEqualTo(Status.PASS);
    assertThat(Checks.pairLeakage(stats(t), 0.05).status()).isEqualTo(Status.PASS);
  }

  @Test
  void evaluationEventBeforeTheUsersLastTrainEventFailsTemporalLeakage() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    // User 2's first validation event moves to day 3, before their last train event on day 7.
    Row first =
        parts.get(VALIDATION).stream().filter(r -> r.getLong(0) == 2).findFirst().orElseThrow();
    parts.get(VALIDATION).remove(first);
    parts.get(VALIDATION).add(row(first.getLong(0), first.getLong(1), 3, 4f));
    Dataset<Row> t = tagged(parts);

    CheckResult temporal = Checks.temporalLeakage(stats(t), Level.ERROR, 0);

    assertThat(temporal.status()).isEqualTo(Status.FAIL);
    assertThat(temporal.observed()).isCloseTo(1.0 / 30, within(1e-9));
    assertThat(Checks.temporalLeakage(stats(t), Level.WARNING, 0).status()).isEqualTo(Status.WARN);
    assertThat(Checks.pairLeakage(stats(t), 0).status()).isEqualTo(Status.PASS);
  }

  @Test
  void evaluationEventAtTheLastTrainTimeIsNotALeak() {
    Map<String, List<Row>> parts = new LinkedHashMap<>();
    parts.put(TRAIN, new ArrayList<>(List.of(row(1, 1, 1, 4f), row(1, 2, 2, 4f))));
    parts.put(TEST, new ArrayList<>(List.of(row(1, 3, 2, 4f))));

    assertThat(Checks.temporalLeakage(stats(tagged(parts)), Level.ERROR, 0).status())
        .isEqualTo(Status.PASS);
  }

  @Test
  void globalTimeEvaluationEventBeforeTheCutoffFailsCutoffLeakage() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    List<Instant> cutoffs = List.of(Fixtures.day(8).toInstant(), Fixtures.day(10).toInstant());
    assertThat(Checks.cutoffLeakage(tagged(parts), PARTS, cutoffs).status()).isEqualTo(Status.PASS);

    parts.get(TEST).add(row(3, 9, 5.5, 3f));
    CheckResult cutoff = Checks.cutoffLeakage(tagged(parts), PARTS, cutoffs);

    assertThat(cutoff.status()).isEqualTo(Status.FAIL);
    assertThat(cutoff.observed()).isEqualTo(1.0);
  }

  @Test
  void globalTimeTrainEventAfterTheCutoffFailsCutoffLeakage() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(TRAIN).add(row(3, 9, 9.5, 3f));
    List<Instant> cutoffs = List.of(Fixtures.day(8).toInstant(), Fixtures.day(10).toInstant());

    assertThat(Checks.cutoffLeakage(tagged(parts), PARTS, cutoffs).observed()).isEqualTo(1.0);
  }

  @Test
  void userSplitFiftyFiftyUnderASeventyTwentyTenTargetFailsRatioConformance() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    // User 4: 5 train, 5 validation, 0 test.
    parts.values().forEach(rows -> rows.removeIf(r -> r.getLong(0) == 4));
    for (int day = 1; day <= 10; day++) {
      parts.get(day <= 5 ? TRAIN : VALIDATION).add(row(4, 100 + day, day, 3f));
    }
    Dataset<Row> perUser = Checks.userSplitCounts(stats(tagged(parts)), RATIOS, 0.05, 3);

    CheckResult ratio = Checks.ratioPerUser(perUser, 0.95, "70/20/10");

    assertThat(ratio.status()).isEqualTo(Status.FAIL);
    assertThat(ratio.observed()).isCloseTo(0.9, within(1e-9));
    assertThat(ratio.message()).contains("9 of 10", "70/20/10");
    Row user4 = perUser.where("user_id = 4").first();
    assertThat(user4.<Boolean>getAs(Checks.CONFORMS)).isFalse();
    assertThat(user4.<Double>getAs("frac_validation")).isEqualTo(0.5);
  }

  @Test
  void smallUsersAreJudgedAgainstTheLargestRemainderAllocation() {
    // n=1 -> 1/0/0; n=3 -> 2/1/0; n=4 -> 3/1/0 (remainders .8 and .8 tie: the earlier part wins).
    Map<String, List<Row>> parts = new LinkedHashMap<>();
    parts.put(TRAIN, new ArrayList<>());
    parts.put(VALIDATION, new ArrayList<>());
    parts.put(TEST, new ArrayList<>());
    parts.get(TRAIN).add(row(1, 1, 1, 4f));
    addUser(parts, 3, new int[] {2, 1, 0});
    addUser(parts, 4, new int[] {3, 1, 0});
    addUser(parts, 5, new int[] {2, 1, 1});
    Dataset<Row> perUser = Checks.userSplitCounts(stats(tagged(parts)), RATIOS, 0.0, 1);

    assertThat(exact(perUser, 1)).isTrue();
    assertThat(exact(perUser, 3)).isTrue();
    assertThat(exact(perUser, 4)).isTrue();
    // n=5 -> floor 3/1/0, remainders .5/.0/.5, one leftover to train: 4/1/0; 2/1/1 is off by one
    // unit each,
    // which the 1/n allowance (0.2) accepts.
    assertThat(exact(perUser, 5)).isFalse();
    assertThat(perUser.where("user_id = 5").first().<Boolean>getAs(Checks.CONFORMS)).isTrue();
  }

  @Test
  void usersBelowMinInteractionsAreNotJudged() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(TRAIN).add(row(77, 1, 1, 4f));
    parts.get(TRAIN).add(row(77, 2, 2, 4f));
    Dataset<Row> perUser = Checks.userSplitCounts(stats(tagged(parts)), RATIOS, 0.05, 3);

    assertThat(Checks.ratioPerUser(perUser, 1.0, "70/20/10").status()).isEqualTo(Status.PASS);
  }

  @Test
  void overallFractionsFarFromTheTargetWarn() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(TEST).addAll(parts.get(VALIDATION));
    parts.get(VALIDATION).clear();

    CheckResult overall = Checks.ratioOverall(stats(tagged(parts)), RATIOS, 0.05);

    assertThat(overall.status()).isEqualTo(Status.WARN);
    assertThat(overall.observed()).isCloseTo(0.2, within(1e-9));
  }

  @Test
  void coldStartUserWarnsWithItsShareAboveTheThreshold() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(TEST).add(row(99, 5, 10, 4f));
    Dataset<Row> t = tagged(parts);

    CheckResult users = Checks.coldStartUsers(stats(t), 0.05);

    assertThat(users.status()).isEqualTo(Status.WARN);
    assertThat(users.level()).isEqualTo(Level.WARNING);
    assertThat(users.observed()).isEqualTo(1.0 / 11);
    assertThat(users.message()).contains("1 of 11 evaluation users (9.1%)");
    assertThat(Checks.coldStartUsers(stats(t), 0.1).status()).isEqualTo(Status.PASS);
    assertThat(Checks.coldStartItems(stats(t), 0).status()).isEqualTo(Status.PASS);
    // User 99 is above the training user id range 1..10.
    assertThat(Checks.idRange(t, stats(t)).observed()).isEqualTo(1.0);
  }

  @Test
  void coldStartItemWarns() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(VALIDATION).add(row(1, 500, 9.5, 4f));

    // Item 500 is one of the 11 items evaluated.
    assertThat(Checks.coldStartItems(stats(tagged(parts)), 0).observed()).isEqualTo(1.0 / 11);
    assertThat(Checks.idRange(tagged(parts), stats(tagged(parts))).status()).isEqualTo(Status.WARN);
  }

  @Test
  void duplicateRowFailsDuplicates() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(TRAIN).add(parts.get(TRAIN).get(5));

    CheckResult duplicates = Checks.duplicates(stats(tagged(parts)));

    assertThat(duplicates.status()).isEqualTo(Status.FAIL);
    assertThat(duplicates.observed()).isEqualTo(1.0);
  }

  @Test
  void nullIdFailsNullIds() {
    Map<String, List<Row>> parts = copy(cleanSplit());
    parts.get(TRAIN).add(row(null, 4L, 2));
    parts.get(TEST).add(row(3L, null, 10));

    CheckResult nulls = Checks.nullIds(stats(tagged(parts)));

    assertThat(nulls.status()).isEqualTo(Status.FAIL);
    assertThat(nulls.observed()).isEqualTo(2.0);
    assertThat(nulls.message()).contains("null user_id: 1", "null item_id: 1");
  }

  @Test
  void resultsBecomeRows() {
    List<Row> rows =
        Checks.asRows(
                Fixtures.spark(),
                List.of(CheckResult.atMost("pair_leakage", Level.ERROR, 0.5, 0.0, "half leaked")))
            .collectAsList();

    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getString(2)).isEqualTo("fail");
    assertThat(rows.get(0).getDouble(3)).isEqualTo(0.5);
  }

  private static void addUser(Map<String, List<Row>> parts, long user, int[] counts) {
    int day = 1;
    for (int i = 0; i < counts.length; i++) {
      for (int c = 0; c < counts[i]; c++) {
        parts.get(PARTS.get(i)).add(row(user, day, day, 4f));
        day++;
      }
    }
  }

  private static boolean exact(Dataset<Row> perUser, long user) {
    return perUser.where("user_id = " + user).first().getAs(Checks.EXACT);
  }
}
