package dev.recdata.etl.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class GenerateOptionsTest {
  @Test
  void twentyFiveMillionRowsGetMovieLens25MProportions() {
    GenerateOptions options = GenerateOptions.forRows("/tmp/ml", 25_000_000, 1);

    assertThat(options.users()).isEqualTo(162_338);
    assertThat(options.items()).isEqualTo(59_000);
    assertThat(options.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void smallRowCountsScaleUsersLinearlyAndItemsSlower() {
    assertThat(GenerateOptions.forRows("o", 100_000, 1))
        .extracting(GenerateOptions::users, GenerateOptions::items)
        .containsExactly(650, 1_237);
    assertThat(GenerateOptions.forRows("o", 100, 1))
        .extracting(GenerateOptions::users, GenerateOptions::items)
        .containsExactly(1, 100);
    assertThat(GenerateOptions.forRows("o", 1, 1))
        .extracting(GenerateOptions::users, GenerateOptions::items)
        .containsExactly(1, 2);
  }

  @Test
  void usersBelowOneIsRefusedNamingTheOption() {
    assertBadInput(
        () -> new GenerateOptions("o", 0, 10, 10, 1, 1), "--users must be between 1 and");
  }

  @Test
  void fewerThanTwoItemsIsRefused() {
    assertBadInput(() -> new GenerateOptions("o", 1, 1, 1, 1, 1), "--items must be between 2 and");
  }

  @Test
  void fewerRowsThanUsersIsRefused() {
    assertBadInput(
        () -> new GenerateOptions("o", 10, 10, 9, 1, 1), "--rows must be at least --users (10");
  }

  @Test
  void moreRowsThanUserMoviePairsIsRefused() {
    assertBadInput(
        () -> new GenerateOptions("o", 10, 10, 101, 1, 1),
        "--rows must be at most --users x --items = 10 x 10 = 100");
  }

  @Test
  void threadsOutOfRangeAndMissingOutAreRefused() {
    assertBadInput(
        () -> new GenerateOptions("o", 1, 2, 1, 1, 0),
        "--threads must be between 1 and 256, got 0");
    assertBadInput(() -> new GenerateOptions(" ", 1, 2, 1, 1, 1), "--out is required");
    assertBadInput(() -> GenerateOptions.forRows("o", 0, 1), "--rows must be at least 1, got 0");
  }

  @Test
  void everyUserRatingEveryMovieIsAllowed() {
    assertThat(new GenerateOptions("o", 10, 10, 100, 1, 1).rows()).isEqualTo(100);
  }

  private static void assertBadInput(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            RecdataException.class,
            e -> assertThat(e.exitCode()).isEqualTo(RecdataException.EXIT_BAD_INPUT))
        .hasMessageContaining(message);
  }
}
