package dev.recdata.etl.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UserActivityTest {
  @Test
  void countsSumToExactlyTheRowsWithTheMovieLensMinimum() {
    int[] counts = UserActivity.ratingsPerUser(1_000_003, 6_000, 4_000, 5);

    assertThat(Arrays.stream(counts).asLongStream().sum()).isEqualTo(1_000_003);
    assertThat(Arrays.stream(counts).min().orElseThrow()).isGreaterThanOrEqualTo(20);
    assertThat(Arrays.stream(counts).max().orElseThrow()).isLessThanOrEqualTo(4_000);
  }

  @Test
  void heavyUsersAreCappedAtTheNumberOfMoviesAndTheOverflowGoesToOthers() {
    int[] counts = UserActivity.ratingsPerUser(100_000, 650, 300, 5);

    assertThat(Arrays.stream(counts).asLongStream().sum()).isEqualTo(100_000);
    assertThat(Arrays.stream(counts).max().orElseThrow()).isEqualTo(300);
  }

  @Test
  void minimumShrinksWhenRowsCannotGiveEveryUserTwenty() {
    assertThat(UserActivity.minimumPerUser(110, 10, 12)).isEqualTo(11);
    assertThat(UserActivity.minimumPerUser(1_000, 10, 5)).isEqualTo(5);
    int[] counts = UserActivity.ratingsPerUser(119, 10, 12, 1);

    assertThat(Arrays.stream(counts).sum()).isEqualTo(119);
    assertThat(Arrays.stream(counts).boxed()).allSatisfy(n -> assertThat(n).isBetween(11, 12));
  }

  @Test
  void everyUserRatingEveryMovieFillsTheMatrix() {
    int[] counts = UserActivity.ratingsPerUser(1_000L * 25, 1_000, 25, 3);

    assertThat(counts).containsOnly(25);
  }

  @Test
  void nearlyFullMatrixStillSumsExactly() {
    int[] counts = UserActivity.ratingsPerUser(1_000L * 25 - 7, 1_000, 25, 3);

    assertThat(Arrays.stream(counts).sum()).isEqualTo(24_993);
    assertThat(Arrays.stream(counts).boxed()).allSatisfy(n -> assertThat(n).isBetween(20, 25));
  }

  @Test
  void sameSeedSameCountsOtherSeedOtherCounts() {
    assertThat(UserActivity.ratingsPerUser(50_000, 300, 2_000, 9))
        .containsExactly(UserActivity.ratingsPerUser(50_000, 300, 2_000, 9))
        .isNotEqualTo(UserActivity.ratingsPerUser(50_000, 300, 2_000, 10));
  }
}
