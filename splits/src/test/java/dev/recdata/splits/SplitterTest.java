package dev.recdata.splits;

import static dev.recdata.splits.Interactions.T0;
import static dev.recdata.splits.Interactions.event;
import static dev.recdata.splits.Interactions.rating;
import static dev.recdata.splits.Interactions.userHistory;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recdata.common.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SplitterTest {
  private static final SplitOptions USER_RATIO =
      SplitOptions.of(Strategy.USER_RATIO).withRatios(0.7, 0.2, 0.1);
  private static final SplitOptions LEAVE_LAST = SplitOptions.of(Strategy.LEAVE_LAST);
  private static final SplitOptions USER_RANDOM =
      SplitOptions.of(Strategy.USER_RANDOM).withRatios(0.7, 0.2, 0.1);
  private static final SplitOptions GLOBAL_TIME =
      SplitOptions.of(Strategy.GLOBAL_TIME).withRatios(0.7, 0.2, 0.1);
  private static final SplitOptions KFOLD = SplitOptions.of(Strategy.KFOLD).withFolds(3);

  /** item ids per split for one user, in time order. */
  private static Map<String, List<Long>> itemsBySplit(Dataset<Row> tagged, long user) {
    Map<String, List<Long>> bySplit = new TreeMap<>();
    for (Row row :
        tagged
            .filter(col(Schema.USER_ID).equalTo(user))
            .orderBy(Schema.TS, Schema.ITEM_ID)
            .collectAsList()) {
      bySplit
          .computeIfAbsent(row.getString(row.fieldIndex(Splitter.SPLIT)), s -> new ArrayList<>())
          .add(row.getLong(row.fieldIndex(Schema.ITEM_ID)));
    }
    return bySplit;
  }

  private static Map<Long, Long> splitOf(Dataset<Row> tagged, String split) {
    return tagged.filter(col(Splitter.SPLIT).equalTo(split)).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getLong(1), r -> r.getLong(0)));
  }

  @Test
  void userRatioCutsEachUsersTimelineAtTheFractions() {
    List<Row> rows = new ArrayList<>(userHistory(1, 10));
    rows.addAll(userHistory(2, 3));
    Dataset<Row> tagged = Splitter.assign(Interactions.of(rows), USER_RATIO);

    assertThat(itemsBySplit(tagged, 1))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    Splitter.TEST, List.of(10L),
                    Splitter.TRAIN, List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L),
                    Splitter.VALIDATION, List.of(8L, 9L))));
    // n=3 with 0.7/0.2/0.1 is 2/1/0 by largest remainder.
    assertThat(itemsBySplit(tagged, 2))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(Splitter.TRAIN, List.of(1L, 2L), Splitter.VALIDATION, List.of(3L))));
  }

  @Test
  void tiesInTimeAreBrokenByItemId() {
    // All at the same second: item id decides, whatever order the rows arrive in.
    Dataset<Row> tagged =
        Splitter.assign(
            Interactions.of(rating(1, 30, 5), rating(1, 10, 5), rating(1, 20, 5)),
            USER_RATIO.withRatios(0.5, 0.5));
    assertThat(itemsBySplit(tagged, 1))
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of(Splitter.TRAIN, List.of(10L, 20L), Splitter.TEST, List.of(30L))));
  }

  @Test
  void userWithOneInteractionLandsInTrain() {
    Dataset<Row> one = Interactions.of(rating(7, 70, 1));
    for (SplitOptions options :
        List.of(USER_RATIO, LEAVE_LAST, USER_RANDOM, USER_RATIO.withRatios(0.1, 0.9))) {
      assertThat(
              Splitter.assign(one, options)
                  .select(Splitter.SPLIT)
                  .as(org.apache.spark.sql.Encoders.STRING())
                  .collectAsList())
          .as(options.strategy().cliName())
          .containsExactly(Splitter.TRAIN);
    }
    assertThat(Splitter.assign(one, KFOLD).select(Splitter.FOLD).first().getInt(0))
        .isEqualTo(Splitter.NO_FOLD);
  }

  @Test
  void usersBelowMinInteractionsGoWhollyToTrain() {
    List<Row> rows = new ArrayList<>(userHistory(1, 4));
    rows.addAll(userHistory(2, 10));
    Dataset<Row> tagged = Splitter.assign(Interactions.of(rows), USER_RATIO.withMinInteractions(5));
    assertThat(itemsBySplit(tagged, 1)).containsOnlyKeys(Splitter.TRAIN);
    assertThat(itemsBySplit(tagged, 1).get(Splitter.TRAIN)).hasSize(4);
    assertThat(itemsBySplit(tagged, 2).get(Splitter.TRAIN)).hasSize(7);
  }

  @Test
  void leaveLastPutsTheLastKInTestAndTheKBeforeInValidation() {
    Dataset<Row> input = Interactions.of(userHistory(1, 6));
    assertThat(itemsBySplit(Splitter.assign(input, LEAVE_LAST), 1))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    Splitter.TRAIN, List.of(1L, 2L, 3L, 4L),
                    Splitter.VALIDATION, List.of(5L),
                    Splitter.TEST, List.of(6L))));
    assertThat(itemsBySplit(Splitter.assign(input, LEAVE_LAST.withK(2)), 1))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    Splitter.TRAIN, List.of(1L, 2L),
                    Splitter.VALIDATION, List.of(3L, 4L),
                    Splitter.TEST, List.of(5L, 6L))));
  }

  /**
   * The rows without their tag, as comparable strings: equal multisets mean nothing lost or
   * duplicated.
   */
  private static List<String> untagged(List<Row> rows) {
    return rows.stream()
        .map(
            r ->
                java.util.stream.IntStream.range(0, Schema.INTERACTIONS.size())
                    .mapToObj(r::get)
                    .toList()
                    .toString())
        .sorted()
        .toList();
  }

  @Test
  void everyRowIsInExactlyOneSplitForEveryStrategy() {
    Dataset<Row> input = Interactions.of(Interactions.random(40, 7));
    List<String> expected = untagged(input.collectAsList());
    List<SplitOptions> strategies =
        List.of(
            USER_RATIO,
            USER_RATIO.withRatios(0.8, 0.2),
            LEAVE_LAST.withK(2),
            GLOBAL_TIME,
            SplitOptions.of(Strategy.GLOBAL_TIME).withCutoffs(List.of(T0.plusSeconds(20))),
            USER_RANDOM,
            USER_RANDOM.withGroupBy(GroupBy.ITEM),
            USER_RATIO.withMinInteractions(10),
            KFOLD);
    for (SplitOptions options : strategies) {
      List<Row> tagged = Splitter.assign(input, options).collectAsList();
      // Same multiset of rows out as in: none lost, none in a second split.
      assertThat(untagged(tagged)).as(options.toString()).isEqualTo(expected);
      if (options.strategy() != Strategy.KFOLD) {
        assertThat(tagged.stream().map(r -> r.getString(6)).distinct())
            .isSubsetOf(Splitter.SPLIT_NAMES);
      }
    }
  }

  @Test
  void noEvaluationEventOfAUserPrecedesThatUsersTrainEvents() {
    Dataset<Row> input = Interactions.of(Interactions.random(40, 11));
    for (SplitOptions options :
        List.of(USER_RATIO, LEAVE_LAST, LEAVE_LAST.withK(3), USER_RATIO.withRatios(0.5, 0.5))) {
      List<Row> perUser =
          Splitter.assign(input, options)
              .groupBy(Schema.USER_ID)
              .agg(
                  max(when(col(Splitter.SPLIT).equalTo(Splitter.TRAIN), col(Schema.TS)))
                      .as("last_train"),
                  min(when(col(Splitter.SPLIT).notEqual(Splitter.TRAIN), col(Schema.TS)))
                      .as("first_eval"),
                  max(when(col(Splitter.SPLIT).equalTo(Splitter.VALIDATION), col(Schema.TS)))
                      .as("last_validation"),
                  min(when(col(Splitter.SPLIT).equalTo(Splitter.TEST), col(Schema.TS)))
                      .as("first_test"),
                  count(when(col(Splitter.SPLIT).equalTo(Splitter.TRAIN), 1)).as("train_rows"))
              .collectAsList();
      assertThat(perUser).hasSize(40);
      for (Row user : perUser) {
        String what = options.strategy().cliName() + " user " + user.getLong(0);
        assertThat(user.getLong(5)).as(what).isGreaterThanOrEqualTo(1);
        if (!user.isNullAt(2)) {
          assertThat(user.getTimestamp(1)).as(what).isBeforeOrEqualTo(user.getTimestamp(2));
        }
        if (!user.isNullAt(3) && !user.isNullAt(4)) {
          assertThat(user.getTimestamp(3)).as(what).isBeforeOrEqualTo(user.getTimestamp(4));
        }
      }
    }
  }

  @Test
  void plantedOutOfOrderInputStillCutsInTimeOrder() {
    // Rows arrive newest first; the split must follow ts, not input order.
    List<Row> rows = new ArrayList<>(userHistory(1, 10));
    java.util.Collections.reverse(rows);
    Dataset<Row> tagged = Splitter.assign(Interactions.of(rows), LEAVE_LAST);
    assertThat(itemsBySplit(tagged, 1).get(Splitter.TEST)).containsExactly(10L);
  }

  @Test
  void globalTimeByRatiosPutsNoEvaluationEventBeforeAnyTrainEvent() {
    Dataset<Row> input = Interactions.of(Interactions.random(40, 13));
    Dataset<Row> tagged = Splitter.assign(input, GLOBAL_TIME);
    Row bounds =
        tagged
            .agg(
                max(when(col(Splitter.SPLIT).equalTo(Splitter.TRAIN), col(Schema.TS))),
                min(when(col(Splitter.SPLIT).notEqual(Splitter.TRAIN), col(Schema.TS))),
                max(when(col(Splitter.SPLIT).equalTo(Splitter.VALIDATION), col(Schema.TS))),
                min(when(col(Splitter.SPLIT).equalTo(Splitter.TEST), col(Schema.TS))))
            .first();
    assertThat(bounds.getTimestamp(0)).isBefore(bounds.getTimestamp(1));
    assertThat(bounds.getTimestamp(2)).isBefore(bounds.getTimestamp(3));
  }

  @Test
  void globalTimeCutoffIsTheExactQuantileAndTiesGoToTheEarlierSplit() {
    // Ten users, one event each at seconds 1..10: 0.7/0.2/0.1 puts 1..7 in train, 8..9 in
    // validation.
    List<Row> rows = new ArrayList<>();
    for (int second = 1; second <= 10; second++) {
      rows.add(rating(second, 1, second));
    }
    Dataset<Row> input = Interactions.of(rows);
    assertThat(GlobalTimeCutoffs.fromRatios(input, new double[] {0.7, 0.2, 0.1}))
        .containsExactly(T0.plusSeconds(7), T0.plusSeconds(9));
    Map<Long, Long> test = splitOf(Splitter.assign(input, GLOBAL_TIME), Splitter.TEST);
    assertThat(test).containsOnlyKeys(1L).containsEntry(1L, 10L);

    // A second event at second 7 ties with the cutoff: it stays in train with its twin.
    rows.add(rating(11, 1, 7));
    Dataset<Row> tagged = Splitter.assign(Interactions.of(rows), GLOBAL_TIME);
    assertThat(tagged.filter(col(Splitter.SPLIT).equalTo(Splitter.TRAIN)).count()).isEqualTo(8);
  }

  @Test
  void globalTimeWithExplicitCutoffs() {
    List<Row> rows = new ArrayList<>();
    for (int second = 1; second <= 10; second++) {
      rows.add(rating(second, 1, second));
    }
    SplitOptions options =
        SplitOptions.of(Strategy.GLOBAL_TIME)
            .withCutoffs(List.of(T0.plusSeconds(5), T0.plusSeconds(8)));
    Map<String, Long> counts =
        Splitter.assign(Interactions.of(rows), options)
            .groupBy(Splitter.SPLIT)
            .count()
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(counts)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Splitter.TRAIN, 5L, Splitter.VALIDATION, 3L, Splitter.TEST, 2L));
  }

  @Test
  void kthSmallestIsExactOverWideRangesWithTies() {
    java.util.Random random = new java.util.Random(3);
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      // Microseconds across 40 years, and a cluster of repeated values.
      long micros = i % 5 == 0 ? 1_500_000_000_000_000L : (long) (random.nextDouble() * 1.26e15);
      values.add(micros);
    }
    Dataset<Row> column =
        dev.recdata.common.testing.SharedSpark.session()
            .createDataset(values, org.apache.spark.sql.Encoders.LONG())
            .toDF("v");
    List<Long> sorted = values.stream().sorted().toList();
    long[] ranks = {1, 100, 101, 250, 500};
    long[] found = GlobalTimeCutoffs.kthSmallest(column, sorted.get(0), sorted.get(499), ranks);
    for (int i = 0; i < ranks.length; i++) {
      assertThat(found[i]).as("rank %d", ranks[i]).isEqualTo(sorted.get((int) ranks[i] - 1));
    }
  }

  @Test
  void randomStrategiesAreReproducibleForASeedAndDifferAcrossSeeds() {
    Dataset<Row> input = Interactions.of(Interactions.random(30, 5));
    for (SplitOptions options : List.of(USER_RANDOM, KFOLD)) {
      List<String> first = sorted(Splitter.assign(input, options));
      // Another partitioning of the same input must not change anything.
      List<String> again = sorted(Splitter.assign(input.repartition(3), options));
      List<String> otherSeed = sorted(Splitter.assign(input, options.withSeed(43)));
      assertThat(again).as(options.strategy().cliName()).isEqualTo(first);
      assertThat(otherSeed).as(options.strategy().cliName()).isNotEqualTo(first);
    }
  }

  private static List<String> sorted(Dataset<Row> tagged) {
    return tagged.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  @Test
  void userRandomIsNotTheTemporalSplit() {
    Dataset<Row> input = Interactions.of(userHistory(1, 20));
    Map<String, List<Long>> random = itemsBySplit(Splitter.assign(input, USER_RANDOM), 1);
    assertThat(random.get(Splitter.TRAIN))
        .hasSize(14)
        .isNotEqualTo(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L));
    assertThat(random.get(Splitter.VALIDATION)).hasSize(4);
    assertThat(random.get(Splitter.TEST)).hasSize(2);
  }

  @Test
  void kfoldPutsEachRowInExactlyOneFoldsTestWithBalancedFoldsPerUser() {
    List<Row> rows = new ArrayList<>(Interactions.random(30, 9));
    rows.add(rating(999, 1, 1)); // a single-interaction user: train in every fold, test in none
    Map<Long, List<Integer>> foldsPerUser = new TreeMap<>();
    for (Row row : Splitter.assign(Interactions.of(rows), KFOLD).collectAsList()) {
      foldsPerUser.computeIfAbsent(row.getLong(0), u -> new ArrayList<>()).add(row.getInt(6));
    }
    assertThat(foldsPerUser.remove(999L)).containsExactly(Splitter.NO_FOLD);
    foldsPerUser.forEach(
        (user, folds) -> {
          Map<Integer, Long> perFold =
              folds.stream().collect(Collectors.groupingBy(f -> f, Collectors.counting()));
          if (folds.size() >= 2) {
            // A row carries exactly one fold: the one whose test holds it.
            assertThat(perFold.keySet()).as("user %d", user).allMatch(f -> f >= 0 && f < 3);
            long most = perFold.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            long least =
                perFold.size() < 3
                    ? 0
                    : perFold.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(most - least).as("user %d folds %s", user, perFold).isLessThanOrEqualTo(1);
          } else {
            assertThat(folds).containsExactly(Splitter.NO_FOLD);
          }
        });
  }

  @Test
  void groupByItemCutsEachItemsEventsInstead() {
    // Item 5 seen by ten users at seconds 1..10; item 6 by one user only.
    List<Row> rows = new ArrayList<>();
    for (int user = 1; user <= 10; user++) {
      rows.add(rating(user, 5, user));
    }
    rows.add(rating(1, 6, 50));
    Dataset<Row> tagged =
        Splitter.assign(Interactions.of(rows), USER_RATIO.withGroupBy(GroupBy.ITEM));
    Map<String, Long> item5 =
        tagged
            .filter(col(Schema.ITEM_ID).equalTo(5))
            .groupBy(Splitter.SPLIT)
            .count()
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertThat(item5)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Splitter.TRAIN, 7L, Splitter.VALIDATION, 2L, Splitter.TEST, 1L));
    assertThat(splitOf(tagged, Splitter.TEST)).containsExactly(Map.entry(5L, 10L));
    assertThat(tagged.filter(col(Schema.ITEM_ID).equalTo(6)).first().getString(6))
        .isEqualTo(Splitter.TRAIN);
  }

  @Test
  void impressionsAreNotSplitPositives() {
    Dataset<Row> input =
        Interactions.of(
            rating(1, 1, 1),
            event(1, 2, 2, Schema.EVENT_LIKE),
            event(1, 3, 3, Schema.EVENT_IMPRESSION));
    assertThat(
            Splitter.positives(input)
                .select(Schema.ITEM_ID)
                .as(org.apache.spark.sql.Encoders.LONG())
                .collectAsList())
        .containsExactlyInAnyOrder(1L, 2L);
  }
}
