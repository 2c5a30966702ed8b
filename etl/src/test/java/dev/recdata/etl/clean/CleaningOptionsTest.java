package dev.recdata.etl.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CleaningOptionsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void defaultsDropDuplicatesKeepLatestAndAcceptUpToOneDayAhead() {
    CleaningOptions options = CleaningOptions.defaults(NOW);

    assertThat(options.dropExactDuplicates()).isTrue();
    assertThat(options.duplicates()).isEqualTo(DuplicatePolicy.KEEP_LATEST);
    assertThat(options.positiveThreshold()).isNull();
    assertThat(options.kCoreEnabled()).isFalse();
    assertThat(options.since()).isNull();
    assertThat(options.windowDays()).isNull();
    assertThat(options.minTs()).isEqualTo(Instant.parse("1990-01-01T00:00:00Z"));
    assertThat(options.maxTs()).isEqualTo(Instant.parse("2026-11-24T12:00:00Z"));
  }

  @Test
  void negativeMinimumIsBadInputNamingTheValue() {
    assertThatThrownBy(() -> CleaningOptions.defaults(NOW).withKCore(-3, 5))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("per user -3")
        .extracting(e -> ((RecdataException) e).exitCode())
        .isEqualTo(RecdataException.EXIT_BAD_INPUT);
  }

  @Test
  void windowShorterThanOneDayIsBadInput() {
    assertThatThrownBy(() -> CleaningOptions.defaults(NOW).withWindow(null, 0))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("window of 0 days");
  }

  @Test
  void thresholdThatIsNotANumberIsBadInput() {
    assertThatThrownBy(() -> CleaningOptions.defaults(NOW).withPositiveThreshold(Float.NaN))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("positive threshold NaN");
  }

  @Test
  void minimumTimestampAfterMaximumIsBadInput() {
    assertThatThrownBy(
            () ->
                CleaningOptions.defaults(NOW)
                    .withTimestampBounds(Instant.parse("2030-01-01T00:00:00Z"), NOW))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining(
            "2030-01-01T00:00:00Z is not before maximum timestamp 2026-11-23T12:00:00Z");
  }

  @Test
  void missingPolicyIsBadInput() {
    assertThatThrownBy(() -> CleaningOptions.defaults(NOW).withDuplicates(null))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("KEEP_LATEST, KEEP_FIRST, KEEP_ALL");
  }
}
