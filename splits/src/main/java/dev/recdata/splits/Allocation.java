package dev.recdata.splits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How many of a group's {@code n} events go to each part. The counts are integers that always sum
 * to {@code n}, so no event is dropped or duplicated by floating-point drift.
 *
 * <p>Ratio rule (largest remainder, Hamilton):
 *
 * <ol>
 *   <li>each part gets {@code floor(n * ratio)}, computed exactly on the ratios as decimals (0.7 is
 *       7/10, not the nearest double);
 *   <li>the {@code n - sum(floors)} units left over go one each to the parts with the largest
 *       fractional remainders {@code n * ratio - floor(n * ratio)}, ties to the earlier part (train
 *       before validation before test);
 *   <li>if train is then empty while {@code n >= 1}, one unit moves to train from the last
 *       non-empty evaluation part, so a group with at least one event always has one in train.
 * </ol>
 *
 * For example with 0.7/0.2/0.1: n=1 gives 1/0/0, n=2 gives 2/0/0 (remainders 0.4/0.4/0.2: the tie
 * goes to train), n=3 gives 2/1/0, n=7 gives 5/1/1, n=10 gives 7/2/1.
 *
 * <p>Leave-last rule: test gets {@code min(k, n - 1)}, validation {@code min(k, n - 1 - test)},
 * train the rest, so test is filled before validation and train keeps at least one event.
 */
public final class Allocation {
  private Allocation() {}

  /** Counts per part for {@code n} events and the given ratios (which sum to 1). */
  static int[] counts(int n, double[] ratios) {
    return Arrays.stream(counts((long) n, ratios)).mapToInt(Math::toIntExact).toArray();
  }

  /** The same rule for a whole table (global-time quantiles), where {@code n} may exceed an int. */
  static long[] counts(long n, double[] ratios) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, was " + n);
    }
    int parts = ratios.length;
    long[] counts = new long[parts];
    BigDecimal[] remainders = new BigDecimal[parts];
    BigDecimal total = BigDecimal.valueOf(n);
    long assigned = 0;
    for (int i = 0; i < parts; i++) {
      BigDecimal exact = BigDecimal.valueOf(ratios[i]).multiply(total);
      BigDecimal floor = exact.setScale(0, RoundingMode.FLOOR);
      counts[i] = floor.longValueExact();
      remainders[i] = exact.subtract(floor);
      assigned += counts[i];
    }
    // Ratios within the accepted tolerance of 1 may overshoot by a unit on huge n: take it from the
    // end.
    for (int i = parts - 1; assigned > n && i >= 0; i--) {
      long take = Math.min(counts[i], assigned - n);
      counts[i] -= take;
      assigned -= take;
    }
    // Largest remainder first; a stable sort keeps the earlier part first among equal remainders.
    Integer[] order = IntStream.range(0, parts).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparing((Integer i) -> remainders[i]).reversed());
    long leftover = n - assigned;
    for (long unit = 0; unit < leftover; unit++) {
      counts[order[(int) (unit % parts)]]++;
    }
    if (n >= 1 && counts[0] == 0) {
      for (int i = parts - 1; i > 0; i--) {
        if (counts[i] > 0) {
          counts[i]--;
          counts[0]++;
          break;
        }
      }
    }
    return counts;
  }

  /** Train, validation, test counts for leave-last with {@code k} events per evaluation part. */
  static int[] leaveLast(int n, int k) {
    int test = Math.max(0, Math.min(k, n - 1));
    int validation = Math.max(0, Math.min(k, n - 1 - test));
    return new int[] {n - validation - test, validation, test};
  }

  /**
   * Train, validation, test counts for one group under the options: groups below {@code
   * minInteractions} go wholly to train; two ratios give an empty validation part.
   */
  static int[] forGroup(int n, SplitOptions options) {
    if (n < options.minInteractions()) {
      return new int[] {n, 0, 0};
    }
    if (options.strategy() == Strategy.LEAVE_LAST) {
      return leaveLast(n, options.k());
    }
    int[] counts = counts(n, options.ratios());
    return counts.length == 3 ? counts : new int[] {counts[0], 0, counts[1]};
  }
}
