package dev.recdata.splits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitOptionsTest {
  private static final SplitOptions USER_RATIO = SplitOptions.of(Strategy.USER_RATIO);

  @Test
  void ratiosNotSummingToOneAreRejectedWithTheValues() {
    assertThatThrownBy(() -> USER_RATIO.withRatios(0.7, 0.2, 0.2))
        .isInstanceOf(RecdataException.class)
        .hasMessage("ratios 0.7,0.2,0.2 sum to 1.1; they must sum to 1")
        .satisfies(
            e ->
                assertThat(((RecdataException) e).exitCode())
                    .isEqualTo(RecdataException.EXIT_BAD_INPUT));
  }

  @Test
  void badRatioShapesAreRejected() {
    assertThatThrownBy(() -> USER_RATIO.withRatios(1.0)).hasMessageContaining("expected two");
    assertThatThrownBy(() -> USER_RATIO.withRatios(0.0, 0.5, 0.5))
        .hasMessageContaining("train fraction");
    assertThatThrownBy(() -> USER_RATIO.withRatios(1.2, -0.2))
        .hasMessageContaining("between 0 and 1");
  }

  @Test
  void defaultsAndCopies() {
    assertThat(USER_RATIO.ratios()).containsExactly(0.7, 0.2, 0.1);
    double[] ratios = {0.7, 0.2, 0.1};
    SplitOptions options = USER_RATIO.withRatios(ratios);
    ratios[0] = 0.9;
    assertThat(options.ratios()).containsExactly(0.7, 0.2, 0.1);
    assertThat(options.hasValidation()).isTrue();
    assertThat(USER_RATIO.withRatios(0.8, 0.2).hasValidation()).isFalse();
  }

  @Test
  void optionsThatDoNotApplyToTheStrategyAreRejected() {
    assertThatThrownBy(() -> SplitOptions.of(Strategy.LEAVE_LAST).withRatios(0.8, 0.2))
        .hasMessage("--ratios 0.8,0.2 does not apply to leave-last");
    assertThatThrownBy(() -> SplitOptions.of(Strategy.LEAVE_LAST).withK(0))
        .hasMessageContaining("--k 0");
    assertThatThrownBy(() -> SplitOptions.of(Strategy.KFOLD).withFolds(1))
        .hasMessageContaining("--folds 1");
    assertThatThrownBy(() -> USER_RATIO.withCutoffs(List.of(Instant.EPOCH)))
        .hasMessageContaining("--cutoffs apply only to global-time");
    assertThatThrownBy(() -> SplitOptions.of(Strategy.GLOBAL_TIME).withGroupBy(GroupBy.ITEM))
        .hasMessageContaining("--group-by item");
    assertThatThrownBy(() -> SplitOptions.of(Strategy.GLOBAL_TIME).withMinInteractions(3))
        .hasMessageContaining("--min-interactions 3");
    assertThatThrownBy(() -> SplitOptions.of(Strategy.KFOLD).withSequences(true))
        .hasMessageContaining("--text-format sequences");
  }

  @Test
  void globalTimeTakesEitherRatiosOrIncreasingCutoffs() {
    Instant early = Instant.parse("2019-01-01T00:00:00Z");
    Instant late = Instant.parse("2019-07-01T00:00:00Z");
    SplitOptions byCutoffs =
        SplitOptions.of(Strategy.GLOBAL_TIME).withCutoffs(List.of(early, late));
    assertThat(byCutoffs.ratios()).isNull();
    assertThat(byCutoffs.hasValidation()).isTrue();
    assertThatThrownBy(() -> byCutoffs.withRatios(0.8, 0.2))
        .hasMessageContaining("give either --ratios or --cutoffs");
    assertThatThrownBy(
            () -> SplitOptions.of(Strategy.GLOBAL_TIME).withCutoffs(List.of(late, early)))
        .hasMessageContaining("must be before");
  }

  @Test
  void strategyNamesFollowTheCommandLine() {
    assertThat(Strategy.fromCli("leave-last")).isEqualTo(Strategy.LEAVE_LAST);
    assertThat(Strategy.KFOLD.cliName()).isEqualTo("kfold");
    assertThatThrownBy(() -> Strategy.fromCli("random"))
        .isInstanceOf(RecdataException.class)
        .hasMessage(
            "--strategy random is not known; expected one of user-ratio, leave-last, global-time,"
                + " user-random, kfold");
  }
}
