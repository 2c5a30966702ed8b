package dev.recdata.als;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BlockDots} on the Java Vector API: one lane per query, four vectors of sums in flight so
 * the additions do not wait on each other. Loaded only when the module is present ({@link
 * BlockDots#VECTOR}); nothing else refers to it.
 */
final class VectorBlockDots {
  private VectorBlockDots() {}

  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  /** Lanes per vector; {@link BlockTopK#BLOCK} is a multiple of it. */
  static final int LANES = SPECIES.length();

  static void dots(
      double[] queries,
      int block,
      int size,
      double[] candidates,
      int base,
      int rank,
      double[] dots) {
    int groups = (size + LANES - 1) / LANES;
    int g = 0;
    for (; g + 4 <= groups; g += 4) {
      int lane = g * LANES;
      DoubleVector s0 = DoubleVector.zero(SPECIES);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      DoubleVector s3 = s0;
      for (int r = 0; r < rank; r++) {
        double x = candidates[base + r];
        int row = r * block + lane;
        s0 = s0.add(DoubleVector.fromArray(SPECIES, queries, row).mul(x));
        s1 = s1.add(DoubleVector.fromArray(SPECIES, queries, row + LANES).mul(x));
        s2 = s2.add(DoubleVector.fromArray(SPECIES, queries, row + 2 * LANES).mul(x));
        s3 = s3.add(DoubleVector.fromArray(SPECIES, queries, row + 3 * LANES).mul(x));
      }
      s0.intoArray(dots, lane);
      s1.intoArray(dots, lane + LANES);
      s2.intoArray(dots, lane + 2 * LANES);
      s3.intoArray(dots, lane + 3 * LANES);
    }
    for (; g < groups; g++) {
      int lane = g * LANES;
      DoubleVector sum = DoubleVector.zero(SPECIES);
      for (int r = 0; r < rank; r++) {
        sum =
            sum.add(
                DoubleVector.fromArray(SPECIES, queries, r * block + lane)
                    .mul(candidates[base + r]));
      }
      sum.intoArray(dots, lane);
    }
  }
}
