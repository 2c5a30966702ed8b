package dev.recdata.splits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllocationTest {
  private static final double[] SEVEN_TWO_ONE = {0.7, 0.2, 0.1};
  private static final double[] HALF_QUARTERS = {0.5, 0.25, 0.25};

  @ParameterizedTest(name = "n={0} with 0.7/0.2/0.1 -> {1}/{2}/{3}")
  @CsvSource({
    "0,0,0,0",
    "1,1,0,0",
    "2,2,0,0",
    "3,2,1,0",
    "7,5,1,1",
    "10,7,2,1",
    "11,8,2,1",
    "100,70,20,10"
  })
  void largestRemainderWithSevenTwoOne(int n, int train, int validation, int test) {
    assertThat(Allocation.counts(n, SEVEN_TWO_ONE)).containsExactly(train, validation, test);
  }

  @ParameterizedTest(name = "n={0} with 0.5/0.25/0.25 -> {1}/{2}/{3}")
  @CsvSource({"1,1,0,0", "2,1,1,0", "3,1,1,1", "7,3,2,2", "10,5,3,2"})
  void largestRemainderWithHalfAndQuarters(int n, int train, int validation, int test) {
    assertThat(Allocation.counts(n, HALF_QUARTERS)).containsExactly(train, validation, test);
  }

  @Test
  void countsAlwaysSumToNAndKeepOneInTrain() {
    double[][] ratioSets = {
      SEVEN_TWO_ONE, HALF_QUARTERS, {0.8, 0.2}, {0.1, 0.45, 0.45}, {0.34, 0.33, 0.33}, {0.29, 0.71}
    };
    for (double[] ratios : ratioSets) {
      for (int n = 0; n <= 1000; n++) {
        int[] counts = Allocation.counts(n, ratios);
        assertThat(Arrays.stream(counts).sum())
            .as("n=%d ratios=%s", n, Arrays.toString(ratios))
            .isEqualTo(n);
        assertThat(counts[0]).as("train for n=%d", n).isGreaterThanOrEqualTo(Math.min(n, 1));
        for (int i = 0; i < counts.length; i++) {
          // Hamilton never strays a whole unit from the exact share (the train >= 1 rule aside,
          // only for small n).
          if (n >= 10) {
            assertThat(Math.abs(counts[i] - n * ratios[i]))
                .as("n=%d part %d", n, i)
                .isLessThan(1.0);
          }
        }
      }
    }
  }

  @Test
  void decimalRatiosAreExactWhereBinaryDoublesDrift() {
    // 0.29 * 100 is 28.999999999999996 in doubles; a plain floor would give 28/72 or lose a row.
    assertThat(Allocation.counts(100, new double[] {0.29, 0.71})).containsExactly(29, 71);
    assertThat(Allocation.counts(10, new double[] {0.1, 0.2, 0.7})).containsExactly(1, 2, 7);
  }

  @Test
  void trainTakesFromTheLastNonEmptyEvaluationPart() {
    // 0.1/0.45/0.45 of 2: floors 0/0/0, leftovers to validation and test, then test gives one to
    // train.
    assertThat(Allocation.counts(2, new double[] {0.1, 0.45, 0.45})).containsExactly(1, 1, 0);
    assertThat(Allocation.counts(1, new double[] {0.1, 0.9})).containsExactly(1, 0);
  }

  @Test
  void wholeTableCountsWorkBeyondIntRange() {
    long n = 5_000_000_001L;
    long[] counts = Allocation.counts(n, SEVEN_TWO_ONE);
    assertThat(counts).containsExactly(3_500_000_001L, 1_000_000_000L, 500_000_000L);
  }

  @ParameterizedTest(name = "leave-last n={0} k={1} -> {2}/{3}/{4}")
  @CsvSource({
    "1,1,1,0,0",
    "2,1,1,0,1",
    "3,1,1,1,1",
    "10,1,8,1,1",
    "3,2,1,0,2",
    "4,2,1,1,2",
    "5,2,1,2,2",
    "9,2,5,2,2"
  })
  void leaveLastFillsTestThenValidationAndKeepsOneInTrain(
      int n, int k, int train, int validation, int test) {
    assertThat(Allocation.leaveLast(n, k)).containsExactly(train, validation, test);
  }

  @Test
  void groupsBelowMinInteractionsGoWhollyToTrain() {
    SplitOptions options =
        SplitOptions.of(Strategy.USER_RATIO).withRatios(SEVEN_TWO_ONE).withMinInteractions(5);
    assertThat(Allocation.forGroup(4, options)).containsExactly(4, 0, 0);
    assertThat(Allocation.forGroup(10, options)).containsExactly(7, 2, 1);
  }

  @Test
  void twoRatiosLeaveValidationEmpty() {
    SplitOptions options = SplitOptions.of(Strategy.USER_RATIO).withRatios(0.8, 0.2);
    assertThat(Allocation.forGroup(10, options)).containsExactly(8, 0, 2);
  }
}
