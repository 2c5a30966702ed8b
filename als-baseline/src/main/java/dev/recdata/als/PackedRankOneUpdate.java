package dev.recdata.als;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * BLAS {@code dspr} for an upper triangle with unit stride, on the Java Vector API: {@code ap +=
 * alpha * x * xᵀ}, {@code ap} packed by columns. Column j's {@code j + 1} entries are contiguous,
 * so each vector adds {@code x[i] * (alpha * x[j])} to a run of them; the tail of a column is
 * scalar. Every entry gets the reference loop's one product and one addition, unfused and in the
 * same order (a column whose {@code x[j]} is zero is skipped, as the reference skips it), so the
 * result is bit for bit the reference's. Loaded only when the module is present ({@link
 * MllibBlas}).
 */
final class PackedRankOneUpdate {
  private PackedRankOneUpdate() {}

  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  static void upper(int n, double alpha, double[] x, int offsetx, double[] ap, int offsetap) {
    if (n == 0 || alpha == 0.0) {
      return; // the reference returns before touching ap (adding +0.0 would turn -0.0 into +0.0)
    }
    int column = offsetap;
    for (int j = 0; j < n; j++) {
      double xj = x[offsetx + j];
      if (xj != 0.0) {
        double scale = alpha * xj;
        DoubleVector scaleVector = DoubleVector.broadcast(SPECIES, scale);
        int length = j + 1;
        int bound = length - length % LANES;
        int i = 0;
        for (; i < bound; i += LANES) {
          DoubleVector entries = DoubleVector.fromArray(SPECIES, ap, column + i);
          DoubleVector xs = DoubleVector.fromArray(SPECIES, x, offsetx + i);
          entries.add(xs.mul(scaleVector)).intoArray(ap, column + i);
        }
        for (; i < length; i++) {
          ap[column + i] += x[offsetx + i] * scale;
        }
      }
      column += j + 1;
    }
  }
}
