package dev.recdata.als;

/**
 * The dot products of one block of queries with one candidate, the inner loop of {@link BlockTopK}.
 * The block's factors are stored rank-major ({@code queries[r * BLOCK + b]}), so a run of
 * consecutive queries shares each rank position: the Java Vector API then multiplies a candidate
 * value into 8 (AVX-512) or 4 (AVX2) queries' sums per instruction ({@link VectorBlockDots}): in a
 * benchmark of the loop on the 2-core machine, 2.7x the earlier four-sums-at-a-time scalar loop at
 * rank 32 and 5x at rank 64 (export's similar items at 5M: 7.2 s to 4.6 s). Where the JVM was
 * started without {@code --add-modules=jdk.incubator.vector} (bin/recdata and the test JVMs add it;
 * a cluster's executors may not), the scalar loop here runs instead.
 *
 * <p>Both give the same bits: each query's sum starts at 0.0 and adds one product at a time in rank
 * order, never fused into a multiply-add, exactly as a one-query loop would. Lanes only decide how
 * many of those independent sums advance together.
 */
final class BlockDots {
  private BlockDots() {}

  /**
   * Whether the Vector API module is in this JVM, fixed for the life of the process; {@code
   * -Drecdata.scalarDots=true} forces the scalar loop (to compare the two).
   */
  static final boolean VECTOR =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && !Boolean.getBoolean("recdata.scalarDots");

  /**
   * {@code dots[b]} = queries' row b (for b below {@code size}) dotted with the candidate at {@code
   * candidates[base .. base + rank)}. {@code queries} holds {@code rank} rows of {@code block}
   * values; lanes from {@code size} up to the next multiple of the vector width are read (they must
   * be finite, zeros) and their sums written to {@code dots}, which has room for {@code block}.
   */
  static void dots(
      double[] queries,
      int block,
      int size,
      double[] candidates,
      int base,
      int rank,
      double[] dots) {
    if (VECTOR) {
      VectorBlockDots.dots(queries, block, size, candidates, base, rank, dots);
    } else {
      scalar(queries, block, size, candidates, base, rank, dots);
    }
  }

  /** Four queries' sums at a time: independent additions keep the core busy. */
  static void scalar(
      double[] queries,
      int block,
      int size,
      double[] candidates,
      int base,
      int rank,
      double[] dots) {
    int b = 0;
    for (; b + 4 <= size; b += 4) {
      double d0 = 0.0;
      double d1 = 0.0;
      double d2 = 0.0;
      double d3 = 0.0;
      for (int r = 0; r < rank; r++) {
        double x = candidates[base + r];
        int row = r * block + b;
        d0 += queries[row] * x;
        d1 += queries[row + 1] * x;
        d2 += queries[row + 2] * x;
        d3 += queries[row + 3] * x;
      }
      dots[b] = d0;
      dots[b + 1] = d1;
      dots[b + 2] = d2;
      dots[b + 3] = d3;
    }
    for (; b < size; b++) {
      double dot = 0.0;
      for (int r = 0; r < rank; r++) {
        dot += queries[r * block + b] * candidates[base + r];
      }
      dots[b] = dot;
    }
  }
}
