package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector and scalar kernels give the bits a one-query loop gives, for every block size (full
 * vectors, a partial last vector, fewer queries than one vector) and ranks that are and are not
 * multiples of the lane count: recommendations, similar items and the ranking metrics must not move
 * with the machine's vector width or with whether the JVM has the Vector API.
 */
class BlockDotsTest {
  private static final int BLOCK = BlockTopK.BLOCK;

  @Test
  void vectorAndScalarKernelsEqualAOneQueryLoopBitForBit() {
    Random random = new Random(7);
    for (int rank : new int[] {1, 3, 8, 16, 32, 64, 70}) {
      double[] candidates = new double[5 * rank];
      for (int i = 0; i < candidates.length; i++) {
        candidates[i] = (float) (random.nextGaussian() * 3); // factors are floats widened
      }
      for (int size : new int[] {1, 3, 7, 8, 9, 31, 33, 63, 64}) {
        double[] queries = new double[BLOCK * rank]; // rank-major; lanes from size on are zeros
        for (int r = 0; r < rank; r++) {
          for (int b = 0; b < size; b++) {
            queries[r * BLOCK + b] = (float) random.nextGaussian();
          }
        }
        for (int j = 0; j < 5; j++) {
          double[] vector = new double[BLOCK];
          double[] scalar = new double[BLOCK];
          VectorBlockDots.dots(queries, BLOCK, size, candidates, j * rank, rank, vector);
          BlockDots.scalar(queries, BLOCK, size, candidates, j * rank, rank, scalar);
          for (int b = 0; b < size; b++) {
            double oneQuery = 0.0;
            for (int r = 0; r < rank; r++) {
              oneQuery += queries[r * BLOCK + b] * candidates[j * rank + r];
            }
            String at = "rank " + rank + ", block of " + size + ", query " + b + ", candidate " + j;
            assertThat(Double.doubleToRawLongBits(vector[b]))
                .as(at)
                .isEqualTo(Double.doubleToRawLongBits(oneQuery));
            assertThat(Double.doubleToRawLongBits(scalar[b]))
                .as(at)
                .isEqualTo(Double.doubleToRawLongBits(oneQuery));
          }
        }
      }
    }
  }

  /**
   * A fused multiply-add would round once where the loop rounds twice: with a sum of -1 and then a
   * * a (a = 1 + 2 ulp), the loop gives 4 ulp and a fused step 4 ulp + 4 ulp^2, so either kernel
   * fusing would show.
   */
  @Test
  void neitherKernelFusesTheMultiplyAndTheAdd() {
    double a = 1.0 + 2 * Math.ulp(1.0);
    double[] queries = new double[BLOCK * 2];
    double[] candidates = {-1.0, a};
    for (int b = 0; b < 16; b++) {
      queries[b] = 1.0; // rank 0: 1 * -1
      queries[BLOCK + b] = a; // rank 1: a * a, rounded before it is added
    }
    double twoRoundings = (0.0 + 1.0 * -1.0) + a * a;
    assertThat(twoRoundings).isNotEqualTo(Math.fma(a, a, -1.0));
    double[] vector = new double[BLOCK];
    double[] scalar = new double[BLOCK];
    VectorBlockDots.dots(queries, BLOCK, 16, candidates, 0, 2, vector);
    BlockDots.scalar(queries, BLOCK, 16, candidates, 0, 2, scalar);
    for (int b = 0; b < 16; b++) {
      assertThat(vector[b]).isEqualTo(twoRoundings);
      assertThat(scalar[b]).isEqualTo(twoRoundings);
    }
  }
}
