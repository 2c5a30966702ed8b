package dev.recdata.etl.generate;

import dev.recdata.common.SplitMix64;

/**
 * Walker/Vose alias table: draws an index with probability proportional to its weight in O(1),
 * which is what makes drawing 25 million Zipf-distributed items cheap.
 */
final class AliasTable {
  private final double[] probability;
  private final int[] alias;

  AliasTable(double[] weights) {
    int n = weights.length;
    probability = new double[n];
    alias = new int[n];
    double total = 0;
    for (double weight : weights) {
      total += weight;
    }
    double[] scaled = new double[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int smallCount = 0;
    int largeCount = 0;
    for (int i = 0; i < n; i++) {
      scaled[i] = weights[i] * n / total;
      if (scaled[i] < 1.0) {
        small[smallCount++] = i;
      } else {
        large[largeCount++] = i;
      }
    }
    while (smallCount > 0 && largeCount > 0) {
      int less = small[--smallCount];
      int more = large[--largeCount];
      probability[less] = scaled[less];
      alias[less] = more;
      scaled[more] = (scaled[more] + scaled[less]) - 1.0;
      if (scaled[more] < 1.0) {
        small[smallCount++] = more;
      } else {
        large[largeCount++] = more;
      }
    }
    // Leftovers are 1 up to rounding error.
    while (largeCount > 0) {
      int i = large[--largeCount];
      probability[i] = 1.0;
      alias[i] = i;
    }
    while (smallCount > 0) {
      int i = small[--smallCount];
      probability[i] = 1.0;
      alias[i] = i;
    }
  }

  int size() {
    return probability.length;
  }

  /** One 64-bit draw: the high half picks the column, the low half flips its biased coin. */
  int sample(SplitMix64 random) {
    long bits = random.nextLong();
    int column = (int) (((bits >>> 32) * probability.length) >>> 32);
    double coin = (bits & 0xFFFFFFFFL) * 0x1.0p-32;
    return coin < probability[column] ? column : alias[column];
  }
}
